//! Reporting: tallies kept at submission time, results with disclosure control, charts and
//! the results page, and downloads (results and k-anonymous responses).

pub mod charts;
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

use rand::seq::SliceRandom;
use serde::Serialize;

use crate::db::{DbConnection, DbError};
use crate::questionnaire::{QuestionKind, Questionnaire};
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

/// The free-text answers to one question, whole survey only, in random order.
#[derive(Debug, Clone, Serialize)]
pub struct Comments {
    pub question: String,
    pub text: String,
    pub bodies: Vec<String>,
}

/// Free-text answers per text question, or nothing while the survey has fewer responses
/// than its comments threshold (checked on `results`, the same figures the page shows).
pub fn comments(
    conn: &mut DbConnection,
    survey_id: i32,
    q: &Questionnaire,
    results: &Results,
) -> Result<Option<Vec<Comments>>, ReportError> {
    if !results.comments_allowed {
        return Ok(None);
    }
    let mut all = Vec::new();
    for question in q.questions() {
        if matches!(question.kind, QuestionKind::Text { .. }) {
            let mut bodies = crate::db::responses::string_answers(conn, survey_id, &question.key)?;
            bodies.shuffle(&mut rand::rng());
            all.push(Comments {
                question: question.key.clone(),
                text: question.text.clone(),
                bodies,
            });
        }
    }
    Ok(Some(all))
}
