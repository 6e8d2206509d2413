//! Tallies: counts per survey, group, question and value, kept up to date as responses are
//! stored so that results read a few hundred rows whatever the number of responses.
//! The layout (groups, pseudo-values) is described in the migration and in `report::tally`.

use std::collections::BTreeMap;

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Integer, Text};

use super::schema::{responses, tallies, untallied};
use super::DbConnection;

/// What one count is about. Ordered, so that upserts take row locks in the same order in
/// every instance (no deadlocks between writers on PostgreSQL).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TallyKey {
    pub survey_id: i32,
    pub by_question: String,
    pub by_value: String,
    pub question_key: String,
    pub value: String,
}

/// Increments to apply, one per distinct key.
pub type TallyIncrements = BTreeMap<TallyKey, i64>;

#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct TallyRow {
    pub by_question: String,
    pub by_value: String,
    pub question_key: String,
    pub value: String,
    pub count: i64,
}

/// SQLite allows 32,766 bound values per statement and PostgreSQL 65,535; six per row.
const SQLITE_ROWS_PER_STATEMENT: usize = 5_000;
const POSTGRES_ROWS_PER_STATEMENT: usize = 10_000;

const UPSERT_HEAD: &str =
    "INSERT INTO tallies (survey_id, by_question, by_value, question_key, value, count) VALUES ";
const UPSERT_TAIL: &str = " ON CONFLICT (survey_id, by_question, by_value, question_key, value) \
     DO UPDATE SET count = tallies.count + excluded.count";

/// Adds the increments, one multi-row upsert per few thousand keys; the caller provides the
/// transaction.
pub fn add(conn: &mut DbConnection, increments: &TallyIncrements) -> QueryResult<()> {
    let rows: Vec<(&TallyKey, i64)> = increments
        .iter()
        .filter(|(_, &count)| count != 0)
        .map(|(key, &count)| (key, count))
        .collect();
    match conn {
        // In-process SQLite: one cached prepared statement per row beats parsing a
        // statement with thousands of VALUES each time.
        DbConnection::Sqlite(lite) => {
            use diesel::upsert::excluded;
            for (key, count) in rows {
                diesel::insert_into(tallies::table)
                    .values((
                        tallies::survey_id.eq(key.survey_id),
                        tallies::by_question.eq(&key.by_question),
                        tallies::by_value.eq(&key.by_value),
                        tallies::question_key.eq(&key.question_key),
                        tallies::value.eq(&key.value),
                        tallies::count.eq(count),
                    ))
                    .on_conflict((
                        tallies::survey_id,
                        tallies::by_question,
                        tallies::by_value,
                        tallies::question_key,
                        tallies::value,
                    ))
                    .do_update()
                    .set(tallies::count.eq(tallies::count + excluded(tallies::count)))
                    .execute(lite)?;
            }
        }
        DbConnection::Postgres(pg) => {
            for chunk in rows.chunks(POSTGRES_ROWS_PER_STATEMENT) {
                let values = (0..chunk.len())
                    .map(|row| {
                        let n = row * 6;
                        format!(
                            "(${}, ${}, ${}, ${}, ${}, ${})",
                            n + 1,
                            n + 2,
                            n + 3,
                            n + 4,
                            n + 5,
                            n + 6
                        )
                    })
                    .collect::<Vec<_>>()
                    .join(", ");
                let mut query = diesel::sql_query(format!("{UPSERT_HEAD}{values}{UPSERT_TAIL}"))
                    .into_boxed::<diesel::pg::Pg>();
                for (key, count) in chunk {
                    query = query
                        .bind::<Integer, _>(key.survey_id)
                        .bind::<Text, _>(key.by_question.as_str())
                        .bind::<Text, _>(key.by_value.as_str())
                        .bind::<Text, _>(key.question_key.as_str())
                        .bind::<Text, _>(key.value.as_str())
                        .bind::<BigInt, _>(*count);
                }
                query.execute(pg)?;
            }
        }
    }
    Ok(())
}

