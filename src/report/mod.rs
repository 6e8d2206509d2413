//! Reporting: tallies kept at submission time, results with disclosure control, charts and
//! the results page, and downloads (results and k-anonymous responses).

pub mod charts;
pub mod comments;
pub mod disclosure;
pub mod downloads;
pub mod export;
pub mod kanon;
pub mod neutralise;
pub mod page;
pub mod results;
pub mod stats;
pub mod stored;
pub mod tally;

use crate::db::{DbConnection, DbError};
use crate::questionnaire::Questionnaire;
pub use comments::{comments, Comments};
pub use results::{Cell, Results, ResultsError};

#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error(transparent)]
    Results(#[from] ResultsError),
    #[error("{0}")]
    Refused(String),
    #[error(transparent)]
    Db(#[from] DbError),
    #[error("cannot write the download: {0}")]
    Write(String),
}

impl From<diesel::result::Error> for ReportError {
    fn from(error: diesel::result::Error) -> Self {
        ReportError::Db(DbError::from(error))
    }
}

/// A survey's published results, whole survey and by `breakdown` when given.
pub fn results(
    conn: &mut DbConnection,
    survey_id: i32,
    q: &Questionnaire,
    breakdown: Option<&str>,
) -> Result<Results, ReportError> {
    let rows = tally::load_exact(conn, survey_id, q, breakdown)?;
    Ok(results::compute(q, breakdown, &rows)?)
}
