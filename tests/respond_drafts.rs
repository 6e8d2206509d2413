//! Drafts on demand: "Start" stores nothing; an open-link draft is stored with its first
//! saved answers, within bounds per client address and per survey, and at a bound a new
//! respondent gets a clear page while those already answering carry on. The invited
//! respondent's cookie is not the link.

mod common;

use common::{Backend, Browser, SmtpSink, TestApp, SMALL_QUESTIONNAIRE};
use sha2::{Digest, Sha256};

/// Starts on the open link; returns the browser (holding its draft cookie).
fn started(app: &TestApp, slug: &str) -> Browser {
    let browser = app.browser();
    let reply = browser.post_form(&format!("/s/{slug}/start"), &[]);
    assert_eq!(reply.status, 303, "{}", reply.body);
    assert_eq!(reply.location(), format!("/s/{slug}/page/1"));
    browser
}

/// Saves the first page of answers.
fn first_page(browser: &Browser, slug: &str) -> common::Reply {
    browser.post_form(
        &format!("/s/{slug}/page/1"),
        &[("_action", "continue"), ("agency", "council")],
    )
}

/// Answers the second page and sends the response.
fn finish(browser: &Browser, slug: &str) {
    let reply = browser.post_form(
        &format!("/s/{slug}/page/2"),
        &[("_action", "continue"), ("thresholds", "agree")],
    );
    assert_eq!(
        reply.location(),
        format!("/s/{slug}/check"),
        "{}",
        reply.body
    );
    let sent = browser.post_form(&format!("/s/{slug}/submit"), &[]);
    assert_eq!(sent.location(), format!("/s/{slug}/done"), "{}", sent.body);
}

/// The page a new respondent gets at a bound: its status, a Retry-After and clear words.
fn assert_turned_away(reply: &common::Reply, status: u16) {
    assert_eq!(reply.status, status, "{}", reply.body);
    let retry: u64 = reply
        .header("retry-after")
        .expect("a Retry-After header")
        .parse()
        .expect("seconds");
    assert!((1..=3600).contains(&retry), "{retry}");
    assert!(
        reply.body.contains("You cannot start this survey just now"),
        "{}",
        reply.body
    );
    assert!(reply.body.contains("Please try again in"), "{}", reply.body);
    assert!(
        reply
            .body
            .contains("anyone who has already started can carry on"),
        "{}",
        reply.body
    );
    assert!(
        reply.header("set-cookie").is_none(),
        "no draft cookie at a bound"
    );
}

