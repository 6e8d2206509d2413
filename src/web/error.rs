//! How the application's error is answered: the status for each code (decided here only),
//! a page in the respondents' frame (`AppError` itself), or JSON for scripts (`ApiError`).
//! The review team's frame is `admin::auth::AdminError`. Every error answer names its code.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use askama::Template;
use serde::Serialize;

use crate::error::{AppError, ErrorCode};
use crate::questionnaire::Problem;

use super::render;

/// The status every answer with this code gets, whichever face shows it.
pub fn status_for(code: ErrorCode) -> StatusCode {
    match code {
        ErrorCode::NotFound | ErrorCode::SurveyNotFound | ErrorCode::InvitationNotFound => {
            StatusCode::NOT_FOUND
        }
        ErrorCode::SurveyNotOpen
        | ErrorCode::OpenLinkOff
        | ErrorCode::AlreadySubmitted
        | ErrorCode::Refused
        | ErrorCode::DownloadRefused => StatusCode::CONFLICT,
        ErrorCode::BadRequest
        | ErrorCode::MalformedJson
        | ErrorCode::DuplicateKey
        | ErrorCode::IdempotencyKeyMalformed
        | ErrorCode::UnknownBreakdown => StatusCode::BAD_REQUEST,
        ErrorCode::InvalidAnswers | ErrorCode::InvalidImport | ErrorCode::IdempotencyKeyReused => {
            StatusCode::UNPROCESSABLE_ENTITY
        }
        ErrorCode::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
        ErrorCode::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
        ErrorCode::NotSignedIn | ErrorCode::SessionEnded | ErrorCode::InvalidToken => {
            StatusCode::UNAUTHORIZED
        }
        ErrorCode::Forbidden | ErrorCode::AdminOnly | ErrorCode::CsrfFailed => {
            StatusCode::FORBIDDEN
        }
        ErrorCode::RateLimited => StatusCode::TOO_MANY_REQUESTS,
        ErrorCode::Busy => StatusCode::SERVICE_UNAVAILABLE,
        ErrorCode::Internal => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// A page in the respondents' frame: the title, the explanation and the code to quote.
#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage<'a> {
    pub title: &'a str,
    pub detail: &'a str,
    pub code: Option<ErrorCode>,
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        status_for(self.code())
    }

    fn error_response(&self) -> HttpResponse {
        self.log_if_internal();
        let (title, detail) = self.page_text();
        render(
            HttpResponse::build(self.status_code()),
            &ErrorPage {
                title,
                detail,
                code: Some(self.code()),
            },
        )
    }
}

/// The one JSON shape of an error answer.
#[derive(Serialize)]
pub struct ErrorBody<'a> {
    pub code: ErrorCode,
    pub message: std::borrow::Cow<'a, str>,
    pub problems: &'a [Problem],
}

impl<'a> ErrorBody<'a> {
    pub fn of(error: &'a AppError) -> Self {
        ErrorBody {
            code: error.code(),
            message: error.message(),
            problems: error.problems(),
        }
    }
}

/// The JSON face of `AppError`, for the API's routes.
#[derive(Debug, thiserror::Error)]
#[error(transparent)]
pub struct ApiError(#[from] pub AppError);

impl From<crate::db::DbError> for ApiError {
    fn from(error: crate::db::DbError) -> Self {
        ApiError(error.into())
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        status_for(self.0.code())
    }

    fn error_response(&self) -> HttpResponse {
        self.0.log_if_internal();
        let mut answer = HttpResponse::build(self.status_code());
        if matches!(self.0, AppError::InvalidToken) {
            answer.insert_header((actix_web::http::header::WWW_AUTHENTICATE, "Bearer"));
        }
        answer.json(ErrorBody::of(&self.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_api_error_names_its_code_message_and_problems() {
        let error = AppError::InvalidAnswers(vec![Problem {
            question: "role".to_owned(),
            message: "choose one".to_owned(),
        }]);
        let body = serde_json::to_value(ErrorBody::of(&error)).expect("serialises");
        assert_eq!(body["code"], "invalid_answers");
        assert_eq!(body["problems"][0]["question"], "role");
        assert!(body["message"].as_str().is_some_and(|m| !m.is_empty()));
        assert_eq!(
            ApiError(error).status_code(),
            StatusCode::UNPROCESSABLE_ENTITY
        );
    }

    #[test]
    fn failures_on_our_side_do_not_leak_their_detail() {
        let error = AppError::Internal("disk path /var/lib/candour is full".to_owned());
        assert_eq!(error.message(), crate::messages::API_INTERNAL);
        assert!(!error.page_text().1.contains("/var/lib"));
    }
}
