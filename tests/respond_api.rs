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
        let app = TestApp::builder(backend).start();
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
        let app = TestApp::builder(backend).start();
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
        assert_eq!(body["code"], "invalid_answers");
        assert!(body["message"].is_string());
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
        let app = TestApp::builder(backend).start();
        let slug = app.import_and_open(SMALL_QUESTIONNAIRE);
        let browser = app.browser();
        let not_json = browser.post_raw(&path(&slug), "application/json", b"{\"answers\": ");
        assert_eq!(not_json.status, 400);
        assert_eq!(not_json.json()["code"], "malformed_json");
        let bad_utf8 = browser.post_raw(&path(&slug), "application/json", b"{\"answers\": {\"comment\": \"\xff\"}}");
        assert_eq!(bad_utf8.status, 400);
        let wrong_shape = browser.post_json(&path(&slug), &json!({"answer": {}}));
        assert_eq!(wrong_shape.status, 400);
        let wrong_type = browser.post_raw(&path(&slug), "text/plain", b"{}");
        assert_eq!(wrong_type.status, 415);
        assert_eq!(wrong_type.json()["code"], "unsupported_media_type");
        let huge = format!("{{\"answers\": {{\"comment\": \"{}\"}}}}", "x".repeat(300_000));
        let too_large = browser.post_raw(&path(&slug), "application/json", huge.as_bytes());
        assert_eq!(too_large.status, 413);
        let unknown = browser.post_json(&path("nope"), &json!({"answers": {}}));
        assert_eq!(unknown.status, 404);
        assert_eq!(unknown.json()["problems"], json!([]));
        assert_eq!(app.count("responses") + app.waiting(), 0);
    };

    closed_surveys_refuse_with_409 => |backend: Backend| {
        let app = TestApp::builder(backend).start();
        let slug = app.import_and_open(SMALL_QUESTIONNAIRE);
        assert!(app.cli(&["survey", "close", &slug]).status.success());
        let reply = app.browser().post_json(&path(&slug), &json!({"answers": {"agency": "council", "thresholds": "agree"}}));
        assert_eq!(reply.status, 409);
        let draft = app.browser().post_json(&path("safeguarding-frontline"), &json!({"answers": {}}));
        assert_eq!(draft.status, 409, "the shipped questionnaire is a draft");
        assert_eq!(app.count("responses") + app.waiting(), 0);
    };

    answering_a_hidden_question_is_refused => |backend: Backend| {
        let app = TestApp::builder(backend).start();
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
        let app = TestApp::builder(backend).start();
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

// Hostile and ambiguous bodies, each refused with nothing stored (a bounded corpus).
on_both_backends! {
    a_key_given_twice_is_refused_and_named => |backend: Backend| {
        let app = TestApp::builder(backend).start();
        let slug = app.import_and_open(SMALL_QUESTIONNAIRE);
        let browser = app.browser();
        for (body, key) in [
            (r#"{"answers": {"agency": "council", "agency": "police", "thresholds": "agree"}}"#, "agency"),
            (r#"{"answers": {"agency": "council", "thresholds": "agree"}, "answers": {"agency": "police", "thresholds": "agree"}}"#, "answers"),
            (r#"{"token": null, "answers": {"agency": "police", "thresholds": "agree", "training": ["Neglect"], "thr\u0065sholds": "disagree"}}"#, "thresholds"),
        ] {
            let reply = browser.post_raw(&path(&slug), "application/json", body.as_bytes());
            assert_eq!(reply.status, 400, "{body}: {}", reply.body);
            let error = reply.json();
            assert_eq!(error["code"], "duplicate_key", "{error}");
            let message = error["message"].as_str().unwrap_or_default();
            assert!(message.contains(&format!("\"{key}\"")), "{message}");
        }
        assert!(app.stored_answers().is_empty(), "nothing stored");
    };

    json_is_read_only_as_utf8 => |backend: Backend| {
        let app = TestApp::builder(backend).start();
        let slug = app.import_and_open(SMALL_QUESTIONNAIRE);
        let browser = app.browser();
        let body = br#"{"answers": {"agency": "council", "thresholds": "agree"}}"#;
        for content_type in ["application/json; charset=latin1", "application/json; charset=utf-16",
            "text/json", "text/plain", "application/x-www-form-urlencoded"] {
            let reply = browser.post_raw(&path(&slug), content_type, body);
            assert_eq!(reply.status, 415, "{content_type}: {}", reply.body);
        }
        assert!(app.stored_answers().is_empty(), "nothing stored");
        for content_type in ["Application/JSON; Charset=UTF-8", "application/json"] {
            let reply = browser.post_raw(&path(&slug), content_type, body);
            assert_eq!(reply.status, 201, "{content_type}: {}", reply.body);
        }
    };

    malformed_bodies_are_refused_without_a_server_error => |backend: Backend| {
        let app = TestApp::builder(backend).start();
        let slug = app.import_and_open(SMALL_QUESTIONNAIRE);
        let browser = app.browser();
        let deep = format!("{}1{}", "[".repeat(5000), "]".repeat(5000));
        let corpus: Vec<Vec<u8>> = vec![
            b"".to_vec(), b"{".to_vec(), b"null".to_vec(), b"[]".to_vec(), b"\"answers\"".to_vec(),
            br#"{"answers": []}"#.to_vec(), br#"{"answers": {"agency": "council"}, "extra": 1}"#.to_vec(),
            br#"{"answers": {"agency": "council"}} trailing"#.to_vec(), b"\xff\xfe{}".to_vec(),
            br#"{"answers": {"agency": "\ud800"}}"#.to_vec(), deep.into_bytes(),
            format!(r#"{{"answers": {{"{}": 1}}}}"#, "k".repeat(10_000)).into_bytes(),
        ];
        for body in corpus {
            let reply = browser.post_raw(&path(&slug), "application/json", &body);
            assert!((400..500).contains(&reply.status), "{:?}: {} {}",
                String::from_utf8_lossy(&body[..body.len().min(60)]), reply.status, reply.body);
            let code = reply.json()["code"].as_str().unwrap_or_default().to_owned();
            assert!(["malformed_json", "bad_request", "duplicate_key", "invalid_answers"].contains(&code.as_str()),
                "{}: {code}", reply.body);
        }
        assert!(app.stored_answers().is_empty(), "nothing stored");
    };
}

on_both_backends! {
    control_characters_in_text_are_refused_by_question => |backend: Backend| {
        let app = TestApp::builder(backend).start();
        let slug = app.import_and_open(SMALL_QUESTIONNAIRE);
        let browser = app.browser();
        for hostile in ["\u{0}=1+1", "bell\u{7}", "escape \u{1b}[31m", "del\u{7f}", "c1\u{85}c1"] {
            let reply = browser.post_json(&path(&slug), &json!({"answers": {
                "agency": "council", "thresholds": "agree", "comment": hostile}}));
            assert_eq!(reply.status, 422, "{hostile:?}: {}", reply.body);
            assert_eq!(problems_for(&reply), ["comment"], "{hostile:?}");
        }
        assert!(app.stored_answers().is_empty(), "nothing stored");
        let reply = browser.post_json(&path(&slug), &json!({"answers": {
            "agency": "council", "thresholds": "agree", "comment": "line one\r\n\tline two\rthree"}}));
        assert_eq!(reply.status, 201, "a long answer keeps tabs and line breaks: {}", reply.body);
    };
}
