//! The application's one error: what went wrong, with a stable snake_case code, independent of
//! how the edge shows it (`web::error` renders it as a page or as JSON, as the route chooses).
//! The codes are part of the API and listed in the README; a test keeps the two in step.

use std::borrow::Cow;

use serde::Serialize;

use crate::db::DbError;
use crate::messages;
use crate::questionnaire::{ImportProblems, Problem};

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    #[error("invitation link not found")]
    InvitationNotFound,
    #[error("survey not found")]
    SurveyNotFound,
    #[error("survey is not open")]
    SurveyNotOpen,
    #[error("the open link is off for this survey")]
    OpenLinkOff,
    /// A request the service cannot read (form encoding, multipart framing, a dropped body);
    /// the reason is shown.
    #[error("bad request: {0}")]
    BadRequest(&'static str),
    #[error("malformed JSON")]
    MalformedJson,
    /// A JSON body names the same key twice in one object.
    #[error("duplicate key {0:?}")]
    DuplicateKey(String),
    #[error("malformed Idempotency-Key")]
    IdempotencyKeyMalformed,
    #[error("Idempotency-Key reused with a different body")]
    IdempotencyKeyReused,
    #[error("request body too large")]
    PayloadTooLarge,
    #[error("unsupported content type")]
    UnsupportedMediaType,
    #[error("invalid answers")]
    InvalidAnswers(Vec<Problem>),
    #[error("already submitted")]
    AlreadySubmitted,
    #[error("{0}")]
    Import(#[from] ImportProblems),
    /// A change the rules do not allow (a frozen questionnaire, a lowered threshold, an
    /// account change); the reason is shown.
    #[error("{0}")]
    Refused(String),
    /// A download or results page disclosure control will not produce; the reason is shown.
    #[error("{0}")]
    DownloadRefused(String),
    #[error("unknown breakdown: {0}")]
    UnknownBreakdown(String),
    #[error("forbidden")]
    Forbidden,
    #[error("response-level data needs an admin")]
    AdminOnly,
    #[error("CSRF check failed")]
    CsrfFailed,
    #[error("invalid bearer token")]
    InvalidToken,
    #[error("busy")]
    Busy,
    #[error("internal error: {0}")]
    Internal(String),
    #[error(transparent)]
    Db(#[from] DbError),
}

impl From<diesel::result::Error> for AppError {
    fn from(error: diesel::result::Error) -> Self {
        AppError::Db(DbError::from(error))
    }
}

/// Declares the codes once: the enum, the list of them all, and each one's name.
macro_rules! error_codes {
    ($($code:ident => $name:literal,)+) => {
        /// The stable, documented name of each kind of error answer.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum ErrorCode {
            $($code,)+
        }

        impl ErrorCode {
            /// Every code (the README documents each).
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$code,)+];

            pub fn as_str(self) -> &'static str {
                match self {
                    $(ErrorCode::$code => $name,)+
                }
            }
        }
    };
}

error_codes! {
    NotFound => "not_found",
    SurveyNotFound => "survey_not_found",
    InvitationNotFound => "invitation_not_found",
    SurveyNotOpen => "survey_not_open",
    OpenLinkOff => "open_link_off",
    BadRequest => "bad_request",
    MalformedJson => "malformed_json",
    DuplicateKey => "duplicate_key",
    IdempotencyKeyMalformed => "idempotency_key_malformed",
    IdempotencyKeyReused => "idempotency_key_reused",
    PayloadTooLarge => "payload_too_large",
    UnsupportedMediaType => "unsupported_media_type",
    InvalidAnswers => "invalid_answers",
    AlreadySubmitted => "already_submitted",
    InvalidImport => "invalid_import",
    Refused => "refused",
    DownloadRefused => "download_refused",
    UnknownBreakdown => "unknown_breakdown",
    NotSignedIn => "not_signed_in",
    SessionEnded => "session_ended",
    Forbidden => "forbidden",
    AdminOnly => "admin_only",
    CsrfFailed => "csrf_failed",
    InvalidToken => "invalid_token",
    RateLimited => "rate_limited",
    Busy => "busy",
    Internal => "internal",
}

impl Serialize for ErrorCode {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl AppError {
    pub fn code(&self) -> ErrorCode {
        match self {
            AppError::NotFound => ErrorCode::NotFound,
            AppError::InvitationNotFound => ErrorCode::InvitationNotFound,
            AppError::SurveyNotFound => ErrorCode::SurveyNotFound,
            AppError::SurveyNotOpen => ErrorCode::SurveyNotOpen,
            AppError::OpenLinkOff => ErrorCode::OpenLinkOff,
            AppError::BadRequest(_) => ErrorCode::BadRequest,
            AppError::MalformedJson => ErrorCode::MalformedJson,
            AppError::DuplicateKey(_) => ErrorCode::DuplicateKey,
            AppError::IdempotencyKeyMalformed => ErrorCode::IdempotencyKeyMalformed,
            AppError::IdempotencyKeyReused => ErrorCode::IdempotencyKeyReused,
            AppError::PayloadTooLarge => ErrorCode::PayloadTooLarge,
            AppError::UnsupportedMediaType => ErrorCode::UnsupportedMediaType,
            AppError::InvalidAnswers(_) => ErrorCode::InvalidAnswers,
            AppError::AlreadySubmitted => ErrorCode::AlreadySubmitted,
            AppError::Import(_) => ErrorCode::InvalidImport,
            AppError::Refused(_) => ErrorCode::Refused,
            AppError::DownloadRefused(_) => ErrorCode::DownloadRefused,
            AppError::UnknownBreakdown(_) => ErrorCode::UnknownBreakdown,
            AppError::Forbidden => ErrorCode::Forbidden,
            AppError::AdminOnly => ErrorCode::AdminOnly,
            AppError::CsrfFailed => ErrorCode::CsrfFailed,
            AppError::InvalidToken => ErrorCode::InvalidToken,
            AppError::Busy => ErrorCode::Busy,
            AppError::Internal(_) | AppError::Db(_) => ErrorCode::Internal,
        }
    }

