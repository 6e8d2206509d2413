//! The review team's contact, from the questionnaire file's `[contact]` table: checked on
//! import (missing is a warning, wrong is a problem), and named in invitations, reminders,
//! under the privacy notice and on the survey's admin page.

mod common;

use common::{stderr, stdout, write_file, Backend, SmtpSink, TestApp, SMALL_QUESTIONNAIRE};

const CONTACT: &str =
    "\n[contact]\nname = \"Pat Lee, peer review lead\"\nemail = \"pat.lee@review-team.gov.uk\"\n";

/// The small questionnaire with a contact table (tables go after the top-level keys).
fn with_contact(contact: &str) -> String {
    SMALL_QUESTIONNAIRE.replacen("\n[[sections]]", &format!("{contact}\n[[sections]]"), 1)
}

fn import(app: &TestApp, toml: &str) -> std::process::Output {
    let file = write_file(app.db.dir(), "q.toml", toml);
    app.cli(&["survey", "import", file.to_str().expect("UTF-8")])
}

on_both_backends! {
    the_contact_is_named_in_mail_and_under_the_privacy_notice => |backend: Backend| {
        let sink = SmtpSink::start();
        let app = TestApp::builder(backend).smtp(&sink).start();
        let imported = import(&app, &with_contact(CONTACT));
        assert!(imported.status.success(), "{}", stderr(&imported));
        assert!(!stderr(&imported).contains("warning"), "{}", stderr(&imported));
        let slug = stdout(&imported).trim().to_owned();
        app.cli_ok(&["survey", "open", &slug]);

        let intro = app.browser().get(&format!("/s/{slug}"));
        assert_eq!(intro.status, 200);
        assert!(intro.body.contains("contact Pat Lee, peer review lead at <a href=\"mailto:pat.lee@review-team.gov.uk\">pat.lee@review-team.gov.uk</a>"), "{}", intro.body);

        app.import_invitees(&slug, "email\nann@example.org\n");
        app.cli_ok(&["invite", "send", &slug]);
        app.cli_ok(&["remind", &slug, "--yes"]);
        let mail = sink.wait_for(2, 20);
        for message in &mail {
            let data = message.data.replace("=\r\n", "");
            assert!(data.contains("Questions about this questionnaire: Pat Lee, peer review lead, pat.lee@review-team.gov.uk"), "{data}");
            assert!(data.contains("mailto:pat.lee@review-team.gov.uk"), "the HTML part too: {data}");
        }

        let (admin, _) = app.enrolled("ann@example.org", "admin");
        let page = admin.get(&format!("/admin/surveys/{slug}"));
        assert!(page.body.contains("Pat Lee, peer review lead, pat.lee@review-team.gov.uk"), "{}", page.body);
        let preview = admin.get(&format!("/admin/surveys/{slug}/preview"));
        assert!(preview.body.contains("mailto:pat.lee@review-team.gov.uk"));
    };

    a_missing_contact_is_a_warning_and_a_wrong_one_a_problem => |backend: Backend| {
        let app = TestApp::builder(backend).start();
        let without = import(&app, SMALL_QUESTIONNAIRE);
        assert!(without.status.success(), "{}", stderr(&without));
        assert!(stderr(&without).contains("warning: the file has no [contact]"), "{}", stderr(&without));
        assert_eq!(stdout(&without).trim(), "test-survey");
        let (admin, _) = app.enrolled("ann@example.org", "admin");
        let page = admin.get("/admin/surveys/test-survey");
        assert!(page.body.contains("Add a <code>[contact]</code> table"), "{}", page.body);
        let intro = app.browser().get("/admin/surveys/test-survey/preview");
        assert!(!intro.body.contains("mailto:"));

        let wrong = import(&app, &with_contact("\n[contact]\nname = \"\"\nemail = \"nobody\"\nphone = \"01234\"\n")
            .replace("test-survey", "other-survey"));
        assert!(!wrong.status.success());
        let reasons = stderr(&wrong);
        for expected in ["contact.name: must not be empty", "contact.phone: unknown field", "contact.email: must be one email address"] {
            assert!(reasons.contains(expected), "{expected}: {reasons}");
        }
        assert!(!app.cli_ok(&["survey", "list"]).contains("other-survey"), "nothing imported");

        let placeholder = import(&app, &with_contact("\n[contact]\nname = \"Team\"\nemail = \"team@example.org\"\n"));
        assert!(placeholder.status.success());
        assert!(stderr(&placeholder).contains("placeholder"), "{}", stderr(&placeholder));
    };
}

#[test]
fn the_shipped_questionnaire_has_a_placeholder_contact() {
    let text = include_str!("../config/questionnaires/safeguarding-frontline.toml");
    let q = candour::questionnaire::parse_questionnaire(text).expect("the shipped file parses");
    let contact = q.contact.as_ref().expect("a contact");
    assert!(candour::questionnaire::contact::is_placeholder(
        &contact.email
    ));
    assert!(!contact.name.is_empty());
}

#[test]
fn a_bad_link_points_to_the_contact_in_the_email() {
    let app = TestApp::builder(Backend::Sqlite).start();
    let page = app.browser().get(&format!("/i/{}", "ab".repeat(32)));
    assert_eq!(page.status, 404);
    assert!(
        page.body
            .contains("contact the review team named at the end of that email"),
        "{}",
        page.body
    );
}
