//! Errors in the review team's forms: the error summary links to the field, the message is
//! beside the field, and the field has aria-invalid (as on the respondent pages).

mod common;

use common::{Backend, TestApp, SMALL_QUESTIONNAIRE, TEST_PASSWORD};

/// The summary links to `#id`, the message sits beside the field and the field is invalid.
fn assert_field_error(body: &str, id: &str, message: &str) {
    assert!(
        body.contains("<h2 id=\"error-summary-title\">There is a problem</h2>"),
        "{body}"
    );
    assert!(
        body.contains(&format!("<a href=\"#{id}\">{message}</a>")),
        "summary link to {id}: {body}"
    );
    assert!(body.contains(&format!("<p class=\"error-message\" id=\"{id}-error\"><span class=\"visually-hidden\">Error:</span> {message}</p>")), "message beside {id}: {body}");
    let input = body
        .split(&format!("id=\"{id}\""))
        .nth(1)
        .and_then(|rest| rest.split('>').next())
        .expect("the field");
    assert!(input.contains("aria-invalid=\"true\""), "{id}: {input}");
    assert!(
        input.contains(&format!("{id}-error")),
        "{id} is described by its error: {input}"
    );
}

on_both_backends! {
    review_team_form_errors_link_to_their_fields => |backend: Backend| {
        let app = TestApp::builder(backend).start();
        app.add_user("ann@example.org", "admin");
        let signin = app.browser().post_form("/admin/signin", &[("email", "ann@example.org"), ("password", "wrong")]);
        assert_field_error(&signin.body, "email", "The email address or password is not right");

        let (browser, _) = app.enrolled("bob@example.org", "admin");
        let csrf = browser.csrf();
        let differ = browser.post_form("/admin/password", &[("_csrf", &csrf), ("current_password", TEST_PASSWORD),
            ("password", "a long enough new passphrase"), ("password_again", "another long passphrase")]);
        assert_field_error(&differ.body, "password_again", "The two passwords are not the same");
        let wrong = browser.post_form("/admin/password", &[("_csrf", &csrf), ("current_password", "not it at all"),
            ("password", "a long enough new passphrase"), ("password_again", "a long enough new passphrase")]);
        assert_field_error(&wrong.body, "current_password", "Your current password is not right");

        let added = browser.post_form("/admin/accounts", &[("_csrf", &csrf), ("email", "not an address"),
            ("role", "viewer"), ("password", "a long enough new passphrase"), ("password_again", "a long enough new passphrase")]);
        assert_field_error(&added.body, "email", "Enter an email address, like name@example.org");

        let slug = app.import_and_open(SMALL_QUESTIONNAIRE);
        let bad = browser.post_form(&format!("/admin/surveys/{slug}/settings"), &[("_csrf", &csrf),
            ("opens_on", "next week"), ("closes_on", ""), ("first_after_days", "3"), ("every_days", "4"),
            ("max_reminders", "2"), ("open_link", "off")]);
        assert_eq!(bad.status, 422);
        let message = "Enter dates as YYYY-MM-DD, or leave them empty";
        assert!(bad.body.contains(&format!("<a href=\"#opens_on-day\">{message}</a>")), "{}", bad.body);
        assert!(bad.body.contains(&format!("id=\"opens_on-day-error\"><span class=\"visually-hidden\">Error:</span> {message}")));
        assert!(bad.body.contains("aria-describedby=\"opens_on-hint opens_on-day-error\""));
        assert!(bad.body.contains("name=\"opens_on-day\" value=\"\" aria-invalid=\"true\""));
        // Other fields are left alone.
        assert!(!bad.body.contains("id=\"closes_on-day-error\""));
    };
}
