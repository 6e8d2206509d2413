//! Idempotency keys of JSON submissions, stored only as keyed hashes (see
//! `crate::respond::idempotency`): the scoped key's hash, the survey (to delete them when it
//! closes) and the fingerprint of the answers first sent with it. Nothing refers to a
//! response or an invitation, and nothing records when.

use crate::db::SurveyId;
use std::collections::HashMap;

use diesel::prelude::*;

use super::schema::idempotency_keys;
use super::DbConnection;

/// Keys per statement (a few bound values each).
const ROWS_PER_STATEMENT: usize = 5_000;

#[derive(Debug, Clone, PartialEq, Eq, Insertable, Queryable, Selectable)]
#[diesel(table_name = idempotency_keys)]
pub struct StoredKey {
    /// Hex of an HMAC of the key, scoped to the survey and invitation.
    pub key_hash: String,
    pub survey_id: SurveyId,
    /// Hex of an HMAC of the key and the answers it was first sent with.
    pub fingerprint: String,
}

/// The fingerprints stored under the given key hashes (absent ones are missing).
pub fn fingerprints(
    conn: &mut DbConnection,
    key_hashes: &[&str],
) -> QueryResult<HashMap<String, String>> {
    let mut found = HashMap::new();
    for chunk in key_hashes.chunks(ROWS_PER_STATEMENT) {
        let rows = idempotency_keys::table
            .filter(idempotency_keys::key_hash.eq_any(chunk))
            .select((idempotency_keys::key_hash, idempotency_keys::fingerprint))
            .load::<(String, String)>(conn)?;
        found.extend(rows);
    }
    Ok(found)
}

/// Inserts several keys; the caller provides the transaction (the one that seals their
/// responses into the waiting room). A key stored meanwhile by another instance fails the
/// insert, and with it the transaction, which the writer then retries one by one.
pub fn insert_all(conn: &mut DbConnection, rows: &[StoredKey]) -> QueryResult<()> {
    macro_rules! insert_in_chunks {
        ($conn:expr) => {{
            for chunk in rows.chunks(ROWS_PER_STATEMENT) {
                diesel::insert_into(idempotency_keys::table)
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

/// Forgets every key of a survey (when it closes); returns how many there were.
pub fn delete_for_survey(conn: &mut DbConnection, survey_id: SurveyId) -> QueryResult<usize> {
    diesel::delete(idempotency_keys::table.filter(idempotency_keys::survey_id.eq(survey_id)))
        .execute(conn)
}
