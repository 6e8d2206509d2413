//! The respondent journey through the pages, as a browser without JavaScript sees it.

mod common;

use common::{Backend, Browser, TestApp, SMALL_QUESTIONNAIRE};

fn start_journey(app: &TestApp, slug: &str) -> Browser {
    let browser = app.browser();
    let intro = browser.get(&format!("/s/{slug}"));
    assert_eq!(intro.status, 200);
    assert!(intro.body.contains("Start now"));
    let started = browser.post_form(&format!("/s/{slug}/start"), &[]);
    assert_eq!(started.status, 303);
    assert_eq!(started.location(), format!("/s/{slug}/page/1"));
    let cookie = started.header("set-cookie").expect("a draft cookie");
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax"), "{cookie}");
    assert!(cookie.contains(&format!("Path=/s/{slug}")), "{cookie}");
    browser
}

on_both_backends! {
    full_journey_stores_one_anonymous_response => |backend: Backend| {
        let app = TestApp::builder(backend).start();
        let slug = app.import_and_open(SMALL_QUESTIONNAIRE);
        let browser = start_journey(&app, &slug);

        let page = browser.get(&format!("/s/{slug}/page/1"));
        assert_eq!(page.status, 200);
        assert!(page.body.contains("Section 1 of 2"), "police section hidden until answered");
        assert!(page.body.contains("<fieldset"));
        assert!(page.body.contains("<legend class=\"question-text\">Which organisation do you work for?"));

        let next = browser.post_form(&format!("/s/{slug}/page/1"), &[("_action", "continue"), ("agency", "council")]);
        assert_eq!(next.status, 303);
        assert_eq!(next.location(), format!("/s/{slug}/page/2"));

        let page = browser.get(&format!("/s/{slug}/page/2"));
        assert!(page.body.contains("Section 2 of 2"));
        assert!(page.body.contains("How many children are allocated to you?"), "council sees caseload");
        let next = browser.post_form(&format!("/s/{slug}/page/2"), &[
            ("_action", "continue"), ("thresholds", "agree"), ("training", "Neglect"),
            ("training", "Exploitation"), ("caseload", "17"), ("comment", "Supervision is good."),
        ]);
        assert_eq!(next.status, 303);
        assert_eq!(next.location(), format!("/s/{slug}/check"), "police section is skipped");

        let check = browser.get(&format!("/s/{slug}/check"));
        assert_eq!(check.status, 200);
        for shown in ["Council", "Agree", "Neglect", "Exploitation", "17", "Supervision is good."] {
            assert!(check.body.contains(shown), "check page shows {shown}");
        }
        assert!(check.body.contains(&format!("/s/{slug}/page/2?return=check#q-caseload")), "change links");

        let sent = browser.post_form(&format!("/s/{slug}/submit"), &[]);
        assert_eq!(sent.status, 303);
        assert_eq!(sent.location(), format!("/s/{slug}/done"));
        let done = browser.get(&format!("/s/{slug}/done"));
        assert!(done.body.contains("your response has been sent"));

        assert_eq!(app.waiting(), 1, "sealed, waiting for a release");
        assert!(app.stored_answers().is_empty());
        app.release_all(&slug);
        assert_eq!(app.stored_answers(), vec![serde_json::json!({
            "agency": "council", "thresholds": "agree", "training": ["Neglect", "Exploitation"],
            "caseload": 17, "comment": "Supervision is good."
        })]);
        assert_eq!(app.count("drafts"), 0, "the draft is deleted when the response is stored");

        // The same browser cannot send it again: the draft is gone.
        let again = browser.post_form(&format!("/s/{slug}/submit"), &[]);
        assert_eq!(again.status, 303);
        assert_eq!(app.count("responses") + app.waiting(), 1);
    };

    validation_errors_keep_every_answer => |backend: Backend| {
        let app = TestApp::builder(backend).start();
        let slug = app.import_and_open(SMALL_QUESTIONNAIRE);
        let browser = start_journey(&app, &slug);
        browser.post_form(&format!("/s/{slug}/page/1"), &[("_action", "continue"), ("agency", "council")]);
        let long = "x".repeat(201);
        let page = browser.post_form(&format!("/s/{slug}/page/2"), &[
            ("_action", "continue"), ("training", "Neglect"), ("training", "Exploitation"),
            ("training", "Domestic abuse"), ("caseload", "lots"), ("comment", &long),
        ]);
        assert_eq!(page.status, 422);
        assert!(page.body.contains("There is a problem"));
        assert!(page.body.contains("<title>Error: "));
        for anchor in ["#q-thresholds", "#q-training", "#q-caseload", "#q-comment"] {
            assert!(page.body.contains(&format!("href=\"{anchor}\"")), "summary links to {anchor}");
        }
        assert!(page.body.contains("value=\"lots\""), "typed number kept");
        assert!(page.body.contains(&long), "typed comment kept");
        assert!(page.body.contains("value=\"Neglect\" checked"), "ticked boxes kept");
        assert!(page.body.contains("aria-invalid=\"true\""));
        assert_eq!(app.count("responses") + app.waiting(), 0);
    };

    back_returns_to_the_previous_section_and_resume_works => |backend: Backend| {
        let app = TestApp::builder(backend).start();
        let slug = app.import_and_open(SMALL_QUESTIONNAIRE);
        let browser = start_journey(&app, &slug);
        browser.post_form(&format!("/s/{slug}/page/1"), &[("_action", "continue"), ("agency", "police")]);
        let back = browser.post_form(&format!("/s/{slug}/page/2"), &[("_action", "back"), ("thresholds", "agree")]);
        assert_eq!(back.status, 303);
        assert_eq!(back.location(), format!("/s/{slug}/page/1"));
        let page = browser.get(&format!("/s/{slug}/page/1"));
        assert!(page.body.contains("value=\"police\" checked"), "earlier answer shown again");
        // Coming back to the intro offers to continue where they left off.
        let intro = browser.get(&format!("/s/{slug}"));
        assert!(intro.body.contains("Continue where you left off"));
    };

    changing_an_earlier_answer_drops_answers_it_hides => |backend: Backend| {
        let app = TestApp::builder(backend).start();
        let slug = app.import_and_open(SMALL_QUESTIONNAIRE);
        let browser = start_journey(&app, &slug);
        browser.post_form(&format!("/s/{slug}/page/1"), &[("_action", "continue"), ("agency", "council")]);
        browser.post_form(&format!("/s/{slug}/page/2"), &[("_action", "continue"), ("thresholds", "agree"), ("caseload", "12")]);
        let changed = browser.post_form(&format!("/s/{slug}/page/1"), &[("_action", "continue"), ("agency", "police")]);
        assert_eq!(changed.location(), format!("/s/{slug}/page/2"));
        browser.post_form(&format!("/s/{slug}/page/2"), &[("_action", "continue"), ("thresholds", "agree")]);
        let check = browser.get(&format!("/s/{slug}/check"));
        assert!(!check.body.contains("How many children"), "hidden question not listed");
        let police = browser.post_form(&format!("/s/{slug}/page/3"), &[("_action", "continue"), ("joint-visits", "Yes")]);
        assert_eq!(police.location(), format!("/s/{slug}/check"));
        browser.post_form(&format!("/s/{slug}/submit"), &[]);
        app.release_all(&slug);
        assert_eq!(app.stored_answers(), vec![serde_json::json!({
            "agency": "police", "thresholds": "agree", "joint-visits": "Yes"
        })], "no caseload: the question was hidden by the changed answer");
    };

    pages_without_a_draft_go_back_to_the_start => |backend: Backend| {
        let app = TestApp::builder(backend).start();
        let slug = app.import_and_open(SMALL_QUESTIONNAIRE);
        let browser = app.browser();
        let page = browser.get(&format!("/s/{slug}/page/1"));
        assert_eq!(page.status, 303);
        assert_eq!(page.location(), format!("/s/{slug}"));
        let sent = browser.post_form(&format!("/s/{slug}/submit"), &[]);
        assert_eq!(sent.status, 303);
        assert_eq!(app.count("responses") + app.waiting(), 0);
    };

    closed_and_draft_surveys_show_a_clear_page => |backend: Backend| {
        let app = TestApp::builder(backend).start();
        let slug = app.import_and_open(SMALL_QUESTIONNAIRE);
        let browser = start_journey(&app, &slug);
        assert!(app.cli(&["survey", "close", &slug]).status.success());
        let intro = browser.get(&format!("/s/{slug}"));
        assert_eq!(intro.status, 200);
        assert!(intro.body.contains("This survey is not open"));
        let post = browser.post_form(&format!("/s/{slug}/page/1"), &[("_action", "continue"), ("agency", "council")]);
        assert!(post.body.contains("This survey is not open"));
        assert_eq!(app.count("responses") + app.waiting(), 0);
        // The shipped questionnaire is a draft until someone opens it.
        let shipped = browser.get("/s/safeguarding-frontline");
        assert_eq!(shipped.status, 200);
        assert!(shipped.body.contains("This survey is not open"));
    };

    bad_form_requests_get_4xx_and_change_nothing => |backend: Backend| {
        let app = TestApp::builder(backend).start();
        let slug = app.import_and_open(SMALL_QUESTIONNAIRE);
        let browser = start_journey(&app, &slug);
        let path = format!("/s/{slug}/page/1");
        let bad_utf8 = browser.post_raw(&path, "application/x-www-form-urlencoded", b"agency=%FF%FE&_action=continue");
        assert_eq!(bad_utf8.status, 400);
        let wrong_type = browser.post_raw(&path, "text/plain", b"agency=council");
        assert_eq!(wrong_type.status, 415);
        let huge = vec![b'a'; 300_000];
        let too_large = browser.post_raw(&path, "application/x-www-form-urlencoded", &huge);
        assert_eq!(too_large.status, 413);
        let not_an_option = browser.post_form(&path, &[("_action", "continue"), ("agency", "fire-service")]);
        assert_eq!(not_an_option.status, 422);
        let unknown_key = browser.post_form(&path, &[("_action", "continue"), ("agency", "council"), ("salary", "1")]);
        assert_eq!(unknown_key.status, 422);
        assert_eq!(browser.get(&format!("/s/{slug}/page/99")).status, 404);
        assert_eq!(browser.get("/s/no-such-survey").status, 404);
        assert_eq!(app.count("responses") + app.waiting(), 0);
    };
}
