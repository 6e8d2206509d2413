//! The shared test harness: a real server on loopback over a fresh database per test
//! (a temporary SQLite file, or a new PostgreSQL database when CANDOUR_TEST_POSTGRES_URL
//! is set), an HTTP client that keeps cookies, and the CLI binary.

#![allow(dead_code)]

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::mpsc;
use std::thread::JoinHandle;

use candour::config::Settings;
use candour::db::{Database, DatabaseUrl, DbConnection};
use candour::server;
use diesel::connection::SimpleConnection;
use diesel::{Connection, PgConnection};
use figment::providers::Serialized;

pub const POSTGRES_ENV: &str = "CANDOUR_TEST_POSTGRES_URL";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Runs a test body on SQLite, and on PostgreSQL when CANDOUR_TEST_POSTGRES_URL is set.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident => $body:expr;)+) => {
        $(
            mod $name {
                #[allow(unused_imports)]
                use super::*;

                #[test]
                fn sqlite() {
                    let body: fn($crate::common::Backend) = $body;
                    body($crate::common::Backend::Sqlite);
                }

                #[test]
                fn postgres() {
                    if $crate::common::postgres_base_url().is_none() {
                        eprintln!("skipped: {} is not set", $crate::common::POSTGRES_ENV);
                        return;
                    }
                    let body: fn($crate::common::Backend) = $body;
                    body($crate::common::Backend::Postgres);
                }
            }
        )+
    };
}

pub fn postgres_base_url() -> Option<String> {
    std::env::var(POSTGRES_ENV)
        .ok()
        .filter(|v| !v.trim().is_empty())
}

/// A database that exists for one test and is removed afterwards.
pub struct TestDb {
    pub url: String,
    pub backend: Backend,
    dir: tempfile::TempDir,
    postgres: Option<(String, String)>,
}

impl TestDb {
    pub fn new(backend: Backend) -> Self {
        let dir = tempfile::tempdir().expect("a temporary folder");
        match backend {
            Backend::Sqlite => {
                let path = dir.path().join("data").join("candour.sqlite3");
                Self {
                    url: format!("sqlite://{}", path.display()),
                    backend,
                    dir,
                    postgres: None,
                }
            }
            Backend::Postgres => {
                let base = postgres_base_url().expect("CANDOUR_TEST_POSTGRES_URL is set");
                let name = format!("candour_test_{}", candour::secrets::random_id());
                let mut admin = PgConnection::establish(&base).unwrap_or_else(|e| {
                    panic!("{POSTGRES_ENV} is set but PostgreSQL is unreachable: {e}")
                });
                admin
                    .batch_execute(&format!("CREATE DATABASE {name}"))
                    .expect("create a test database");
                let mut url = url::Url::parse(&base).expect("a postgres:// URL");
                url.set_path(&name);
                Self {
                    url: url.to_string(),
                    backend,
                    dir,
                    postgres: Some((base, name)),
                }
            }
        }
    }

    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// A direct connection, for tests that look at what is stored.
    pub fn connect(&self) -> DbConnection {
        DbConnection::open(
            &DatabaseUrl::parse(&self.url).expect("a database URL"),
            5000,
        )
        .expect("connect to the test database")
    }

    pub fn database(&self) -> Database {
        Database::connect(
            &DatabaseUrl::parse(&self.url).expect("a database URL"),
            4,
            5000,
        )
        .expect("connect to the test database")
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some((base, name)) = &self.postgres {
            if let Ok(mut admin) = PgConnection::establish(base) {
                let _ =
                    admin.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
            }
        }
    }
}

/// Settings for a test: the shipped defaults, a test database, an ephemeral port.
pub fn settings_for(db: &TestDb, extra: &[(&str, &str)]) -> Settings {
    let mut figment = Settings::defaults()
        .merge(Serialized::default("database.url", &db.url))
        .merge(Serialized::default("database.pool_size", 4))
        .merge(Serialized::default("server.bind", "127.0.0.1:0"))
        .merge(Serialized::default("server.workers", 1))
        .merge(Serialized::default(
            "mail.file_dir",
            db.dir().join("mail").display().to_string(),
        ));
    for (key, value) in extra {
        figment = figment.merge(Serialized::default(key, value));
    }
    Settings::from_figment(figment).expect("test settings are valid")
}

/// A running server over its own database.
pub struct TestApp {
    pub db: TestDb,
    pub addr: SocketAddr,
    handle: actix_web::dev::ServerHandle,
    thread: Option<JoinHandle<()>>,
}

impl TestApp {
    pub fn start(backend: Backend) -> Self {
        Self::start_with(backend, &[])
    }

