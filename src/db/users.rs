//! Review team accounts and their one-time recovery codes.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{recovery_codes, users};
use super::{DbConnection, Role, UserId};

#[derive(Clone, Queryable, Selectable)]
#[diesel(table_name = users)]
pub struct UserRow {
    pub id: UserId,
    pub email: String,
    pub role: Role,
    pub password_hash: String,
    pub totp_secret: Option<String>,
    pub totp_confirmed: bool,
    pub totp_last_step: Option<i64>,
    pub disabled: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(table_name = users)]
pub struct NewUser<'a> {
    pub email: &'a str,
    pub role: Role,
    pub password_hash: &'a str,
    pub totp_confirmed: bool,
    pub disabled: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// Debug output shows neither the password hash nor the authenticator secret.
const REDACTED: &str = "…";

impl std::fmt::Debug for UserRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UserRow")
            .field("id", &self.id)
            .field("email", &self.email)
            .field("role", &self.role)
            .field("password_hash", &REDACTED)
            .field("totp_secret", &self.totp_secret.as_ref().map(|_| REDACTED))
            .field("totp_confirmed", &self.totp_confirmed)
            .field("totp_last_step", &self.totp_last_step)
            .field("disabled", &self.disabled)
            .field("created_at", &self.created_at)
            .field("updated_at", &self.updated_at)
            .finish()
    }
}

impl std::fmt::Debug for NewUser<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewUser")
            .field("email", &self.email)
            .field("role", &self.role)
            .field("password_hash", &REDACTED)
            .field("totp_confirmed", &self.totp_confirmed)
            .field("disabled", &self.disabled)
            .finish_non_exhaustive()
    }
}

pub fn count(conn: &mut DbConnection) -> QueryResult<i64> {
    users::table.count().get_result(conn)
}

pub fn insert(conn: &mut DbConnection, new: &NewUser<'_>) -> QueryResult<()> {
    diesel::insert_into(users::table)
        .values(new)
        .execute(conn)
        .map(drop)
}

pub fn find_by_email(conn: &mut DbConnection, email: &str) -> QueryResult<Option<UserRow>> {
    users::table
        .filter(users::email.eq(email))
        .select(UserRow::as_select())
        .first(conn)
        .optional()
}

pub fn find(conn: &mut DbConnection, id: UserId) -> QueryResult<Option<UserRow>> {
    users::table
        .find(id)
        .select(UserRow::as_select())
        .first(conn)
        .optional()
}

pub fn list(conn: &mut DbConnection) -> QueryResult<Vec<UserRow>> {
    users::table
        .order(users::email.asc())
        .select(UserRow::as_select())
        .load(conn)
}

/// Active admins other than `except`: an admin may not remove the last one.
pub fn count_active_admins_except(conn: &mut DbConnection, except: UserId) -> QueryResult<i64> {
    users::table
        .filter(users::role.eq(Role::Admin))
        .filter(users::disabled.eq(false))
        .filter(users::id.ne(except))
        .count()
        .get_result(conn)
}

pub fn set_password(
    conn: &mut DbConnection,
    id: UserId,
    hash: &str,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(users::table.find(id))
        .set((users::password_hash.eq(hash), users::updated_at.eq(now)))
        .execute(conn)
        .map(drop)
}

pub fn set_role(
    conn: &mut DbConnection,
    id: UserId,
    role: Role,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(users::table.find(id))
        .set((users::role.eq(role), users::updated_at.eq(now)))
        .execute(conn)
        .map(drop)
}

pub fn set_disabled(
    conn: &mut DbConnection,
    id: UserId,
    disabled: bool,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(users::table.find(id))
        .set((users::disabled.eq(disabled), users::updated_at.eq(now)))
        .execute(conn)
        .map(drop)
}

/// Stores a new, not yet confirmed second factor (or none, to make the user enrol again).
pub fn set_totp_secret(
    conn: &mut DbConnection,
    id: UserId,
    secret: Option<&str>,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(users::table.find(id))
        .set((
            users::totp_secret.eq(secret),
            users::totp_confirmed.eq(false),
            users::totp_last_step.eq(None::<i64>),
            users::updated_at.eq(now),
        ))
        .execute(conn)
        .map(drop)
}

pub fn confirm_totp(conn: &mut DbConnection, id: UserId, now: NaiveDateTime) -> QueryResult<()> {
    diesel::update(users::table.find(id))
        .set((users::totp_confirmed.eq(true), users::updated_at.eq(now)))
        .execute(conn)
        .map(drop)
}

/// Records the time step of an accepted code, only if it is later than the last one:
/// returns false when the code (or a later one) was already used.
pub fn claim_totp_step(conn: &mut DbConnection, id: UserId, step: i64) -> QueryResult<bool> {
    let changed = diesel::update(
        users::table.find(id).filter(
            users::totp_last_step
                .is_null()
                .or(users::totp_last_step.lt(step)),
        ),
    )
    .set(users::totp_last_step.eq(step))
    .execute(conn)?;
    Ok(changed == 1)
}

pub fn replace_recovery_codes(
    conn: &mut DbConnection,
    user_id: UserId,
    hashes: &[String],
) -> QueryResult<()> {
    diesel::delete(recovery_codes::table.filter(recovery_codes::user_id.eq(user_id)))
        .execute(conn)?;
    for hash in hashes {
        diesel::insert_into(recovery_codes::table)
            .values((
                recovery_codes::user_id.eq(user_id),
                recovery_codes::code_hash.eq(hash),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Marks an unused recovery code used; false when there is no such unused code.
pub fn use_recovery_code(
    conn: &mut DbConnection,
    user_id: UserId,
    hash: &str,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let changed = diesel::update(
        recovery_codes::table
            .filter(recovery_codes::user_id.eq(user_id))
            .filter(recovery_codes::code_hash.eq(hash))
            .filter(recovery_codes::used_at.is_null()),
    )
    .set(recovery_codes::used_at.eq(now))
    .execute(conn)?;
    Ok(changed > 0)
}

pub fn unused_recovery_codes(conn: &mut DbConnection, user_id: UserId) -> QueryResult<i64> {
    recovery_codes::table
        .filter(recovery_codes::user_id.eq(user_id))
        .filter(recovery_codes::used_at.is_null())
        .count()
        .get_result(conn)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_output_hides_the_password_hash_and_the_authenticator_secret() {
        let now = chrono::DateTime::UNIX_EPOCH.naive_utc();
        let row = UserRow {
            id: UserId(7),
            email: "ann@example.org".to_owned(),
            role: Role::Admin,
            password_hash: "$argon2id$v=19$secret-hash".to_owned(),
            totp_secret: Some("JBSWY3DPEHPK3PXP".to_owned()),
            totp_confirmed: true,
            totp_last_step: Some(1),
            disabled: false,
            created_at: now,
            updated_at: now,
        };
        let shown = format!("{row:?}");
        assert!(shown.contains("ann@example.org"), "{shown}");
        assert!(
            !shown.contains("argon2id") && !shown.contains("JBSWY3DP"),
            "{shown}"
        );
        let new = NewUser {
            email: "ann@example.org",
            role: Role::Admin,
            password_hash: "$argon2id$v=19$secret-hash",
            totp_confirmed: false,
            disabled: false,
            created_at: now,
            updated_at: now,
        };
        assert!(!format!("{new:?}").contains("argon2id"));
    }
}
