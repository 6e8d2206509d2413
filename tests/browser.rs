//! The journeys people take, in a real browser: Debian's Chromium through WebDriver, against
//! the real server on loopback, with axe-core (WCAG 2.2 A/AA) and a sideways-scrolling check
//! at 320 px and 1280 px on every page, and a screenshot of each under
//! `target/browser-screenshots/`.
//!
//! One test per backend runs every journey in order (later journeys use what earlier ones
//! made: the admin account, the survey, the invitations); one browser at a time.

mod common;

use std::sync::Mutex;

use common::chromium::{self, keys, Chromium, Scripts};
use common::*;

/// One Chromium at a time: two would fight over the machine's cores.
static ONE_BROWSER: Mutex<()> = Mutex::new(());

on_both_backends! {
    every_journey_in_chromium => |backend: Backend| {
        if !chromium::available() {
            return;
        }
        let _turn = ONE_BROWSER.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let label = match backend { Backend::Sqlite => "sqlite", Backend::Postgres => "postgres" };
        let sink = SmtpSink::start();
        let app = TestApp::builder(backend).smtp(&sink).start();
        let chrome = Chromium::start(label, Scripts::On);

        let admin = first_admin_by_keyboard(&app, &chrome);
        sign_in_again(&app, &chrome, &admin);
        let slug = admin_prepares_the_survey(&app, &chrome);
        let links = invitation_links(&sink, 2);
        respondent_by_invitation(&app, &chrome, &links[0]);
        respondent_by_keyboard(&app, &chrome, &links[1]);
        respondent_on_the_open_link(&app, &chrome, &slug);
        drop(chrome);
        {
            let no_scripts = Chromium::start(&format!("{label}-nojs"), Scripts::Off);
            respondent_without_javascript(&app, &no_scripts, &slug);
        }
        let chrome = Chromium::start(&format!("{label}-viewer"), Scripts::On);
        viewer_reads_results(&app, &chrome, &slug, &admin);
    };
}

/// The questionnaire the journeys answer: the small test questionnaire with a long text.
const EMAIL: &str = "lead@example.org";

/// Set-up link → first admin → authenticator → recovery codes, by keyboard alone.
fn first_admin_by_keyboard(app: &TestApp, chrome: &Chromium) -> TestAccount {
    let link = app
        .setup_link
        .clone()
        .expect("a set-up link on first start");
    let token = link.split("token=").nth(1).expect("a token");
    chrome.goto(&app.url(&format!("/setup?token={token}")));
    chrome.check_page("setup");
    chrome.tab_to(|f| f.id == "email", "the email field");
    chrome.press(EMAIL);
    chrome.tab_to(|f| f.id == "password", "the password field");
    chrome.press(TEST_PASSWORD);
    chrome.tab_to(|f| f.id == "password_again", "the second password field");
    chrome.press(TEST_PASSWORD);
    chrome.tab_to(|f| f.tag == "button", "Create account");
    chrome.press_enter();
    assert!(
        chrome.path().starts_with("/admin/signin"),
        "{}",
        chrome.body_text()
    );
    assert!(
        chrome.body_text().contains("Account created"),
        "the sign-in page says so"
    );
    chrome.check_page("signin");

    chrome.tab_to(|f| f.id == "email", "the email field");
    chrome.press(EMAIL);
    chrome.tab_to(|f| f.id == "password", "the password field");
    chrome.press(TEST_PASSWORD);
    chrome.press_enter();
    assert_eq!(chrome.path(), "/admin/2fa/enrol", "{}", chrome.body_text());
    chrome.check_page("enrol");
    let secret: String = chrome
        .text(".secret-text code")
        .split_whitespace()
        .collect();
    let mut account = account_with_secret(EMAIL, &secret);
    let code = account.code(app);
    chrome.tab_to(|f| f.id == "code", "the code field");
    chrome.press(&code);
    chrome.press_enter();
    chrome.check_page("recovery-codes");
    account.recovery_codes = chrome
        .find_all(".code-list code")
        .iter()
        .map(|code| chrome.element_text(code))
        .collect();
    assert_eq!(account.recovery_codes.len(), 10);
    chrome.tab_to(
        |f| f.text.contains("I have saved them"),
        "the continue link",
    );
    chrome.press_enter();
    assert_eq!(chrome.path(), "/admin/surveys");
    chrome.check_page("surveys");
    // The address the README gives, with its slash, is the review team's home too.
    chrome.goto(&app.url("/admin/"));
    assert!(
        chrome.exists("form[action='/admin/signout']"),
        "{}",
        chrome.body_text()
    );
    chrome.click_text("Accessibility statement");
    assert_eq!(chrome.path(), "/accessibility");
    chrome.check_page("accessibility");
    chrome.goto(&app.url("/admin/surveys"));
    account
}

