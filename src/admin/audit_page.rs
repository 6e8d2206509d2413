//! The audit log page (admins).

use actix_web::{web, HttpResponse};

use crate::db::audit_log;
use crate::error::AppError;
use crate::web::{render, AppState};

use super::auth::{AdminError, RequireAdmin};
use super::views::{AuditLine, AuditPage, Chrome};

const SHOWN: i64 = 500;

pub async fn show(
    state: web::Data<AppState>,
    who: RequireAdmin,
) -> Result<HttpResponse, AdminError> {
    let rows = state
        .db
        .run(|conn| audit_log::recent(conn, SHOWN).map_err(AppError::from))
        .await?;
    let entries = rows
        .into_iter()
        .map(|row| AuditLine {
            at: row.at.format("%Y-%m-%d %H:%M:%S").to_string(),
            actor: row.actor,
            action: row.action,
            detail: row.detail,
        })
        .collect();
    Ok(render(
        HttpResponse::Ok(),
        &AuditPage {
            chrome: Chrome::new(&who.0, "audit"),
            entries,
        },
    ))
}
