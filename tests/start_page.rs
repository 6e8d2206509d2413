//! The start page: the essentials and Start first, the privacy detail in a details
//! component, the contact and the closing date shown; and no candour@localhost From
//! address once server.public_url is a real domain.

mod common;

use common::{Backend, TestApp, SMALL_QUESTIONNAIRE};

#[test]
fn the_start_page_puts_the_essentials_first() {
    let app = TestApp::builder(Backend::Sqlite).start();
    let toml = SMALL_QUESTIONNAIRE.replace(
        "min_group_size = 5\n",
        "min_group_size = 5\ncloses_on = 2099-12-19\n\n[contact]\nname = \"Pat Reviewer\"\nemail = \"pat@council.gov.uk\"\n",
    );
    let slug = app.import_and_open(&toml);
    let page = app.browser().get(&format!("/s/{slug}"));
    let body = &page.body;
    assert!(
        body.contains("The survey closes at the end of 19 December 2099."),
        "{body}"
    );
    assert!(body.contains("Pat Reviewer") && body.contains("pat@council.gov.uk"));
    let start = body.find("Start now").expect("a Start button");
    let details = body
        .find("<details")
        .expect("the privacy detail in a details component");
    assert!(start < details, "Start comes before the privacy detail");
    assert!(body[details..]
        .contains("<summary class=\"details-summary\">How your answers are used</summary>"));
    assert!(
        body[details..].contains("Your answers are anonymous."),
        "the privacy notice inside"
    );
}

#[test]
fn the_from_address_follows_the_public_domain() {
    let db = common::TestDb::new(Backend::Sqlite);
    let settings = TestApp::builder(Backend::Sqlite)
        .setting("server.public_url", "https://survey.example.org/")
        .setting("security.secret_key", &"7f".repeat(32))
        .settings_for(&db);
    assert_eq!(settings.mail.from, "Candour <candour@survey.example.org>");
    let settings = TestApp::builder(Backend::Sqlite).settings_for(&db);
    assert_eq!(
        settings.mail.from, "Candour <candour@localhost>",
        "loopback keeps the default"
    );
    let app = TestApp::builder(Backend::Sqlite).start();
    let output = app.cli_env(
        &["migrate"],
        &[("CANDOUR_SERVER__PUBLIC_URL", "https://10.0.0.5/")],
    );
    assert!(
        !output.status.success(),
        "a bare IP address gives no domain: refused"
    );
    let said = common::stderr(&output);
    assert_eq!(said.trim().lines().count(), 1, "{said}");
    assert!(
        said.contains("mail.from") && said.contains("CANDOUR_MAIL__FROM"),
        "{said}"
    );
}
