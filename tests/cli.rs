//! The `candour` command line: survey import, list, open, close, status, and settings.

mod common;

use common::{cli_with, stderr, stdout, write_file, Backend, TestDb, SMALL_QUESTIONNAIRE};

fn run(db: &TestDb, args: &[&str]) -> (bool, String, String) {
    let output = cli_with(db, args, None);
    (output.status.success(), stdout(&output), stderr(&output))
}

on_both_backends! {
    survey_lifecycle => |backend: Backend| {
        let db = TestDb::new(backend);
        let file = write_file(db.dir(), "q.toml", SMALL_QUESTIONNAIRE);
        let (ok, out, err) = run(&db, &["survey", "import", file.to_str().unwrap()]);
        assert!(ok, "{err}");
        assert_eq!(out.trim(), "test-survey");
        let (ok, out, _) = run(&db, &["survey", "list"]);
        assert!(ok);
        assert!(out.contains("test-survey\tdraft\t0 responses\tTest survey"), "{out}");

        // While a draft, questions may change freely.
        let changed = SMALL_QUESTIONNAIRE.replace("I understand the thresholds.", "I can apply the thresholds.");
        let changed_file = write_file(db.dir(), "changed.toml", &changed);
        assert!(run(&db, &["survey", "import", changed_file.to_str().unwrap()]).0);

        let (ok, out, _) = run(&db, &["survey", "open", "test-survey"]);
        assert!(ok);
        assert!(out.contains("open"));
        let (_, out, _) = run(&db, &["survey", "status", "test-survey"]);
        assert!(out.contains("status: open"), "{out}");
        assert!(out.contains("responses: 0"), "{out}");

        // Once open, the questions are frozen...
        let (ok, _, err) = run(&db, &["survey", "import", file.to_str().unwrap()]);
        assert!(!ok);
        assert!(err.contains("frozen"), "{err}");
        assert_eq!(err.trim().lines().count(), 1, "one-line reason: {err}");
        // ...the wording around them may change...
        let retitled = changed.replace("title = \"Test survey\"", "title = \"Renamed survey\"");
        let retitled_file = write_file(db.dir(), "retitled.toml", &retitled);
        let (ok, _, err) = run(&db, &["survey", "import", retitled_file.to_str().unwrap()]);
        assert!(ok, "{err}");
        // ...and the disclosure thresholds may not be lowered.
        let weaker = retitled.replace("min_group_size = 5", "min_group_size = 3");
        let weaker_file = write_file(db.dir(), "weaker.toml", &weaker);
        let (ok, _, err) = run(&db, &["survey", "import", weaker_file.to_str().unwrap()]);
        assert!(!ok);
        assert!(err.contains("min_group_size"), "{err}");
        let (_, out, _) = run(&db, &["survey", "list"]);
        assert!(out.contains("Renamed survey"), "{out}");

        let (ok, _, _) = run(&db, &["survey", "close", "test-survey"]);
        assert!(ok);
        let (_, out, _) = run(&db, &["survey", "status", "test-survey"]);
        assert!(out.contains("status: closed"));
    };

    bad_questionnaires_report_every_problem_and_import_nothing => |backend: Backend| {
        let db = TestDb::new(backend);
        let broken = SMALL_QUESTIONNAIRE
            .replace("options = [\"Neglect\", \"Exploitation\", \"Domestic abuse\"]", "options = [\"Neglect\", \"Neglect\"]")
            .replace("scale = \"agreement\"", "scale = \"agreeable\"")
            .replace("max_length = 200", "max_length = 200\ncolour = \"blue\"");
        let file = write_file(db.dir(), "broken.toml", &broken);
        let (ok, out, err) = run(&db, &["survey", "import", file.to_str().unwrap()]);
        assert!(!ok);
        assert!(out.is_empty());
        assert!(err.contains("nothing was imported"), "{err}");
        assert!(err.contains("sections[2].questions[2]"), "options problem located: {err}");
        assert!(err.contains("sections[2].questions[1]"), "scale problem located: {err}");
        assert!(err.contains("colour"), "unknown field named: {err}");
        let (_, out, _) = run(&db, &["survey", "list"]);
        assert!(out.trim().is_empty(), "nothing imported: {out}");

        let syntax = write_file(db.dir(), "syntax.toml", "slug = \"x\"\ntitle = ");
        let (ok, _, err) = run(&db, &["survey", "import", syntax.to_str().unwrap()]);
        assert!(!ok);
        assert!(err.contains("line"), "{err}");
    };

    unknown_slugs_and_missing_files_fail_cleanly => |backend: Backend| {
        let db = TestDb::new(backend);
        let (ok, _, err) = run(&db, &["survey", "open", "nope"]);
        assert!(!ok);
        assert!(err.contains("no survey has that slug"), "{err}");
        let (ok, _, err) = run(&db, &["survey", "import", "/no/such/file.toml"]);
        assert!(!ok);
        assert!(err.contains("cannot read"), "{err}");
        let (ok, _, _) = run(&db, &["survey", "explode"]);
        assert!(!ok);
    };
}

