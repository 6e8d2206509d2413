//! What a browser shows, through HTTP: the results page's charts and tables, tables that a
//! keyboard can reach, the accounts page without a table, both addresses of the review team's
//! home, the review team's frame on its error pages, and the colours charts are drawn in.

mod common;

use common::{submit, Backend, TestApp, SMALL_QUESTIONNAIRE};
use serde_json::json;

/// 10 council, 5 police, 5 health; 11 of 20 agree (55%). The whole survey and council are
/// published with a breakdown by agency, whatever else is hidden.
fn fill(app: &TestApp, slug: &str) {
    for (agency, n) in [("council", 10), ("police", 5), ("Health", 5)] {
        for i in 0..n {
            let answer = if i % 2 == 0 { "agree" } else { "disagree" };
            submit(app, slug, json!({"agency": agency, "thresholds": answer}));
        }
    }
    app.release_all(slug);
}

/// Each element that scrolls (`table-wrap`, `table-scroll`) is a named region that a keyboard
/// reaches: role="region", tabindex="0" and aria-labelledby naming an element on the page.
fn assert_scroll_regions_reachable(html: &str) -> usize {
    let mut regions = 0;
    for class in ["<div class=\"table-wrap\"", "<div class=\"table-scroll\""] {
        for (at, _) in html.match_indices(class) {
            let tag = &html[at..at + html[at..].find('>').expect("a closed tag")];
            assert!(tag.contains("role=\"region\""), "{tag}");
            assert!(tag.contains("tabindex=\"0\""), "{tag}");
            let label = tag
                .split("aria-labelledby=\"")
                .nth(1)
                .and_then(|v| v.split('"').next())
                .unwrap_or_else(|| panic!("no aria-labelledby: {tag}"));
            assert!(
                html.contains(&format!(" id=\"{label}\"")),
                "{label} names nothing"
            );
            regions += 1;
        }
    }
    regions
}

