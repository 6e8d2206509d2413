//! Snapshots of what people receive, as they receive it: the invitation and reminder mail
//! as the SMTP server gets them, and key pages as a browser gets them. Tokens, dates, ports,
//! CSRF values, message ids and MIME boundaries are replaced (common::snapshot); each test
//! runs on SQLite and PostgreSQL against the same files in tests/snapshots/.
//!
//! After a deliberate change to a message or a page, run the test with
//! `INSTA_UPDATE=always` (or `cargo insta review`) and read the diff before committing it.

mod common;

use common::{mail_text, snapshot_settings, Backend, SmtpSink, TestApp, SMALL_QUESTIONNAIRE};

/// The small questionnaire, invitation-only, with at most one reminder.
fn invitation_only() -> String {
    SMALL_QUESTIONNAIRE.replace(
        "min_group_size = 5\n",
        "min_group_size = 5\nopen_link = false\n[reminders]\nfirst_after_days = 3\nevery_days = 2\nmax = 1\n",
    )
}

on_both_backends! {
    invitation_and_reminder_mail => |backend: Backend| {
        let sink = SmtpSink::start();
        let app = TestApp::builder(backend).smtp(&sink).start();
        let slug = app.import_and_open(&invitation_only());
        app.import_invitees(&slug, "email,name\nann@example.org,Ann\n");
        assert!(app.cli_ok(&["invite", "send", &slug]).contains("queued 1"));
        let invitation = sink.wait_for(1, 20).remove(0);
        assert!(app.cli_ok(&["remind", &slug, "--yes"]).contains("queued 1"));
        let reminder = sink.wait_for(2, 20).remove(1);
        assert_eq!(reminder.recipients, ["ann@example.org"]);
        snapshot_settings().bind(|| {
            insta::assert_snapshot!("invitation_mail", mail_text(&invitation));
            insta::assert_snapshot!("reminder_mail", mail_text(&reminder));
        });
    };

    respondent_start_page => |backend: Backend| {
        let app = TestApp::builder(backend).start();
        let slug = app.import_and_open(SMALL_QUESTIONNAIRE);
        let page = app.browser().get(&format!("/s/{slug}"));
        assert_eq!(page.status, 200);
        snapshot_settings().bind(|| insta::assert_snapshot!("respondent_start_page", page.body));
    };

    respondent_validation_error_page => |backend: Backend| {
        let app = TestApp::builder(backend).start();
        let slug = app.import_and_open(SMALL_QUESTIONNAIRE);
        let browser = app.browser();
        assert_eq!(browser.post_form(&format!("/s/{slug}/start"), &[]).status, 303);
        // The one required question on the first page is left unanswered.
        let page = browser.post_form(&format!("/s/{slug}/page/1"), &[("_action", "continue")]);
        assert_eq!(page.status, 422);
        snapshot_settings().bind(|| insta::assert_snapshot!("respondent_validation_error_page", page.body));
    };

    admin_sign_in_page => |backend: Backend| {
        let app = TestApp::builder(backend).start();
        app.add_user("lead@example.org", "admin");
        let page = app.browser().get("/admin/signin");
        assert_eq!(page.status, 200);
        snapshot_settings().bind(|| insta::assert_snapshot!("admin_sign_in_page", page.body));
    };
}