#[test]
fn the_shipped_questionnaire_imports() {
    let db = TestDb::new(Backend::Sqlite);
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/config/questionnaires/safeguarding-frontline.toml"
    );
    let (ok, out, err) = run(&db, &["survey", "import", path]);
    assert!(ok, "{err}");
    assert_eq!(out.trim(), "safeguarding-frontline");
}

#[test]
fn bad_settings_stop_with_the_setting_named() {
    let db = TestDb::new(Backend::Sqlite);
    let bad = [
        ("CANDOUR_SERVER__BIND", "not-an-address", "server.bind"),
        ("CANDOUR_SERVER__BINDD", "x", "bindd"),
        ("CANDOUR_DATABASE__POOL_SIZE", "0", "database.pool_size"),
        (
            "CANDOUR_DATABASE__URL",
            "mysql://localhost/x",
            "database.url",
        ),
        ("CANDOUR_MAIL__TRANSPORT", "pigeon", "mail.transport"),
    ];
    for (name, value, named) in bad {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_candour"))
            .arg("migrate")
            .current_dir(db.dir())
            .env("CANDOUR_DATABASE__URL", &db.url)
            .env(name, value)
            .output()
            .expect("run candour");
        let err = stderr(&output);
        assert!(!output.status.success(), "{name}={value} accepted");
        assert!(err.contains(named), "{name}: {err}");
    }
}

#[test]
fn database_url_alias_and_local_toml_are_honoured() {
    let dir = tempfile::tempdir().unwrap();
    let aliased = dir.path().join("alias").join("db.sqlite3");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_candour"))
        .arg("migrate")
        .current_dir(dir.path())
        .env_remove("CANDOUR_DATABASE__URL")
        .env("DATABASE_URL", format!("sqlite://{}", aliased.display()))
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(aliased.exists(), "DATABASE_URL used, its folder created");

    std::fs::create_dir_all(dir.path().join("config")).unwrap();
    let local = dir.path().join("local").join("db.sqlite3");
    std::fs::write(
        dir.path().join("config/local.toml"),
        format!("[database]\nurl = \"sqlite://{}\"\n", local.display()),
    )
    .unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_candour"))
        .arg("migrate")
        .current_dir(dir.path())
        .env_remove("CANDOUR_DATABASE__URL")
        .env_remove("DATABASE_URL")
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(local.exists(), "config/local.toml used");
}

#[test]
fn an_unreachable_database_is_reported() {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_candour"))
        .arg("migrate")
        .env(
            "CANDOUR_DATABASE__URL",
            "postgres://nobody@127.0.0.1:1/none",
        )
        .output()
        .unwrap();
    assert!(!output.status.success());
    let err = stderr(&output);
    assert!(err.contains("PostgreSQL"), "{err}");
    assert!(
        err.contains("Connection refused") || err.contains("connect"),
        "{err}"
    );
}
