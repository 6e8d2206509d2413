//! The review team's door: set-up link, sign-in with password and TOTP, recovery codes,
//! sign-in limits, sessions and their timeouts, CSRF, roles, headers and the audit log.

mod common;

use candour::admin::{Access, ROUTES};
use chrono::Duration;
use common::{hidden_field, stdout, Backend, TestApp, SMALL_QUESTIONNAIRE, TEST_PASSWORD};

fn audit_actions(app: &TestApp) -> Vec<String> {
    use diesel::RunQueryDsl;
    #[derive(diesel::QueryableByName)]
    struct Row {
        #[diesel(sql_type = diesel::sql_types::Text)]
        action: String,
    }
    diesel::sql_query("SELECT action FROM audit_log ORDER BY id")
        .load::<Row>(&mut app.db.connect())
        .expect("read the audit log")
        .into_iter()
        .map(|r| r.action)
        .collect()
}

fn survey_status(app: &TestApp, slug: &str) -> String {
    stdout(&app.cli(&["survey", "status", slug]))
        .lines()
        .find_map(|l| l.strip_prefix("status: ").map(str::to_owned))
        .expect("a status line")
}

on_both_backends! {
    setup_link_creates_the_first_admin_once => |backend: Backend| {
        let app = TestApp::builder(backend).start();
        let link = app.setup_link.clone().expect("a set-up link when there is no account");
        let token = link.split("token=").nth(1).expect("a token").to_owned();
        let browser = app.browser();
        assert_eq!(browser.get("/setup?token=0000").status, 404, "a wrong token is refused");
        let page = browser.get(&format!("/setup?token={token}"));
        assert_eq!(page.status, 200);
        assert!(page.body.contains("Create the first admin account"));

        // A weak password is refused and the link stays usable.
        let weak = browser.post_form("/setup", &[("token", &token), ("email", "lead@example.org"),
            ("password", "short"), ("password_again", "short")]);
        assert_eq!(weak.status, 422);
        assert!(weak.body.contains("at least 15 characters"));
        assert_eq!(app.count("users"), 0);

        // What another site's page would send is refused; what Chromium sends from the set-up
        // page itself (its no-referrer policy makes the Origin "null") is accepted.
        let fields = [("token", token.as_str()), ("email", "Lead@Example.org"),
            ("password", TEST_PASSWORD), ("password_again", TEST_PASSWORD)];
        let forged = browser.post_form_with("/setup", &[("Sec-Fetch-Site", "cross-site"), ("Origin", "null")], &fields);
        assert_eq!(forged.status, 403);
        assert_eq!(app.count("users"), 0);
        let made = browser.post_form_with("/setup", &[("Sec-Fetch-Site", "same-origin"), ("Origin", "null")], &fields);
        assert_eq!(made.status, 303, "{}", made.body);
        assert_eq!(made.location(), "/admin/signin?created=1");
        assert_eq!(app.count("users"), 1);

        // Used up: neither the page nor the form works again.
        assert_eq!(browser.get(&format!("/setup?token={token}")).status, 404);
        let again = browser.post_form("/setup", &[("token", &token), ("email", "other@example.org"),
            ("password", TEST_PASSWORD), ("password_again", TEST_PASSWORD)]);
        assert_eq!(again.status, 404);
        assert_eq!(app.count("users"), 1);
        assert!(audit_actions(&app).contains(&"account.created".to_owned()));

        // The account signs in and must enrol its second factor.
        let signed = app.browser().post_form("/admin/signin", &[("email", "lead@example.org"), ("password", TEST_PASSWORD)]);
        assert_eq!(signed.location(), "/admin/2fa/enrol");
    };

    sign_in_needs_password_and_totp => |backend: Backend| {
        let app = TestApp::builder(backend).start();
        assert_eq!(app.browser().get("/admin/surveys").location(), "/admin/signin");
        let (_, account) = app.enrolled("ann@example.org", "admin");

        let browser = app.browser();
        let first = browser.post_form("/admin/signin", &[("email", "ann@example.org"), ("password", TEST_PASSWORD)]);
        assert_eq!(first.location(), "/admin/2fa");
        let cookie = first.header("set-cookie").expect("a session cookie").to_owned();
        for attribute in ["candour_session=", "HttpOnly", "SameSite=Lax", "Path=/"] {
            assert!(cookie.contains(attribute), "{cookie}");
        }
        assert!(!cookie.contains("Secure"), "plain http: no Secure flag");
        assert!(!cookie.contains("Max-Age") && !cookie.contains("Expires"), "a browser-session cookie");
        // Half signed in: the admin pages are still closed.
        assert_eq!(browser.get("/admin/surveys").location(), "/admin/signin");

        let page = browser.get("/admin/2fa");
        let csrf = hidden_field(&page.body, "_csrf");
        let wrong = browser.post_form("/admin/2fa", &[("_csrf", &csrf), ("code", "000000")]);
        assert_eq!(wrong.status, 200);
        assert!(wrong.body.contains("The code is not right"));
        let code = account.code(&app);
        let done = browser.post_form("/admin/2fa", &[("_csrf", &csrf), ("code", &code)]);
        assert_eq!(done.status, 303);
        let second_cookie = done.header("set-cookie").expect("a new session id").to_owned();
        assert_ne!(cookie.split(';').next(), second_cookie.split(';').next(), "a new id after the second factor");
        let surveys = browser.get("/admin/surveys");
        assert_eq!(surveys.status, 200);
        assert!(surveys.body.contains("ann@example.org"));

        // The same code cannot be used again, even within its window.
        let other = app.browser();
        other.post_form("/admin/signin", &[("email", "ann@example.org"), ("password", TEST_PASSWORD)]);
        let csrf = hidden_field(&other.get("/admin/2fa").body, "_csrf");
        let replay = other.post_form("/admin/2fa", &[("_csrf", &csrf), ("code", &code)]);
        assert_eq!(replay.status, 200, "a replayed code is refused");

        // Sign-out ends the session on the server.
        let csrf = browser.csrf();
        let sessions_before = app.count("sessions");
        let out = browser.post_form("/admin/signout", &[("_csrf", &csrf)]);
        assert_eq!(out.location(), "/admin/signin?signed-out=1");
        assert!(browser.get(out.location()).body.contains("You have signed out."), "signed out is said");
        assert_eq!(app.count("sessions"), sessions_before - 1);
        assert_eq!(browser.get("/admin/surveys").location(), "/admin/signin");

        let actions = audit_actions(&app);
        for expected in ["sign-in.password-accepted", "second-factor.enrolled", "sign-in.completed", "sign-in.second-factor-failed", "sign-out"] {
            assert!(actions.contains(&expected.to_owned()), "{expected} in {actions:?}");
        }
        // Never a password or a code in the log.
        let mut conn = app.db.connect();
        let log = dump_audit(&mut conn);
        assert!(!log.contains(TEST_PASSWORD) && !log.contains(&code), "{log}");
    };

    recovery_code_works_once => |backend: Backend| {
        let app = TestApp::builder(backend).start();
        let (_, account) = app.enrolled("ann@example.org", "admin");
        let code = account.recovery_codes[3].clone();
        let use_code = |code: &str| {
            let browser = app.browser();
            browser.post_form("/admin/signin", &[("email", "ann@example.org"), ("password", TEST_PASSWORD)]);
            let csrf = hidden_field(&browser.get("/admin/2fa").body, "_csrf");
            (browser.post_form("/admin/2fa", &[("_csrf", &csrf), ("code", code)]), browser)
        };
        let (first, browser) = use_code(&code.to_uppercase());
        assert_eq!(first.status, 303, "a recovery code signs in: {}", first.body);
        assert_eq!(browser.get("/admin/surveys").status, 200);
        let (second, _) = use_code(&code);
        assert_eq!(second.status, 200, "but only once");
        assert!(second.body.contains("already been used"));
    };

    wrong_password_and_unknown_email_look_the_same => |backend: Backend| {
        let app = TestApp::builder(backend).start();
        app.add_user("ann@example.org", "admin");
        let browser = app.browser();
        let started = std::time::Instant::now();
        let wrong = browser.post_form("/admin/signin", &[("email", "ann@example.org"), ("password", "not the right password at all")]);
        let wrong_time = started.elapsed();
        let started = std::time::Instant::now();
        let unknown = browser.post_form("/admin/signin", &[("email", "bob@example.org"), ("password", "not the right password at all")]);
        let unknown_time = started.elapsed();
        assert_eq!(wrong.status, unknown.status);
        assert_eq!(wrong.body.replace("ann@example.org", "EMAIL"), unknown.body.replace("bob@example.org", "EMAIL"));
        assert!(wrong.body.contains("The email address or password is not right"));
        assert!(wrong.header("set-cookie").is_none() && unknown.header("set-cookie").is_none());
        // Both check a password hash: neither answers in a fraction of the other's time.
        assert!(unknown_time * 4 > wrong_time && wrong_time * 4 > unknown_time, "{wrong_time:?} vs {unknown_time:?}");
        let actions = audit_actions(&app);
        assert_eq!(actions.iter().filter(|a| *a == "sign-in.failed").count(), 2);
    };

    account_limit_engages_and_releases => |backend: Backend| {
        let app = TestApp::builder(backend).start();
        let (_, account) = app.enrolled("ann@example.org", "admin");
        let browser = app.browser();
        for _ in 0..10 {
            let reply = browser.post_form("/admin/signin", &[("email", "ann@example.org"), ("password", "wrong wrong wrong wrong")]);
            assert_eq!(reply.status, 200);
        }
        let refused = browser.post_form("/admin/signin", &[("email", "ann@example.org"), ("password", TEST_PASSWORD)]);
        assert_eq!(refused.status, 429, "the right password is refused while the limit holds");
        assert!(refused.body.contains("too many failed attempts") && refused.body.contains("Wait 15 minutes"), "{}", refused.body);
        // Another account from the same address is not affected (separate buckets).
        let (_, other) = app.enrolled("bob@example.org", "viewer");
        app.sign_in(&other);
        // The limit is a delay, not a lock-out: it releases when the window passes.
        app.clock.advance(Duration::minutes(15));
        app.sign_in(&account);
        assert!(audit_actions(&app).contains(&"sign-in.refused".to_owned()));
    };

    address_limit_counts_across_accounts => |backend: Backend| {
        let app = TestApp::builder(backend).toml("[security]\nlogin_max_failures_per_address = 3").start();
        let browser = app.browser();
        for email in ["a@example.org", "b@example.org", "c@example.org"] {
            let reply = browser.post_form("/admin/signin", &[("email", email), ("password", "wrong wrong wrong wrong")]);
            assert_eq!(reply.status, 200);
        }
        let refused = browser.post_form("/admin/signin", &[("email", "d@example.org"), ("password", "wrong wrong wrong wrong")]);
        assert_eq!(refused.status, 429);
        // X-Forwarded-For is not believed from an untrusted peer.
        let spoofed = browser.post_form_with("/admin/signin", &[("X-Forwarded-For", "203.0.113.9")],
            &[("email", "d@example.org"), ("password", "wrong wrong wrong wrong")]);
        assert_eq!(spoofed.status, 429);
        app.clock.advance(Duration::minutes(16));
        let released = browser.post_form("/admin/signin", &[("email", "d@example.org"), ("password", "wrong wrong wrong wrong")]);
        assert_eq!(released.status, 200);
    };

    forwarded_address_counts_when_the_proxy_is_trusted => |backend: Backend| {
        let app = TestApp::builder(backend).toml("[security]\nlogin_max_failures_per_address = 2\ntrusted_proxies = [\"127.0.0.1\"]").start();
        let browser = app.browser();
        let attempt = |client: &str, email: &str| browser.post_form_with("/admin/signin",
            &[("X-Forwarded-For", client)], &[("email", email), ("password", "wrong wrong wrong wrong")]).status;
        assert_eq!(attempt("203.0.113.1", "a@example.org"), 200);
        assert_eq!(attempt("203.0.113.1", "b@example.org"), 200);
        assert_eq!(attempt("203.0.113.1", "c@example.org"), 429, "that client's bucket is full");
        assert_eq!(attempt("203.0.113.2", "c@example.org"), 200, "another client behind the proxy is not");
    };

    forms_without_the_right_csrf_token_change_nothing => |backend: Backend| {
        let app = TestApp::builder(backend).start();
        let slug = app.import_and_open(SMALL_QUESTIONNAIRE);
        let (browser, _) = app.enrolled("ann@example.org", "admin");
        let close = format!("/admin/surveys/{slug}/close");
        let missing = browser.post_form(&close, &[]);
        assert_eq!(missing.status, 403);
        assert!(missing.body.contains("nothing was changed"));
        let wrong = browser.post_form(&close, &[("_csrf", &"0".repeat(64))]);
        assert_eq!(wrong.status, 403);
        let csrf = browser.csrf();
        let cross_site = browser.post_form_with(&close, &[("Origin", "https://evil.example")], &[("_csrf", &csrf)]);
        assert_eq!(cross_site.status, 403, "a foreign Origin is refused even with the token");
        // Another session's token is not this session's.
        let (other, _) = app.enrolled("bob@example.org", "admin");
        let others = other.csrf();
        assert_ne!(others, csrf);
        assert_eq!(browser.post_form(&close, &[("_csrf", &others)]).status, 403);
        assert_eq!(survey_status(&app, &slug), "open");

        // What browsers send from another site, with or without Fetch Metadata.
        for headers in [
            &[("Sec-Fetch-Site", "cross-site"), ("Origin", "https://evil.example")][..],
            &[("Sec-Fetch-Site", "same-site"), ("Origin", "http://127.0.0.1:8080")][..],
            &[("Origin", "null")][..],
        ] {
            assert_eq!(browser.post_form_with(&close, headers, &[("_csrf", &csrf)]).status, 403, "{headers:?}");
        }
        assert_eq!(survey_status(&app, &slug), "open");

        let same_site = browser.post_form_with(&close, &[("Origin", "http://127.0.0.1:8080")], &[("_csrf", &csrf)]);
        assert_eq!(same_site.status, 303);
        assert_eq!(survey_status(&app, &slug), "closed");
        // A state change is never made by GET.
        assert_eq!(browser.get(&format!("/admin/surveys/{slug}/open")).status, 404);
    };

    a_viewer_cannot_change_anything => |backend: Backend| {
        let app = TestApp::builder(backend).start();
        let slug = app.import_and_open(SMALL_QUESTIONNAIRE);
        let (_, admin) = app.enrolled("ann@example.org", "admin");
        let (viewer, _) = app.enrolled("vic@example.org", "viewer");
        let _ = admin;
        let csrf = viewer.csrf();
        let users_before = app.count("users");
        let mut tried = 0;
        for (method, pattern, access) in ROUTES {
            if *access != Access::Admin {
                continue;
            }
            let path = pattern.replace("{slug}", &slug).replace("{id}", "1");
            let reply = if *method == "POST" {
                viewer.post_form(&path, &[("_csrf", &csrf), ("role", "viewer"), ("disabled", "true"),
                    ("email", "new@example.org"), ("password", TEST_PASSWORD), ("password_again", TEST_PASSWORD),
                    ("first_after_days", "1"), ("every_days", "1"), ("max_reminders", "1")])
            } else {
                viewer.get(&path)
            };
            assert_eq!(reply.status, 403, "{method} {path} as a viewer");
            tried += 1;
        }
        assert!(tried >= 10, "every admin route was tried");
        assert_eq!(survey_status(&app, &slug), "open");
        assert_eq!(app.count("users"), users_before);
        // A viewer sees surveys but no change buttons.
        let page = viewer.get(&format!("/admin/surveys/{slug}"));
        assert_eq!(page.status, 200);
        assert!(!page.body.contains("/close\""), "{}", page.body);
        let list = viewer.get("/admin/surveys");
        assert!(!list.body.contains("Import a questionnaire"));
    };

    sessions_end_after_idle_and_absolute_timeouts => |backend: Backend| {
        let app = TestApp::builder(backend).start();
        let (browser, account) = app.enrolled("ann@example.org", "admin");
        app.clock.advance(Duration::minutes(29));
        let page = browser.get("/admin/surveys");
        assert_eq!(page.status, 200, "29 minutes idle is fine");
        assert!(page.body.contains("signed out after 30 minutes without activity"), "{}", page.body);
        let csrf = browser.csrf();
        app.clock.advance(Duration::minutes(31));
        // A form sent after the timeout gets a warning page, not a silent loss.
        let ended = browser.post_form("/admin/password", &[("_csrf", &csrf), ("current_password", TEST_PASSWORD),
            ("password", "another long enough password"), ("password_again", "another long enough password")]);
        assert_eq!(ended.status, 401, "ended after 30 minutes idle");
        assert!(ended.body.contains("You have been signed out"));
        assert!(ended.body.contains("it was not saved"));
        assert!(ended.body.contains("for 30 minutes, or because you signed in more than 12 hours ago"), "{}", ended.body);
        assert_eq!(app.count("sessions"), 0, "ended on the server");
        assert_eq!(browser.get("/admin/surveys").location(), "/admin/signin");

        let browser = app.sign_in(&account);
        for _ in 0..(12 * 60 / 25) {
            app.clock.advance(Duration::minutes(25));
            assert_eq!(browser.get("/admin/surveys").status, 200);
        }
        app.clock.advance(Duration::minutes(25));
        assert_eq!(browser.get("/admin/surveys").status, 401, "ended 12 hours after sign-in however active");
    };

    security_headers_on_every_route => |backend: Backend| {
        let app = TestApp::builder(backend).start();
        let slug = app.import_and_open(SMALL_QUESTIONNAIRE);
        // Enough responses for every download, response-level ones included.
        for _ in 0..5 {
            common::submit(&app, &slug, serde_json::json!({"agency": "council", "thresholds": "agree"}));
        }
        app.release_all(&slug);
        let (browser, _) = app.enrolled("ann@example.org", "admin");
        let mut routes: Vec<(String, String)> = ROUTES
            .iter()
            .map(|(m, p, _)| (m.to_string(), p.replace("{slug}", &slug).replace("{id}", "1").replace("{number}", "1")))
            .collect();
        for (m, p) in [("GET", "/"), ("GET", "/healthz"), ("GET", "/readyz"), ("GET", "/s/{slug}"),
            ("POST", "/s/{slug}/start"), ("GET", "/s/{slug}/page/1"), ("GET", "/s/{slug}/check"),
            ("GET", "/s/{slug}/done"), ("GET", "/no/such/page"), ("GET", "/assets/candour.css")] {
            routes.push((m.to_owned(), p.replace("{slug}", &slug)));
        }
        for (method, path) in &routes {
            if path == "/admin/signout" {
                continue;
            }
            let reply = if method == "POST" { browser.post_form(path, &[]) } else { browser.get(path) };
            let csp = reply.header("content-security-policy").unwrap_or_default();
            assert!(csp.contains("default-src 'self'") && csp.contains("object-src 'none'")
                && csp.contains("base-uri 'none'") && csp.contains("frame-ancestors 'none'"), "{method} {path}: {csp}");
            assert!(!csp.contains("unsafe-inline"));
            assert_eq!(reply.header("x-content-type-options"), Some("nosniff"), "{method} {path}");
            let referrer = if path.starts_with("/admin") { "same-origin" } else { "no-referrer" };
            assert_eq!(reply.header("referrer-policy"), Some(referrer), "{method} {path}");
            if path != "/assets/candour.css" {
                assert_eq!(reply.header("cache-control"), Some("no-store"), "{method} {path}");
            }
            assert!(reply.header("strict-transport-security").is_none(), "no HSTS over plain http");
            let page = ROUTES.iter().any(|(m, p, a)| *m == "GET" && *a != Access::Partly && *a != Access::Anyone
                && p.replace("{slug}", &slug).replace("{number}", "1") == *path);
            if page && method == "GET" && path != "/admin" && path != "/admin/" {
                assert_eq!(reply.status, 200, "{method} {path} is a page: {}", reply.body);
                assert!(!reply.body.contains("style=") && !reply.body.contains("<script"), "{path}");
            }
        }
    };

    https_adds_hsts_and_host_prefixed_secure_cookie => |backend: Backend| {
        let app = TestApp::builder(backend).settings(&[("server.public_url", "https://candour.example.org/"), ("security.secret_key", &"7f".repeat(32))]).start();
        app.add_user("ann@example.org", "admin");
        let page = app.browser().get("/admin/signin");
        assert!(page.header("strict-transport-security").unwrap_or_default().contains("max-age="));
        let reply = app.browser().post_form("/admin/signin", &[("email", "ann@example.org"), ("password", TEST_PASSWORD)]);
        let cookie = reply.header("set-cookie").expect("a session cookie");
        assert!(cookie.starts_with("__Host-candour_session="), "{cookie}");
        for attribute in ["Secure", "HttpOnly", "SameSite=Lax", "Path=/"] {
            assert!(cookie.contains(attribute), "{cookie}");
        }
        assert!(!cookie.contains("Domain"), "{cookie}");
        // The second-factor secret is stored encrypted under the key.
        use diesel::RunQueryDsl;
        #[derive(diesel::QueryableByName)]
        struct Row { #[diesel(sql_type = diesel::sql_types::Text)] totp_secret: String }
        let row = diesel::sql_query("SELECT totp_secret FROM users").get_result::<Row>(&mut app.db.connect()).unwrap();
        assert!(row.totp_secret.starts_with("v1:"), "{}", row.totp_secret);
    };
}

fn dump_audit(conn: &mut candour::db::DbConnection) -> String {
    candour::db::audit_log::recent(conn, 1000)
        .expect("read the audit log")
        .into_iter()
        .map(|r| format!("{} {} {}\n", r.actor, r.action, r.detail))
        .collect()
}

fn count_action(app: &TestApp, action: &str) -> usize {
    audit_actions(app).iter().filter(|a| *a == action).count()
}

/// Sends `attempts` wrong-password sign-ins at once, each from its own connection.
fn concurrent_wrong_sign_ins(app: &TestApp, attempts: usize, email_of: fn(usize) -> String) {
    let barrier = std::sync::Arc::new(std::sync::Barrier::new(attempts));
    let threads: Vec<_> = (0..attempts)
        .map(|i| {
            let browser = app.browser();
            let barrier = barrier.clone();
            let email = email_of(i);
            std::thread::spawn(move || {
                barrier.wait();
                browser
                    .post_form(
                        "/admin/signin",
                        &[("email", &email), ("password", "wrong wrong wrong wrong")],
                    )
                    .status
            })
        })
        .collect();
    for thread in threads {
        let status = thread.join().expect("an attempt");
        assert!(status == 200 || status == 429, "{status}");
    }
}

on_both_backends! {
    concurrent_attempts_never_exceed_the_account_limit => |backend: Backend| {
        let app = TestApp::builder(backend).start();
        app.add_user("ann@example.org", "admin");
        concurrent_wrong_sign_ins(&app, 100, |_| "ann@example.org".to_owned());
        let evaluated = count_action(&app, "sign-in.failed");
        assert_eq!(evaluated, 10, "exactly the per-account limit was evaluated");
        assert_eq!(count_action(&app, "sign-in.refused"), 1, "refusals from one address: one audit row");
    };

    concurrent_attempts_never_exceed_the_address_limit => |backend: Backend| {
        let app = TestApp::builder(backend).start();
        concurrent_wrong_sign_ins(&app, 100, |i| format!("user{i}@example.org"));
        assert_eq!(count_action(&app, "sign-in.failed"), 50, "exactly the per-address limit");
    };

    an_attacker_cannot_keep_the_owner_out => |backend: Backend| {
        let app = TestApp::builder(backend).toml("[security]\ntrusted_proxies = [\"127.0.0.1\"]").start();
        let (_, account) = app.enrolled("ann@example.org", "admin");
        let attacker = app.browser();
        let from = |address: &'static str| [("X-Forwarded-For", address)];
        for _ in 0..12 {
            attacker.post_form_with("/admin/signin", &from("198.51.100.66"),
                &[("email", "ann@example.org"), ("password", "wrong wrong wrong wrong")]);
        }
        // The attacker's address is refused even with the right password.
        let refused = attacker.post_form_with("/admin/signin", &from("198.51.100.66"),
            &[("email", "ann@example.org"), ("password", TEST_PASSWORD)]);
        assert_eq!(refused.status, 429);
        // The owner, from an address that has not failed, signs in with password and code.
        let owner = app.browser();
        let reply = owner.post_form_with("/admin/signin", &from("203.0.113.7"),
            &[("email", "ann@example.org"), ("password", TEST_PASSWORD)]);
        assert_eq!(reply.location(), "/admin/2fa", "{}", reply.body);
        let page = owner.get_with("/admin/2fa", &from("203.0.113.7"));
        let csrf = hidden_field(&page.body, "_csrf");
        let done = owner.post_form_with("/admin/2fa", &from("203.0.113.7"),
            &[("_csrf", &csrf), ("code", &account.code(&app))]);
        assert_eq!(done.status, 303, "{}", done.body);
        // A fresh address gets one try while the account is under attack, not more.
        let other = app.browser();
        for (attempt, expected) in [(1, 200), (2, 429)] {
            let reply = other.post_form_with("/admin/signin", &from("192.0.2.44"),
                &[("email", "ann@example.org"), ("password", "wrong wrong wrong wrong")]);
            assert_eq!(reply.status, expected, "attempt {attempt}");
        }
    };
}
