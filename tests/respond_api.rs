//! `POST /api/v1/surveys/{slug}/responses`: one request, the same rules as the pages.

mod common;

use common::{Backend, TestApp, SMALL_QUESTIONNAIRE};
use serde_json::json;

fn path(slug: &str) -> String {
    format!("/api/v1/surveys/{slug}/responses")
}

fn problems_for(reply: &common::Reply) -> Vec<String> {
    reply.json()["problems"]
        .as_array()
        .expect("a problems array")
        .iter()
        .map(|p| p["question"].as_str().unwrap_or_default().to_owned())
        .collect()
}

on_both_backends! {
    a_complete_response_is_stored => |backend: Backend| {
        let app = TestApp::start(backend);
        let slug = app.import_and_open(SMALL_QUESTIONNAIRE);
        let reply = app.browser().post_json(&path(&slug), &json!({
            "answers": {
                "agency": "council", "thresholds": "strongly-agree",
                "training": ["Neglect", "Domestic abuse"], "caseload": 22, "comment": "Thanks"
            }
        }));
        assert_eq!(reply.status, 201, "{}", reply.body);
        assert!(reply.body.find("id").is_none(), "no response id is handed out");
        assert_eq!(app.waiting(), 1, "sealed, waiting for a release");
        assert!(app.stored_answers().is_empty());
        app.release_all(&slug);
        assert_eq!(app.stored_answers(), vec![json!({
            "agency": "council", "thresholds": "strongly-agree",
            "training": ["Neglect", "Domestic abuse"], "caseload": 22, "comment": "Thanks"
        })]);
    };

    invalid_answers_are_all_reported_and_nothing_is_stored => |backend: Backend| {
        let app = TestApp::start(backend);
        let slug = app.import_and_open(SMALL_QUESTIONNAIRE);
        let browser = app.browser();
        let reply = browser.post_json(&path(&slug), &json!({
            "answers": {
                "agency": "police", "training": ["Neglect", "Exploitation", "Domestic abuse"],
                "caseload": 5, "comment": "x".repeat(201), "salary": 1
            }
        }));
        assert_eq!(reply.status, 422, "{}", reply.body);
        let body = reply.json();
        assert!(body["error"].is_string());
        let problems = problems_for(&reply);
        for key in ["thresholds", "training", "caseload", "comment", "salary"] {
            assert!(problems.iter().any(|p| p == key), "problem for {key}: {problems:?}");
        }
        let cases = [
            json!({"answers": {"agency": "fire"}}),
            json!({"answers": {"agency": "council", "thresholds": "agree", "caseload": 61}}),
            json!({"answers": {"agency": "council", "thresholds": "agree", "caseload": 2.5}}),
            json!({"answers": {"agency": ["council"], "thresholds": "agree"}}),
            json!({"answers": {"agency": "council", "thresholds": "agree", "training": "Neglect"}}),
        ];
        for case in cases {
            let reply = browser.post_json(&path(&slug), &case);
            assert_eq!(reply.status, 422, "{case}: {}", reply.body);
        }
        assert_eq!(app.count("responses") + app.waiting(), 0);
    };

    malformed_requests_get_clear_errors => |backend: Backend| {
        let app = TestApp::start(backend);
        let slug = app.import_and_open(SMALL_QUESTIONNAIRE);
        let browser = app.browser();
        let not_json = browser.post_raw(&path(&slug), "application/json", b"{\"answers\": ");
        assert_eq!(not_json.status, 400);
        assert!(not_json.json()["error"].is_string());
        let bad_utf8 = browser.post_raw(&path(&slug), "application/json", b"{\"answers\": {\"comment\": \"\xff\"}}");
        assert_eq!(bad_utf8.status, 400);
        let wrong_shape = browser.post_json(&path(&slug), &json!({"answer": {}}));
        assert_eq!(wrong_shape.status, 400);
        let wrong_type = browser.post_raw(&path(&slug), "text/plain", b"{}");
        assert_eq!(wrong_type.status, 415);
        assert!(wrong_type.json()["error"].is_string());
        let huge = format!("{{\"answers\": {{\"comment\": \"{}\"}}}}", "x".repeat(300_000));
        let too_large = browser.post_raw(&path(&slug), "application/json", huge.as_bytes());
        assert_eq!(too_large.status, 413);
        let unknown = browser.post_json(&path("nope"), &json!({"answers": {}}));
        assert_eq!(unknown.status, 404);
        assert_eq!(unknown.json()["problems"], json!([]));
        assert_eq!(app.count("responses") + app.waiting(), 0);
    };

    closed_surveys_refuse_with_409 => |backend: Backend| {
        let app = TestApp::start(backend);
        let slug = app.import_and_open(SMALL_QUESTIONNAIRE);
        assert!(app.cli(&["survey", "close", &slug]).status.success());
        let reply = app.browser().post_json(&path(&slug), &json!({"answers": {"agency": "council", "thresholds": "agree"}}));
        assert_eq!(reply.status, 409);
        let draft = app.browser().post_json(&path("safeguarding-frontline"), &json!({"answers": {}}));
        assert_eq!(draft.status, 409, "the shipped questionnaire is a draft");
        assert_eq!(app.count("responses") + app.waiting(), 0);
    };

    answering_a_hidden_question_is_refused => |backend: Backend| {
        let app = TestApp::start(backend);
        let slug = app.import_and_open(SMALL_QUESTIONNAIRE);
        let reply = app.browser().post_json(&path(&slug), &json!({
            "answers": {"agency": "health", "thresholds": "agree", "caseload": 3, "joint-visits": "Yes"}
        }));
        assert_eq!(reply.status, 422);
        let problems = problems_for(&reply);
        assert!(problems.contains(&"caseload".to_owned()));
        assert!(problems.contains(&"joint-visits".to_owned()));
        assert_eq!(app.count("responses") + app.waiting(), 0);
    };

    concurrent_submissions_are_all_stored => |backend: Backend| {
        let app = TestApp::start(backend);
        let slug = app.import_and_open(SMALL_QUESTIONNAIRE);
        let url = app.url(&path(&slug));
        let threads: Vec<_> = (0..8).map(|i| {
            let url = url.clone();
            std::thread::spawn(move || {
                let agent = ureq::agent();
                for j in 0..10 {
                    let agency = ["council", "police", "Health"][(i + j) % 3];
                    let response = agent.post(&url).send_json(json!({
                        "answers": {"agency": agency, "thresholds": "neither"}
                    })).expect("stored");
                    assert_eq!(response.status(), 201);
                }
            })
        }).collect();
        for thread in threads {
            thread.join().expect("a client thread");
        }
        app.release_all(&slug);
        let stored = app.stored_answers();
        assert_eq!(stored.len(), 80);
        assert!(stored.iter().all(|a| a["thresholds"] == "neither"));
    };
}