/// The survey's tallies for the whole survey (`by_question` '') and, when given, for the
/// groups of one breakdown question.
pub fn load(
    conn: &mut DbConnection,
    survey_id: i32,
    breakdown: Option<&str>,
) -> QueryResult<Vec<TallyRow>> {
    let groupings: Vec<&str> = std::iter::once("").chain(breakdown).collect();
    tallies::table
        .filter(tallies::survey_id.eq(survey_id))
        .filter(tallies::by_question.eq_any(groupings))
        .select((
            tallies::by_question,
            tallies::by_value,
            tallies::question_key,
            tallies::value,
            tallies::count,
        ))
        .load(conn)
}

/// Every tally of a survey, in key order (for checks against a recomputation).
pub fn all(conn: &mut DbConnection, survey_id: i32) -> QueryResult<Vec<TallyRow>> {
    tallies::table
        .filter(tallies::survey_id.eq(survey_id))
        .order((
            tallies::by_question,
            tallies::by_value,
            tallies::question_key,
            tallies::value,
        ))
        .select((
            tallies::by_question,
            tallies::by_value,
            tallies::question_key,
            tallies::value,
            tallies::count,
        ))
        .load(conn)
}

pub fn delete_for_survey(conn: &mut DbConnection, survey_id: i32) -> QueryResult<usize> {
    diesel::delete(tallies::table.filter(tallies::survey_id.eq(survey_id))).execute(conn)
}

/// Marks stored responses as not yet tallied (the caller provides the transaction).
pub fn mark_untallied(conn: &mut DbConnection, rows: &[(String, i32)]) -> QueryResult<()> {
    let values: Vec<_> = rows
        .iter()
        .map(|(id, survey_id)| {
            (
                untallied::response_id.eq(id.as_str()),
                untallied::survey_id.eq(*survey_id),
            )
        })
        .collect();
    // Multi-row INSERTs on each backend's own connection type (MultiConnection does not
    // offer batch inserts on SQLite); two bound values per row.
    macro_rules! insert_in_chunks {
        ($conn:expr) => {{
            for chunk in values.chunks(SQLITE_ROWS_PER_STATEMENT) {
                diesel::insert_into(untallied::table)
                    .values(chunk)
                    .execute($conn)?;
            }
        }};
    }
    match conn {
        DbConnection::Sqlite(lite) => insert_in_chunks!(lite),
        DbConnection::Postgres(pg) => insert_in_chunks!(pg),
    }
    Ok(())
}

/// Up to `limit` untallied responses (id, survey, stored answers), claimed for folding: on
/// PostgreSQL the rows are locked and rows another instance holds are skipped.
pub fn claim_untallied(
    conn: &mut DbConnection,
    limit: i64,
) -> QueryResult<Vec<(String, i32, String)>> {
    let ids: Vec<String> = match conn {
        DbConnection::Postgres(pg) => untallied::table
            .select(untallied::response_id)
            .limit(limit)
            .for_update()
            .skip_locked()
            .load(pg)?,
        DbConnection::Sqlite(lite) => untallied::table
            .select(untallied::response_id)
            .limit(limit)
            .load(lite)?,
    };
    responses::table
        .filter(responses::id.eq_any(&ids))
        .select((responses::id, responses::survey_id, responses::answers))
        .load(conn)
}

/// The stored answers of a survey's responses that are not yet tallied.
pub fn untallied_answers(conn: &mut DbConnection, survey_id: i32) -> QueryResult<Vec<String>> {
    untallied::table
        .inner_join(responses::table)
        .filter(untallied::survey_id.eq(survey_id))
        .select(responses::answers)
        .load(conn)
}

pub fn unmark(conn: &mut DbConnection, ids: &[String]) -> QueryResult<usize> {
    diesel::delete(untallied::table.filter(untallied::response_id.eq_any(ids))).execute(conn)
}

pub fn unmark_survey(conn: &mut DbConnection, survey_id: i32) -> QueryResult<usize> {
    diesel::delete(untallied::table.filter(untallied::survey_id.eq(survey_id))).execute(conn)
}
