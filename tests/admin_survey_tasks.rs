//! The survey page as a GOV.UK task list: each task with its status, "Send invitations"
//! only when someone is unsent, labels apart from their inputs, and dates as day, month
//! and year fields (the single YYYY-MM-DD field still accepted).

mod common;

use common::{Backend, TestApp, SMALL_QUESTIONNAIRE};

/// The status shown beside a task.
fn status(body: &str, task: &str) -> String {
    let after = body
        .split(&format!("{task}</a>"))
        .nth(1)
        .unwrap_or_else(|| panic!("no task {task}: {body}"));
    after
        .split('>')
        .nth(1)
        .and_then(|s| s.split('<').next())
        .expect("a status")
        .to_owned()
}

on_both_backends! {
    the_survey_page_is_a_task_list => |backend: Backend| {
        let app = TestApp::builder(backend).start();
        let (browser, _) = app.enrolled("ann@example.org", "admin");
        let csrf = browser.csrf();
        let file = common::write_file(app.db.dir(), "q.toml", SMALL_QUESTIONNAIRE);
        assert!(app.cli(&["survey", "import", file.to_str().expect("a path")]).status.success());
        let path = "/admin/surveys/test-survey";

        let page = browser.get(path);
        assert!(page.body.contains("<ul class=\"task-list\""), "{}", page.body);
        assert_eq!(status(&page.body, "Check the questionnaire"), "Imported, 3 sections");
        assert_eq!(status(&page.body, "Upload the invitee list"), "Not started");
        assert_eq!(status(&page.body, "Open the survey"), "Not open yet");
        assert_eq!(status(&page.body, "Send invitations"), "No one to invite yet");
        assert_eq!(status(&page.body, "Send reminders"), "Cannot start yet");
        assert_eq!(status(&page.body, "Read the results"), "No responses yet");
        // Labels sit apart from their inputs; dates are day, month and year.
        assert!(page.body.contains("<label class=\"label\" for=\"every_days\">"));
        for part in ["opens_on-day", "opens_on-month", "opens_on-year", "closes_on-year"] {
            assert!(page.body.contains(&format!("name=\"{part}\"")), "{part}");
        }

        app.import_invitees("test-survey", "email\na@example.org\nb@example.org\n");
        assert_eq!(browser.post_form(&format!("{path}/open"), &[("_csrf", &csrf)]).status, 303);
        let page = browser.get(path);
        assert_eq!(status(&page.body, "Upload the invitee list"), "2 people on the list");
        assert_eq!(status(&page.body, "Open the survey"), "Open");
        assert_eq!(status(&page.body, "Send invitations"), "2 people not sent yet");
        assert!(page.body.contains(&format!("action=\"{path}/invitations/send\"")));

        assert_eq!(browser.post_form(&format!("{path}/invitations/send"), &[("_csrf", &csrf)]).status, 303);
        let page = browser.get(path);
        assert_eq!(status(&page.body, "Send invitations"), "All sent");
        assert!(!page.body.contains(&format!("action=\"{path}/invitations/send\"")), "nothing unsent: no button");

        // The date input's three fields are read back as one date.
        let saved = browser.post_form(&format!("{path}/settings"), &[("_csrf", &csrf),
            ("opens_on-day", "1"), ("opens_on-month", "1"), ("opens_on-year", "2026"),
            ("closes_on-day", "31"), ("closes_on-month", "12"), ("closes_on-year", "2099"),
            ("first_after_days", "3"), ("every_days", "4"), ("max_reminders", "2"), ("open_link", "on")]);
        assert_eq!(saved.status, 303, "{}", saved.body);
        let page = browser.get(path);
        assert!(page.body.contains("closes 2099-12-31"), "{}", page.body);
        assert!(page.body.contains("name=\"closes_on-day\" value=\"31\""));
        let bad = browser.post_form(&format!("{path}/settings"), &[("_csrf", &csrf),
            ("opens_on-day", "31"), ("opens_on-month", "2"), ("opens_on-year", "2026"),
            ("closes_on-day", ""), ("closes_on-month", ""), ("closes_on-year", ""),
            ("first_after_days", "3"), ("every_days", "4"), ("max_reminders", "2"), ("open_link", "on")]);
        assert_eq!(bad.status, 422, "31 February is refused");
    };
}
