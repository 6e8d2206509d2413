//! How service errors look in a browser: a plain page with the right status, never a 500
//! for bad input.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use askama::Template;

use crate::error::AppError;
use crate::messages;

use super::render;

#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage<'a> {
    pub title: &'a str,
    pub detail: &'a str,
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        match self {
            AppError::NotFound | AppError::SurveyNotFound | AppError::InvitationNotFound => {
                StatusCode::NOT_FOUND
            }
            AppError::SurveyNotOpen | AppError::OpenLinkOff | AppError::AlreadySubmitted => {
                StatusCode::CONFLICT
            }
            AppError::BadRequest(_)
            | AppError::DuplicateKey(_)
            | AppError::Import(_)
            | AppError::Refused(_) => StatusCode::BAD_REQUEST,
            AppError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            AppError::InvalidAnswers(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Busy => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Db(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        self.log_if_internal();
        let (title, detail) = self.page_text();
        render(
            HttpResponse::build(self.status_code()),
            &ErrorPage { title, detail },
        )
    }
}

impl AppError {
    /// The title and explanation an error page shows for this error (respondents' pages and
    /// the review team's alike).
    pub fn page_text(&self) -> (&str, &str) {
        match self {
            AppError::NotFound => (messages::NOT_FOUND, messages::NOT_FOUND_DETAIL),
            AppError::SurveyNotFound => (messages::SURVEY_NOT_FOUND, messages::NOT_FOUND_DETAIL),
            AppError::InvitationNotFound => (
                messages::INVITATION_NOT_FOUND,
                messages::INVITATION_NOT_FOUND_DETAIL,
            ),
            AppError::SurveyNotOpen | AppError::OpenLinkOff => {
                (messages::SURVEY_NOT_OPEN, messages::OPEN_LINK_OFF)
            }
            AppError::AlreadySubmitted => (messages::ALREADY_SUBMITTED, ""),
            AppError::BadRequest(reason) => (messages::BAD_REQUEST, *reason),
            AppError::DuplicateKey(_) => (messages::BAD_REQUEST, messages::MALFORMED_JSON),
            AppError::PayloadTooLarge => (messages::BAD_REQUEST, messages::PAYLOAD_TOO_LARGE),
            AppError::UnsupportedMediaType => (messages::BAD_REQUEST, messages::BAD_REQUEST),
            AppError::InvalidAnswers(_) => (messages::BAD_REQUEST, messages::INVALID_ANSWERS),
            AppError::Import(_) | AppError::Refused(_) => (messages::BAD_REQUEST, ""),
            AppError::Busy => (messages::INTERNAL, messages::BUSY),
            AppError::Db(_) => (messages::INTERNAL, messages::INTERNAL_DETAIL),
        }
    }

    /// Storage failures are logged where they are turned into a page.
    pub fn log_if_internal(&self) {
        if let AppError::Db(error) = self {
            tracing::error!(%error, "storage failed");
        }
    }
}
