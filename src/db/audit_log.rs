//! The audit log: who did what, and when.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::audit_log;
use super::DbConnection;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = audit_log)]
pub struct AuditRow {
    pub id: i32,
    pub at: NaiveDateTime,
    pub actor: String,
    pub action: String,
    pub detail: String,
}

pub fn insert(
    conn: &mut DbConnection,
    at: NaiveDateTime,
    actor: &str,
    action: &str,
    detail: &str,
) -> QueryResult<()> {
    diesel::insert_into(audit_log::table)
        .values((
            audit_log::at.eq(at),
            audit_log::actor.eq(actor),
            audit_log::action.eq(action),
            audit_log::detail.eq(detail),
        ))
        .execute(conn)
        .map(drop)
}

/// The most recent entries, newest first.
pub fn recent(conn: &mut DbConnection, limit: i64) -> QueryResult<Vec<AuditRow>> {
    audit_log::table
        .order(audit_log::id.desc())
        .limit(limit)
        .select(AuditRow::as_select())
        .load(conn)
}
