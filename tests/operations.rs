//! Health checks, security headers, request logs, and graceful shutdown of the real binary.

mod common;

use std::io::{BufRead, BufReader, Read};
use std::process::{Command, Stdio};

use common::{Backend, TestApp, TestDb, SMALL_QUESTIONNAIRE};

on_both_backends! {
    health_and_headers => |backend: Backend| {
        let app = TestApp::builder(backend).start();
        let slug = app.import_and_open(SMALL_QUESTIONNAIRE);
        let browser = app.browser();
        assert_eq!(browser.get("/healthz").status, 200);
        let ready = browser.get("/readyz");
        assert_eq!(ready.status, 200);
        assert_eq!(ready.body, "ready");
        for path in ["/", "/healthz", "/readyz", "/no-such-page", &format!("/s/{slug}"), "/assets/candour.css"] {
            let reply = browser.get(path);
            assert_eq!(reply.header("referrer-policy"), Some("no-referrer"), "{path}");
            assert_eq!(reply.header("x-content-type-options"), Some("nosniff"), "{path}");
            let csp = reply.header("content-security-policy").unwrap_or_default();
            assert!(csp.contains("default-src 'self'") && csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        }
        let page = browser.get(&format!("/s/{slug}"));
        assert_eq!(page.header("cache-control"), Some("no-store"));
        assert!(!page.body.contains("<script"), "no JavaScript");
        assert!(!page.body.contains("style="), "no inline style");
        let css = browser.get("/assets/candour.css");
        assert!(css.header("content-type").unwrap_or_default().starts_with("text/css"));
    };
}

#[test]
fn request_logs_hold_no_tokens_or_answers_and_shutdown_is_graceful() {
    let db = TestDb::new(Backend::Sqlite);
    let mut child = Command::new(env!("CARGO_BIN_EXE_candour"))
        .arg("serve")
        .current_dir(db.dir())
        .env("CANDOUR_DATABASE__URL", &db.url)
        .env("CANDOUR_SERVER__BIND", "127.0.0.1:0")
        .env("CANDOUR_SERVER__WORKERS", "1")
        .env("RUST_LOG", "debug")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start candour");
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut printed = String::new();
    let addr = loop {
        let mut line = String::new();
        assert!(
            stdout.read_line(&mut line).unwrap() > 0,
            "server exited early: {printed}"
        );
        printed.push_str(&line);
        if let Some(rest) = line.strip_prefix("Candour is listening on http://") {
            break rest.trim().trim_end_matches('/').to_owned();
        }
    };
    assert!(
        printed.contains("survey open safeguarding-frontline"),
        "start-up says how to open the survey: {printed}"
    );
    assert!(
        printed.contains("/s/safeguarding-frontline"),
        "and where its link is: {printed}"
    );

    let file = common::write_file(db.dir(), "q.toml", SMALL_QUESTIONNAIRE);
    assert!(
        common::cli_with(&db, &["survey", "import", file.to_str().unwrap()], None)
            .status
            .success()
    );
    assert!(
        common::cli_with(&db, &["survey", "open", "test-survey"], None)
            .status
            .success()
    );

    let agent = ureq::AgentBuilder::new().redirects(0).build();
    let base = format!("http://{addr}/s/test-survey");
    let started = agent.post(&format!("{base}/start")).send_form(&[]).unwrap();
    let cookie = started.header("set-cookie").unwrap().to_owned();
    let token = cookie
        .split(';')
        .next()
        .unwrap()
        .split('=')
        .nth(1)
        .unwrap()
        .to_owned();
    agent
        .post(&format!("{base}/page/1"))
        .send_form(&[("_action", "continue"), ("agency", "police")])
        .unwrap();
    agent
        .post(&format!("{base}/page/2"))
        .send_form(&[
            ("_action", "continue"),
            ("thresholds", "agree"),
            ("comment", "Zanzibar-marmalade"),
        ])
        .unwrap();
    agent
        .post(&format!("{base}/submit"))
        .send_form(&[])
        .unwrap();

    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let exit = child.wait().unwrap();
    assert!(exit.success(), "graceful shutdown exits cleanly: {exit:?}");
    let mut logs = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut logs)
        .unwrap();
    assert!(
        logs.contains("/s/{slug}/page/{number}"),
        "requests are logged by route: {logs}"
    );
    assert!(!logs.contains(&token), "no draft token in logs");
    assert!(!logs.contains("Zanzibar"), "no answers in logs");
    assert!(!logs.contains("police"), "no answers in logs");
    assert_eq!(
        common::count_rows(&mut db.connect(), "waiting_responses"),
        1
    );
    assert_eq!(common::count_rows(&mut db.connect(), "responses"), 0);
    let closed = common::cli_with(&db, &["survey", "close", "test-survey"], None);
    assert!(closed.status.success(), "{}", common::stderr(&closed));
    assert_eq!(
        common::count_rows(&mut db.connect(), "waiting_responses"),
        0
    );
    assert_eq!(common::count_rows(&mut db.connect(), "responses"), 1);
}
