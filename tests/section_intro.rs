//! A section's introduction may carry parts shown only when an earlier answer matches
//! (`[[sections.intro_parts]]` with `show_if`), and importing warns when an introduction
//! everyone reads speaks of questions only some see.

mod common;

use common::{stderr, write_file, Backend, TestApp, SMALL_QUESTIONNAIRE};

const SHIPPED: &str = include_str!("../config/questionnaires/safeguarding-frontline.toml");

fn with_work_intro(extra: &str) -> String {
    SMALL_QUESTIONNAIRE.replace(
        "key = \"work\"\ntitle = \"Your work\"\n",
        &format!("key = \"work\"\ntitle = \"Your work\"\n{extra}"),
    )
}

on_both_backends! {
    intro_parts_follow_show_if => |backend: Backend| {
        let app = TestApp::builder(backend).start();
        let toml = with_work_intro(
            "introduction = \"About your work.\"\n\n[[sections.intro_parts]]\ntext = \"The caseload question is for council staff.\"\nshow_if = { question = \"agency\", any_of = [\"council\"] }\n",
        );
        let slug = app.import_and_open(&toml);
        for (agency, shown) in [("council", true), ("police", false)] {
            let browser = app.browser();
            browser.post_form(&format!("/s/{slug}/start"), &[]);
            browser.post_form(&format!("/s/{slug}/page/1"), &[("_action", "continue"), ("agency", agency)]);
            let page = browser.get(&format!("/s/{slug}/page/2"));
            assert!(page.body.contains("About your work."));
            assert_eq!(page.body.contains("The caseload question is for council staff."), shown, "{agency}");
        }

        // The review team's preview shows every part, saying who reads it.
        let (admin, _) = app.enrolled("ann@example.org", "admin");
        let preview = admin.get(&format!("/admin/surveys/{slug}/preview/2"));
        assert_eq!(preview.status, 200);
        assert!(preview.body.contains("About your work."), "{}", preview.body);
        assert!(preview.body.contains("The caseload question is for council staff."), "{}", preview.body);
        assert!(preview.body.contains(
            "The paragraph above is shown only to respondents whose answer to “Which organisation do you work for?” is one of: council"
        ), "{}", preview.body);
    };
}

#[test]
fn import_warns_when_an_introduction_speaks_of_hidden_questions() {
    let app = TestApp::builder(Backend::Sqlite).start();
    let bad =
        with_work_intro("introduction = \"The caseload question is for council staff only.\"\n");
    let file = write_file(app.db.dir(), "bad.toml", &bad);
    let output = app.cli(&["survey", "import", file.to_str().expect("a path")]);
    assert!(output.status.success(), "a warning, not a refusal");
    let said = stderr(&output);
    assert!(
        said.contains(
            "sections[2] (work).introduction speaks of questions that only some respondents see"
        ),
        "{said}"
    );
    assert!(said.contains("[[sections.intro_parts]]"), "{said}");

    // The shipped questionnaire says it only to those who see the questions.
    let file = write_file(app.db.dir(), "shipped.toml", SHIPPED);
    let output = app.cli(&["survey", "import", file.to_str().expect("a path")]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        !stderr(&output).contains("intro_parts"),
        "{}",
        stderr(&output)
    );
    let q = candour::questionnaire::parse_questionnaire(SHIPPED).expect("the shipped file parses");
    let workload = q
        .sections
        .iter()
        .find(|s| s.key == "workload")
        .expect("the workload section");
    assert!(workload.introduction.is_none());
    assert!(workload.intro_parts.iter().all(|p| p.show_if.is_some()));
    assert!(!SHIPPED.contains("are for staff in council children's services only"));
}
