//! The results API for scripts, authorised by API tokens (`Authorization: Bearer …`) with
//! the same roles and suppression as the pages: results for viewers and admins, anonymised
//! responses for admins only. Errors are JSON `{code, message, problems}` (`web::error`):
//! `invalid_token` without a valid token, `admin_only` for a viewer asking for responses,
//! `survey_not_found` or `not_found` for an unknown survey or format, `unknown_breakdown`,
//! `download_refused`. Every call that returns data is recorded in the audit log.

use actix_web::{web, HttpResponse};

use crate::error::AppError;
use crate::report::downloads::{Download, What};
use crate::report::export::Format;
use crate::web::{ApiError, AppState};

use super::auth::BearerAccount;
use super::results::{format_for, results_or_report, send, DownloadQuery};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route(
        "/api/v1/surveys/{slug}/results",
        web::get().to(results_json),
    )
    .route(
        "/api/v1/surveys/{slug}/results.{format}",
        web::get().to(results_download),
    )
    .route(
        "/api/v1/surveys/{slug}/responses.{format}",
        web::get().to(responses_download),
    );
}

async fn download(
    state: &AppState,
    who: BearerAccount,
    slug: String,
    what: What,
    format: Format,
) -> Result<Download, ApiError> {
    super::results::download(state, who.0.email, slug, what, format, "API")
        .await
        .map_err(|error| AppError::from(error).into())
}

/// The results as JSON: the same structure as the JSON download.
async fn results_json(
    state: web::Data<AppState>,
    who: BearerAccount,
    slug: web::Path<String>,
    query: web::Query<DownloadQuery>,
) -> Result<HttpResponse, ApiError> {
    let what = What::Results {
        breakdown: query.breakdown(),
    };
    let download = download(&state, who, slug.into_inner(), what, Format::Json).await?;
    Ok(send(download, false))
}

async fn results_download(
    state: web::Data<AppState>,
    who: BearerAccount,
    path: web::Path<(String, String)>,
    query: web::Query<DownloadQuery>,
) -> Result<HttpResponse, ApiError> {
    let (slug, extension) = path.into_inner();
    let what = results_or_report(&extension, query.breakdown());
    let format = format_for(&extension, &what).ok_or(AppError::NotFound)?;
    Ok(send(download(&state, who, slug, what, format).await?, true))
}

async fn responses_download(
    state: web::Data<AppState>,
    who: BearerAccount,
    path: web::Path<(String, String)>,
    query: web::Query<DownloadQuery>,
) -> Result<HttpResponse, ApiError> {
    if !who.0.is_admin() {
        return Err(AppError::AdminOnly.into());
    }
    let (slug, extension) = path.into_inner();
    let what = What::Responses {
        with_text: query.with_text(),
    };
    let format = format_for(&extension, &what).ok_or(AppError::NotFound)?;
    Ok(send(download(&state, who, slug, what, format).await?, true))
}
