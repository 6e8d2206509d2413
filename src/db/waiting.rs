//! Sealed responses waiting for release: a random id, the survey and the sealed answers.
//! Nothing here refers to an invitation; the release (`crate::release`) moves them into
//! `responses` in batches.

use crate::db::SurveyId;
use diesel::prelude::*;

use super::schema::waiting_responses;
use super::DbConnection;

/// Rows per multi-row INSERT (three bound values each).
const ROWS_PER_STATEMENT: usize = 5_000;

#[derive(Debug, Clone, Insertable, Queryable, Selectable)]
#[diesel(table_name = waiting_responses)]
pub struct WaitingResponse {
    /// Random (`WaitingResponse::random_id`), so neither the key nor the table's order says
    /// when a response arrived.
    pub id: i64,
    pub survey_id: SurveyId,
    /// Nonce and ciphertext of the padded answers (see `crate::release::seal`).
    pub sealed: Vec<u8>,
}

impl WaitingResponse {
    pub fn random_id() -> i64 {
        rand::random()
    }
}

/// Inserts several waiting responses; the caller provides the transaction.
pub fn insert_all(conn: &mut DbConnection, rows: &[WaitingResponse]) -> QueryResult<()> {
    macro_rules! insert_in_chunks {
        ($conn:expr) => {{
            for chunk in rows.chunks(ROWS_PER_STATEMENT) {
                diesel::insert_into(waiting_responses::table)
                    .values(chunk)
                    .execute($conn)?;
            }
        }};
    }
    match conn {
        DbConnection::Postgres(pg) => insert_in_chunks!(pg),
        DbConnection::Sqlite(lite) => insert_in_chunks!(lite),
    }
    Ok(())
}

/// The surveys that have waiting responses, each found through the index, without counting.
pub fn surveys_waiting(conn: &mut DbConnection) -> QueryResult<Vec<SurveyId>> {
    use super::schema::surveys;
    surveys::table
        .filter(diesel::dsl::exists(
            waiting_responses::table.filter(waiting_responses::survey_id.eq(surveys::id)),
        ))
        .select(surveys::id)
        .load(conn)
}

pub fn count_for_survey(conn: &mut DbConnection, survey_id: SurveyId) -> QueryResult<i64> {
    waiting_responses::table
        .filter(waiting_responses::survey_id.eq(survey_id))
        .count()
        .get_result(conn)
}

pub fn count_all(conn: &mut DbConnection) -> QueryResult<i64> {
    waiting_responses::table.count().get_result(conn)
}

/// `n` waiting responses of a survey, chosen at random: the ids are random, so the `n`
/// that follow a random point in id order (wrapping round) are a random choice, unrelated
/// to when each arrived, found through the primary key without sorting the whole table.
pub fn random_batch(
    conn: &mut DbConnection,
    survey_id: SurveyId,
    n: usize,
) -> QueryResult<Vec<WaitingResponse>> {
    let limit = i64::try_from(n).unwrap_or(i64::MAX);
    let start = WaitingResponse::random_id();
    let mut rows: Vec<WaitingResponse> = waiting_responses::table
        .filter(waiting_responses::survey_id.eq(survey_id))
        .filter(waiting_responses::id.ge(start))
        .order(waiting_responses::id.asc())
        .limit(limit)
        .select(WaitingResponse::as_select())
        .load(conn)?;
    if rows.len() < n {
        let more = limit - rows.len() as i64;
        rows.extend(
            waiting_responses::table
                .filter(waiting_responses::survey_id.eq(survey_id))
                .filter(waiting_responses::id.lt(start))
                .order(waiting_responses::id.asc())
                .limit(more)
                .select(WaitingResponse::as_select())
                .load::<WaitingResponse>(conn)?,
        );
    }
    Ok(rows)
}

/// Deletes the given waiting responses; returns how many were there.
pub fn delete(conn: &mut DbConnection, ids: &[i64]) -> QueryResult<usize> {
    let mut deleted = 0;
    for chunk in ids.chunks(ROWS_PER_STATEMENT) {
        deleted +=
            diesel::delete(waiting_responses::table.filter(waiting_responses::id.eq_any(chunk)))
                .execute(conn)?;
    }
    Ok(deleted)
}

/// On PostgreSQL, takes this transaction's advisory lock on releasing one survey, or
/// returns false at once when another transaction (of any instance) holds it. SQLite's
/// `BEGIN IMMEDIATE` already lets one writer in at a time.
pub fn try_lock_release(conn: &mut DbConnection, survey_id: SurveyId) -> QueryResult<bool> {
    #[derive(QueryableByName)]
    struct Locked {
        #[diesel(sql_type = diesel::sql_types::Bool)]
        locked: bool,
    }
    match conn {
        DbConnection::Sqlite(_) => Ok(true),
        DbConnection::Postgres(pg) => {
            // The first key names the purpose ("release" as a number), the second the survey.
            diesel::sql_query("SELECT pg_try_advisory_xact_lock(72657, $1) AS locked")
                .bind::<diesel::sql_types::Integer, _>(survey_id)
                .get_result::<Locked>(pg)
                .map(|row| row.locked)
        }
    }
}

/// After a release, removes what the deleted rows left in the files: on SQLite a checkpoint
/// that copies the write-ahead log into the database and truncates it (`secure_delete` has
/// zeroed the deleted cells); on PostgreSQL a `VACUUM` of the waiting table, which frees
/// its dead row versions. Runs outside any transaction.
///
/// A truncating checkpoint holds off new writers while it waits for readers, so on SQLite it
/// waits at most `CHECKPOINT_WAIT_MS`: when a long read (an export) is running, the log is
/// truncated after a later release instead of stalling submissions.
pub fn scrub_after_release(conn: &mut DbConnection) -> QueryResult<()> {
    use diesel::connection::SimpleConnection;
    const CHECKPOINT_WAIT_MS: i32 = 250;
    #[derive(QueryableByName)]
    struct Timeout {
        #[diesel(sql_type = diesel::sql_types::Integer)]
        timeout: i32,
    }
    match conn {
        DbConnection::Sqlite(lite) => {
            let usual = diesel::sql_query("SELECT timeout FROM pragma_busy_timeout")
                .get_result::<Timeout>(lite)?
                .timeout;
            let checkpoint = lite.batch_execute(&format!(
                "PRAGMA busy_timeout = {CHECKPOINT_WAIT_MS}; PRAGMA wal_checkpoint(TRUNCATE);"
            ));
            // The connection goes back to the pool with its usual patience, whatever happened.
            lite.batch_execute(&format!("PRAGMA busy_timeout = {usual};"))?;
            checkpoint
        }
        DbConnection::Postgres(pg) => pg.batch_execute("VACUUM waiting_responses;"),
    }
}
