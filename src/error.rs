//! The service layer's error: what went wrong, independent of how the edge shows it.

use crate::db::DbError;
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
    #[error("bad request: {0}")]
    BadRequest(&'static str),
    /// A JSON body names the same key twice in one object.
    #[error("duplicate key {0:?}")]
    DuplicateKey(String),
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
    #[error("{0}")]
    Refused(String),
    #[error("busy")]
    Busy,
    #[error(transparent)]
    Db(#[from] DbError),
}

impl From<diesel::result::Error> for AppError {
    fn from(error: diesel::result::Error) -> Self {
        AppError::Db(DbError::from(error))
    }
}
