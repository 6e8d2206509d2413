use std::sync::{Mutex, MutexGuard, PoisonError};

use diesel::connection::{AnsiTransactionManager, TransactionManager};

use super::DbConnection;

/// This process's SQLite writers (the response writer, the tally fold, the outbox, admin
/// forms) queue here for their turn rather than in SQLite's busy handler, which polls with
/// sleeps of up to 100 ms: a waiting writer starts the moment the previous one commits, and a
/// busy response writer cannot starve the fold. Other processes still wait on `busy_timeout`.
static SQLITE_WRITE_TURN: Mutex<()> = Mutex::new(());

fn sqlite_write_turn() -> MutexGuard<'static, ()> {
    SQLITE_WRITE_TURN
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
}

/// Runs `work` in a write transaction: `BEGIN IMMEDIATE` on SQLite, so the write lock is taken
/// up front and waits on `busy_timeout` instead of failing when a reader upgrades; a plain
/// transaction on PostgreSQL. Commits on `Ok`, rolls back on `Err`.
pub fn write_transaction<T, E>(
    conn: &mut DbConnection,
    work: impl FnOnce(&mut DbConnection) -> Result<T, E>,
) -> Result<T, E>
where
    E: From<diesel::result::Error>,
{
    let _turn = match conn {
        DbConnection::Sqlite(inner) => {
            let turn = sqlite_write_turn();
            AnsiTransactionManager::begin_transaction_sql(inner, "BEGIN IMMEDIATE")?;
            Some(turn)
        }
        DbConnection::Postgres(inner) => {
            AnsiTransactionManager::begin_transaction(inner)?;
            None
        }
    };
    match work(conn) {
        Ok(value) => {
            <DbConnection as diesel::Connection>::TransactionManager::commit_transaction(conn)?;
            Ok(value)
        }
        Err(error) => {
            // The work's error is the one worth reporting; a failed rollback leaves the
            // connection marked broken and the pool discards it.
            let _ = <DbConnection as diesel::Connection>::TransactionManager::rollback_transaction(
                conn,
            );
            Err(error)
        }
    }
}

/// Runs `work` on one consistent snapshot of the database (several reads that must agree):
/// a deferred transaction on SQLite (WAL readers see one snapshot from their first read),
/// `REPEATABLE READ, READ ONLY` on PostgreSQL. Always rolled back: it only reads.
pub fn read_snapshot<T, E>(
    conn: &mut DbConnection,
    work: impl FnOnce(&mut DbConnection) -> Result<T, E>,
) -> Result<T, E>
where
    E: From<diesel::result::Error>,
{
    match conn {
        DbConnection::Sqlite(inner) => {
            AnsiTransactionManager::begin_transaction_sql(inner, "BEGIN")?
        }
        DbConnection::Postgres(inner) => AnsiTransactionManager::begin_transaction_sql(
            inner,
            "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
        )?,
    }
    let outcome = work(conn);
    let rolled_back =
        <DbConnection as diesel::Connection>::TransactionManager::rollback_transaction(conn);
    let value = outcome?;
    rolled_back?;
    Ok(value)
}
