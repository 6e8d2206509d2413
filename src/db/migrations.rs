use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

use super::{DbConnection, DbError};

const SQLITE: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
const POSTGRES: EmbeddedMigrations = embed_migrations!("migrations/postgres");

/// Applies every pending migration; returns how many ran.
pub fn run_pending(conn: &mut DbConnection) -> Result<usize, DbError> {
    let applied = match conn {
        DbConnection::Sqlite(c) => c.run_pending_migrations(SQLITE).map(|v| v.len()),
        DbConnection::Postgres(c) => c.run_pending_migrations(POSTGRES).map(|v| v.len()),
    };
    applied.map_err(|e| DbError::Migration(e.to_string()))
}

/// Reverts every applied migration (for the up-and-down test).
pub fn revert_all(conn: &mut DbConnection) -> Result<usize, DbError> {
    let reverted = match conn {
        DbConnection::Sqlite(c) => c.revert_all_migrations(SQLITE).map(|v| v.len()),
        DbConnection::Postgres(c) => c.revert_all_migrations(POSTGRES).map(|v| v.len()),
    };
    reverted.map_err(|e| DbError::Migration(e.to_string()))
}

/// Reverts the newest applied migration (for tests of a migration's data handling).
pub fn revert_last(conn: &mut DbConnection) -> Result<(), DbError> {
    let reverted = match conn {
        DbConnection::Sqlite(c) => c.revert_last_migration(SQLITE).map(drop),
        DbConnection::Postgres(c) => c.revert_last_migration(POSTGRES).map(drop),
    };
    reverted.map_err(|e| DbError::Migration(e.to_string()))
}

/// Reverts every applied migration newer than `version` (a folder name's leading stamp, such
/// as "2026-11-25-000006"); returns how many. For tests of one migration's data handling
/// that must not depend on how many migrations come after it.
pub fn revert_newer_than(conn: &mut DbConnection, version: &str) -> Result<usize, DbError> {
    let mut reverted = 0;
    loop {
        let applied = match conn {
            DbConnection::Sqlite(c) => c.applied_migrations(),
            DbConnection::Postgres(c) => c.applied_migrations(),
        }
        .map_err(|e| DbError::Migration(e.to_string()))?;
        // diesel names a version by the folder's stamp, with or without its dashes.
        let digits = |v: &str| v.chars().filter(char::is_ascii_digit).collect::<String>();
        let newest = applied.iter().map(|v| digits(&v.to_string())).max();
        match newest {
            Some(newest) if newest > digits(version) => {
                revert_last(conn)?;
                reverted += 1;
            }
            _ => return Ok(reverted),
        }
    }
}
