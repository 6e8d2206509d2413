//! Survey administration, the accounts page and the account commands, through HTTP and
//! the CLI on both backends.

mod common;

use common::{
    cli_with, stderr, stdout, Backend, Browser, Reply, TestApp, SMALL_QUESTIONNAIRE, TEST_PASSWORD,
};

fn upload(browser: &Browser, csrf: &str, toml: &str) -> Reply {
    let boundary = "candourtestboundary";
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n{csrf}\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"q.toml\"\r\n\
         Content-Type: application/toml\r\n\r\n{toml}\r\n--{boundary}--\r\n"
    );
    browser.post_raw(
        "/admin/surveys/import",
        &format!("multipart/form-data; boundary={boundary}"),
        body.as_bytes(),
    )
}

fn audit_count(app: &TestApp, action: &str) -> usize {
    candour::db::audit_log::recent(&mut app.db.connect(), 1000)
        .expect("read the audit log")
        .into_iter()
        .filter(|r| r.action == action)
        .count()
}

on_both_backends! {
    import_preview_open_and_change_settings => |backend: Backend| {
        let app = TestApp::builder(backend).start();
        let (browser, _) = app.enrolled("ann@example.org", "admin");
        let csrf = browser.csrf();

        // A file with problems: each shown with its location, nothing imported.
        let broken = SMALL_QUESTIONNAIRE.replace("type = \"likert\"", "type = \"slider\"").replace("title = \"Test survey\"", "title = 5");
        let surveys_before = app.count("surveys");
        let refused = upload(&browser, &csrf, &broken);
        assert_eq!(refused.status, 422, "{}", refused.body);
        assert!(refused.body.contains("The questionnaire was not imported"));
        assert!(refused.body.contains("sections[2].questions[1]"), "{}", refused.body);
        assert!(refused.body.contains("title"), "{}", refused.body);
        assert_eq!(app.count("surveys"), surveys_before);
        assert_eq!(upload(&browser, "wrong", SMALL_QUESTIONNAIRE).status, 403);

        let imported = upload(&browser, &csrf, SMALL_QUESTIONNAIRE);
        assert_eq!(imported.status, 303, "{}", imported.body);
        assert_eq!(imported.location(), "/admin/surveys/test-survey");
        let list = browser.get("/admin/surveys");
        assert!(list.body.contains("Test survey") && list.body.contains("draft"));

        // Preview every page; nothing is stored.
        let intro = browser.get("/admin/surveys/test-survey/preview");
        assert_eq!(intro.status, 200);
        assert!(intro.body.contains("Tell us what you think."));
        for number in 1..=3 {
            let page = browser.get(&format!("/admin/surveys/test-survey/preview/{number}"));
            assert_eq!(page.status, 200, "page {number}");
        }
        let page2 = browser.get("/admin/surveys/test-survey/preview/2");
        assert!(page2.body.contains("How many children are allocated to you?"));
        assert!(page2.body.contains("is shown only to respondents"));
        assert_eq!(browser.get("/admin/surveys/test-survey/preview/4").status, 404);
        assert_eq!(app.count("drafts") + app.count("responses") + app.waiting(), 0);

        // Open, then change dates, reminders and the open link.
        let opened = browser.post_form("/admin/surveys/test-survey/open", &[("_csrf", &csrf)]);
        assert_eq!(opened.status, 303);
        let bad = browser.post_form("/admin/surveys/test-survey/settings", &[("_csrf", &csrf),
            ("opens_on", "next week"), ("closes_on", ""), ("first_after_days", "3"), ("every_days", "4"),
            ("max_reminders", "2"), ("open_link", "off")]);
        assert_eq!(bad.status, 422);
        assert!(bad.body.contains("YYYY-MM-DD"));
        let changed = browser.post_form("/admin/surveys/test-survey/settings", &[("_csrf", &csrf),
            ("opens_on", "2026-01-01"), ("closes_on", "2099-12-31"), ("first_after_days", "3"), ("every_days", "4"),
            ("max_reminders", "5"), ("open_link", "off")]);
        assert_eq!(changed.status, 303, "{}", changed.body);
        let page = browser.get("/admin/surveys/test-survey");
        assert!(page.body.contains("opens 2026-01-01") && page.body.contains("closes 2099-12-31"));
        assert!(page.body.contains("first after 3 days, then every 4 days, at most 5"));
        assert!(page.body.contains("off: personal invitations only"));
        assert!(page.body.contains("<dd>open</dd>"));
        // The open link is now off for respondents.
        let respondent = app.browser().get("/s/test-survey");
        assert!(respondent.body.contains("only accepts responses through personal invitation links"));

        // Questions are frozen once open.
        let reworded = SMALL_QUESTIONNAIRE.replace("I understand the thresholds.", "I know the thresholds.");
        let frozen = upload(&browser, &csrf, &reworded);
        assert_eq!(frozen.status, 422);
        assert!(frozen.body.contains("frozen"), "{}", frozen.body);

        let closed = browser.post_form("/admin/surveys/test-survey/close", &[("_csrf", &csrf)]);
        assert_eq!(closed.status, 303);
        for action in ["survey.imported", "survey.opened", "survey.settings-changed", "survey.closed"] {
            assert_eq!(audit_count(&app, action), 1, "{action}");
        }
        let audit = browser.get("/admin/audit");
        assert_eq!(audit.status, 200);
        assert!(audit.body.contains("survey.settings-changed"));
    };

    accounts_page_manages_accounts => |backend: Backend| {
        let app = TestApp::builder(backend).start();
        let (admin, _) = app.enrolled("ann@example.org", "admin");
        let csrf = admin.csrf();
        let weak = admin.post_form("/admin/accounts", &[("_csrf", &csrf), ("email", "vic@example.org"), ("role", "viewer"),
            ("password", "password"), ("password_again", "password")]);
        assert_eq!(weak.status, 422);
        let with_email = admin.post_form("/admin/accounts", &[("_csrf", &csrf), ("email", "vic.smith@example.org"), ("role", "viewer"),
            ("password", "I am vic.smith@example.org ok"), ("password_again", "I am vic.smith@example.org ok")]);
        assert!(with_email.body.contains("must not contain your email address"));
        let added = admin.post_form("/admin/accounts", &[("_csrf", &csrf), ("email", "vic@example.org"), ("role", "viewer"),
            ("password", TEST_PASSWORD), ("password_again", TEST_PASSWORD)]);
        assert_eq!(added.status, 303, "{}", added.body);
        let twice = admin.post_form("/admin/accounts", &[("_csrf", &csrf), ("email", "VIC@example.org"), ("role", "viewer"),
            ("password", TEST_PASSWORD), ("password_again", TEST_PASSWORD)]);
        assert!(twice.body.contains("already an account"));

        // The only admin cannot demote or disable themselves.
        let me = admin.post_form("/admin/accounts/1/role", &[("_csrf", &csrf), ("role", "viewer")]);
        assert_eq!(me.status, 422);
        assert!(me.body.contains("only active admin"));

        // The new viewer signs in (enrolling), then is promoted, reset and disabled.
        let vic_browser = app.browser();
        vic_browser.post_form("/admin/signin", &[("email", "vic@example.org"), ("password", TEST_PASSWORD)]);
        assert_eq!(vic_browser.get("/admin/2fa/enrol").status, 200);
        let promoted = admin.post_form("/admin/accounts/2/role", &[("_csrf", &csrf), ("role", "admin")]);
        assert_eq!(promoted.status, 303);
        let reset = admin.post_form("/admin/accounts/2/reset-2fa", &[("_csrf", &csrf)]);
        assert_eq!(reset.status, 303);
        let disabled = admin.post_form("/admin/accounts/2/status", &[("_csrf", &csrf), ("disabled", "true")]);
        assert_eq!(disabled.status, 303);
        assert_eq!(vic_browser.get("/admin/2fa/enrol").location(), "/admin/signin", "a disabled account's session ends");
        let refused = app.browser().post_form("/admin/signin", &[("email", "vic@example.org"), ("password", TEST_PASSWORD)]);
        assert!(refused.body.contains("The email address or password is not right"));
        let page = admin.get("/admin/accounts");
        assert!(page.body.contains("vic@example.org") && page.body.contains("disabled"));
        for action in ["account.created", "account.role-changed", "account.second-factor-reset", "account.status-changed"] {
            assert!(audit_count(&app, action) >= 1, "{action}");
        }
    };

    own_password_change_needs_the_current_one => |backend: Backend| {
        let app = TestApp::builder(backend).start();
        let (browser, mut account) = app.enrolled("ann@example.org", "viewer");
        let other_session = app.sign_in(&account);
        let csrf = browser.csrf();
        let new = "a brand new passphrase for ann";
        let wrong = browser.post_form("/admin/password", &[("_csrf", &csrf), ("current_password", "not my password at all"),
            ("password", new), ("password_again", new)]);
        assert_eq!(wrong.status, 422);
        assert!(wrong.body.contains("current password is not right"));
        let changed = browser.post_form("/admin/password", &[("_csrf", &csrf), ("current_password", TEST_PASSWORD),
            ("password", new), ("password_again", new)]);
        assert_eq!(changed.status, 200);
        assert!(changed.body.contains("Your password has been changed"));
        assert_eq!(other_session.get("/admin/surveys").location(), "/admin/signin", "other sessions end");
        assert_eq!(browser.get("/admin/surveys").status, 200, "this one goes on");
        account.password = new.to_owned();
        app.sign_in(&account);
    };

    user_add_and_token_commands => |backend: Backend| {
        let app = TestApp::builder(backend).start();
        let add = |email: &str, role: &str, password: &str| {
            cli_with(&app.db, &["user", "add", "--email", email, "--role", role], Some(&format!("{password}\n")))
        };
        let short = add("ann@example.org", "admin", "too short");
        assert!(!short.status.success());
        assert!(stderr(&short).contains("at least 15 characters"), "{}", stderr(&short));
        let common = add("ann@example.org", "admin", "qazwsxedcrfvtgb");
        assert!(!common.status.success());
        let role = add("ann@example.org", "owner", TEST_PASSWORD);
        assert!(!role.status.success());
        assert_eq!(app.count("users"), 0, "a refused command changes nothing");
        let ok = add("Ann@Example.org", "admin", TEST_PASSWORD);
        assert!(ok.status.success(), "{}", stderr(&ok));
        assert!(stdout(&ok).contains("added ann@example.org as admin"));
        assert!(!add("ann@example.org", "viewer", TEST_PASSWORD).status.success(), "no duplicates");
        assert_eq!(app.count("users"), 1);

        let none = app.cli(&["token", "create", "--email", "nobody@example.org"]);
        assert!(!none.status.success());
        let created = app.cli(&["token", "create", "--email", "ann@example.org"]);
        assert!(created.status.success(), "{}", stderr(&created));
        let token = stdout(&created).trim().to_owned();
        assert_eq!(token.len(), 64);
        let mut conn = app.db.connect();
        let stored = candour::db::api_tokens::list(&mut conn).unwrap();
        assert_eq!(stored.len(), 1);
        assert_ne!(stored[0].token_hash, token, "stored only as a hash");
        let account = candour::accounts::api_tokens::account_for(&mut conn, &token).unwrap().expect("the token's account");
        assert_eq!(account.email, "ann@example.org");
        assert!(account.is_admin());
        assert!(candour::accounts::api_tokens::account_for(&mut conn, &"0".repeat(64)).unwrap().is_none());

        let listed = stdout(&app.cli(&["token", "list"]));
        assert!(listed.contains("ann@example.org") && listed.contains("active") && !listed.contains(&token));
        let revoked = app.cli(&["token", "revoke", &stored[0].id.to_string()]);
        assert!(revoked.status.success(), "{}", stderr(&revoked));
        assert!(candour::accounts::api_tokens::account_for(&mut conn, &token).unwrap().is_none(), "revoked");
        assert!(!app.cli(&["token", "revoke", &stored[0].id.to_string()]).status.success());
    };
}
