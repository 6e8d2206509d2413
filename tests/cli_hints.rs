//! What the command line tells people: the start-up hint names the command they actually
//! ran, and mail with links is refused when its links would cross the network unencrypted
//! and queued with a warning when they would open only on the server itself (on the command
//! line and on the survey page alike).

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use common::{stderr, stdout, Backend, TestApp, TestDb, SMALL_QUESTIONNAIRE};

/// Starts `program serve` over a fresh database and returns the line of its start-up hint
/// that says how to open the shipped survey.
fn open_hint(program: &std::path::Path, db: &TestDb) -> String {
    let mut child = Command::new(program)
        .arg("serve")
        .current_dir(db.dir())
        .env("CANDOUR_DATABASE__URL", &db.url)
        .env("CANDOUR_MAIL__FILE_DIR", db.dir().join("mail"))
        .env("CANDOUR_SERVER__BIND", "127.0.0.1:0")
        .env_remove("DATABASE_URL")
        .env_remove("CARGO")
        .env_remove("CANDOUR_COMMAND")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start candour");
    let out = child.stdout.take().expect("stdout");
    let (found, hint) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(out).lines().map_while(Result::ok) {
            if line.starts_with("Open it with:") {
                let _ = found.send(line);
                return;
            }
        }
    });
    let line = hint.recv_timeout(Duration::from_secs(60));
    let _ = child.kill();
    let _ = child.wait();
    line.expect("the start-up hint")
}

#[test]
fn the_start_up_hint_names_the_command_that_was_run() {
    let binary = std::path::Path::new(env!("CARGO_BIN_EXE_candour"));
    // Run from the build folder: under cargo, whatever started it.
    let db = TestDb::new(Backend::Sqlite);
    let hint = open_hint(binary, &db);
    assert!(
        hint.contains("cargo run -- survey open safeguarding-frontline")
            || hint.contains("cargo run --release -- survey open safeguarding-frontline"),
        "{hint}"
    );

    // A release binary installed elsewhere (here a link to it): that path, not cargo.
    let db = TestDb::new(Backend::Sqlite);
    let installed = db.dir().join("bin");
    std::fs::create_dir_all(&installed).expect("a bin folder");
    let link = installed.join("candour");
    std::os::unix::fs::symlink(binary, &link).expect("a link to the binary");
    let hint = open_hint(&link, &db);
    assert!(!hint.contains("cargo"), "{hint}");
    assert!(
        hint.contains(&format!(
            "{} survey open safeguarding-frontline",
            link.display()
        )),
        "{hint}"
    );
}

on_both_backends! {
    mail_links_must_reach_people_safely => |backend: Backend| {
        let app = TestApp::builder(backend).start();
        let slug = app.import_and_open(SMALL_QUESTIONNAIRE);
        app.import_invitees(&slug, "email\nann@example.org\n");

        // Plain http to another host: refused with one line, nothing queued.
        for command in [vec!["invite", "send", &slug], vec!["remind", &slug, "--yes"]] {
            let refused = app.cli_env(&command, &[("CANDOUR_SERVER__PUBLIC_URL", "http://survey.example.org/")]);
            assert!(!refused.status.success(), "{command:?}");
            let reason = stderr(&refused);
            assert_eq!(reason.trim().lines().count(), 1, "{reason}");
            assert!(reason.contains("plain http") && reason.contains("nothing was queued"), "{reason}");
        }
        assert_eq!(app.count("outbox"), 0);

        // The default loopback address: queued, with a warning.
        let queued = app.cli(&["invite", "send", &slug]);
        assert!(queued.status.success(), "{}", stderr(&queued));
        assert!(stdout(&queued).contains("queued 1 invitation(s)"));
        assert!(stderr(&queued).contains("warning: server.public_url is http://127.0.0.1:8080/, a loopback address"), "{}", stderr(&queued));

        // https: no warning.
        let reminded = app.cli_env(&["remind", &slug, "--yes"], &[("CANDOUR_SERVER__PUBLIC_URL", "https://survey.example.org/"),
            ("CANDOUR_SECURITY__SECRET_KEY", &"7f".repeat(32))]);
        assert!(reminded.status.success(), "{}", stderr(&reminded));
        assert!(!stderr(&reminded).contains("warning"), "{}", stderr(&reminded));
    };
}

on_both_backends! {
    the_survey_page_warns_and_refuses_as_the_command_line_does => |backend: Backend| {
        let app = TestApp::builder(backend).setting("server.public_url", "http://survey.example.org/").start();
        let slug = app.import_and_open(SMALL_QUESTIONNAIRE);
        app.import_invitees(&slug, "email\nann@example.org\n");
        let (admin, _) = app.enrolled("ann@example.org", "admin");
        let page = admin.get(&format!("/admin/surveys/{slug}"));
        assert!(page.body.contains("<div class=\"notice notice-warning\"><p>server.public_url is http://survey.example.org/, plain http"), "{}", page.body);
        let csrf = admin.csrf();
        let refused = admin.post_form(&format!("/admin/surveys/{slug}/invitations/send"), &[("_csrf", &csrf)]);
        assert_eq!(refused.status, 422, "{}", refused.body);
        assert!(refused.body.contains("nothing was queued"));
        assert_eq!(app.count("outbox"), 0);

        // On the default loopback address the page says the links open only here.
        let local = TestApp::builder(backend).start();
        let slug = local.import_and_open(SMALL_QUESTIONNAIRE);
        let (admin, _) = local.enrolled("ann@example.org", "admin");
        let page = admin.get(&format!("/admin/surveys/{slug}"));
        assert!(page.body.contains("a loopback address: the links in these mails open only on this computer"), "{}", page.body);
    };
}
