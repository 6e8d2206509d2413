//! Reading review-team forms, and the small responses every handler uses.

use actix_web::{web, HttpRequest};

use super::auth::{check_csrf, AdminError, CurrentSession};
use crate::error::AppError;
use crate::messages;
use crate::respond::form::parse_form;
use crate::web::body::{declared_too_large, has_media_type, read_limited};
use crate::web::AppState;

pub type Fields = Vec<(String, String)>;

/// Reads a form sent from a signed-in page, checking its origin and CSRF token.
pub async fn read_checked(
    state: &AppState,
    req: &HttpRequest,
    session: &CurrentSession,
    payload: web::Payload,
) -> Result<Fields, AdminError> {
    let fields = read(state, req, payload).await?;
    check_csrf(req, state, session, &fields)?;
    Ok(fields)
}

/// An urlencoded form body, size-limited and strict about UTF-8.
pub async fn read(
    state: &AppState,
    req: &HttpRequest,
    payload: web::Payload,
) -> Result<Fields, AppError> {
    let limit = state.settings.server.max_body_bytes;
    if declared_too_large(req, limit) {
        return Err(AppError::PayloadTooLarge);
    }
    if !has_media_type(req, "application/x-www-form-urlencoded") {
        return Err(AppError::UnsupportedMediaType);
    }
    let body = read_limited(payload, limit).await?;
    parse_form(&body).map_err(|_| AppError::BadRequest(messages::INVALID_UTF8))
}

/// The first value of a field, or "".
pub fn field<'a>(fields: &'a Fields, name: &str) -> &'a str {
    fields
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
        .unwrap_or_default()
}

pub use crate::web::see_other;
