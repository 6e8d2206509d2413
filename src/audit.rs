//! The audit log: every sign-in attempt and every administrative action, with who did it
//! and when. Details name surveys, accounts and outcomes; never a password, code or token.

use diesel::QueryResult;

use crate::db::{audit_log, DbConnection};

/// Records one entry, stamped with the current time.
pub fn record(conn: &mut DbConnection, actor: &str, action: &str, detail: &str) -> QueryResult<()> {
    audit_log::insert(conn, chrono::Utc::now().naive_utc(), actor, action, detail)
}
