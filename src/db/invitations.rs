//! Invitations, their link tokens (hashes only) and invited respondents' sealed drafts.
//!
//! Nothing here records when an invitation completed. (On PostgreSQL a copy of the table may
//! still show the order of completions, through row versions and transaction ids; that links
//! no response, which joins `responses` only in a mixed release batch of at least k.)

use crate::db::InvitationId;
use crate::db::SurveyId;
use std::collections::HashSet;

use chrono::NaiveDate;
use diesel::prelude::*;

use super::schema::{invitation_drafts, invitation_tokens, invitations};
use super::DbConnection;

/// PostgreSQL allows 65,535 bound values per statement; invitation rows carry thirteen.
const ROWS_PER_STATEMENT: usize = 4_000;

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = invitations)]
pub struct NewInvitation {
    pub id: InvitationId,
    pub survey_id: SurveyId,
    pub email: String,
    pub email_key: String,
    pub name: Option<String>,
    pub invitee_group: Option<String>,
    pub sent: bool,
    pub completed: bool,
    pub opted_out: bool,
    pub undeliverable: bool,
    pub last_error: Option<String>,
    pub reminders_sent: i32,
    pub next_reminder_on: Option<NaiveDate>,
}

/// What mail to an invitee needs.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = invitations)]
pub struct Invitee {
    pub id: InvitationId,
    pub email: String,
    pub name: Option<String>,
}

/// What a request holding a token needs to know about its invitation.
#[derive(Debug, Clone, Queryable)]
pub struct TokenLookup {
    pub invitation_id: InvitationId,
    pub survey_id: SurveyId,
    pub completed: bool,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = invitation_tokens)]
pub struct NewToken {
    pub token_hash: String,
    pub invitation_id: InvitationId,
    pub survey_id: SurveyId,
}

/// Per-invitation flags, for response-rate figures (no identities).
#[derive(Debug, Clone, Queryable)]
pub struct RateRow {
    pub invitee_group: Option<String>,
    pub completed: bool,
    pub opted_out: bool,
    pub undeliverable: bool,
}

pub fn email_keys(conn: &mut DbConnection, survey_id: SurveyId) -> QueryResult<HashSet<String>> {
    invitations::table
        .filter(invitations::survey_id.eq(survey_id))
        .select(invitations::email_key)
        .load::<String>(conn)
        .map(|keys| keys.into_iter().collect())
}

/// Inserts invitations; the caller provides the transaction.
pub fn insert_all(conn: &mut DbConnection, rows: &[NewInvitation]) -> QueryResult<()> {
    match conn {
        DbConnection::Postgres(pg) => {
            for chunk in rows.chunks(ROWS_PER_STATEMENT) {
                diesel::insert_into(invitations::table)
                    .values(chunk)
                    .execute(pg)?;
            }
        }
        DbConnection::Sqlite(lite) => {
            for row in rows {
                diesel::insert_into(invitations::table)
                    .values(row)
                    .execute(lite)?;
            }
        }
    }
    Ok(())
}

pub fn insert_tokens(conn: &mut DbConnection, rows: &[NewToken]) -> QueryResult<()> {
    match conn {
        DbConnection::Postgres(pg) => {
            for chunk in rows.chunks(ROWS_PER_STATEMENT) {
                diesel::insert_into(invitation_tokens::table)
                    .values(chunk)
                    .execute(pg)?;
            }
        }
        DbConnection::Sqlite(lite) => {
            for row in rows {
                diesel::insert_into(invitation_tokens::table)
                    .values(row)
                    .execute(lite)?;
            }
        }
    }
    Ok(())
}

pub fn find_by_token(
    conn: &mut DbConnection,
    token_hash: &str,
) -> QueryResult<Option<TokenLookup>> {
    invitation_tokens::table
        .inner_join(invitations::table)
        .filter(invitation_tokens::token_hash.eq(token_hash))
        .select((
            invitations::id,
            invitations::survey_id,
            invitations::completed,
        ))
        .first(conn)
        .optional()
}

/// An invitation by its id (an invited respondent's cookie names it): its survey, and
/// whether it has responded.
pub fn find_by_id(
    conn: &mut DbConnection,
    invitation_id: &InvitationId,
) -> QueryResult<Option<(SurveyId, bool)>> {
    invitations::table
        .filter(invitations::id.eq(invitation_id))
        .select((invitations::survey_id, invitations::completed))
        .first(conn)
        .optional()
}

