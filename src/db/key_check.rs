//! The check value of the server's secret key (one row), so that a different key is noticed
//! at start-up.

use diesel::prelude::*;

use super::schema::key_check;
use super::DbConnection;

pub fn get(conn: &mut DbConnection) -> QueryResult<Option<String>> {
    key_check::table
        .filter(key_check::id.eq(1))
        .select(key_check::check_value)
        .first(conn)
        .optional()
}

/// Stores (or replaces) the check value.
pub fn set(conn: &mut DbConnection, check_value: &str) -> QueryResult<()> {
    let updated = diesel::update(key_check::table.filter(key_check::id.eq(1)))
        .set(key_check::check_value.eq(check_value))
        .execute(conn)?;
    if updated == 0 {
        diesel::insert_into(key_check::table)
            .values((key_check::id.eq(1), key_check::check_value.eq(check_value)))
            .execute(conn)?;
    }
    Ok(())
}
