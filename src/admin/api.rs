//! The results API for scripts, authorised by API tokens (`Authorization: Bearer …`) with
//! the same roles and suppression as the pages: results for viewers and admins, anonymised
//! responses for admins only. Errors are JSON: 401 without a valid token (from
//! `BearerAccount`), 403 for a viewer asking for responses, 404 for an unknown survey or
//! format, 400 for an unknown breakdown, 409 for a refused download. Every call that returns
//! data is recorded in the audit log.

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse, ResponseError};

use crate::messages::report as msg;
use crate::report::downloads::{Download, DownloadError, What};
use crate::report::export::Format;
use crate::report::ReportError;
use crate::web::AppState;

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

#[derive(Debug, thiserror::Error)]
pub enum ApiFailure {
    #[error("{}", msg::API_ADMIN_ONLY)]
    AdminOnly,
    #[error("{}", msg::API_NOT_FOUND)]
    NotFound,
    #[error("{}", msg::API_SURVEY_NOT_FOUND)]
    SurveyNotFound,
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    Refused(String),
    #[error("{}", msg::API_INTERNAL)]
    Internal,
}

impl From<DownloadError> for ApiFailure {
    fn from(error: DownloadError) -> Self {
        match error {
            DownloadError::SurveyNotFound => ApiFailure::SurveyNotFound,
            DownloadError::Report(ReportError::Results(error)) => {
                ApiFailure::BadRequest(error.to_string())
            }
            DownloadError::Report(ReportError::Refused(reason)) => ApiFailure::Refused(reason),
            DownloadError::Report(ReportError::Db(error)) => {
                tracing::error!(%error, "storage failed");
                ApiFailure::Internal
            }
            DownloadError::Report(ReportError::Write(error)) => {
                tracing::error!(%error, "a download could not be written");
                ApiFailure::Internal
            }
        }
    }
}

impl ResponseError for ApiFailure {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiFailure::AdminOnly => StatusCode::FORBIDDEN,
            ApiFailure::NotFound | ApiFailure::SurveyNotFound => StatusCode::NOT_FOUND,
            ApiFailure::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiFailure::Refused(_) => StatusCode::CONFLICT,
            ApiFailure::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        HttpResponse::build(self.status_code())
            .json(serde_json::json!({ "error": self.to_string() }))
    }
}

async fn download(
    state: &AppState,
    who: BearerAccount,
    slug: String,
    what: What,
    format: Format,
) -> Result<Download, ApiFailure> {
    Ok(super::results::download(state, who.0.email, slug, what, format, "API").await?)
}

/// The results as JSON: the same structure as the JSON download.
async fn results_json(
    state: web::Data<AppState>,
    who: BearerAccount,
    slug: web::Path<String>,
    query: web::Query<DownloadQuery>,
) -> Result<HttpResponse, ApiFailure> {
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
) -> Result<HttpResponse, ApiFailure> {
    let (slug, extension) = path.into_inner();
    let what = results_or_report(&extension, query.breakdown());
    let format = format_for(&extension, &what).ok_or(ApiFailure::NotFound)?;
    Ok(send(download(&state, who, slug, what, format).await?, true))
}

async fn responses_download(
    state: web::Data<AppState>,
    who: BearerAccount,
    path: web::Path<(String, String)>,
    query: web::Query<DownloadQuery>,
) -> Result<HttpResponse, ApiFailure> {
    if !who.0.is_admin() {
        return Err(ApiFailure::AdminOnly);
    }
    let (slug, extension) = path.into_inner();
    let what = What::Responses {
        with_text: query.with_text(),
    };
    let format = format_for(&extension, &what).ok_or(ApiFailure::NotFound)?;
    Ok(send(download(&state, who, slug, what, format).await?, true))
}