fn account_with_secret(email: &str, secret: &str) -> TestAccount {
    let totp = totp_rs::TOTP::new(
        totp_rs::Algorithm::SHA1,
        6,
        1,
        30,
        totp_rs::Secret::Encoded(secret.to_owned())
            .to_bytes()
            .expect("a base32 key"),
        Some("Candour".to_owned()),
        email.to_owned(),
    )
    .expect("a TOTP");
    TestAccount {
        email: email.to_owned(),
        password: TEST_PASSWORD.to_owned(),
        totp,
        recovery_codes: Vec::new(),
    }
}

/// Sign out; sign in with an app code; sign out; sign in with a recovery code.
fn sign_in_again(app: &TestApp, chrome: &Chromium, account: &TestAccount) {
    for second_factor in [account.code(app), account.recovery_codes[0].clone()] {
        chrome.click_text(&format!("Sign out {}", account.email));
        assert_eq!(chrome.path(), "/admin/signin?signed-out=1");
        chrome.fill("#email", &account.email);
        chrome.fill("#password", &account.password);
        chrome.submit("form[action='/admin/signin'] button");
        assert_eq!(chrome.path(), "/admin/2fa", "{}", chrome.body_text());
        chrome.check_page("second-factor");
        chrome.fill("#code", &second_factor);
        chrome.submit("form[action='/admin/2fa'] button");
        assert!(
            chrome.path().starts_with("/admin"),
            "signed in with {second_factor}: {}",
            chrome.body_text()
        );
        assert!(chrome.exists("form[action='/admin/signout']"), "signed in");
    }
    // A recovery code works once.
    chrome.click_text(&format!("Sign out {}", account.email));
    chrome.fill("#email", &account.email);
    chrome.fill("#password", &account.password);
    chrome.submit("form[action='/admin/signin'] button");
    chrome.fill("#code", &account.recovery_codes[0]);
    chrome.submit("form[action='/admin/2fa'] button");
    assert_eq!(
        chrome.path(),
        "/admin/2fa",
        "a used recovery code is refused"
    );
    chrome.check_page("second-factor-error");
    chrome.fill("#code", &account.code(app));
    chrome.submit("form[action='/admin/2fa'] button");
    assert!(chrome.exists("form[action='/admin/signout']"));
}

/// Import a questionnaire, upload invitees, open the survey, send invitations.
fn admin_prepares_the_survey(app: &TestApp, chrome: &Chromium) -> String {
    chrome.goto(&app.url("/admin/surveys"));
    let file = write_file(app.db.dir(), "browser-survey.toml", SMALL_QUESTIONNAIRE);
    chrome.upload("#file", &file);
    chrome.submit("form[action='/admin/surveys/import'] button");
    let slug = "test-survey".to_owned();
    assert!(
        chrome.path().starts_with(&format!("/admin/surveys/{slug}")),
        "imported: {} {}",
        chrome.path(),
        chrome.body_text()
    );
    chrome.check_page("survey-draft");

    let invitees = write_file(
        app.db.dir(),
        "invitees.csv",
        "email,name,group\nann@example.org,Ann,council\nbob@example.org,Bob,police\n",
    );
    chrome.upload("#invitees-file", &invitees);
    chrome.submit(&format!(
        "form[action='/admin/surveys/{slug}/invitees'] button"
    ));
    assert!(chrome.body_text().contains("2"), "{}", chrome.body_text());
    chrome.check_page("survey-invitees-uploaded");

    chrome.submit(&format!("form[action='/admin/surveys/{slug}/open'] button"));
    chrome.check_page("survey-open");
    chrome.submit(&format!(
        "form[action='/admin/surveys/{slug}/invitations/send'] button"
    ));
    chrome.check_page("survey-invitations-sent");

    // Reminders ask first, and the confirming form is accepted from Chromium (CSRF and
    // Fetch Metadata as a browser sends them).
    chrome.click_text("Send reminders now");
    assert!(
        chrome.path().ends_with("/reminders/confirm"),
        "{}",
        chrome.path()
    );
    chrome.check_page("reminders-confirm");
    chrome.submit(&format!(
        "form[action='/admin/surveys/{slug}/reminders/send'] button"
    ));
    assert!(
        chrome.path().starts_with(&format!("/admin/surveys/{slug}"))
            && !chrome.path().contains("confirm"),
        "{} {}",
        chrome.path(),
        chrome.body_text()
    );
    slug
}