on_both_backends! {
    results_charts_put_labels_bars_and_figures_apart => |backend: Backend| {
        let app = TestApp::builder(backend).start();
        let slug = app.import_and_open(SMALL_QUESTIONNAIRE);
        fill(&app, &slug);
        let (viewer, _) = app.enrolled("vic@example.org", "viewer");

        let page = viewer.get(&format!("/admin/surveys/{slug}/results"));
        assert_eq!(page.status, 200, "{}", page.body);
        let html = &page.body;
        // The wide column, so that tables are not cut off on a wide screen.
        assert!(html.contains("<body class=\"page-wide\">"), "{html}");
        // One series: no names beside the bars; each option's label on its own line, then
        // its bar (an SVG that scales) and its figure.
        assert!(html.contains("<div class=\"chart\" aria-hidden=\"true\">"), "{html}");
        assert!(!html.contains("<text"), "no text drawn inside an SVG");
        assert!(html.contains("<p class=\"chart-option\">Agree</p>\n<div class=\"chart-bars\">\n<svg class=\"chart-track\" focusable=\"false\"><rect class=\"chart-bar chart-series-0\" x=\"0\" y=\"0\" width=\"55%\" height=\"100%\"></rect></svg><span class=\"chart-value\">55%</span>"), "{html}");
        // No breakdown: the results' tables fit, so nothing scrolls and there are no extra tab
        // stops; only the summary of statements (a wide table on a phone) is a region.
        assert_eq!(assert_scroll_regions_reachable(html), 0);
        assert_eq!(
            html.matches("tabindex=\"0\"").count(),
            html.matches("<div class=\"summary-scroll\" role=\"region\"").count()
        );

        let page = viewer.get(&format!("/admin/surveys/{slug}/results?breakdown=agency"));
        assert_eq!(page.status, 200, "{}", page.body);
        let html = &page.body;
        // Several series: every bar is named, never told apart by colour alone.
        assert!(html.contains("<div class=\"chart chart-labelled\" aria-hidden=\"true\">"), "{html}");
        for (series, name) in [(0, "All responses"), (1, "Council")] {
            assert!(
                html.contains(&format!("<span class=\"chart-series\">{name}</span><svg class=\"chart-track\" focusable=\"false\"><rect class=\"chart-bar chart-series-{series}\"")),
                "{name}: {html}"
            );
        }
        // Wide tables scroll inside named regions a keyboard can reach: every one of them.
        let regions = assert_scroll_regions_reachable(html);
        assert!(regions >= 3, "{html}");
        assert_eq!(regions, html.matches("<table class=\"results-table\">").count(), "{html}");
        assert!(html.contains("<caption id=\"q-thresholds-caption\">Answers to: I understand the thresholds.</caption>"));
    };

    tables_are_reachable_by_keyboard_and_accounts_need_no_table => |backend: Backend| {
        let app = TestApp::builder(backend).start();
        let slug = app.import_and_open(SMALL_QUESTIONNAIRE);
        app.import_invitees(&slug, "email,group\nann@example.org,council\nbob@example.org,police\n");
        submit(&app, &slug, json!({"agency": "council", "thresholds": "agree"}));
        let (admin, _) = app.enrolled("ann@example.org", "admin");
        for path in ["/admin/surveys", &format!("/admin/surveys/{slug}"), "/admin/audit"] {
            let page = admin.get(path);
            assert_eq!(page.status, 200, "{path}: {}", page.body);
            assert!(page.body.contains("<table"), "{path}");
            assert!(assert_scroll_regions_reachable(&page.body) >= 1, "{path}");
        }
        // The accounts page is a list: nothing on it is wider than a phone.
        let page = admin.get("/admin/accounts");
        assert_eq!(page.status, 200);
        assert!(!page.body.contains("<table"), "{}", page.body);
        assert!(page.body.contains("<h2 class=\"account-email\">ann@example.org (you)</h2>"), "{}", page.body);
        assert!(page.body.contains("<label for=\"role-1\">Role <span class=\"visually-hidden\">for ann@example.org</span></label>"));
    };

    the_review_team_home_answers_with_and_without_a_slash => |backend: Backend| {
        let app = TestApp::builder(backend).start();
        let (admin, _) = app.enrolled("ann@example.org", "admin");
        let plain = admin.get("/admin");
        let slash = admin.get("/admin/");
        assert_eq!(plain.status, slash.status);
        assert_eq!(plain.header("location"), slash.header("location"));
        assert_ne!(slash.status, 404, "{}", slash.body);
        // Signed out, both send the browser to sign in.
        let anonymous = app.browser().get("/admin/");
        assert_eq!(anonymous.status, app.browser().get("/admin").status);
        assert_ne!(anonymous.status, 404);
    };

    review_team_error_pages_wear_the_review_team_frame => |backend: Backend| {
        let app = TestApp::builder(backend).start();
        let (admin, _) = app.enrolled("ann@example.org", "admin");
        for path in ["/admin/surveys/no-such-survey", "/admin/surveys/no-such-survey/results", "/admin/no-such-page"] {
            let page = admin.get(path);
            assert_eq!(page.status, 404, "{path}");
            assert!(!page.body.contains("Your answers are anonymous"), "{path}: {}", page.body);
            assert!(page.body.contains("Candour review team"), "{path}: {}", page.body);
            assert!(page.body.contains("/accessibility"), "{path}");
        }
        // Respondents' error pages keep the respondents' footer.
        let page = app.browser().get("/s/no-such-survey");
        assert_eq!(page.status, 404);
        assert!(page.body.contains("Your answers are anonymous"));
        assert!(page.body.contains("href=\"/accessibility\""));
    };
}

/// Every colour a chart series is drawn in has at least 3:1 contrast with the white page
/// (WCAG 2.2 1.4.11), and there is one per series class the charts use.
#[test]
fn chart_colours_contrast_with_the_page() {
    let css = include_str!("../templates/assets/candour.css");
    let mut colours = Vec::new();
    for series in 0..8 {
        let selector = if series == 0 {
            ".chart-bar {".to_owned()
        } else {
            format!(".chart-series-{series} {{")
        };
        let rule = css
            .split(&selector)
            .nth(1)
            .unwrap_or_else(|| panic!("no rule {selector}"));
        let hex = rule
            .split("fill: #")
            .nth(1)
            .map(|v| &v[..6])
            .unwrap_or_else(|| panic!("no fill for {selector}"));
        colours.push(hex.to_owned());
    }
    for hex in colours {
        let ratio = contrast(&hex, "ffffff");
        assert!(ratio >= 3.0, "#{hex} is {ratio:.2}:1 against white");
    }
}

