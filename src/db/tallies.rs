//! Tallies: counts per survey, group, question and value, kept up to date as responses are
//! stored so that results read one or two rows whatever the number of responses. Each
//! grouping (the whole survey, or one breakdown question) is one row holding all its counts
//! (`Sheet`), so folding a batch of responses rewrites a few rows. The layout (groups,
//! pseudo-values) is described in the migrations and in `report::tally`.

use crate::db::responses::NewResponse;
use crate::db::{ResponseId, SurveyId};
use std::collections::BTreeMap;

use diesel::prelude::*;

use super::schema::{responses, tally_sheets, untallied};
use super::DbConnection;

/// What one count is about. Ordered, so that sheets are locked in the same order in every
/// instance (no deadlocks between folding instances on PostgreSQL).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TallyKey {
    pub survey_id: SurveyId,
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

/// One grouping's counts: group (`by_value`), then question, then value.
type Sheet = BTreeMap<String, BTreeMap<String, BTreeMap<String, i64>>>;

/// SQLite allows 32,766 bound values per statement; two per untallied row.
const SQLITE_ROWS_PER_STATEMENT: usize = 5_000;

fn decode(survey_id: SurveyId, by_question: &str, counts: &str) -> QueryResult<Sheet> {
    serde_json::from_str(counts).map_err(|e| {
        diesel::result::Error::DeserializationError(
            format!("tallies of survey {survey_id} by {by_question:?}: {e}").into(),
        )
    })
}

fn encode(sheet: &Sheet) -> QueryResult<String> {
    serde_json::to_string(sheet).map_err(|e| diesel::result::Error::SerializationError(Box::new(e)))
}

/// The stored sheet, locked until the end of the transaction on PostgreSQL (on SQLite the
/// caller's immediate transaction already excludes other writers).
fn read_for_update(
    conn: &mut DbConnection,
    survey_id: SurveyId,
    by_question: &str,
) -> QueryResult<Option<String>> {
    let query = tally_sheets::table
        .filter(tally_sheets::survey_id.eq(survey_id))
        .filter(tally_sheets::by_question.eq(by_question))
        .select(tally_sheets::counts);
    match conn {
        DbConnection::Postgres(pg) => query.for_update().first(pg).optional(),
        DbConnection::Sqlite(lite) => query.first(lite).optional(),
    }
}

/// Adds the increments, reading and rewriting each grouping's sheet once; the caller
/// provides the transaction. Counts that fall to zero are dropped.
pub fn add(conn: &mut DbConnection, increments: &TallyIncrements) -> QueryResult<()> {
    let mut by_sheet: BTreeMap<(SurveyId, &str), Vec<(&TallyKey, i64)>> = BTreeMap::new();
    for (key, &count) in increments.iter().filter(|(_, &count)| count != 0) {
        by_sheet
            .entry((key.survey_id, key.by_question.as_str()))
            .or_default()
            .push((key, count));
    }
    for ((survey_id, by_question), changes) in by_sheet {
        let stored = read_for_update(conn, survey_id, by_question)?;
        let mut sheet = match &stored {
            Some(counts) => decode(survey_id, by_question, counts)?,
            None => Sheet::new(),
        };
        for (key, count) in changes {
            let values = sheet
                .entry(key.by_value.clone())
                .or_default()
                .entry(key.question_key.clone())
                .or_default();
            let total = values.entry(key.value.clone()).or_insert(0);
            *total += count;
            if *total == 0 {
                values.remove(&key.value);
            }
        }
        let counts = encode(&sheet)?;
        let place = tally_sheets::table
            .filter(tally_sheets::survey_id.eq(survey_id))
            .filter(tally_sheets::by_question.eq(by_question));
        if stored.is_some() {
            diesel::update(place)
                .set(tally_sheets::counts.eq(&counts))
                .execute(conn)?;
        } else {
            diesel::insert_into(tally_sheets::table)
                .values((
                    tally_sheets::survey_id.eq(survey_id),
                    tally_sheets::by_question.eq(by_question),
                    tally_sheets::counts.eq(&counts),
                ))
                .execute(conn)?;
        }
    }
    Ok(())
}

fn rows_of(sheets: Vec<(String, String)>, survey_id: SurveyId) -> QueryResult<Vec<TallyRow>> {
    let mut rows = Vec::new();
    for (by_question, counts) in sheets {
        for (by_value, questions) in decode(survey_id, &by_question, &counts)? {
            for (question_key, values) in questions {
                for (value, count) in values {
                    rows.push(TallyRow {
                        by_question: by_question.clone(),
                        by_value: by_value.clone(),
                        question_key: question_key.clone(),
                        value,
                        count,
                    });
                }
            }
        }
    }
    Ok(rows)
}

