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

pub mod chromium;
pub mod slow_smtp;

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

    /// The server's generated secret key file (both backends; beside the SQLite file).
    pub fn key_file(&self) -> PathBuf {
        self.dir.path().join("data").join("secret.key")
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
        ))
        .merge(Serialized::default(
            "security.key_file",
            db.key_file().display().to_string(),
        ));
    for (key, value) in extra {
        figment = merge_setting(figment, key, value);
    }
    Settings::from_figment(figment).expect("test settings are valid")
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
    pub fn start(backend: Backend) -> Self {
        Self::start_with(backend, &[])
    }

    pub fn start_with(backend: Backend, extra: &[(&str, &str)]) -> Self {
        let db = TestDb::new(backend);
        let settings = settings_for(&db, extra);
        Self::launch(db, settings)
    }

    /// Starts with settings given as TOML on top of the test defaults (for lists and numbers).
    pub fn start_with_toml(backend: Backend, toml: &str) -> Self {
        let db = TestDb::new(backend);
        let settings = settings_with_toml(&db, toml);
        Self::launch(db, settings)
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

    pub fn stored_answers(&self) -> Vec<serde_json::Value> {
        stored_answers(&mut self.db.connect())
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

/// Every stored response's answers, as JSON objects, in random-id order.
pub fn stored_answers(conn: &mut DbConnection) -> Vec<serde_json::Value> {
    use diesel::sql_types::Text;
    use diesel::RunQueryDsl;
    #[derive(diesel::QueryableByName)]
    struct Row {
        #[diesel(sql_type = Text)]
        answers: String,
    }
    diesel::sql_query("SELECT answers FROM responses ORDER BY id")
        .load::<Row>(conn)
        .expect("read responses")
        .into_iter()
        .map(|row| serde_json::from_str(&row.answers).expect("stored answers are JSON"))
        .collect()
}

/// The rows of a query whose one column is text named `line`.
pub fn text_lines(conn: &mut DbConnection, sql: &str) -> Vec<String> {
    use diesel::RunQueryDsl;
    #[derive(diesel::QueryableByName)]
    struct Line {
        #[diesel(sql_type = diesel::sql_types::Text)]
        line: String,
    }
    diesel::sql_query(sql)
        .load::<Line>(conn)
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
        .into_iter()
        .map(|l| l.line)
        .collect()
}

/// Every byte of the database's files: SQLite's file and its -wal; PostgreSQL's relation
/// files of this database after a CHECKPOINT.
pub fn raw_database_bytes(app: &TestApp) -> Vec<u8> {
    let mut bytes = Vec::new();
    match app.db.backend {
        Backend::Sqlite => {
            let data = app.db.dir().join("data");
            for name in ["candour.sqlite3", "candour.sqlite3-wal"] {
                if let Ok(more) = std::fs::read(data.join(name)) {
                    bytes.extend(more);
                }
            }
        }
        Backend::Postgres => {
            let mut conn = app.db.connect();
            conn.batch_execute("CHECKPOINT;").expect("checkpoint");
            let dir = text_lines(
                &mut conn,
                "SELECT setting AS line FROM pg_settings WHERE name = 'data_directory'",
            );
            let oid = text_lines(
                &mut conn,
                "SELECT oid::text AS line FROM pg_database WHERE datname = current_database()",
            );
            let base = Path::new(&dir[0]).join("base").join(&oid[0]);
            for entry in std::fs::read_dir(&base)
                .expect("the test reads PostgreSQL's files (run as their owner or root)")
            {
                if let Ok(more) = std::fs::read(entry.expect("an entry").path()) {
                    bytes.extend(more);
                }
            }
        }
    }
    bytes
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
        .env("CANDOUR_SECURITY__KEY_FILE", db.key_file())
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

/// A password that meets the rules, for test accounts.
pub const TEST_PASSWORD: &str = "correct horse battery staple";

/// A review-team account made through the CLI, with its second factor set up through the
/// pages; `totp` computes its codes.
pub struct TestAccount {
    pub email: String,
    pub password: String,
    pub totp: totp_rs::TOTP,
    pub recovery_codes: Vec<String>,
}

impl TestAccount {
    /// The current code by the server's clock, after moving the clock past the step of
    /// any code used before (a code is accepted once only).
    pub fn code(&self, app: &TestApp) -> String {
        app.clock.advance(chrono::Duration::seconds(30));
        let now = app.clock.now().and_utc().timestamp() as u64;
        self.totp.generate(now)
    }
}

/// The value of a hidden input in a page.
pub fn hidden_field(body: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = body
        .find(&marker)
        .unwrap_or_else(|| panic!("no hidden field {name} in:\n{body}"))
        + marker.len();
    body[start..]
        .split('"')
        .next()
        .expect("a closing quote")
        .to_owned()
}

impl TestApp {
    /// Adds an account through `candour user add`.
    pub fn add_user(&self, email: &str, role: &str) {
        let output = cli_with(
            &self.db,
            &["user", "add", "--email", email, "--role", role],
            Some(&format!("{TEST_PASSWORD}\n")),
        );
        assert!(output.status.success(), "user add: {}", stderr(&output));
    }

    /// Adds an account and signs in for the first time (enrolling the second factor);
    /// returns the signed-in browser and the account.
    pub fn enrolled(&self, email: &str, role: &str) -> (Browser, TestAccount) {
        self.add_user(email, role);
        let browser = self.browser();
        let reply = browser.post_form(
            "/admin/signin",
            &[("email", email), ("password", TEST_PASSWORD)],
        );
        assert_eq!(reply.status, 303, "{}", reply.body);
        assert_eq!(reply.location(), "/admin/2fa/enrol");
        let page = browser.get("/admin/2fa/enrol");
        assert_eq!(page.status, 200, "{}", page.body);
        let secret = page
            .body
            .split("<code>")
            .nth(1)
            .and_then(|s| s.split("</code>").next())
            .expect("the secret in text")
            .split_whitespace()
            .collect::<String>();
        let totp = totp_rs::TOTP::new(
            totp_rs::Algorithm::SHA1,
            6,
            1,
            30,
            totp_rs::Secret::Encoded(secret)
                .to_bytes()
                .expect("base32 secret"),
            Some("Candour".to_owned()),
            email.to_owned(),
        )
        .expect("a TOTP");
        let mut account = TestAccount {
            email: email.to_owned(),
            password: TEST_PASSWORD.to_owned(),
            totp,
            recovery_codes: Vec::new(),
        };
        let csrf = hidden_field(&page.body, "_csrf");
        let code = account.code(self);
        let done = browser.post_form("/admin/2fa/enrol", &[("_csrf", &csrf), ("code", &code)]);
        assert_eq!(done.status, 200, "{}", done.body);
        account.recovery_codes = done
            .body
            .split("<li><code>")
            .skip(1)
            .filter_map(|s| s.split("</code>").next())
            .map(str::to_owned)
            .collect();
        assert_eq!(account.recovery_codes.len(), 10);
        (browser, account)
    }

    /// Signs an enrolled account in with password and app code in a fresh browser.
    pub fn sign_in(&self, account: &TestAccount) -> Browser {
        let browser = self.browser();
        let reply = browser.post_form(
            "/admin/signin",
            &[("email", &account.email), ("password", &account.password)],
        );
        assert_eq!(reply.location(), "/admin/2fa", "{}", reply.body);
        let page = browser.get("/admin/2fa");
        let csrf = hidden_field(&page.body, "_csrf");
        let code = account.code(self);
        let reply = browser.post_form("/admin/2fa", &[("_csrf", &csrf), ("code", &code)]);
        assert_eq!(reply.status, 303, "{}", reply.body);
        browser
    }
}

impl Browser {
    /// The CSRF token from a signed-in page.
    pub fn csrf(&self) -> String {
        hidden_field(&self.get("/admin/password").body, "_csrf")
    }

    /// A POST with extra headers (Origin, X-Forwarded-For).
    pub fn post_form_with(
        &self,
        path: &str,
        headers: &[(&str, &str)],
        fields: &[(&str, &str)],
    ) -> Reply {
        let mut request = self.agent.post(&format!("{}{path}", self.base));
        for (name, value) in headers {
            request = request.set(name, value);
        }
        Self::reply(request.send_form(fields))
    }

    pub fn get_with(&self, path: &str, headers: &[(&str, &str)]) -> Reply {
        let mut request = self.agent.get(&format!("{}{path}", self.base));
        for (name, value) in headers {
            request = request.set(name, value);
        }
        Self::reply(request.call())
    }
}

/// Test settings with a TOML fragment merged last (lists and numbers keep their types).
pub fn settings_with_toml(db: &TestDb, toml: &str) -> Settings {
    let figment = Settings::defaults()
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
        ))
        .merge(<figment::providers::Toml as figment::providers::Format>::string(toml));
    Settings::from_figment(figment).expect("test settings are valid")
}

/// How the test SMTP server answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmtpMode {
    Accept,
    /// Every MAIL FROM gets a 451 reply.
    Temporary,
    /// Connections are closed before the greeting.
    Down,
    /// Each connection is closed, without a word, after the message it carried.
    HangUpAfterMessage,
    /// Sessions are refused at the greeting with a permanent 554 reply.
    RefuseSession,
}