    /// The one-line explanation an API client gets (`message` in the JSON body).
    pub fn message(&self) -> Cow<'_, str> {
        let text = match self {
            AppError::NotFound => messages::API_NOT_FOUND,
            AppError::InvitationNotFound => messages::INVITATION_NOT_FOUND_JSON,
            AppError::SurveyNotFound => messages::API_SURVEY_NOT_FOUND,
            AppError::SurveyNotOpen => messages::SURVEY_NOT_OPEN_JSON,
            AppError::OpenLinkOff => messages::OPEN_LINK_OFF,
            AppError::BadRequest(reason) => reason,
            AppError::MalformedJson => messages::MALFORMED_JSON,
            AppError::DuplicateKey(key) => return messages::duplicate_json_key(key).into(),
            AppError::IdempotencyKeyMalformed => messages::idempotency::KEY_MALFORMED,
            AppError::IdempotencyKeyReused => messages::idempotency::KEY_REUSED,
            AppError::PayloadTooLarge => messages::PAYLOAD_TOO_LARGE,
            AppError::UnsupportedMediaType => messages::UNSUPPORTED_MEDIA_TYPE,
            AppError::InvalidAnswers(_) => messages::INVALID_ANSWERS,
            AppError::AlreadySubmitted => messages::ALREADY_SUBMITTED,
            AppError::Import(problems) => return problems.to_string().into(),
            AppError::Refused(reason)
            | AppError::DownloadRefused(reason)
            | AppError::UnknownBreakdown(reason) => reason,
            AppError::Forbidden => messages::accounts::FORBIDDEN_DETAIL,
            AppError::AdminOnly => messages::report::API_ADMIN_ONLY,
            AppError::CsrfFailed => messages::accounts::CSRF_FAILED_DETAIL,
            AppError::InvalidToken => messages::accounts::API_TOKEN_REQUIRED,
            AppError::Busy => messages::BUSY,
            AppError::Internal(_) | AppError::Db(_) => messages::API_INTERNAL,
        };
        text.into()
    }

    /// The title and explanation an error page shows (respondents' pages and the review
    /// team's alike).
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
            AppError::BadRequest(reason) => (messages::BAD_REQUEST, reason),
            AppError::MalformedJson | AppError::DuplicateKey(_) => {
                (messages::BAD_REQUEST, messages::MALFORMED_JSON)
            }
            AppError::IdempotencyKeyMalformed => {
                (messages::BAD_REQUEST, messages::idempotency::KEY_MALFORMED)
            }
            AppError::IdempotencyKeyReused => {
                (messages::BAD_REQUEST, messages::idempotency::KEY_REUSED)
            }
            AppError::PayloadTooLarge => (messages::BAD_REQUEST, messages::PAYLOAD_TOO_LARGE),
            AppError::UnsupportedMediaType => (messages::BAD_REQUEST, messages::BAD_REQUEST),
            AppError::InvalidAnswers(_) => (messages::BAD_REQUEST, messages::INVALID_ANSWERS),
            AppError::Import(_) => (messages::BAD_REQUEST, ""),
            AppError::Refused(reason) => (messages::CHANGE_REFUSED, reason),
            AppError::DownloadRefused(reason) => (messages::report::DOWNLOAD_REFUSED, reason),
            AppError::UnknownBreakdown(reason) => (messages::report::RESULTS_UNAVAILABLE, reason),
            AppError::Forbidden | AppError::AdminOnly => (
                messages::accounts::FORBIDDEN,
                messages::accounts::FORBIDDEN_DETAIL,
            ),
            AppError::CsrfFailed => (
                messages::accounts::CSRF_FAILED,
                messages::accounts::CSRF_FAILED_DETAIL,
            ),
            AppError::InvalidToken => (
                messages::accounts::FORBIDDEN,
                messages::accounts::API_TOKEN_REQUIRED,
            ),
            AppError::Busy => (messages::INTERNAL, messages::BUSY),
            AppError::Internal(_) | AppError::Db(_) => {
                (messages::INTERNAL, messages::INTERNAL_DETAIL)
            }
        }
    }

    /// The answers' problems, when the error is about answers.
    pub fn problems(&self) -> &[Problem] {
        match self {
            AppError::InvalidAnswers(problems) => problems,
            _ => &[],
        }
    }

    /// Failures on our side are logged where they are turned into an answer; their detail
    /// never reaches the client.
    pub fn log_if_internal(&self) {
        match self {
            AppError::Db(error) => tracing::error!(%error, "storage failed"),
            AppError::Internal(error) => tracing::error!(%error, "request failed"),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_snake_case_and_match_their_serde_names() {
        let mut seen = std::collections::HashSet::new();
        for &code in ErrorCode::ALL {
            let name = code.as_str();
            assert!(seen.insert(name), "{name} twice");
            assert!(name.chars().all(|c| c.is_ascii_lowercase() || c == '_'));
            assert_eq!(
                serde_json::to_value(code).expect("serialises"),
                serde_json::Value::String(name.to_owned())
            );
        }
    }

    #[test]
    fn every_code_is_documented_in_the_readme() {
        let readme = include_str!("../README.md");
        let missing: Vec<&str> = ErrorCode::ALL
            .iter()
            .map(|code| code.as_str())
            .filter(|name| !readme.contains(&format!("`{name}`")))
            .collect();
        assert!(missing.is_empty(), "README lacks the codes {missing:?}");
    }
}
