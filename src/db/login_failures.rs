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

/// Forgets one failure of `bucket` recorded at `at` (rows of one bucket and time are alike):
/// an attempt counted in advance that turned out to be right.
pub fn delete_one(conn: &mut DbConnection, bucket: &str, at: NaiveDateTime) -> QueryResult<()> {
    let found = login_failures::table
        .filter(login_failures::bucket.eq(bucket))
        .filter(login_failures::failed_at.eq(at))
        .select(login_failures::id)
        .first::<i32>(conn)
        .optional()?;
    if let Some(id) = found {
        diesel::delete(login_failures::table.filter(login_failures::id.eq(id))).execute(conn)?;
    }
    Ok(())
}

/// Holds the buckets until the transaction ends, so that checking a limit and counting an
/// attempt is one step for every instance. SQLite's write transaction already holds the
/// whole database; PostgreSQL takes a transaction-scoped advisory lock per bucket, in a
/// fixed order (no deadlock between two attempts).
pub fn lock(conn: &mut DbConnection, buckets: &[&str]) -> QueryResult<()> {
    let DbConnection::Postgres(pg) = conn else {
        return Ok(());
    };
    let mut sorted = buckets.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    for bucket in sorted {
        diesel::sql_query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))")
            .bind::<diesel::sql_types::Text, _>(bucket)
            .execute(pg)?;
    }
    Ok(())
}
