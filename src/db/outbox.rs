//! The durable mail outbox: one row per message, written in the same transaction as the
//! change that causes it, claimed by a worker under a lease, bodies cleared once accepted.

use crate::db::InvitationId;
use crate::db::SurveyId;
use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::outbox;
use super::{write_transaction, DbConnection};

/// PostgreSQL allows 65,535 bound values per statement; outbox rows carry fourteen.
const ROWS_PER_STATEMENT: usize = 4_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MailStatus {
    Pending,
    Sent,
    Failed,
    /// Handed to the server, whose reply to the final `.` never came: maybe delivered.
    /// Final, like `sent`: never sent again on its own.
    Unconfirmed,
}

impl MailStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Sent => "sent",
            Self::Failed => "failed",
            Self::Unconfirmed => "unconfirmed",
        }
    }
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = outbox)]
pub struct NewMail {
    pub id: String,
    pub kind: String,
    pub invitation_id: Option<InvitationId>,
    pub recipient: String,
    pub recipient_name: Option<String>,
    pub subject: String,
    pub body_text: Option<String>,
    pub body_html: Option<String>,
    pub status: String,
    pub attempts: i32,
    pub next_attempt_at: NaiveDateTime,
    pub last_error: Option<String>,
    pub locked_by: Option<String>,
    pub locked_until: Option<NaiveDateTime>,
}

/// A claimed message, ready to send.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = outbox)]
pub struct QueuedMail {
    pub id: String,
    pub invitation_id: Option<InvitationId>,
    pub recipient: String,
    pub recipient_name: Option<String>,
    pub subject: String,
    pub body_text: Option<String>,
    pub body_html: Option<String>,
    pub attempts: i32,
}

pub fn insert_all(conn: &mut DbConnection, rows: &[NewMail]) -> QueryResult<()> {
    match conn {
        DbConnection::Postgres(pg) => {
            for chunk in rows.chunks(ROWS_PER_STATEMENT) {
                diesel::insert_into(outbox::table)
                    .values(chunk)
                    .execute(pg)?;
            }
        }
        DbConnection::Sqlite(lite) => {
            for row in rows {
                diesel::insert_into(outbox::table)
                    .values(row)
                    .execute(lite)?;
            }
        }
    }
    Ok(())
}

/// Leases up to `limit` due messages to `worker` until `lease_until`. A message leased by a
/// worker that died becomes due again when its lease runs out. PostgreSQL skips rows
/// another instance is claiming at the same moment; SQLite's write transaction is exclusive.
pub fn claim(
    conn: &mut DbConnection,
    worker: &str,
    now: NaiveDateTime,
    lease_until: NaiveDateTime,
    limit: i64,
) -> QueryResult<Vec<QueuedMail>> {
    write_transaction(conn, |conn| {
        macro_rules! due {
            () => {
                outbox::table
                    .filter(outbox::status.eq(MailStatus::Pending.as_str()))
                    .filter(outbox::next_attempt_at.le(now))
                    .filter(
                        outbox::locked_until
                            .is_null()
                            .or(outbox::locked_until.lt(now)),
                    )
                    .order(outbox::next_attempt_at.asc())
                    .limit(limit)
                    .select(QueuedMail::as_select())
            };
        }
        let claimed: Vec<QueuedMail> = match conn {
            DbConnection::Postgres(pg) => due!().for_update().skip_locked().load(pg)?,
            DbConnection::Sqlite(lite) => due!().load(lite)?,
        };
        let ids: Vec<&str> = claimed.iter().map(|m| m.id.as_str()).collect();
        for chunk in ids.chunks(ROWS_PER_STATEMENT) {
            diesel::update(outbox::table.filter(outbox::id.eq_any(chunk)))
                .set((
                    outbox::locked_by.eq(Some(worker)),
                    outbox::locked_until.eq(Some(lease_until)),
                ))
                .execute(conn)?;
        }
        Ok(claimed)
    })
}