/// One message as the SMTP server received it.
#[derive(Debug, Clone)]
pub struct Received {
    pub recipients: Vec<String>,
    pub data: String,
}

impl Received {
    pub fn header(&self, name: &str) -> Vec<String> {
        let head = self.data.split("\r\n\r\n").next().unwrap_or_default();
        let mut headers: Vec<String> = Vec::new();
        for line in head.split("\r\n") {
            if line.starts_with(' ') || line.starts_with('\t') {
                if let Some(last) = headers.last_mut() {
                    last.push_str(line);
                }
            } else {
                headers.push(line.to_owned());
            }
        }
        let prefix = format!("{}:", name.to_ascii_lowercase());
        headers
            .into_iter()
            .filter(|h| h.to_ascii_lowercase().starts_with(&prefix))
            .map(|h| h[prefix.len()..].trim().to_owned())
            .collect()
    }

    /// The personal link (`…/i/<token>`) in the plain-text part.
    pub fn link(&self, kind: &str) -> String {
        let marker = format!("/{kind}/");
        // Undo quoted-printable soft line breaks, which may split a long link.
        let data = self.data.replace("=\r\n", "");
        let start = data.find(&marker).expect("a personal link");
        let token: String = data[start + marker.len()..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '.' || *c == '-' || *c == '_')
            .collect();
        if kind == "o" {
            assert!(
                token.contains('.'),
                "an opt-out link names its invitation and a tag"
            );
        } else {
            assert_eq!(token.len(), 64, "a whole token");
        }
        format!("{marker}{token}")
    }
}

