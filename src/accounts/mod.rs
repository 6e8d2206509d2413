//! The review team's accounts: passwords, the second factor, sessions, sign-in limits,
//! the first-run set-up link and API tokens. Handlers in `admin` call these; storage is
//! in `db::users`, `db::sessions`, `db::login_failures` and `db::api_tokens`.

pub mod api_tokens;
mod email;
pub mod password;
pub mod rate_limit;
pub mod recovery;
pub mod session;
pub mod setup;
pub mod totp;

pub use email::normalise_email;
pub use password::{Password, PasswordHasher};

pub use crate::db::{Role, UserId};

/// A signed-in (or token-bearing) account as handlers see it.
#[derive(Debug, Clone)]
pub struct Account {
    pub id: UserId,
    pub email: String,
    pub role: Role,
}

impl Account {
    pub fn from_row(row: &crate::db::users::UserRow) -> Self {
        Self {
            id: row.id,
            email: row.email.clone(),
            role: row.role,
        }
    }

    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }
}

/// A new account that has not set up its authenticator app yet.
pub fn insert_user(
    conn: &mut crate::db::DbConnection,
    email: &str,
    role: Role,
    password_hash: &str,
    now: chrono::NaiveDateTime,
) -> diesel::QueryResult<()> {
    crate::db::users::insert(
        conn,
        &crate::db::users::NewUser {
            email,
            role,
            password_hash,
            totp_confirmed: false,
            disabled: false,
            created_at: now,
            updated_at: now,
        },
    )
}