/// One personal link per invitee (an invitation's or a reminder's: any of theirs works).
fn invitation_links(sink: &SmtpSink, count: usize) -> Vec<String> {
    let messages = sink.wait_for(count, 20);
    let mut seen = Vec::new();
    let mut links = Vec::new();
    for message in &messages {
        if !seen.contains(&message.recipients) {
            seen.push(message.recipients.clone());
            links.push(message.link("i"));
        }
    }
    assert_eq!(links.len(), count, "a link for each invitee");
    links
}

/// Answers part, leaves, returns through the same link, meets a validation error, checks
/// answers, sends, and finds the link refusing a second response.
fn respondent_by_invitation(app: &TestApp, chrome: &Chromium, link: &str) {
    chrome.forget_cookies();
    chrome.goto(&app.url(link));
    assert!(
        !chrome.url().contains(&link[3..]),
        "the token leaves the address bar"
    );
    chrome.check_page("intro");
    chrome.click_text("Start now");
    chrome.check_page("section-1");
    chrome.click("input[name=agency][value=council]");
    chrome.click_text("Continue");
    chrome.check_page("section-2");
    chrome.fill("#q-caseload", "12");

    // Leave, and come back through the same link.
    chrome.goto("about:blank");
    chrome.goto(&app.url(link));
    chrome.click_text("Continue where you left off");
    assert!(chrome.path().contains("/page/"), "{}", chrome.path());

    // The required statement left unanswered: an error summary that links to the field.
    chrome.goto(&app.url("/s/test-survey/page/2"));
    chrome.click_text("Continue");
    assert!(chrome.exists(".error-summary"), "{}", chrome.body_text());
    chrome.check_page("section-2-error");
    let summary_link = chrome.find(".error-summary a");
    chrome.click_element(&summary_link);
    let focused = chrome.focused();
    assert_eq!(
        focused.name, "thresholds",
        "the summary link moves focus to the question"
    );
    chrome.click("input[name=thresholds][value=agree]");
    chrome.fill("#q-comment", "Supervision is regular.");
    assert_eq!(
        chrome.text("#q-comment-count"),
        "You have 177 characters remaining",
        "the count as people type"
    );
    chrome.click_text("Continue");
    while chrome.path().contains("/page/") {
        chrome.check_page("section-3");
        chrome.click_text("Continue");
    }
    assert!(chrome.path().ends_with("/check"), "{}", chrome.path());
    chrome.check_page("check-answers");
    let check = chrome.body_text();
    assert!(
        check.contains("Council") && check.contains("Supervision is regular."),
        "{check}"
    );
    chrome.click_text("Send my response");
    assert!(chrome.path().ends_with("/done"), "{}", chrome.path());
    chrome.check_page("done");

    chrome.goto(&app.url(link));
    assert!(
        chrome.body_text().contains("already responded"),
        "{}",
        chrome.body_text()
    );
    chrome.check_page("already-responded");
}

/// The whole respondent journey with Tab, Space and Enter only, focus always visible.
fn respondent_by_keyboard(app: &TestApp, chrome: &Chromium, link: &str) {
    chrome.forget_cookies();
    chrome.goto(&app.url(link));
    chrome.tab_to(|f| f.text == "Start now", "Start now");
    chrome.press_enter();
    chrome.choose_by_keyboard("agency", "police");
    chrome.tab_to(|f| f.text == "Continue", "Continue");
    chrome.press_enter();
    chrome.choose_by_keyboard("thresholds", "disagree");
    chrome.tab_to(
        |f| f.name == "training" && f.value == "Neglect",
        "a training box",
    );
    chrome.press(keys::SPACE);
    chrome.tab_to(|f| f.text == "Continue", "Continue");
    chrome.press_enter();
    // The police section is shown to a police officer.
    chrome.choose_by_keyboard("joint-visits", "Yes");
    chrome.tab_to(|f| f.text == "Continue", "Continue");
    chrome.press_enter();
    assert!(chrome.path().ends_with("/check"), "{}", chrome.path());
    chrome.tab_to(|f| f.text == "Send my response", "Send my response");
    chrome.press_enter();
    assert!(chrome.path().ends_with("/done"), "{}", chrome.body_text());
}

/// The open link: the same journey, and no second response from the same browser.
fn respondent_on_the_open_link(app: &TestApp, chrome: &Chromium, slug: &str) {
    chrome.forget_cookies();
    answer_open_link(app, chrome, slug, "open");
    // Sending the check page's form again stores nothing more.
    chrome.goto(&app.url(&format!("/s/{slug}/check")));
    assert!(
        !chrome.exists(&format!("form[action='/s/{slug}/submit']")),
        "no response left to send: {}",
        chrome.body_text()
    );
}

