//! Databases for tests: a temporary SQLite file, or a new PostgreSQL database when
//! CANDOUR_TEST_POSTGRES_URL is set; and helpers that look at what is stored.

use std::path::{Path, PathBuf};

use candour::db::{Database, DatabaseUrl, DbConnection};
use diesel::connection::SimpleConnection;
use diesel::{Connection, PgConnection};

use super::TestApp;

pub const POSTGRES_ENV: &str = "CANDOUR_TEST_POSTGRES_URL";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
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
