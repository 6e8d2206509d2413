//! A running server on loopback over a database of its own, set up with a builder:
//!
//! ```ignore
//! let app = TestApp::builder(backend).start();
//! let app = TestApp::builder(backend)
//!     .smtp(&sink)
//!     .setting("responses.release_seconds", "1")
//!     .toml("[security]\ntrusted_proxies = [\"127.0.0.1\"]")
//!     .start();
//! ```

use std::net::SocketAddr;
use std::process::{Command, Output, Stdio};
use std::sync::mpsc;
use std::thread::JoinHandle;

use candour::config::Settings;
use candour::server;
use figment::providers::{Format, Serialized, Toml};
use figment::Figment;

use super::{
    cli_with, count_rows, stderr, stdout, stored_answers, write_file, Backend, Browser, SmtpSink,
    TestDb,
};

/// How a test server is set up: a backend, then settings on top of the test defaults
/// (the shipped defaults, the test database, an ephemeral port, one worker).
#[must_use = "a builder does nothing until `start`"]
pub struct TestAppBuilder {
    backend: Backend,
    /// Settings as text, merged in order after the defaults (and after `smtp`'s).
    settings: Vec<(String, String)>,
    /// TOML fragments, merged last (lists and numbers keep their types).
    toml: Vec<String>,
}

impl TestAppBuilder {
    /// One setting as text, by its dotted key; whole numbers are merged as numbers.
    pub fn setting(mut self, key: &str, value: &str) -> Self {
        self.settings.push((key.to_owned(), value.to_owned()));
        self
    }

    /// Several settings, as [`setting`](Self::setting) one after another.
    pub fn settings(self, settings: &[(&str, &str)]) -> Self {
        settings
            .iter()
            .fold(self, |builder, (key, value)| builder.setting(key, value))
    }

    /// Settings as a TOML fragment, merged after every other setting.
    pub fn toml(mut self, toml: &str) -> Self {
        self.toml.push(toml.to_owned());
        self
    }

    /// Mail goes to `sink` over SMTP, sent quickly (no rate limit to speak of, retries
    /// after a second, the outbox polled every 100 ms). Later settings may override these.
    pub fn smtp(self, sink: &SmtpSink) -> Self {
        sink.settings()
            .iter()
            .fold(self, |builder, (key, value)| builder.setting(key, value))
    }

    /// The settings the server would start with over `db` (for tests of settings).
    pub fn settings_for(&self, db: &TestDb) -> Settings {
        let mut figment = Settings::defaults()
            .merge(Serialized::default("database.url", &db.url))
            .merge(Serialized::default("database.pool_size", 4))
            .merge(Serialized::default("server.bind", "127.0.0.1:0"))
            .merge(Serialized::default("server.workers", 1))
            .merge(Serialized::default(
                "mail.file_dir",
                db.dir().join("mail").display().to_string(),
            ))
            .merge(Serialized::default(
                "security.key_file",
                db.key_file().display().to_string(),
            ));
        for (key, value) in &self.settings {
            figment = merge_setting(figment, key, value);
        }
        for toml in &self.toml {
            figment = figment.merge(Toml::string(toml));
        }
        Settings::from_figment(figment).expect("test settings are valid")
    }

    /// Makes a fresh database and starts the server over it.
    pub fn start(self) -> TestApp {
        let db = TestDb::new(self.backend);
        let settings = self.settings_for(&db);
        TestApp::launch(db, settings)
    }
}

/// A running server over its own database.
pub struct TestApp {
    pub db: TestDb,
    pub addr: SocketAddr,
    /// The server's clock: tests move it forward instead of sleeping.
    pub clock: candour::clock::Clock,
    /// The first-run `/setup?token=…` link the server printed (no account existed).
    pub setup_link: Option<String>,
    handle: actix_web::dev::ServerHandle,
    thread: Option<JoinHandle<()>>,
}

impl TestApp {
    /// Sets up a server over a fresh database on `backend`; `.start()` starts it.
    pub fn builder(backend: Backend) -> TestAppBuilder {
        TestAppBuilder {
            backend,
            settings: Vec::new(),
            toml: Vec::new(),
        }
    }

