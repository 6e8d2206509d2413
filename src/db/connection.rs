use diesel::connection::SimpleConnection;
use diesel::pg::PgConnection;
use diesel::sqlite::SqliteConnection;
use diesel::Connection;

use super::{DatabaseUrl, DbError};

/// Each pooled SQLite connection keeps its own page cache, on top of the operating
/// system's cache of the file. SQLite's default (2 MiB each) filled by a release beside
/// the other tasks took the server past its memory target; 256 KiB each measured no slower.
const SQLITE_CACHE_KIB: u32 = 256;

/// One connection type over both backends; queries are written once against it.
#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    Sqlite(SqliteConnection),
    Postgres(PgConnection),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl DbConnection {
    /// Opens a connection for the backend the URL names, reporting that backend's own error.
    pub fn open(url: &DatabaseUrl, busy_timeout_ms: u32) -> Result<Self, DbError> {
        match url {
            DatabaseUrl::Sqlite(path) => {
                if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                    std::fs::create_dir_all(parent).map_err(|e| {
                        DbError::Connect(format!("cannot create {}: {e}", parent.display()))
                    })?;
                }
                let location = path.to_string_lossy();
                let mut conn = SqliteConnection::establish(&location)
                    .map_err(|e| DbError::Connect(format!("{url}: {e}")))?;
                // busy_timeout first: switching to WAL itself may need to wait for a lock.
                conn.batch_execute(&format!(
                    "PRAGMA busy_timeout = {busy_timeout_ms};
                     PRAGMA journal_mode = WAL;
                     PRAGMA synchronous = FULL;
                     PRAGMA foreign_keys = ON;
                     PRAGMA secure_delete = ON;
                     PRAGMA cache_size = -{SQLITE_CACHE_KIB};"
                ))
                .map_err(|e| DbError::Connect(format!("{url}: {e}")))?;
                Ok(Self::Sqlite(conn))
            }
            DatabaseUrl::Postgres(raw) => PgConnection::establish(raw)
                .map(Self::Postgres)
                .map_err(|e| DbError::Connect(format!("{url}: {e}"))),
        }
    }

    pub fn backend(&self) -> Backend {
        match self {
            Self::Sqlite(_) => Backend::Sqlite,
            Self::Postgres(_) => Backend::Postgres,
        }
    }
}