/// An invited respondent's stored draft, still sealed.
#[derive(Debug, Clone, Queryable)]
pub struct SealedDraft {
    /// The answers, sealed under the invitation's draft key.
    pub sealed: String,
    /// The draft key sealed under the server's key, when it has one.
    pub server_sealed_key: Option<String>,
}

pub fn find_draft(
    conn: &mut DbConnection,
    invitation_id: &InvitationId,
) -> QueryResult<Option<SealedDraft>> {
    invitation_drafts::table
        .find(invitation_id)
        .select((
            invitation_drafts::sealed,
            invitation_drafts::server_sealed_key,
        ))
        .first(conn)
        .optional()
}

/// Stores sealed draft answers, creating the draft on first save.
pub fn save_draft(
    conn: &mut DbConnection,
    invitation_id: &InvitationId,
    survey_id: SurveyId,
    draft: &SealedDraft,
    today: NaiveDate,
) -> QueryResult<()> {
    super::write_transaction(conn, |conn| {
        let changed = diesel::update(invitation_drafts::table.find(invitation_id))
            .set((
                invitation_drafts::sealed.eq(&draft.sealed),
                invitation_drafts::server_sealed_key.eq(&draft.server_sealed_key),
                invitation_drafts::updated_on.eq(today),
            ))
            .execute(conn)?;
        if changed == 0 {
            diesel::insert_into(invitation_drafts::table)
                .values((
                    invitation_drafts::invitation_id.eq(invitation_id),
                    invitation_drafts::survey_id.eq(survey_id),
                    invitation_drafts::sealed.eq(&draft.sealed),
                    invitation_drafts::server_sealed_key.eq(&draft.server_sealed_key),
                    invitation_drafts::updated_on.eq(today),
                ))
                .execute(conn)?;
        }
        Ok(())
    })
}

/// Deletes the sealed drafts of these invitations (once their responses are stored).
pub fn delete_drafts(conn: &mut DbConnection, invitation_ids: &[&InvitationId]) -> QueryResult<()> {
    if invitation_ids.is_empty() {
        return Ok(());
    }
    diesel::delete(
        invitation_drafts::table.filter(invitation_drafts::invitation_id.eq_any(invitation_ids)),
    )
    .execute(conn)
    .map(drop)
}

pub fn delete_draft(conn: &mut DbConnection, invitation_id: &InvitationId) -> QueryResult<()> {
    diesel::delete(invitation_drafts::table.find(invitation_id))
        .execute(conn)
        .map(drop)
}

/// Deletes invited respondents' sealed drafts unchanged since before `day`.
pub fn delete_drafts_older_than(conn: &mut DbConnection, day: NaiveDate) -> QueryResult<usize> {
    diesel::delete(invitation_drafts::table.filter(invitation_drafts::updated_on.lt(day)))
        .execute(conn)
}

/// Marks invitations completed (a flag, never a time) and returns those that were not
/// completed before; the caller provides the transaction. On PostgreSQL the rows are locked
/// first, so two instances completing one invitation at once store one response; SQLite's
/// immediate transaction already excludes other writers.
pub fn complete_all(
    conn: &mut DbConnection,
    claimed: &[(&InvitationId, SurveyId)],
) -> QueryResult<HashSet<InvitationId>> {
    let ids: Vec<&InvitationId> = claimed.iter().map(|(id, _)| *id).collect();
    if ids.is_empty() {
        return Ok(HashSet::new());
    }
    let open = invitations::table
        .filter(invitations::id.eq_any(&ids))
        .filter(invitations::completed.eq(false))
        .order(invitations::id.asc())
        .select(invitations::id);
    let fresh: Vec<InvitationId> = match conn {
        DbConnection::Postgres(pg) => open.for_update().load(pg)?,
        DbConnection::Sqlite(lite) => open.load(lite)?,
    };
    if !fresh.is_empty() {
        diesel::update(invitations::table.filter(invitations::id.eq_any(&fresh)))
            .set(invitations::completed.eq(true))
            .execute(conn)?;
    }
    Ok(fresh.into_iter().collect())
}

/// Opts an invitation out of reminders; false for an unknown id.
pub fn opt_out(conn: &mut DbConnection, invitation_id: &InvitationId) -> QueryResult<bool> {
    diesel::update(invitations::table.find(invitation_id))
        .set(invitations::opted_out.eq(true))
        .execute(conn)
        .map(|n| n > 0)
}

pub fn mark_undeliverable(
    conn: &mut DbConnection,
    invitation_id: &InvitationId,
    error: &str,
) -> QueryResult<()> {
    diesel::update(invitations::table.find(invitation_id))
        .set((
            invitations::undeliverable.eq(true),
            invitations::last_error.eq(Some(error)),
        ))
        .execute(conn)
        .map(drop)
}