/// Accepted by the server: the bodies (which hold the personal link) are deleted.
pub fn mark_sent(conn: &mut DbConnection, ids: &[String]) -> QueryResult<()> {
    for chunk in ids.chunks(ROWS_PER_STATEMENT) {
        diesel::update(outbox::table.filter(outbox::id.eq_any(chunk)))
            .set((
                outbox::status.eq(MailStatus::Sent.as_str()),
                outbox::body_text.eq(None::<String>),
                outbox::body_html.eq(None::<String>),
                outbox::attempts.eq(outbox::attempts + 1),
                outbox::last_error.eq(None::<String>),
                outbox::locked_by.eq(None::<String>),
                outbox::locked_until.eq(None::<NaiveDateTime>),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Keeps the lease of `worker`'s messages `ids` (those still pending) until `lease_until`.
pub fn renew_lease(
    conn: &mut DbConnection,
    worker: &str,
    ids: &[String],
    lease_until: NaiveDateTime,
) -> QueryResult<()> {
    for chunk in ids.chunks(ROWS_PER_STATEMENT) {
        diesel::update(
            outbox::table
                .filter(outbox::id.eq_any(chunk))
                .filter(outbox::locked_by.eq(worker))
                .filter(outbox::status.eq(MailStatus::Pending.as_str())),
        )
        .set(outbox::locked_until.eq(Some(lease_until)))
        .execute(conn)?;
    }
    Ok(())
}

/// Handed over, but the server never confirmed it: maybe delivered, so it is not tried
/// again. The bodies are deleted, as for a sent message.
pub fn mark_unconfirmed(conn: &mut DbConnection, id: &str, error: &str) -> QueryResult<()> {
    diesel::update(outbox::table.find(id))
        .set((
            outbox::status.eq(MailStatus::Unconfirmed.as_str()),
            outbox::attempts.eq(outbox::attempts + 1),
            outbox::body_text.eq(None::<String>),
            outbox::body_html.eq(None::<String>),
            outbox::last_error.eq(Some(error)),
            outbox::locked_by.eq(None::<String>),
            outbox::locked_until.eq(None::<NaiveDateTime>),
        ))
        .execute(conn)
        .map(drop)
}

/// A temporary failure: try again at `next_attempt_at`.
pub fn retry_later(
    conn: &mut DbConnection,
    id: &str,
    next_attempt_at: NaiveDateTime,
    error: &str,
) -> QueryResult<()> {
    diesel::update(outbox::table.find(id))
        .set((
            outbox::attempts.eq(outbox::attempts + 1),
            outbox::next_attempt_at.eq(next_attempt_at),
            outbox::last_error.eq(Some(error)),
            outbox::locked_by.eq(None::<String>),
            outbox::locked_until.eq(None::<NaiveDateTime>),
        ))
        .execute(conn)
        .map(drop)
}

/// Given up: a permanent failure, or too many temporary ones. The bodies are deleted too.
pub fn mark_failed(conn: &mut DbConnection, id: &str, error: &str) -> QueryResult<()> {
    diesel::update(outbox::table.find(id))
        .set((
            outbox::status.eq(MailStatus::Failed.as_str()),
            outbox::attempts.eq(outbox::attempts + 1),
            outbox::body_text.eq(None::<String>),
            outbox::body_html.eq(None::<String>),
            outbox::last_error.eq(Some(error)),
            outbox::locked_by.eq(None::<String>),
            outbox::locked_until.eq(None::<NaiveDateTime>),
        ))
        .execute(conn)
        .map(drop)
}

pub fn count_with_status(conn: &mut DbConnection, status: MailStatus) -> QueryResult<i64> {
    outbox::table
        .filter(outbox::status.eq(status.as_str()))
        .count()
        .get_result(conn)
}

/// Mail for a survey's invitees (invitations and reminders) that may or may not have been
/// delivered: a count, never who.
pub fn count_unconfirmed(conn: &mut DbConnection, survey_id: SurveyId) -> QueryResult<i64> {
    use super::schema::invitations;
    outbox::table
        .inner_join(invitations::table)
        .filter(invitations::survey_id.eq(survey_id))
        .filter(outbox::status.eq(MailStatus::Unconfirmed.as_str()))
        .count()
        .get_result(conn)
}
