//! API tokens for scripted downloads: 256 random bits shown once, stored as a hash.

use chrono::NaiveDateTime;

use crate::db::{api_tokens, users, DbConnection};
use crate::error::AppError;
use crate::secrets::Token;

use super::Account;

/// Creates a token for the account with this email; returns it (to show once).
pub fn create(conn: &mut DbConnection, email: &str, now: NaiveDateTime) -> Result<Token, AppError> {
    let email = super::normalise_email(email)
        .ok_or_else(|| AppError::Refused(crate::messages::accounts::NO_SUCH_ACCOUNT.to_owned()))?;
    let user = users::find_by_email(conn, &email)?
        .filter(|user| !user.disabled)
        .ok_or_else(|| AppError::Refused(crate::messages::accounts::NO_SUCH_ACCOUNT.to_owned()))?;
    let token = Token::generate();
    api_tokens::insert(conn, user.id, &token.hash(), now)?;
    crate::audit::record(
        conn,
        now,
        &user.email,
        "api-token.created",
        "by the command line",
    )?;
    Ok(token)
}

/// The active account a presented bearer token belongs to, if any.
pub fn account_for(conn: &mut DbConnection, presented: &str) -> Result<Option<Account>, AppError> {
    let Some(token) = Token::parse(presented.trim()) else {
        return Ok(None);
    };
    Ok(api_tokens::user_for(conn, &token.hash())?.map(|row| Account::from_row(&row)))
}