fn answer_open_link(app: &TestApp, chrome: &Chromium, slug: &str, name: &str) {
    chrome.goto(&app.url(&format!("/s/{slug}")));
    chrome.check_page(&format!("{name}-intro"));
    chrome.click_text("Start now");
    chrome.click("input[name=agency][value=Health]");
    chrome.click_text("Continue");
    chrome.click("input[name=thresholds][value=strongly-agree]");
    chrome.fill("#q-comment", &"Long answer. ".repeat(10));
    chrome.click_text("Continue");
    while chrome.path().contains("/page/") {
        chrome.click_text("Continue");
    }
    chrome.check_page(&format!("{name}-check"));
    chrome.click_text("Send my response");
    assert!(chrome.path().ends_with("/done"), "{}", chrome.body_text());
}

fn respondent_without_javascript(app: &TestApp, chrome: &Chromium, slug: &str) {
    answer_open_link(app, chrome, slug, "nojs");
    // The page's own script never ran: the character count stayed hidden, and the limit is
    // in the hint instead.
    chrome.goto(&app.url(&format!("/s/{slug}")));
    chrome.click_text("Start now");
    chrome.click("input[name=agency][value=council]");
    chrome.click_text("Continue");
    let hidden = chrome.script(
        "return document.getElementById('q-comment-count').hidden;",
        vec![],
    );
    assert_eq!(hidden, serde_json::Value::Bool(true), "no script ran");
    assert!(
        chrome.text("#q-comment-limit").contains("200 characters"),
        "{}",
        chrome.body_text()
    );
}

/// A viewer reads the results with and without a breakdown and downloads each file.
fn viewer_reads_results(app: &TestApp, chrome: &Chromium, slug: &str, admin: &TestAccount) {
    for (agency, n) in [("council", 6), ("police", 5), ("Health", 5)] {
        for i in 0..n {
            submit(
                app,
                slug,
                serde_json::json!({"agency": agency, "thresholds": if i % 2 == 0 { "agree" } else { "disagree" },
                                   "training": ["Neglect"], "comment": "Clear answers."}),
            );
        }
    }
    app.cli_ok(&["survey", "close", slug]);
    let _ = admin;
    app.add_user("vic@example.org", "viewer");
    chrome.goto(&app.url("/admin/signin"));
    chrome.fill("#email", "vic@example.org");
    chrome.fill("#password", TEST_PASSWORD);
    chrome.submit("form[action='/admin/signin'] button");
    let secret: String = chrome
        .text(".secret-text code")
        .split_whitespace()
        .collect();
    let viewer = account_with_secret("vic@example.org", &secret);
    chrome.fill("#code", &viewer.code(app));
    chrome.submit("form[action='/admin/2fa/enrol'] button");
    chrome.click_text("I have saved them – continue");

    chrome.goto(&app.url(&format!("/admin/surveys/{slug}/results")));
    chrome.check_page("results");
    chrome.full_page_screenshot("results-full-1280");
    let page = chrome.body_text();
    assert!(page.contains("I understand the thresholds."), "{page}");
    chrome.goto(&app.url(&format!("/admin/surveys/{slug}/results?breakdown=agency")));
    chrome.check_page("results-by-agency");
    chrome.set_width(chromium::PHONE);
    chrome.full_page_screenshot("results-by-agency-full-320");
    chrome.set_width(chromium::DESKTOP);

    chrome.goto(&app.url(&format!(
        "/admin/surveys/{slug}/summary?breakdown=agency&sort=gap"
    )));
    assert!(chrome.body_text().contains("I understand the thresholds."));
    chrome.check_page("summary-printable");

    chrome.goto(&app.url(&format!("/admin/surveys/{slug}")));
    chrome.check_page("survey-viewer");
    chrome.click(&format!("a[href='/admin/surveys/{slug}/results.csv']"));
    let csv = String::from_utf8(chrome.downloaded(".csv")).expect("UTF-8 CSV");
    assert!(csv.contains("thresholds") && csv.contains("agree"), "{csv}");
    chrome.click(&format!("a[href='/admin/surveys/{slug}/results.json']"));
    let json: serde_json::Value =
        serde_json::from_slice(&chrome.downloaded(".json")).expect("a JSON file");
    assert!(json.to_string().contains("thresholds"), "{json}");
    chrome.click(&format!("a[href='/admin/surveys/{slug}/results.xlsx']"));
    let xlsx = chrome.downloaded(".xlsx");
    assert!(xlsx.starts_with(b"PK"), "an XLSX file is a zip");
    let workbook: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(xlsx)).expect("an XLSX workbook");
    assert!(!calamine::Reader::sheet_names(&workbook).is_empty());
    assert!(
        !chrome.exists(&format!("a[href='/admin/surveys/{slug}/responses.csv']")),
        "a viewer is not offered the responses"
    );
}
