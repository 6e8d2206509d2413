//! Every face of an error names its documented code, with the status that code has: pages in
//! the respondents' frame and in the review team's, and the API's JSON `{code, message,
//! problems}`. Tests elsewhere assert the codes of their own refusals; this one walks the faces.

mod common;

use common::{Backend, Reply, TestApp, SMALL_QUESTIONNAIRE};
use serde_json::json;

/// The code a page names (`<code data-error-code>…</code>`), if any.
fn page_code(reply: &Reply) -> Option<String> {
    let start = reply.body.find("data-error-code>")? + "data-error-code>".len();
    let end = reply.body[start..].find('<')? + start;
    Some(reply.body[start..end].to_owned())
}

fn assert_page(reply: &Reply, status: u16, code: &str) {
    assert_eq!(reply.status, status, "{}", reply.body);
    assert_eq!(page_code(reply).as_deref(), Some(code), "{}", reply.body);
}

fn assert_json(reply: &Reply, status: u16, code: &str) {
    assert_eq!(reply.status, status, "{}", reply.body);
    assert_eq!(reply.header("content-type"), Some("application/json"));
    let body = reply.json();
    assert_eq!(body["code"], code, "{body}");
    assert!(
        body["message"].as_str().is_some_and(|m| !m.is_empty()),
        "{body}"
    );
    assert!(body["problems"].is_array(), "{body}");
}

on_both_backends! {
    respondents_pages_name_their_codes => |backend: Backend| {
        let app = TestApp::builder(backend).start();
        let slug = app.import_and_open(SMALL_QUESTIONNAIRE);
        let browser = app.browser();
        assert_page(&browser.get("/s/no-such-survey"), 404, "survey_not_found");
        assert_page(&browser.get("/no/such/page"), 404, "not_found");
        assert_page(&browser.get(&format!("/i/{}", "a".repeat(64))), 404, "invitation_not_found");
        // A page that is not an error names no code.
        let intro = browser.get(&format!("/s/{slug}"));
        assert_eq!(intro.status, 200);
        assert_eq!(page_code(&intro), None);
    };

    the_review_teams_pages_name_their_codes => |backend: Backend| {
        let app = TestApp::builder(backend).start();
        let slug = app.import_and_open(SMALL_QUESTIONNAIRE);
        let (admin, _) = app.enrolled("ann@example.org", "admin");
        let (viewer, _) = app.enrolled("vic@example.org", "viewer");
        assert_page(&admin.post_form(&format!("/admin/surveys/{slug}/close"), &[]), 403, "csrf_failed");
        assert_page(&viewer.get("/admin/accounts"), 403, "forbidden");
        assert_page(&viewer.get("/admin/surveys/no-such-survey/results"), 404, "survey_not_found");
        assert_page(
            &viewer.get(&format!("/admin/surveys/{slug}/results?breakdown=nonsense")),
            400,
            "unknown_breakdown",
        );
        assert_page(&viewer.get(&format!("/admin/surveys/{slug}/results.pdf")), 404, "not_found");
        assert_page(&viewer.get("/admin/no-such-page"), 404, "not_found");
        // Someone not signed in is sent to sign in, not shown an error.
        let anonymous = app.browser().get("/admin/surveys");
        assert_eq!(anonymous.status, 303);
        assert_eq!(anonymous.location(), "/admin/signin");
    };

    the_api_answers_json_with_codes => |backend: Backend| {
        let app = TestApp::builder(backend).start();
        let slug = app.import_and_open(SMALL_QUESTIONNAIRE);
        let browser = app.browser();
        let responses = format!("/api/v1/surveys/{slug}/responses");

        let unauthorised = browser.get(&format!("/api/v1/surveys/{slug}/results"));
        assert_json(&unauthorised, 401, "invalid_token");
        assert_eq!(unauthorised.header("www-authenticate"), Some("Bearer"));
        let wrong_token = browser.get_with(
            &format!("/api/v1/surveys/{slug}/results"),
            &[("Authorization", "Bearer not-a-token")],
        );
        assert_json(&wrong_token, 401, "invalid_token");

        app.add_user("vic@example.org", "viewer");
        let viewer = format!("Bearer {}", app.api_token("vic@example.org"));
        let auth = [("Authorization", viewer.as_str())];
        assert_json(&browser.get_with("/api/v1/surveys/nope/results", &auth), 404, "survey_not_found");
        assert_json(
            &browser.get_with(&format!("/api/v1/surveys/{slug}/results.pdf"), &auth),
            404,
            "not_found",
        );
        assert_json(
            &browser.get_with(&format!("/api/v1/surveys/{slug}/responses.csv"), &auth),
            403,
            "admin_only",
        );

        assert_json(&browser.post_json("/api/v1/surveys/nope/responses", &json!({"answers": {}})), 404, "survey_not_found");
        assert_json(
            &browser.post_json(&responses, &json!({"token": "0".repeat(64), "answers": {}})),
            404,
            "invitation_not_found",
        );
        assert_json(&browser.post_raw(&responses, "application/json", b"{\"answers\": "), 400, "malformed_json");
        assert_json(&browser.post_raw(&responses, "text/plain", b"{}"), 415, "unsupported_media_type");
        let huge = format!("{{\"answers\": {{\"comment\": \"{}\"}}}}", "x".repeat(300_000));
        assert_json(&browser.post_raw(&responses, "application/json", huge.as_bytes()), 413, "payload_too_large");
        let invalid = browser.post_json(&responses, &json!({"answers": {"agency": "fire"}}));
        assert_json(&invalid, 422, "invalid_answers");
        assert!(!invalid.json()["problems"].as_array().is_some_and(Vec::is_empty));

        let draft = browser.post_json("/api/v1/surveys/safeguarding-frontline/responses", &json!({"answers": {}}));
        assert_json(&draft, 409, "survey_not_open");
        assert!(app.cli(&["survey", "close", &slug]).status.success());
        let closed = browser.post_json(&responses, &json!({"answers": {"agency": "council", "thresholds": "agree"}}));
        assert_json(&closed, 409, "survey_not_open");
        assert_eq!(app.count("responses") + app.waiting(), 0, "nothing stored from a refusal");
    };
}