/// Invitations whose invitation mail has not been queued yet (opted-out ones excluded).
pub fn unsent(conn: &mut DbConnection, survey_id: SurveyId) -> QueryResult<Vec<Invitee>> {
    invitations::table
        .filter(invitations::survey_id.eq(survey_id))
        .filter(invitations::sent.eq(false))
        .filter(invitations::opted_out.eq(false))
        .order(invitations::id.asc())
        .select(Invitee::as_select())
        .load(conn)
}

/// How many invitations `unsent` would return: not yet sent and not opted out.
pub fn count_unsent(conn: &mut DbConnection, survey_id: SurveyId) -> QueryResult<i64> {
    invitations::table
        .filter(invitations::survey_id.eq(survey_id))
        .filter(invitations::sent.eq(false))
        .filter(invitations::opted_out.eq(false))
        .count()
        .get_result(conn)
}

pub fn mark_sent(
    conn: &mut DbConnection,
    ids: &[InvitationId],
    first_reminder_on: NaiveDate,
) -> QueryResult<()> {
    for chunk in ids.chunks(ROWS_PER_STATEMENT) {
        diesel::update(invitations::table.filter(invitations::id.eq_any(chunk)))
            .set((
                invitations::sent.eq(true),
                invitations::next_reminder_on.eq(Some(first_reminder_on)),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Invitations that may get a reminder: sent, not completed, not opted out, deliverable,
/// under `max` reminders, and (unless `due_by` is None) due by that day. On PostgreSQL the
/// rows are locked and rows locked by another instance skipped, so two schedulers never
/// remind the same invitation twice; the caller holds the transaction.
pub fn reminder_candidates(
    conn: &mut DbConnection,
    survey_id: SurveyId,
    max: i32,
    due_by: Option<NaiveDate>,
    include_completed: bool,
) -> QueryResult<Vec<Invitee>> {
    // Every eligible invitation when no day is given (all have a due day once sent).
    // (A four-digit year: SQLite compares dates as text.)
    let due_by = due_by
        .or(NaiveDate::from_ymd_opt(9999, 12, 31))
        .unwrap_or_default();
    macro_rules! query {
        () => {
            invitations::table
                .filter(invitations::survey_id.eq(survey_id))
                .filter(invitations::sent.eq(true))
                .filter(
                    invitations::completed
                        .eq(false)
                        .or(invitations::completed.eq(include_completed)),
                )
                .filter(invitations::opted_out.eq(false))
                .filter(invitations::undeliverable.eq(false))
                .filter(invitations::reminders_sent.lt(max))
                .filter(invitations::next_reminder_on.le(due_by))
                .order(invitations::id.asc())
                .select(Invitee::as_select())
        };
    }
    match conn {
        DbConnection::Postgres(pg) => query!().for_update().skip_locked().load(pg),
        DbConnection::Sqlite(lite) => query!().load(lite),
    }
}

pub fn record_reminders(
    conn: &mut DbConnection,
    ids: &[InvitationId],
    next_on: NaiveDate,
) -> QueryResult<()> {
    for chunk in ids.chunks(ROWS_PER_STATEMENT) {
        diesel::update(invitations::table.filter(invitations::id.eq_any(chunk)))
            .set((
                invitations::reminders_sent.eq(invitations::reminders_sent + 1),
                invitations::next_reminder_on.eq(Some(next_on)),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// How many of a survey's invitations are completed: the responses that came through them.
pub fn count_completed(conn: &mut DbConnection, survey_id: SurveyId) -> QueryResult<i64> {
    invitations::table
        .filter(invitations::survey_id.eq(survey_id))
        .filter(invitations::completed.eq(true))
        .count()
        .get_result(conn)
}

pub fn rate_rows(conn: &mut DbConnection, survey_id: SurveyId) -> QueryResult<Vec<RateRow>> {
    invitations::table
        .filter(invitations::survey_id.eq(survey_id))
        .select((
            invitations::invitee_group,
            invitations::completed,
            invitations::opted_out,
            invitations::undeliverable,
        ))
        .load(conn)
}

/// An invitation's survey, by the invitation's id (opt-out links name it).
pub fn survey_of(
    conn: &mut DbConnection,
    invitation_id: &InvitationId,
) -> QueryResult<Option<SurveyId>> {
    invitations::table
        .filter(invitations::id.eq(invitation_id))
        .select(invitations::survey_id)
        .first(conn)
        .optional()
}
