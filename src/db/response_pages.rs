//! Reading stored responses a page at a time, in random-id order (which says nothing about
//! submission order), so that exports and recomputations never hold a whole survey in memory.

use diesel::prelude::*;

use super::responses::StoredAnswer;
use super::schema::{answers, responses, text_answers};
use super::DbConnection;

/// The ids of up to `limit` responses after `after` (from the start when `None`).
pub fn ids_after(
    conn: &mut DbConnection,
    survey_id: i32,
    after: Option<&str>,
    limit: i64,
) -> QueryResult<Vec<String>> {
    let mut query = responses::table
        .filter(responses::survey_id.eq(survey_id))
        .select(responses::id)
        .order(responses::id.asc())
        .limit(limit)
        .into_boxed();
    if let Some(after) = after {
        query = query.filter(responses::id.gt(after.to_owned()));
    }
    query.load(conn)
}

/// The answers of these responses (ids from `ids_after`), ordered by response; only to the
/// questions `keys` when given. Looked up by response id, so the primary key serves it.
pub fn answers_of(
    conn: &mut DbConnection,
    ids: &[String],
    keys: Option<&[String]>,
) -> QueryResult<Vec<StoredAnswer>> {
    let mut query = answers::table
        .filter(answers::response_id.eq_any(ids.to_vec()))
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
        .into_boxed();
    if let Some(keys) = keys {
        query = query.filter(answers::question_key.eq_any(keys.to_vec()));
    }
    query.load(conn)
}

/// The free-text answers (response id, question key, body) of these responses, ordered by
/// response.
pub fn texts_of(
    conn: &mut DbConnection,
    ids: &[String],
) -> QueryResult<Vec<(String, String, String)>> {
    text_answers::table
        .filter(text_answers::response_id.eq_any(ids.to_vec()))
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

/// Which questions each of these responses answered in free text (no bodies).
pub fn text_keys_of(conn: &mut DbConnection, ids: &[String]) -> QueryResult<Vec<(String, String)>> {
    text_answers::table
        .filter(text_answers::response_id.eq_any(ids.to_vec()))
        .order((
            text_answers::response_id.asc(),
            text_answers::question_key.asc(),
        ))
        .select((text_answers::response_id, text_answers::question_key))
        .load(conn)
}

/// Free-text answers to one question (the caller shuffles them before showing them).
pub fn texts_for_question(
    conn: &mut DbConnection,
    survey_id: i32,
    question_key: &str,
) -> QueryResult<Vec<String>> {
    text_answers::table
        .filter(text_answers::survey_id.eq(survey_id))
        .filter(text_answers::question_key.eq(question_key))
        .select(text_answers::body)
        .load(conn)
}