/// The survey's tallies for the whole survey (`by_question` '') and, when given, for the
/// groups of one breakdown question.
pub fn load(
    conn: &mut DbConnection,
    survey_id: SurveyId,
    breakdown: Option<&str>,
) -> QueryResult<Vec<TallyRow>> {
    let groupings: Vec<&str> = std::iter::once("").chain(breakdown).collect();
    let sheets = tally_sheets::table
        .filter(tally_sheets::survey_id.eq(survey_id))
        .filter(tally_sheets::by_question.eq_any(groupings))
        .select((tally_sheets::by_question, tally_sheets::counts))
        .load(conn)?;
    rows_of(sheets, survey_id)
}

/// Every tally of a survey, in key order (for checks against a recomputation).
pub fn all(conn: &mut DbConnection, survey_id: SurveyId) -> QueryResult<Vec<TallyRow>> {
    let sheets = tally_sheets::table
        .filter(tally_sheets::survey_id.eq(survey_id))
        .order(tally_sheets::by_question)
        .select((tally_sheets::by_question, tally_sheets::counts))
        .load(conn)?;
    rows_of(sheets, survey_id)
}

pub fn delete_for_survey(conn: &mut DbConnection, survey_id: SurveyId) -> QueryResult<usize> {
    diesel::delete(tally_sheets::table.filter(tally_sheets::survey_id.eq(survey_id))).execute(conn)
}

