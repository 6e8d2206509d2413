//! "Start again" next to "Continue where you left off" asks to confirm on a page that says
//! what will be lost, before the draft is deleted.

mod common;

use common::{Backend, TestApp, SMALL_QUESTIONNAIRE};

on_both_backends! {
    start_again_asks_before_deleting_the_answers => |backend: Backend| {
        let app = TestApp::builder(backend).start();
        let slug = app.import_and_open(SMALL_QUESTIONNAIRE);
        let browser = app.browser();
        browser.post_form(&format!("/s/{slug}/start"), &[]);
        browser.post_form(&format!("/s/{slug}/page/1"), &[("_action", "continue"), ("agency", "council")]);
        browser.post_form(&format!("/s/{slug}/page/2"), &[("_action", "continue"), ("thresholds", "agree")]);

        let intro = browser.get(&format!("/s/{slug}"));
        assert!(intro.body.contains("Continue where you left off"));
        let link = format!("href=\"/s/{slug}/start-again\"");
        assert!(intro.body.contains(&link), "Start again is a link to a page: {}", intro.body);
        assert!(!intro.body.contains("button-secondary\">Start again"), "no one-click delete");

        let confirm = browser.get(&format!("/s/{slug}/start-again"));
        assert_eq!(confirm.status, 200);
        assert!(confirm.body.contains("Are you sure you want to start again?"));
        assert!(confirm.body.contains("You have answered 2 questions so far"), "{}", confirm.body);
        assert!(confirm.body.contains("will be deleted and cannot be recovered"));
        assert!(confirm.body.contains("name=\"_confirm\" value=\"yes\""));
        assert!(confirm.body.contains("No, continue where you left off"));
        assert!(confirm.body.contains(&format!("href=\"/s/{slug}/check\"")), "continue resumes");

        // A Start without the confirmation (an old page, a double click) deletes nothing.
        let unconfirmed = browser.post_form(&format!("/s/{slug}/start"), &[]);
        assert_eq!(unconfirmed.location(), format!("/s/{slug}/start-again"));
        assert_eq!(app.count("drafts"), 1);
        assert!(browser.get(&format!("/s/{slug}/check")).body.contains("Council"), "answers kept");

        let restarted = browser.post_form(&format!("/s/{slug}/start"), &[("_confirm", "yes")]);
        assert_eq!(restarted.location(), format!("/s/{slug}/page/1"));
        let page = browser.get(&format!("/s/{slug}/page/1"));
        assert!(!page.body.contains("checked"), "the answers are gone: {}", page.body);
        // With nothing to lose, the confirmation page sends people to the start page.
        let nothing = browser.get(&format!("/s/{slug}/start-again"));
        assert_eq!(nothing.location(), format!("/s/{slug}"));
    };
}
