//! Changing an answer from "Check your answers" (GOV.UK check-answers pattern): Continue
//! returns to the check page, unless the change reveals questions, which are asked first.
//! The whole journey on the shipped questionnaire is counted in page loads (requests).

mod common;

use std::cell::Cell;

use common::{Backend, Browser, Reply, TestApp, SMALL_QUESTIONNAIRE};

// Before the check-answers pattern this journey took 50 page loads: the change walked
// through all 11 sections again (2 × 10 extra requests).

const SHIPPED: &str = include_str!("../config/questionnaires/safeguarding-frontline.toml");

/// A browser that counts every request it makes (each is one page load without JavaScript).
struct Counting<'a> {
    browser: Browser,
    app: &'a TestApp,
    loads: Cell<usize>,
}

impl<'a> Counting<'a> {
    fn new(app: &'a TestApp) -> Self {
        Self {
            browser: app.browser(),
            app,
            loads: Cell::new(0),
        }
    }

    fn get(&self, path: &str) -> Reply {
        self.loads.set(self.loads.get() + 1);
        let reply = self.browser.get(path);
        assert_eq!(reply.status, 200, "GET {path}: {}", reply.body);
        reply
    }

    fn post(&self, path: &str, fields: &[(&str, &str)]) -> String {
        self.loads.set(self.loads.get() + 1);
        let reply = self.browser.post_form(path, fields);
        assert_eq!(reply.status, 303, "POST {path}: {}", reply.body);
        let _ = self.app;
        reply.location().to_owned()
    }
}

/// The value of `attribute="…"` in a tag.
fn attribute<'t>(tag: &'t str, name: &str) -> Option<&'t str> {
    let marker = format!(" {name}=\"");
    let start = tag.find(&marker)? + marker.len();
    tag[start..].split('"').next()
}

/// An answer for every question a section page shows: the first option of each choice
/// question, a number for number fields, a few words for text.
fn fill(page: &str, choose: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut fields: Vec<(String, String)> = Vec::new();
    for raw in page.split('<').skip(1) {
        let tag = raw.split('>').next().unwrap_or_default();
        let Some(name) = attribute(tag, "name") else {
            continue;
        };
        if name.starts_with('_') || fields.iter().any(|(n, _)| n == name) {
            continue;
        }
        let value = if let Some((_, chosen)) = choose.iter().find(|(key, _)| *key == name) {
            if attribute(tag, "value") != Some(chosen) {
                continue;
            }
            chosen.to_string()
        } else if tag.starts_with("textarea") {
            "A comment.".to_owned()
        } else if tag.contains("inputmode=") {
            "3".to_owned()
        } else if tag.contains("type=\"radio\"") || tag.contains("type=\"checkbox\"") {
            attribute(tag, "value").unwrap_or_default().to_owned()
        } else if tag.starts_with("input") {
            "Some words".to_owned()
        } else {
            continue;
        };
        fields.push((name.to_owned(), value));
    }
    fields
}