fn luminance(hex: &str) -> f64 {
    let channel = |i: usize| {
        let c = f64::from(u8::from_str_radix(&hex[i..i + 2], 16).expect("hex")) / 255.0;
        if c <= 0.03928 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(0) + 0.7152 * channel(2) + 0.0722 * channel(4)
}

fn contrast(a: &str, b: &str) -> f64 {
    let (x, y) = (luminance(a), luminance(b));
    (x.max(y) + 0.05) / (x.min(y) + 0.05)
}

on_both_backends! {
    long_answers_state_their_limit_and_count_as_people_type => |backend: Backend| {
        let app = TestApp::builder(backend).start();
        let slug = app.import_and_open(&SMALL_QUESTIONNAIRE.replace("max_length = 200", "max_length = 2000"));
        let browser = app.browser();
        assert_eq!(browser.post_form(&format!("/s/{slug}/start"), &[]).status, 303);
        assert_eq!(browser.post_form(&format!("/s/{slug}/page/1"), &[("agency", "council")]).status, 303);
        let page = browser.get(&format!("/s/{slug}/page/2"));
        assert_eq!(page.status, 200, "{}", page.body);
        let html = &page.body;
        // Without JavaScript: the limit is in the hint, tied to the field.
        assert!(html.contains("<p class=\"hint\" id=\"q-comment-limit\">You can enter up to 2,000 characters.</p>"), "{html}");
        assert!(html.contains("id=\"q-comment\" name=\"comment\" rows=\"6\" data-max-length=\"2000\" aria-describedby=\"q-comment-limit\""), "{html}");
        // With it: a count that the script shows, and a polite live status for screen readers.
        assert!(html.contains("<p class=\"hint character-count\" id=\"q-comment-count\" aria-hidden=\"true\" hidden></p>"));
        assert!(html.contains("<p class=\"visually-hidden\" id=\"q-comment-count-status\" aria-live=\"polite\"></p>"));
        assert!(html.contains("<script src=\"/assets/character-count.js\" defer></script>"));
        assert!(!html.contains("<script>"), "no inline script (CSP)");
        // Whole numbers get the numeric keypad.
        assert!(html.contains("inputmode=\"numeric\" id=\"q-caseload\""), "{html}");

        let script = browser.get("/assets/character-count.js");
        assert_eq!(script.status, 200);
        assert!(script.header("content-type").unwrap_or_default().starts_with("text/javascript"));
        assert!(script.body.contains("data-max-length") && script.body.contains("-count-status"));
        assert!(script.header("content-security-policy").is_some());

        // Over the limit, the page still says so after submitting (the no-JavaScript path).
        let long = "x".repeat(2001);
        let reply = browser.post_form(&format!("/s/{slug}/page/2"), &[("thresholds", "agree"), ("comment", &long)]);
        assert_eq!(reply.status, 422, "{}", reply.body);
        assert!(reply.body.contains("2,000") || reply.body.contains("2000"), "{}", reply.body);
    };

    the_sign_in_page_says_the_account_was_created => |backend: Backend| {
        let app = TestApp::builder(backend).start();
        let link = app.setup_link.clone().expect("a set-up link");
        let token = link.split("token=").nth(1).expect("a token").to_owned();
        let browser = app.browser();
        let made = browser.post_form("/setup", &[("token", &token), ("email", "lead@example.org"),
            ("password", common::TEST_PASSWORD), ("password_again", common::TEST_PASSWORD)]);
        assert_eq!(made.status, 303, "{}", made.body);
        let page = browser.get(made.location());
        assert_eq!(page.status, 200);
        assert!(page.body.contains("<div class=\"notice\" role=\"status\"><p>Account created. Sign in"), "{}", page.body);
        assert!(!app.browser().get("/admin/signin").body.contains("Account created"));
    };

    the_accessibility_statement_is_linked_from_every_footer => |backend: Backend| {
        let app = TestApp::builder(backend).start();
        let slug = app.import_and_open(SMALL_QUESTIONNAIRE);
        let page = app.browser().get("/accessibility");
        assert_eq!(page.status, 200);
        for part in ["<h1>Accessibility statement for Candour</h1>", "How accessible this service is",
            "Feedback and contact information", "Enforcement procedure", "Equality Advisory and Support Service",
            "Compliance status", "partially compliant", "axe-core", "320 and 1280 pixels", "JavaScript turned off",
            "keyboard alone", "Preparation of this accessibility statement"] {
            assert!(page.body.contains(part), "{part}");
        }
        let (admin, _) = app.enrolled("ann@example.org", "admin");
        let respondent = app.browser();
        for (who, path) in [(&respondent, format!("/s/{slug}")), (&respondent, "/".to_owned()),
            (&respondent, "/admin/signin".to_owned()), (&admin, "/admin/surveys".to_owned()),
            (&admin, "/admin/accounts".to_owned()), (&admin, format!("/admin/surveys/{slug}/results"))] {
            let page = who.get(&path);
            assert_eq!(page.status, 200, "{path}");
            let footer = page.body.split("<footer").nth(1).unwrap_or_default();
            assert!(footer.contains("<a href=\"/accessibility\">Accessibility statement</a>"), "{path}");
        }
    };
}
