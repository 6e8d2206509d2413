//! The command line for people and for log files: a mistyped slug lists the surveys there
//! are, and logs written to a pipe carry no ANSI colour codes.

mod common;

use common::{stderr, Backend, TestApp, SMALL_QUESTIONNAIRE};

on_both_backends! {
    a_mistyped_slug_lists_the_surveys => |backend: Backend| {
        let app = TestApp::builder(backend).start();
        let output = app.cli(&["survey", "status", "test-survy"]);
        assert!(!output.status.success());
        assert!(stderr(&output).contains("no survey has that slug; the surveys are: "), "{}", stderr(&output));

        let slug = app.import_and_open(SMALL_QUESTIONNAIRE);
        for command in [vec!["survey", "status", "test-survy"], vec!["remind", "test-survy"], vec!["invite", "send", "test-survy"]] {
            let output = app.cli(&command);
            assert!(!output.status.success(), "{command:?}");
            let said = stderr(&output);
            let last = said.trim().lines().last().unwrap_or_default().to_owned();
            assert!(last.starts_with("candour: no survey has that slug; the surveys are: "), "{command:?}: {said}");
            assert!(last.contains(&slug), "{command:?}: {said}");
        }
    };
}

#[test]
fn logs_to_a_pipe_have_no_colour_codes() {
    use std::io::Read;
    let app = TestApp::builder(Backend::Sqlite).start();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_candour"))
        .arg("serve")
        .current_dir(app.db.dir())
        .env("CANDOUR_DATABASE__URL", &app.db.url)
        .env("CANDOUR_MAIL__FILE_DIR", app.db.dir().join("mail"))
        .env("CANDOUR_SERVER__BIND", "127.0.0.1:0")
        .env("RUST_LOG", "info")
        .env_remove("DATABASE_URL")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("start candour serve");
    std::thread::sleep(std::time::Duration::from_secs(3));
    child.kill().expect("stop the server this test started");
    let mut logged = String::new();
    child
        .stderr
        .take()
        .expect("stderr")
        .read_to_string(&mut logged)
        .expect("read the log");
    let _ = child.wait();
    assert!(
        logged.contains("INFO"),
        "the server logs at start: {logged:?}"
    );
    assert!(
        !logged.contains('\u{1b}'),
        "no ANSI escape codes in a pipe: {logged:?}"
    );
}