fn post_page(b: &Counting<'_>, path: &str, page: &str, choose: &[(&str, &str)]) -> String {
    let action = page
        .split("<form method=\"post\" action=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap_or(path)
        .replace("&amp;", "&");
    let mut fields = fill(page, choose);
    fields.extend(hidden_fields(page));
    fields.push(("_action".to_owned(), "continue".to_owned()));
    let borrowed: Vec<(&str, &str)> = fields
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    b.post(&action, &borrowed)
}

/// Hidden inputs of a form (the "return to check" marker, for example).
fn hidden_fields(page: &str) -> Vec<(String, String)> {
    page.split("<input type=\"hidden\"")
        .skip(1)
        .filter_map(|tag| {
            let tag = format!(" {}", tag.split('>').next()?);
            Some((
                attribute(&tag, "name")?.to_owned(),
                attribute(&tag, "value")?.to_owned(),
            ))
        })
        .collect()
}

/// Follows the journey from `location`, answering each section page, until `stop` is
/// reached; returns the pages visited.
fn walk(
    b: &Counting<'_>,
    mut location: String,
    stop: &str,
    choose: &[(&str, &str)],
) -> Vec<String> {
    let mut visited = Vec::new();
    while !location.starts_with(stop) {
        let page = b.get(&location);
        visited.push(location.clone());
        assert!(visited.len() < 40, "the journey does not end: {visited:?}");
        location = post_page(b, &location, &page.body, choose);
    }
    visited
}

/// The link from "Check your answers" that changes the answer to `key`.
fn change_link(check: &str, key: &str) -> String {
    let row = check
        .split(&format!("id=\"answer-{key}\""))
        .nth(1)
        .expect("the answer's row");
    row.split("href=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("a Change link")
        .replace("&amp;", "&")
        .split('#')
        .next()
        .unwrap_or_default()
        .to_owned()
}

#[test]
fn the_whole_journey_with_one_change_takes_fewer_page_loads() {
    let app = TestApp::builder(Backend::Sqlite).start();
    // The shipped survey is invitation-only; the open link gives the same pages.
    let open = SHIPPED.replace("open_link = false", "open_link = true");
    assert_ne!(open, SHIPPED, "the shipped file sets open_link");
    let slug = app.import_and_open(&open);
    let b = Counting::new(&app);
    let check_path = format!("/s/{slug}/check");

    b.get(&format!("/s/{slug}"));
    let first = b.post(&format!("/s/{slug}/start"), &[]);
    let sections = walk(&b, first, &check_path, &[("agency", "council")]);
    assert_eq!(
        sections.len(),
        11,
        "every section is shown to council staff"
    );
    let check = b.get(&check_path);

    // Change the role group: nothing depends on it, so Continue returns to the check page.
    let change = change_link(&check.body, "role-group");
    let changed = walk(
        &b,
        change,
        &check_path,
        &[("agency", "council"), ("role-group", "manager")],
    );
    let check = b.get(&check_path);
    assert!(
        check.body.contains("Team manager"),
        "the new answer is shown"
    );

    let sent = b.post(&format!("/s/{slug}/submit"), &[]);
    b.get(&sent);
    println!(
        "page loads: {} (the change took {} section pages)",
        b.loads.get(),
        changed.len()
    );
    assert_eq!(changed.len(), 1, "only the changed section: {changed:?}");
    assert_eq!(b.loads.get(), 30, "page loads for the whole journey");
    assert_eq!(app.count("drafts"), 0, "the response was sent");
}

fn answer_small(app: &TestApp, slug: &str) -> Browser {
    let browser = app.browser();
    browser.post_form(&format!("/s/{slug}/start"), &[]);
    let next = browser.post_form(
        &format!("/s/{slug}/page/1"),
        &[("_action", "continue"), ("agency", "council")],
    );
    assert_eq!(next.location(), format!("/s/{slug}/page/2"));
    let next = browser.post_form(
        &format!("/s/{slug}/page/2"),
        &[
            ("_action", "continue"),
            ("thresholds", "agree"),
            ("caseload", "4"),
        ],
    );
    assert_eq!(next.location(), format!("/s/{slug}/check"));
    browser
}

on_both_backends! {
    a_change_returns_to_check_your_answers => |backend: Backend| {
        let app = TestApp::builder(backend).start();
        let slug = app.import_and_open(SMALL_QUESTIONNAIRE);
        let browser = answer_small(&app, &slug);
        let check = browser.get(&format!("/s/{slug}/check"));
        let change = change_link(&check.body, "thresholds");
        assert_eq!(change, format!("/s/{slug}/page/2?return=check"));
        let page = browser.get(&change);
        assert!(page.body.contains("name=\"_return\" value=\"check\""), "{}", page.body);

        let back = browser.post_form(&format!("/s/{slug}/page/2"), &[
            ("_return", "check"), ("_then", ""), ("_action", "continue"),
            ("thresholds", "disagree"), ("caseload", "4"),
        ]);
        assert_eq!(back.location(), format!("/s/{slug}/check"), "straight back to the check page");
        assert!(browser.get(&format!("/s/{slug}/check")).body.contains("Disagree"));

        // An error keeps the page in change mode.
        let page = browser.post_form(&format!("/s/{slug}/page/2"), &[
            ("_return", "check"), ("_then", ""), ("_action", "continue"), ("caseload", "4"),
        ]);
        assert_eq!(page.status, 422);
        assert!(page.body.contains("name=\"_return\" value=\"check\""));
        // Back from a change goes to the check page too.
        let back = browser.post_form(&format!("/s/{slug}/page/2"), &[
            ("_return", "check"), ("_action", "back"), ("thresholds", "agree"), ("caseload", "4"),
        ]);
        assert_eq!(back.location(), format!("/s/{slug}/check"));
    };

    a_change_that_reveals_questions_asks_them_first => |backend: Backend| {
        let app = TestApp::builder(backend).start();
        let slug = app.import_and_open(SMALL_QUESTIONNAIRE);
        let browser = answer_small(&app, &slug);
        let check = browser.get(&format!("/s/{slug}/check"));
        let change = change_link(&check.body, "agency");
        assert_eq!(change, format!("/s/{slug}/page/1?return=check"));
        browser.get(&change);
        // Police: the police section's question is revealed (and caseload is hidden).
        let next = browser.post_form(&format!("/s/{slug}/page/1"), &[
            ("_return", "check"), ("_then", ""), ("_action", "continue"), ("agency", "police"),
        ]);
        assert_eq!(next.location(), format!("/s/{slug}/page/3?return=check"));
        let page = browser.get(next.location());
        assert!(page.body.contains("Do you do joint visits?"));
        assert!(page.body.contains("name=\"_return\" value=\"check\""));
        let next = browser.post_form(&format!("/s/{slug}/page/3"), &[
            ("_return", "check"), ("_then", ""), ("_action", "continue"), ("joint-visits", "Yes"),
        ]);
        assert_eq!(next.location(), format!("/s/{slug}/check"));
        let check = browser.get(&format!("/s/{slug}/check"));
        assert!(check.body.contains("Do you do joint visits?"));
        assert!(!check.body.contains("How many children are allocated to you?"));
    };
}
