//! What a command reports when it fails: one line on stderr, a non-zero exit.

use std::path::PathBuf;

use crate::error::AppError;
use crate::server::StartError;

#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error(transparent)]
    Config(#[from] crate::config::ConfigError),
    #[error(transparent)]
    Start(#[from] StartError),
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot write {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{0}")]
    Import(String),
    #[error("{0}")]
    App(String),
    #[error(transparent)]
    Key(#[from] crate::server_key::KeyError),
}

impl From<AppError> for CliError {
    fn from(error: AppError) -> Self {
        match error {
            AppError::SurveyNotFound => CliError::App(crate::messages::NO_SUCH_SURVEY.to_owned()),
            AppError::SurveyNotOpen => {
                CliError::App(crate::messages::SURVEY_NOT_ACCEPTING.to_owned())
            }
            other => CliError::App(other.to_string()),
        }
    }
}

impl From<diesel::result::Error> for CliError {
    fn from(error: diesel::result::Error) -> Self {
        CliError::App(crate::db::DbError::from(error).to_string())
    }
}

impl From<crate::db::DbError> for CliError {
    fn from(error: crate::db::DbError) -> Self {
        CliError::App(error.to_string())
    }
}
