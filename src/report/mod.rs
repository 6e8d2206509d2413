//! Reporting: tallies kept at submission time, results with disclosure control, charts and
//! the results page, and downloads (results and k-anonymous responses).

pub mod chart_image;
pub mod charts;
pub mod comments;
pub mod disclosure;
pub mod docx;
pub mod downloads;
pub mod export;
pub mod kanon;
pub mod neutralise;
pub mod overview;
pub mod page;
pub mod response_rates;
pub mod results;
pub mod stats;
pub mod summary;
pub mod summary_view;
pub mod tally;

use crate::db::SurveyId;
use crate::db::{DbConnection, DbError};
use crate::questionnaire::Questionnaire;
pub use comments::{comments, Comments};
pub use results::{Cell, Results, ResultsError};

#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("survey not found")]
    SurveyNotFound,
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

impl From<crate::questionnaire::stored::CodecError> for ReportError {
    fn from(error: crate::questionnaire::stored::CodecError) -> Self {
        ReportError::Db(DbError::from(error))
    }
}

/// A survey's published results, whole survey and by `breakdown` when given.
pub fn results(
    conn: &mut DbConnection,
    survey_id: SurveyId,
    q: &Questionnaire,
    breakdown: Option<&str>,
) -> Result<Results, ReportError> {
    let rows = load_with_combinations(conn, survey_id, q, breakdown)?;
    let mut results = results::compute(q, breakdown, &rows)?;
    let completed = crate::db::invitations::count_completed(conn, survey_id)?;
    results.channels = Some(results::Channels::new(
        results.responses,
        u64::try_from(completed).unwrap_or(0),
        q.min_group_size,
    ));
    results.notes = export::table::notes(&results);
    Ok(results)
}

/// The Word report of a survey's published results (whole survey, and by `breakdown` when
/// given), with the summary of statements, response rates and the comments the page may
/// show.
pub fn report_docx(
    conn: &mut DbConnection,
    survey_id: SurveyId,
    q: &Questionnaire,
    breakdown: Option<&str>,
) -> Result<Vec<u8>, ReportError> {
    let results = results(conn, survey_id, q, breakdown)?;
    let comments = comments(conn, survey_id, q, &results)?;
    let rates = crate::report::response_rates::response_rates(conn, survey_id, q.min_group_size)?;
    let summary = summary::summarise(q, &results);
    let overview = overview::overview(q, &results, &rates);
    docx::write(&docx::ReportInput {
        questionnaire: q,
        results: &results,
        summary: &summary,
        overview: &overview,
        comments: comments.as_deref(),
    })
    .map_err(|e| ReportError::Write(e.to_string()))
}

/// The disclosure plan for a survey, for figures outside `Results` (response counts by
/// channel, for example).
pub fn plan(
    conn: &mut DbConnection,
    survey_id: SurveyId,
    q: &Questionnaire,
) -> Result<disclosure::Plan, ReportError> {
    let rows = load_with_combinations(conn, survey_id, q, None)?;
    Ok(disclosure::Plan::new(q, &tally::combinations(q, &rows)))
}

/// The tallies as `tally::load_exact` gives them. Tallies folded before combinations of
/// breakdown answers were counted lack them: such a survey's tallies are rebuilt once.
fn load_with_combinations(
    conn: &mut DbConnection,
    survey_id: SurveyId,
    q: &Questionnaire,
    breakdown: Option<&str>,
) -> Result<Vec<crate::db::tallies::TallyRow>, ReportError> {
    let rows = tally::load_exact(conn, survey_id, q, breakdown)?;
    let responses: i64 = rows
        .iter()
        .filter(|r| r.by_question.is_empty() && r.question_key.is_empty())
        .map(|r| r.count)
        .sum();
    let combined: i64 = rows
        .iter()
        .filter(|r| r.by_question.is_empty() && r.question_key == tally::COMBINATION)
        .map(|r| r.count)
        .sum();
    if combined == responses {
        return Ok(rows);
    }
    tracing::info!(
        %survey_id,
        "rebuilding tallies to count combinations of breakdown answers"
    );
    tally::rebuild(conn, survey_id, q)?;
    Ok(tally::load_exact(conn, survey_id, q, breakdown)?)
}
