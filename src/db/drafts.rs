//! Unfinished responses on the open link, found by the hash of a random cookie value.

use crate::db::SurveyId;
use std::collections::HashSet;

use chrono::NaiveDate;
use diesel::prelude::*;

use super::schema::{drafts, surveys};
use super::surveys::SurveyHead;
use super::DbConnection;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = drafts)]
pub struct DraftRow {
    pub id_hash: String,
    pub survey_id: SurveyId,
    pub answers: String,
    pub updated_on: NaiveDate,
}

pub fn find(
    conn: &mut DbConnection,
    id_hash: &str,
    survey_id: SurveyId,
) -> QueryResult<Option<DraftRow>> {
    drafts::table
        .filter(drafts::id_hash.eq(id_hash))
        .filter(drafts::survey_id.eq(survey_id))
        .select(DraftRow::as_select())
        .first(conn)
        .optional()
}

/// The advisory lock class (PostgreSQL) under which new drafts of one survey are counted.
const NEW_DRAFT_LOCK: i32 = 6_582_886;

/// What storing a draft's first answers came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Created {
    /// Stored (or it already existed, and its answers were saved).
    Stored,
    /// The survey already holds `max` drafts: nothing stored.
    SurveyFull,
}

/// Stores a new draft unless its survey already holds `max` drafts; a draft that exists
/// already (the same first page sent twice) has its answers saved instead. The count and the
/// insert are one step: SQLite's immediate transaction, or on PostgreSQL an advisory lock
/// per survey held until the transaction ends.
pub fn create_bounded(conn: &mut DbConnection, row: &DraftRow, max: i64) -> QueryResult<Created> {
    super::write_transaction(conn, |conn| {
        if let DbConnection::Postgres(pg) = conn {
            diesel::sql_query("SELECT pg_advisory_xact_lock($1, $2)")
                .bind::<diesel::sql_types::Integer, _>(NEW_DRAFT_LOCK)
                .bind::<diesel::sql_types::Integer, _>(row.survey_id)
                .execute(pg)?;
        }
        if save_answers(conn, &row.id_hash, &row.answers, row.updated_on)? {
            return Ok(Created::Stored);
        }
        if count_for_survey(conn, row.survey_id)? >= max {
            return Ok(Created::SurveyFull);
        }
        insert(conn, row)?;
        Ok(Created::Stored)
    })
}

/// How many open-link drafts a survey holds.
pub fn count_for_survey(conn: &mut DbConnection, survey_id: SurveyId) -> QueryResult<i64> {
    drafts::table
        .filter(drafts::survey_id.eq(survey_id))
        .count()
        .get_result(conn)
}

pub fn insert(conn: &mut DbConnection, row: &DraftRow) -> QueryResult<()> {
    diesel::insert_into(drafts::table)
        .values(row)
        .execute(conn)
        .map(drop)
}

/// Saves answers; returns false when the draft no longer exists.
pub fn save_answers(
    conn: &mut DbConnection,
    id_hash: &str,
    answers_json: &str,
    today: NaiveDate,
) -> QueryResult<bool> {
    diesel::update(drafts::table.find(id_hash))
        .set((
            drafts::answers.eq(answers_json),
            drafts::updated_on.eq(today),
        ))
        .execute(conn)
        .map(|n| n > 0)
}

/// Deletes a draft; returns false when it was already gone (submitted twice).
pub fn delete(conn: &mut DbConnection, id_hash: &str) -> QueryResult<bool> {
    diesel::delete(drafts::table.find(id_hash))
        .execute(conn)
        .map(|n| n > 0)
}

/// Deletes these open-link drafts; returns the hashes of those that existed (the caller
/// provides the transaction).
pub fn delete_all(conn: &mut DbConnection, id_hashes: &[&str]) -> QueryResult<HashSet<String>> {
    if id_hashes.is_empty() {
        return Ok(HashSet::new());
    }
    let chosen = drafts::table.filter(drafts::id_hash.eq_any(id_hashes));
    let deleted: Vec<String> = match conn {
        // Two instances deleting one draft: the second waits for the first and gets nothing.
        DbConnection::Postgres(pg) => diesel::delete(chosen)
            .returning(drafts::id_hash)
            .get_results(pg)?,
        // The caller's immediate transaction already excludes other writers.
        DbConnection::Sqlite(lite) => {
            let existing: Vec<String> = chosen.select(drafts::id_hash).load(lite)?;
            diesel::delete(drafts::table.filter(drafts::id_hash.eq_any(&existing)))
                .execute(lite)?;
            existing
        }
    };
    Ok(deleted.into_iter().collect())
}

pub fn delete_older_than(conn: &mut DbConnection, day: NaiveDate) -> QueryResult<usize> {
    diesel::delete(drafts::table.filter(drafts::updated_on.lt(day))).execute(conn)
}

/// A survey by slug and, in the same query, the answers of the draft with this hash (one
/// round trip per respondent page).
pub fn survey_with_draft(
    conn: &mut DbConnection,
    slug: &str,
    id_hash: Option<&str>,
) -> QueryResult<Option<(SurveyHead, Option<String>)>> {
    surveys::table
        .left_join(
            drafts::table.on(drafts::survey_id
                .eq(surveys::id)
                .and(drafts::id_hash.eq(id_hash.unwrap_or_default().to_owned()))),
        )
        .filter(surveys::slug.eq(slug))
        .select((SurveyHead::as_select(), drafts::answers.nullable()))
        .first(conn)
        .optional()
}