#[derive(Default)]
struct SinkState {
    mode: Option<SmtpMode>,
    messages: Vec<Received>,
    reject: Vec<String>,
    rejected: usize,
    connections: usize,
    quits: usize,
    /// Replies held back (see `slow_smtp`).
    hold: slow_smtp::Hold,
}

/// A real SMTP server on loopback, in threads: it speaks enough ESMTP for lettre, keeps
/// every message, and can be told to fail temporarily, to be down, or to refuse recipients.
#[derive(Clone)]
pub struct SmtpSink {
    pub port: u16,
    state: std::sync::Arc<std::sync::Mutex<SinkState>>,
}

impl SmtpSink {
    pub fn start() -> Self {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind the SMTP sink");
        let port = listener.local_addr().expect("an address").port();
        let state = std::sync::Arc::new(std::sync::Mutex::new(SinkState {
            mode: Some(SmtpMode::Accept),
            ..SinkState::default()
        }));
        let shared = state.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let state = shared.clone();
                std::thread::spawn(move || {
                    let _ = serve_smtp(stream, &state);
                });
            }
        });
        Self { port, state }
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    pub fn set_mode(&self, mode: SmtpMode) {
        self.state.lock().unwrap().mode = Some(mode);
    }

    /// Recipients refused with a permanent 550 reply.
    pub fn reject(&self, address: &str) {
        self.state.lock().unwrap().reject.push(address.to_owned());
    }

    pub fn rejected(&self) -> usize {
        self.state.lock().unwrap().rejected
    }

    pub fn messages(&self) -> Vec<Received> {
        self.state.lock().unwrap().messages.clone()
    }

    /// Connections accepted so far (including those closed at once in `Down` mode).
    pub fn connections(&self) -> usize {
        self.state.lock().unwrap().connections
    }

    /// QUIT commands received so far.
    pub fn quits(&self) -> usize {
        self.state.lock().unwrap().quits
    }

    /// Waits until at least `count` messages arrived (or panics after `seconds`).
    pub fn wait_for(&self, count: usize, seconds: u64) -> Vec<Received> {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(seconds);
        loop {
            let messages = self.messages();
            if messages.len() >= count {
                return messages;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "only {} of {count} messages arrived",
                messages.len()
            );
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
    }
}

