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
