//! Stored responses: anonymous rows of answers, written in batches.

use chrono::NaiveDate;
use diesel::prelude::*;

use super::schema::{answers, responses, text_answers};
use super::DbConnection;

/// PostgreSQL allows 65,535 bound values per statement; answer rows carry five each.
const ROWS_PER_STATEMENT: usize = 10_000;

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = responses)]
pub struct NewResponse {
    pub id: String,
    pub survey_id: i32,
    pub submitted_on: NaiveDate,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = answers)]
pub struct NewAnswer {
    pub response_id: String,
    pub survey_id: i32,
    pub question_key: String,
    pub value: String,
    pub number: Option<f64>,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = text_answers)]
pub struct NewTextAnswer {
    pub response_id: String,
    pub survey_id: i32,
    pub question_key: String,
    pub body: String,
}

/// One response ready to store: the row and every answer row.
#[derive(Debug, Clone)]
pub struct ResponseRows {
    pub response: NewResponse,
    pub answers: Vec<NewAnswer>,
    pub texts: Vec<NewTextAnswer>,
    /// The breakdown groups it is tallied in, as (question, answer or '' when unanswered).
    pub groups: Vec<(String, String)>,
}

/// Inserts several responses; the caller provides the transaction.
pub fn insert_all(conn: &mut DbConnection, batch: &[ResponseRows]) -> QueryResult<()> {
    let heads: Vec<NewResponse> = batch.iter().map(|r| r.response.clone()).collect();
    let rows: Vec<NewAnswer> = batch
        .iter()
        .flat_map(|r| r.answers.iter().cloned())
        .collect();
    let texts: Vec<NewTextAnswer> = batch.iter().flat_map(|r| r.texts.iter().cloned()).collect();
    match conn {
        // Multi-row VALUES on PostgreSQL: one round trip per few thousand rows.
        DbConnection::Postgres(pg) => {
            for chunk in heads.chunks(ROWS_PER_STATEMENT) {
                diesel::insert_into(responses::table)
                    .values(chunk)
                    .execute(pg)?;
            }
            for chunk in rows.chunks(ROWS_PER_STATEMENT) {
                diesel::insert_into(answers::table)
                    .values(chunk)
                    .execute(pg)?;
            }
            for chunk in texts.chunks(ROWS_PER_STATEMENT) {
                diesel::insert_into(text_answers::table)
                    .values(chunk)
                    .execute(pg)?;
            }
        }
        // In-process SQLite: a cached prepared statement per row is as fast as batching.
        DbConnection::Sqlite(lite) => {
            for head in &heads {
                diesel::insert_into(responses::table)
                    .values(head)
                    .execute(lite)?;
            }
            for row in &rows {
                diesel::insert_into(answers::table)
                    .values(row)
                    .execute(lite)?;
            }
            for text in &texts {
                diesel::insert_into(text_answers::table)
                    .values(text)
                    .execute(lite)?;
            }
        }
    }
    Ok(())
}

pub fn count_for_survey(conn: &mut DbConnection, survey_id: i32) -> QueryResult<i64> {
    responses::table
        .filter(responses::survey_id.eq(survey_id))
        .count()
        .get_result(conn)
}

/// A stored answer, as read back for exports and checks.
#[derive(Debug, Clone, Queryable)]
pub struct StoredAnswer {
    pub response_id: String,
    pub question_key: String,
    pub value: String,
    pub number: Option<f64>,
}

/// Every answer of a survey, ordered by random response id (never by submission order).
pub fn answers_for_survey(
    conn: &mut DbConnection,
    survey_id: i32,
) -> QueryResult<Vec<StoredAnswer>> {
    answers::table
        .filter(answers::survey_id.eq(survey_id))
        .order((
            answers::response_id.asc(),
            answers::question_key.asc(),
            answers::value.asc(),
        ))
        .select((
            answers::response_id,
            answers::question_key,
            answers::value,
            answers::number,
        ))
        .load(conn)
}

/// Submission days of a survey's responses, ordered by random id.
pub fn days_for_survey(
    conn: &mut DbConnection,
    survey_id: i32,
) -> QueryResult<Vec<(String, NaiveDate)>> {
    responses::table
        .filter(responses::survey_id.eq(survey_id))
        .order(responses::id.asc())
        .select((responses::id, responses::submitted_on))
        .load(conn)
}

pub fn texts_for_survey(
    conn: &mut DbConnection,
    survey_id: i32,
) -> QueryResult<Vec<(String, String, String)>> {
    text_answers::table
        .filter(text_answers::survey_id.eq(survey_id))
        .order((
            text_answers::response_id.asc(),
            text_answers::question_key.asc(),
        ))
        .select((
            text_answers::response_id,
            text_answers::question_key,
            text_answers::body,
        ))
        .load(conn)
}