    pub fn start_with(backend: Backend, extra: &[(&str, &str)]) -> Self {
        let db = TestDb::new(backend);
        let settings = settings_for(&db, extra);
        let (started, ready) = mpsc::channel();
        let thread = std::thread::spawn(move || {
            actix_web::rt::System::new().block_on(async move {
                let database = server::open_database(&settings).expect("open the database");
                let running = server::start(settings, database).expect("start the server");
                started
                    .send((running.addrs[0], running.handle.clone()))
                    .expect("report the address");
                running.wait().await.expect("serve");
            })
        });
        let (addr, handle) = ready.recv().expect("the server starts");
        Self {
            db,
            addr,
            handle,
            thread: Some(thread),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// A fresh browser: its own cookies, redirects not followed (tests look at them).
    pub fn browser(&self) -> Browser {
        Browser {
            agent: ureq::AgentBuilder::new().redirects(0).build(),
            base: format!("http://{}", self.addr),
        }
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
}

impl Drop for TestApp {
    fn drop(&mut self) {
        actix_web::rt::System::new().block_on(self.handle.stop(true));
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

pub fn count_rows(conn: &mut DbConnection, table: &str) -> i64 {
    use diesel::sql_types::BigInt;
    use diesel::RunQueryDsl;
    #[derive(diesel::QueryableByName)]
    struct Count {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }
    diesel::sql_query(format!("SELECT COUNT(*) AS n FROM {table}"))
        .get_result::<Count>(conn)
        .expect("count rows")
        .n
}

/// Runs the CLI with the test database and a working folder of its own.
pub fn cli_with(db: &TestDb, args: &[&str], stdin: Option<&str>) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_candour"));
    command
        .args(args)
        .current_dir(db.dir())
        .env("CANDOUR_DATABASE__URL", &db.url)
        .env("CANDOUR_MAIL__FILE_DIR", db.dir().join("mail"))
        .env_remove("DATABASE_URL")
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = command.spawn().expect("run candour");
    if let (Some(input), Some(mut pipe)) = (stdin, child.stdin.take()) {
        use std::io::Write;
        pipe.write_all(input.as_bytes()).expect("write stdin");
    }
    child.wait_with_output().expect("candour finishes")
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

pub fn write_file(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write a file");
    path
}

/// What came back from the server, whatever the status.
pub struct Reply {
    pub status: u16,
    pub body: String,
    pub headers: Vec<(String, String)>,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn location(&self) -> &str {
        self.header("location").expect("a Location header")
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).expect("a JSON body")
    }
}

/// A cookie-keeping HTTP client.
pub struct Browser {
    pub agent: ureq::Agent,
    base: String,
}

impl Browser {
    fn reply(result: Result<ureq::Response, ureq::Error>) -> Reply {
        let response = match result {
            Ok(response) => response,
            Err(ureq::Error::Status(_, response)) => response,
            Err(error) => panic!("request failed: {error}"),
        };
        let status = response.status();
        let headers = response
            .headers_names()
            .into_iter()
            .flat_map(|name| {
                response
                    .all(&name)
                    .into_iter()
                    .map(|v| (name.clone(), v.to_owned()))
                    .collect::<Vec<_>>()
            })
            .collect();
        let body = response.into_string().unwrap_or_default();
        Reply {
            status,
            body,
            headers,
        }
    }

    pub fn get(&self, path: &str) -> Reply {
        Self::reply(self.agent.get(&format!("{}{path}", self.base)).call())
    }

    pub fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> Reply {
        Self::reply(
            self.agent
                .post(&format!("{}{path}", self.base))
                .send_form(fields),
        )
    }

    pub fn post_raw(&self, path: &str, content_type: &str, body: &[u8]) -> Reply {
        Self::reply(
            self.agent
                .post(&format!("{}{path}", self.base))
                .set("Content-Type", content_type)
                .send_bytes(body),
        )
    }

    pub fn post_json(&self, path: &str, body: &serde_json::Value) -> Reply {
        self.post_raw(path, "application/json", body.to_string().as_bytes())
    }
}

/// A small questionnaire covering every question type and a show_if rule.
pub const SMALL_QUESTIONNAIRE: &str = r#"
slug = "test-survey"
title = "Test survey"
introduction = "Tell us what you think."
privacy_notice = "Your answers are anonymous."
min_group_size = 5

[[sections]]
key = "about-you"
title = "About you"
[[sections.questions]]
key = "agency"
type = "single"
text = "Which organisation do you work for?"
options = [{ value = "council", label = "Council" }, { value = "police", label = "Police" }, "Health"]
required = true
breakdown = true

[[sections]]
key = "work"
title = "Your work"
[[sections.questions]]
key = "thresholds"
type = "likert"
scale = "agreement"
text = "I understand the thresholds."
required = true
[[sections.questions]]
key = "training"
type = "multi"
text = "Which training have you attended?"
options = ["Neglect", "Exploitation", "Domestic abuse"]
max_choices = 2
[[sections.questions]]
key = "caseload"
type = "number"
text = "How many children are allocated to you?"
min = 0
max = 60
integer = true
show_if = { question = "agency", any_of = ["council"] }
[[sections.questions]]
key = "comment"
type = "text"
text = "Anything else?"
long = true
max_length = 200

[[sections]]
key = "police"
title = "Police"
[[sections.questions]]
key = "joint-visits"
type = "single"
text = "Do you do joint visits?"
options = ["Yes", "No"]
show_if = { question = "agency", any_of = ["police"] }
"#;

/// Submits one whole response through the JSON API and checks it was stored.
pub fn submit(app: &TestApp, slug: &str, answers: serde_json::Value) {
    let reply = app.browser().post_json(
        &format!("/api/v1/surveys/{slug}/responses"),
        &serde_json::json!({ "answers": answers }),
    );
    assert_eq!(reply.status, 201, "{}", reply.body);
}