on_both_backends! {
    starting_stores_nothing_and_the_first_saved_answers_store_one_draft => |backend: Backend| {
        let app = TestApp::builder(backend).start();
        let slug = app.import_and_open(SMALL_QUESTIONNAIRE);
        // One client starting over and over stores nothing at all.
        let client = app.browser();
        for _ in 0..200 {
            assert_eq!(client.post_form(&format!("/s/{slug}/start"), &[]).status, 303);
        }
        assert_eq!(app.count("drafts"), 0);

        let browser = started(&app, &slug);
        let page = browser.get(&format!("/s/{slug}/page/1"));
        assert_eq!(page.status, 200, "the first page opens before anything is stored");
        assert!(page.body.contains("Which organisation do you work for?"));
        // Nothing to continue or check yet: the start page offers to start.
        assert!(browser.get(&format!("/s/{slug}")).body.contains("Start now"));
        assert_eq!(browser.get(&format!("/s/{slug}/check")).location(), format!("/s/{slug}"));
        assert_eq!(app.count("drafts"), 0);

        assert_eq!(first_page(&browser, &slug).location(), format!("/s/{slug}/page/2"));
        assert_eq!(app.count("drafts"), 1, "stored with the first answers");
        assert_eq!(first_page(&browser, &slug).status, 303);
        assert!(browser.get(&format!("/s/{slug}")).body.contains("Continue where you left off"));
        assert_eq!(app.count("drafts"), 1, "and only once");
        finish(&browser, &slug);
        assert_eq!((app.count("drafts"), app.waiting()), (0, 1));
    };

    the_address_bound_turns_new_respondents_away_while_started_drafts_continue => |backend: Backend| {
        let app = TestApp::builder(backend).setting("server.drafts_per_address_per_hour", "2").start();
        let slug = app.import_and_open(SMALL_QUESTIONNAIRE);
        let (first, second) = (started(&app, &slug), started(&app, &slug));
        // Started before the bound was reached, answering after: turned away at the first save.
        let late = started(&app, &slug);
        assert_eq!(first_page(&first, &slug).status, 303);
        assert_eq!(first_page(&second, &slug).status, 303);
        assert_eq!(app.count("drafts"), 2);

        assert_turned_away(&first_page(&late, &slug), 429);
        assert_turned_away(&app.browser().post_form(&format!("/s/{slug}/start"), &[]), 429);
        assert_eq!(app.count("drafts"), 2, "nothing stored at the bound");

        // Those already answering carry on to the end.
        finish(&first, &slug);
        assert_eq!(second.get(&format!("/s/{slug}/page/2")).status, 200);
        assert_eq!(app.waiting(), 1);

        // The next hour (the server's clock moved on) takes new respondents again.
        app.clock.advance(chrono::Duration::hours(1));
        assert_eq!(first_page(&late, &slug).status, 303);
        assert_eq!(app.count("drafts"), 2);
    };

    behind_a_trusted_proxy_the_address_bound_counts_the_forwarded_address => |backend: Backend| {
        let app = TestApp::builder(backend).toml("[server]\ndrafts_per_address_per_hour = 1\n[security]\ntrusted_proxies = [\"127.0.0.1\"]").start();
        let slug = app.import_and_open(SMALL_QUESTIONNAIRE);
        let save = |browser: &Browser, from: &str| browser.post_form_with(
            &format!("/s/{slug}/page/1"),
            &[("X-Forwarded-For", from)],
            &[("_action", "continue"), ("agency", "council")],
        );
        let (office, home, office_again) = (started(&app, &slug), started(&app, &slug), started(&app, &slug));
        assert_eq!(save(&office, "198.51.100.7").status, 303);
        assert_eq!(save(&home, "203.0.113.9").status, 303, "another address behind the same proxy");
        assert_turned_away(&save(&office_again, "198.51.100.7"), 429);
        assert_eq!(app.count("drafts"), 2);
        // The office's started draft carries on.
        assert_eq!(save(&office, "198.51.100.7").status, 303);
    };

    the_survey_bound_turns_new_respondents_away_while_started_drafts_continue => |backend: Backend| {
        let app = TestApp::builder(backend).setting("server.drafts_per_survey", "2").start();
        let slug = app.import_and_open(SMALL_QUESTIONNAIRE);
        let (first, second, late) = (started(&app, &slug), started(&app, &slug), started(&app, &slug));
        assert_eq!(first_page(&first, &slug).status, 303);
        assert_eq!(first_page(&second, &slug).status, 303);

        assert_turned_away(&first_page(&late, &slug), 503);
        assert_turned_away(&app.browser().post_form(&format!("/s/{slug}/start"), &[]), 503);
        assert_eq!(app.count("drafts"), 2, "nothing stored at the bound");

        // Those already answering carry on; a sent response makes room.
        assert_eq!(first_page(&second, &slug).status, 303, "a stored draft saves again");
        finish(&first, &slug);
        assert_eq!(app.count("drafts"), 1);
        assert_eq!(first_page(&late, &slug).location(), format!("/s/{slug}/page/2"));
        assert_eq!(app.count("drafts"), 2);
    };

    the_invitation_cookie_is_not_the_link_and_ends_with_the_response => |backend: Backend| {
        let sink = SmtpSink::start();
        let app = TestApp::builder(backend).smtp(&sink).start();
        let slug = app.import_and_open(SMALL_QUESTIONNAIRE);
        app.import_invitees(&slug, "email\nann@example.org\n");
        app.cli_ok(&["invite", "send", &slug]);
        let link = sink.wait_for(1, 20)[0].link("i");
        let token = link.trim_start_matches("/i/").to_owned();
        let token_hash = hex::encode(Sha256::digest(token.as_bytes()));

        let phone = app.browser();
        let reply = phone.get(&link);
        assert_eq!(reply.status, 303);
        let set_cookie = reply.header("set-cookie").expect("a cookie").to_owned();
        let value = set_cookie
            .split(';')
            .next()
            .and_then(|pair| pair.strip_prefix("candour_invite="))
            .expect("the invitation cookie")
            .to_owned();
        assert!(!value.is_empty());
        for secret in [&token, &token_hash] {
            assert!(!value.contains(secret.as_str()), "the cookie holds the link: {set_cookie}");
            assert!(!value.contains(&secret[..16]), "the cookie holds part of the link: {set_cookie}");
        }
        assert!(set_cookie.contains("HttpOnly") && !set_cookie.contains("Max-Age"), "a browser session's cookie: {set_cookie}");
        // The cookie's value is no link.
        assert_eq!(app.browser().get(&format!("/i/{value}")).status, 404);

        // It resumes: answers saved through it come back, also in another browser given it.
        assert_eq!(first_page(&phone, &slug).status, 303);
        assert_eq!(app.count("invitation_drafts"), 1);
        assert_eq!(app.count("drafts"), 0);
        let cookie = format!("candour_invite={value}");
        let copy = app.browser();
        let page = copy.get_with(&format!("/s/{slug}/page/1"), &[("Cookie", &cookie)]);
        assert!(page.body.contains("value=\"council\" checked"), "{}", page.body);
        // A forged cookie opens nothing.
        let forged = format!("candour_invite={}0", &value[..value.len() - 1]);
        let forged = if forged == cookie { format!("candour_invite={}1", &value[..value.len() - 1]) } else { forged };
        let page = app.browser().get_with(&format!("/s/{slug}/page/1"), &[("Cookie", &forged)]);
        assert!(!page.body.contains("checked"), "{}", page.body);

        // Sending the response removes the cookie, and the session ends: the same value
        // presented again only says so and accepts nothing.
        let reply = phone.post_form(&format!("/s/{slug}/page/2"), &[("_action", "continue"), ("thresholds", "agree")]);
        assert_eq!(reply.status, 303);
        let sent = phone.post_form(&format!("/s/{slug}/submit"), &[]);
        assert_eq!(sent.location(), format!("/s/{slug}/done"));
        assert!(
            sent.headers.iter().any(|(n, v)| n.eq_ignore_ascii_case("set-cookie") && v.starts_with("candour_invite=;") && v.contains("Max-Age=0")),
            "{:?}", sent.headers
        );
        assert_eq!((app.count("invitation_drafts"), app.waiting()), (0, 1));
        let replay = app.browser();
        let page = replay.get_with(&format!("/s/{slug}/page/1"), &[("Cookie", &cookie)]);
        assert!(page.body.contains("already responded"), "{}", page.body);
        let again = replay.post_form_with(&format!("/s/{slug}/page/1"), &[("Cookie", &cookie)], &[("agency", "police")]);
        assert!(again.body.contains("already responded"), "{}", again.body);
        assert_eq!((app.count("invitation_drafts"), app.waiting()), (0, 1));
    };
}
