//! The audit log: every sign-in attempt and every administrative action, with who did it
//! and when. Details name surveys, accounts and outcomes; never a password, code or token.

use chrono::NaiveDateTime;
use diesel::QueryResult;

use crate::db::{audit_log, DbConnection};

/// Records one entry, stamped with `now` (the server's `Clock`, or the system time for the
/// command line).
pub fn record(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    actor: &str,
    action: &str,
    detail: &str,
) -> QueryResult<()> {
    audit_log::insert(conn, now, actor, action, detail)
}