fn serve_smtp(
    stream: std::net::TcpStream,
    state: &std::sync::Mutex<SinkState>,
) -> std::io::Result<()> {
    use std::io::{BufRead, BufReader, Write};
    let mode = {
        let mut state = state.lock().unwrap();
        state.connections += 1;
        state.mode.unwrap_or(SmtpMode::Accept)
    };
    if mode == SmtpMode::Down {
        return Ok(());
    }
    let mut writer = stream.try_clone()?;
    if mode == SmtpMode::RefuseSession {
        return writer.write_all(b"554 5.3.2 no service here\r\n");
    }
    let mut reader = BufReader::new(stream);
    writer.write_all(b"220 sink.test ESMTP\r\n")?;
    let mut recipients = Vec::new();
    let mut line = String::new();
    loop {
        line.clear();
        if reader.read_line(&mut line)? == 0 {
            return Ok(());
        }
        let command = line.trim_end().to_ascii_uppercase();
        let mode = state.lock().unwrap().mode.unwrap_or(SmtpMode::Accept);
        if command.starts_with("EHLO") {
            writer.write_all(b"250-sink.test\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n")?;
        } else if command.starts_with("HELO") {
            writer.write_all(b"250 sink.test\r\n")?;
        } else if command.starts_with("MAIL FROM") {
            recipients.clear();
            if mode == SmtpMode::Temporary {
                writer.write_all(b"451 4.3.0 try again later\r\n")?;
            } else {
                writer.write_all(b"250 ok\r\n")?;
            }
        } else if command.starts_with("RCPT TO") {
            let address = line
                .trim_end()
                .split_once(':')
                .map(|(_, a)| a.trim().trim_matches(|c| c == '<' || c == '>').to_owned())
                .unwrap_or_default();
            let mut state = state.lock().unwrap();
            if state
                .reject
                .iter()
                .any(|r| r.eq_ignore_ascii_case(&address))
            {
                state.rejected += 1;
                writer.write_all(b"550 5.1.1 no such mailbox here\r\n")?;
            } else {
                recipients.push(address);
                writer.write_all(b"250 ok\r\n")?;
            }
        } else if command == "DATA" {
            writer.write_all(b"354 go ahead\r\n")?;
            let mut data = String::new();
            loop {
                line.clear();
                if reader.read_line(&mut line)? == 0 {
                    return Ok(());
                }
                if line == ".\r\n" {
                    break;
                }
                data.push_str(
                    line.strip_prefix('.')
                        .filter(|_| line.starts_with(".."))
                        .unwrap_or(&line),
                );
            }
            let ordinal = {
                let mut state = state.lock().unwrap();
                state.messages.push(Received {
                    recipients: std::mem::take(&mut recipients),
                    data,
                });
                state.messages.len()
            };
            slow_smtp::before_reply(state, ordinal);
            writer.write_all(b"250 queued\r\n")?;
            if mode == SmtpMode::HangUpAfterMessage {
                return Ok(());
            }
        } else if command == "QUIT" {
            state.lock().unwrap().quits += 1;
            writer.write_all(b"221 bye\r\n")?;
            return Ok(());
        } else {
            writer.write_all(b"250 ok\r\n")?;
        }
    }
}

/// Settings that send mail to a test SMTP server, quickly.
pub fn smtp_settings(sink: &SmtpSink) -> Vec<(&'static str, String)> {
    vec![
        ("mail.transport", "smtp".to_owned()),
        ("mail.smtp_url", sink.url()),
        ("mail.rate_per_second", "1000".to_owned()),
        ("mail.retry_base_seconds", "1".to_owned()),
        ("mail.poll_ms", "100".to_owned()),
    ]
}

impl TestApp {
    /// Starts an app whose mail goes to `sink`, with more settings on top.
    pub fn start_with_smtp(backend: Backend, sink: &SmtpSink, extra: &[(&str, &str)]) -> Self {
        let owned = smtp_settings(sink);
        let mut all: Vec<(&str, &str)> = owned.iter().map(|(k, v)| (*k, v.as_str())).collect();
        all.extend_from_slice(extra);
        Self::start_with(backend, &all)
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

/// Merges one setting given as text: whole numbers are merged as numbers.
pub fn merge_setting(figment: figment::Figment, key: &str, value: &str) -> figment::Figment {
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

/// A reply whose body is kept as bytes: downloads.
pub struct Download {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub bytes: Vec<u8>,
}

impl Download {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn text(&self) -> String {
        String::from_utf8(self.bytes.clone()).expect("a UTF-8 body")
    }
}

impl Browser {
    /// A GET whose body is read as bytes, with extra headers (Authorization).
    pub fn download(&self, path: &str, headers: &[(&str, &str)]) -> Download {
        let mut request = self.agent.get(&format!("{}{path}", self.base));
        for (name, value) in headers {
            request = request.set(name, value);
        }
        let response = match request.call() {
            Ok(response) => response,
            Err(ureq::Error::Status(_, response)) => response,
            Err(error) => panic!("request failed: {error}"),
        };
        let status = response.status();
        let headers = response
            .headers_names()
            .into_iter()
            .filter_map(|name| {
                let value = response.header(&name)?.to_owned();
                Some((name, value))
            })
            .collect();
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut response.into_reader(), &mut bytes).expect("read the body");
        Download {
            status,
            headers,
            bytes,
        }
    }
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