/// Marks stored responses as not yet tallied (the caller provides the transaction).
pub fn mark_untallied(conn: &mut DbConnection, rows: &[NewResponse]) -> QueryResult<()> {
    let values: Vec<_> = rows
        .iter()
        .map(|row| {
            (
                untallied::response_id.eq(&row.id),
                untallied::survey_id.eq(row.survey_id),
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
pub fn claim_untallied(conn: &mut DbConnection, limit: i64) -> QueryResult<Vec<Claimed>> {
    let ids: Vec<ResponseId> = match conn {
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
        .select(Claimed::as_select())
        .load(conn)
}

/// The stored answers of a survey's responses that are not yet tallied.
pub fn untallied_answers(conn: &mut DbConnection, survey_id: SurveyId) -> QueryResult<Vec<String>> {
    untallied::table
        .inner_join(responses::table)
        .filter(untallied::survey_id.eq(survey_id))
        .select(responses::answers)
        .load(conn)
}

pub fn unmark(conn: &mut DbConnection, ids: &[ResponseId]) -> QueryResult<usize> {
    diesel::delete(untallied::table.filter(untallied::response_id.eq_any(ids))).execute(conn)
}

pub fn unmark_survey(conn: &mut DbConnection, survey_id: SurveyId) -> QueryResult<usize> {
    diesel::delete(untallied::table.filter(untallied::survey_id.eq(survey_id))).execute(conn)
}

/// A claimed untallied response: its id, survey and stored answers.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = responses)]
pub struct Claimed {
    pub id: ResponseId,
    pub survey_id: SurveyId,
    pub answers: String,
}

/// Why the SQLite fold's write transaction rolled back.
enum FoldAbort {
    /// Another process folded some of the claimed responses first: nothing is written.
    Raced,
    Failed(diesel::result::Error),
}

impl From<diesel::result::Error> for FoldAbort {
    fn from(error: diesel::result::Error) -> Self {
        Self::Failed(error)
    }
}

/// Folds up to `limit` stored but untallied responses into the tallies in one write
/// transaction, `increments_for` working out what the claimed responses add; returns how
/// many were folded (0 when none were pending, or another process took them first). Safe
/// with several instances, each backend in its own way:
/// - SQLite: readers never block its single writer, so the responses are read and counted
///   outside the write lock, which is held only to unmark and add. If another process folded
///   some of the same responses meanwhile, nothing is written and the next round retries.
/// - PostgreSQL: writers do not block each other, so the responses are claimed with
///   `FOR UPDATE SKIP LOCKED` inside the transaction and several instances fold different
///   ones.
pub fn fold_untallied<E>(
    conn: &mut DbConnection,
    limit: i64,
    increments_for: impl FnOnce(&mut DbConnection, &[Claimed]) -> Result<TallyIncrements, E>,
) -> Result<usize, E>
where
    E: From<diesel::result::Error>,
{
    match conn {
        DbConnection::Sqlite(_) => {
            let claimed = claim_untallied(conn, limit)?;
            if claimed.is_empty() {
                return Ok(0);
            }
            let increments = increments_for(conn, &claimed)?;
            let ids: Vec<ResponseId> = claimed.into_iter().map(|response| response.id).collect();
            let started = std::time::Instant::now();
            let folded = super::write_transaction(conn, |conn| -> Result<usize, FoldAbort> {
                if unmark(conn, &ids)? != ids.len() {
                    return Err(FoldAbort::Raced);
                }
                let unmarked = started.elapsed();
                add(conn, &increments)?;
                tracing::debug!(
                    responses = ids.len(),
                    tallies = increments.len(),
                    unmark_ms = unmarked.as_secs_f64() * 1e3,
                    add_ms = (started.elapsed() - unmarked).as_secs_f64() * 1e3,
                    "folding"
                );
                Ok(ids.len())
            });
            tracing::debug!(
                write_lock_ms = started.elapsed().as_secs_f64() * 1e3,
                "folded"
            );
            match folded {
                Ok(count) => Ok(count),
                Err(FoldAbort::Raced) => Ok(0),
                Err(FoldAbort::Failed(error)) => Err(error.into()),
            }
        }
        DbConnection::Postgres(_) => super::write_transaction(conn, |conn| {
            let claimed = claim_untallied(conn, limit)?;
            if claimed.is_empty() {
                return Ok(0);
            }
            let increments = increments_for(conn, &claimed)?;
            add(conn, &increments)?;
            let ids: Vec<ResponseId> = claimed.into_iter().map(|response| response.id).collect();
            unmark(conn, &ids)?;
            Ok(ids.len())
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::responses::{self, NewResponse};
    use crate::db::surveys::{self, NewSurvey};
    use crate::db::{migrations, DatabaseUrl};

    /// A migrated SQLite database with one survey and `count` untallied responses.
    fn with_untallied(count: usize) -> (tempfile::TempDir, DbConnection, Vec<ResponseId>) {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("fold.sqlite3").display());
        let mut conn = DbConnection::open(&DatabaseUrl::parse(&url).unwrap(), 5_000).unwrap();
        migrations::run_pending(&mut conn).unwrap();
        let now = chrono::NaiveDate::from_ymd_opt(2026, 12, 1)
            .unwrap()
            .and_hms_opt(9, 0, 0)
            .unwrap();
        let survey = NewSurvey {
            slug: "s",
            title: "S",
            status: "open",
            source: "",
            definition: "{}",
            revision: 1,
            created_at: now,
            updated_at: now,
        };
        surveys::insert(&mut conn, &survey).unwrap();
        let survey_id = surveys::find_by_slug(&mut conn, "s").unwrap().unwrap().id;
        let ids: Vec<ResponseId> = (0..count)
            .map(|i| ResponseId(format!("response-{i}")))
            .collect();
        let rows: Vec<NewResponse> = ids
            .iter()
            .map(|id| NewResponse {
                id: id.clone(),
                survey_id,
                submitted_on: now.date(),
                answers: "{}".into(),
            })
            .collect();
        responses::insert_all(&mut conn, &rows).unwrap();
        mark_untallied(&mut conn, &rows).unwrap();
        (dir, conn, ids)
    }

    fn untallied_count(conn: &mut DbConnection) -> i64 {
        untallied::table.count().get_result(conn).unwrap()
    }

    #[test]
    fn a_sqlite_fold_that_loses_a_race_writes_nothing_and_the_next_one_folds_the_rest() {
        let (_dir, mut conn, ids) = with_untallied(3);
        // Another process folds one of the claimed responses while these are counted.
        let folded = fold_untallied(&mut conn, 10, |conn, claimed| {
            assert_eq!(claimed.len(), 3);
            unmark(conn, &ids[..1])?;
            Ok::<_, diesel::result::Error>(TallyIncrements::new())
        })
        .unwrap();
        assert_eq!(folded, 0);
        assert_eq!(
            untallied_count(&mut conn),
            2,
            "the losing fold unmarked nothing"
        );
        let folded = fold_untallied(&mut conn, 10, |_, claimed| {
            assert_eq!(claimed.len(), 2);
            Ok::<_, diesel::result::Error>(TallyIncrements::new())
        })
        .unwrap();
        assert_eq!(folded, 2);
        assert_eq!(untallied_count(&mut conn), 0);
    }
}