    fn launch(db: TestDb, settings: Settings) -> Self {
        let (started, ready) = mpsc::channel();
        let clock = candour::clock::Clock::system();
        let server_clock = clock.clone();
        let thread = std::thread::spawn(move || {
            actix_web::rt::System::new().block_on(async move {
                let database = server::open_database(&settings).expect("open the database");
                let running = server::start_with_clock(settings, database, server_clock)
                    .expect("start the server");
                started
                    .send((
                        running.addrs[0],
                        running.handle.clone(),
                        running.setup_link.clone(),
                    ))
                    .expect("report the address");
                running.wait().await.expect("serve");
            })
        });
        let (addr, handle, setup_link) = ready.recv().expect("the server starts");
        Self {
            db,
            addr,
            clock,
            setup_link,
            handle,
            thread: Some(thread),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// A fresh browser: its own cookies, redirects not followed (tests look at them).
    pub fn browser(&self) -> Browser {
        Browser::new(self.addr)
    }

    /// Runs the `candour` binary against this app's database.
    pub fn cli(&self, args: &[&str]) -> Output {
        cli_with(&self.db, args, None)
    }

    /// Imports a questionnaire through the CLI and opens it; returns its slug.
    pub fn import_and_open(&self, toml: &str) -> String {
        let file = self
            .db
            .dir()
            .join(format!("{}.toml", candour::secrets::random_id()));
        std::fs::write(&file, toml).expect("write the questionnaire");
        let output = self.cli(&["survey", "import", file.to_str().expect("a UTF-8 path")]);
        assert!(
            output.status.success(),
            "import failed ({:?}): {}",
            output.status,
            stderr(&output)
        );
        let slug = stdout(&output).trim().to_owned();
        let output = self.cli(&["survey", "open", &slug]);
        assert!(
            output.status.success(),
            "open failed ({:?}): {}",
            output.status,
            stderr(&output)
        );
        slug
    }

    pub fn count(&self, table: &str) -> i64 {
        count_rows(&mut self.db.connect(), table)
    }

    pub fn stored_answers(&self) -> Vec<serde_json::Value> {
        stored_answers(&mut self.db.connect())
    }

    /// Runs the CLI with extra environment variables (settings) for this app's database.
    pub fn cli_env(&self, args: &[&str], env: &[(&str, &str)]) -> Output {
        let mut command = Command::new(env!("CARGO_BIN_EXE_candour"));
        command
            .args(args)
            .current_dir(self.db.dir())
            .env("CANDOUR_DATABASE__URL", &self.db.url)
            .env("CANDOUR_MAIL__FILE_DIR", self.db.dir().join("mail"))
            .env("CANDOUR_SECURITY__KEY_FILE", self.db.key_file())
            .env_remove("DATABASE_URL")
            .stdin(Stdio::null());
        for (key, value) in env {
            command.env(key, value);
        }
        command.output().expect("candour runs")
    }

    /// Imports invitees from CSV text through the CLI; panics on failure.
    pub fn import_invitees(&self, slug: &str, csv: &str) -> String {
        let file = write_file(
            self.db.dir(),
            &format!("{}.csv", candour::secrets::random_id()),
            csv,
        );
        let output = self.cli(&["invite", "import", slug, file.to_str().expect("UTF-8")]);
        assert!(
            output.status.success(),
            "invite import: {}",
            stderr(&output)
        );
        stdout(&output)
    }

    /// Runs a CLI command that must succeed; returns its output.
    pub fn cli_ok(&self, args: &[&str]) -> String {
        let output = self.cli(args);
        assert!(output.status.success(), "{args:?}: {}", stderr(&output));
        stdout(&output)
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        actix_web::rt::System::new().block_on(self.handle.stop(true));
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Merges one setting given as text: whole numbers are merged as numbers.
pub fn merge_setting(figment: Figment, key: &str, value: &str) -> Figment {
    match value.parse::<i64>() {
        Ok(number) => figment.merge(Serialized::default(key, number)),
        Err(_) => figment.merge(Serialized::default(key, value)),
    }
}

/// Submits one whole response through the JSON API and checks it was stored.
pub fn submit(app: &TestApp, slug: &str, answers: serde_json::Value) {
    let reply = app.browser().post_json(
        &format!("/api/v1/surveys/{slug}/responses"),
        &serde_json::json!({ "answers": answers }),
    );
    assert_eq!(reply.status, 201, "{}", reply.body);
}

impl TestApp {
    /// Creates an API token for an account through `candour token create`.
    pub fn api_token(&self, email: &str) -> String {
        self.cli_ok(&["token", "create", "--email", email])
            .trim()
            .to_owned()
    }

    /// The audit log as (actor, action, detail), oldest first.
    pub fn audit_entries(&self) -> Vec<(String, String, String)> {
        use diesel::RunQueryDsl;
        #[derive(diesel::QueryableByName)]
        struct Row {
            #[diesel(sql_type = diesel::sql_types::Text)]
            actor: String,
            #[diesel(sql_type = diesel::sql_types::Text)]
            action: String,
            #[diesel(sql_type = diesel::sql_types::Text)]
            detail: String,
        }
        diesel::sql_query("SELECT actor, action, detail FROM audit_log ORDER BY id")
            .load::<Row>(&mut self.db.connect())
            .expect("read the audit log")
            .into_iter()
            .map(|r| (r.actor, r.action, r.detail))
            .collect()
    }
}

impl TestApp {
    /// The test hook that stands in for the passing of time: releases every response
    /// waiting sealed in the survey now (as closing it would), whatever their number.
    pub fn release_all(&self, slug: &str) -> usize {
        let mut conn = self.db.connect();
        let survey = candour::db::surveys::find_by_slug(&mut conn, slug)
            .expect("read the survey")
            .expect("the survey exists");
        let key = std::fs::read_to_string(self.db.key_file()).expect("the server's key file");
        let key = candour::secrets::SecretKey::parse(&key).expect("a valid key");
        let seal = candour::release::ResponseSeal::new(&key);
        candour::release::release_all(&mut conn, &seal, survey.id, self.clock.now().date())
            .expect("release the waiting responses")
    }

    /// Responses waiting sealed for release, over every survey.
    pub fn waiting(&self) -> i64 {
        count_rows(&mut self.db.connect(), "waiting_responses")
    }
}
