//! How the application's error looks in the review team's area: its frame, the code to quote,
//! a sign-in redirect for someone not signed in, and the session-ended page that also clears
//! the cookie.

use actix_web::http::{header, StatusCode};
use actix_web::{HttpResponse, ResponseError};

use crate::db::DbError;
use crate::error::{AppError, ErrorCode};
use crate::messages::accounts as msg;
use crate::web::error::status_for;
use crate::web::render;

use super::auth::session_cookie;
use super::views::{error_page, SessionEndedPage};

/// Why a request in the review team's area did not go on.
#[derive(Debug, thiserror::Error)]
pub enum AdminError {
    /// Answered with a redirect to the sign-in page, not an error page.
    #[error("not signed in")]
    NotSignedIn,
    #[error("session ended")]
    SessionEnded {
        https: bool,
        idle_minutes: u32,
        absolute_minutes: u32,
    },
    #[error(transparent)]
    App(#[from] AppError),
}

impl AdminError {
    pub fn code(&self) -> ErrorCode {
        match self {
            AdminError::NotSignedIn => ErrorCode::NotSignedIn,
            AdminError::SessionEnded { .. } => ErrorCode::SessionEnded,
            AdminError::App(inner) => inner.code(),
        }
    }
}

impl From<DbError> for AdminError {
    fn from(error: DbError) -> Self {
        AdminError::App(AppError::Db(error))
    }
}

impl From<diesel::result::Error> for AdminError {
    fn from(error: diesel::result::Error) -> Self {
        AdminError::App(error.into())
    }
}

impl ResponseError for AdminError {
    fn status_code(&self) -> StatusCode {
        match self {
            AdminError::NotSignedIn => StatusCode::SEE_OTHER,
            other => status_for(other.code()),
        }
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            AdminError::NotSignedIn => HttpResponse::SeeOther()
                .insert_header((header::LOCATION, "/admin/signin"))
                .finish(),
            AdminError::SessionEnded {
                https,
                idle_minutes,
                absolute_minutes,
            } => {
                let mut response = render(
                    HttpResponse::build(self.status_code()),
                    &SessionEndedPage {
                        title: msg::SESSION_ENDED,
                        detail: &msg::session_ended_detail(*idle_minutes, *absolute_minutes),
                    },
                );
                let _ = response.add_removal_cookie(&session_cookie(None, *https));
                response
            }
            AdminError::App(inner) => {
                inner.log_if_internal();
                let (title, detail) = inner.page_text();
                error_page(inner.code(), title, detail)
            }
        }
    }
}
