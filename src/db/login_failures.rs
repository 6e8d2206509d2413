//! Failed sign-ins per bucket (a hashed account or client address), for rate limiting.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::login_failures;
use super::DbConnection;

pub fn record(conn: &mut DbConnection, bucket: &str, at: NaiveDateTime) -> QueryResult<()> {
    diesel::insert_into(login_failures::table)
        .values((
            login_failures::bucket.eq(bucket),
            login_failures::failed_at.eq(at),
        ))
        .execute(conn)
        .map(drop)
}

pub fn count_since(
    conn: &mut DbConnection,
    bucket: &str,
    since: NaiveDateTime,
) -> QueryResult<i64> {
    login_failures::table
        .filter(login_failures::bucket.eq(bucket))
        .filter(login_failures::failed_at.gt(since))
        .count()
        .get_result(conn)
}

/// Forgets failures older than the window: they no longer count for anything.
pub fn delete_before(conn: &mut DbConnection, before: NaiveDateTime) -> QueryResult<usize> {
    diesel::delete(login_failures::table.filter(login_failures::failed_at.le(before))).execute(conn)
}
