//! The sealed waiting room and its release. A submitted response is stored sealed in
//! `waiting_responses` (in the transaction that completes its invitation or consumes its
//! draft, see `respond::writer`); a release moves waiting responses into `responses` only in
//! batches of at least the survey's minimum group size, in random order, with fresh ids and
//! the release day, in a transaction that touches no invitation. A copy of the database, two
//! copies, or results fetched before and after one submission therefore never show fewer
//! than k new responses.

pub mod activity;
pub mod plan;
pub mod seal;
pub mod task;

use crate::db::{ResponseId, SurveyId};
use chrono::NaiveDate;

use crate::db::responses::{self, NewResponse};
use crate::db::surveys::{self, SurveyStatus};
use crate::db::{idempotency_keys, tallies, waiting, write_transaction, DbConnection, DbError};
use crate::secrets::random_id;

pub use activity::Submissions;
pub use plan::{Pace, Phase};
pub use seal::ResponseSeal;

#[derive(Debug, thiserror::Error)]
pub enum ReleaseError {
    #[error("waiting responses of survey {0} cannot be opened with this server's secret key")]
    Unreadable(SurveyId),
    #[error("another release took waiting responses of survey {0} at the same time")]
    Raced(SurveyId),
    #[error(transparent)]
    Db(#[from] DbError),
}

impl From<diesel::result::Error> for ReleaseError {
    fn from(error: diesel::result::Error) -> Self {
        Self::Db(DbError::from(error))
    }
}

/// What one pass of the release task did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Pass {
    pub released: usize,
    /// Some survey has another batch due (a backlog): the task comes back soon.
    pub more_due: bool,
}

/// One batch wherever one is due: where 2k wait while open, everything (a batch at a time)
/// where the survey is closed or its closing day has passed. One batch per survey per pass,
/// as large as `pace` allows, so that submissions get the write lock between batches.
pub fn release_due(
    conn: &mut DbConnection,
    seal: &ResponseSeal,
    today: NaiveDate,
    pace: Pace,
) -> Result<Pass, ReleaseError> {
    let mut pass = Pass::default();
    for survey_id in waiting::surveys_waiting(conn)? {
        let Some(row) = surveys::find_by_id(conn, survey_id)? else {
            continue;
        };
        let questionnaire = row.questionnaire()?;
        let closed = row.status() == SurveyStatus::Closed || questionnaire.past_closing(today);
        let phase = if closed { Phase::Closed } else { Phase::Open };
        let k = questionnaire.min_group_size as usize;
        let batch = release_batch(conn, seal, survey_id, k, phase, pace, today)?;
        if batch.released > 0 {
            tracing::info!(%survey_id, released = batch.released, "released a batch of responses");
            pass.released += batch.released;
            pass.more_due |= batch.more_due;
        }
    }
    Ok(pass)
}

/// Releases what is due in one survey, a batch (one transaction) at a time (see
/// `plan::batch_size`), then scrubs what the deleted waiting rows left in the files.
/// Releasing everything (the survey closed) also forgets the survey's idempotency keys.
/// Returns how many were released (0 when nothing was due, or another instance was
/// releasing the survey at that moment).
pub fn release_survey(
    conn: &mut DbConnection,
    seal: &ResponseSeal,
    survey_id: SurveyId,
    k: usize,
    phase: Phase,
    today: NaiveDate,
) -> Result<usize, ReleaseError> {
    let mut released = 0;
    loop {
        let batch = release_batch(conn, seal, survey_id, k, phase, Pace::Full, today)?;
        if batch.released == 0 {
            break;
        }
        tracing::info!(%survey_id, released = batch.released, "released a batch of responses");
        released += batch.released;
    }
    if released > 0 {
        scrub(conn);
    }
    Ok(released)
}

/// Removes what released waiting rows left in the files (see `waiting::scrub_after_release`).
pub fn scrub(conn: &mut DbConnection) {
    if let Err(error) = waiting::scrub_after_release(conn) {
        tracing::warn!(%error, "could not scrub the released waiting rows from the files");
    }
}

/// What one batch did.
#[derive(Debug, Clone, Copy, Default)]
struct Batch {
    released: usize,
    /// Another batch of the survey may be due.
    more_due: bool,
}

/// One batch, in one transaction: chosen at random among the waiting responses, opened,
/// stored with fresh random ids and the release day, in random-id order. It looks at the
/// rows that follow a random point in id order, enough of them to size the batch as a count
/// of all would (`plan::look_ahead`), and takes the first of those.
fn release_batch(
    conn: &mut DbConnection,
    seal: &ResponseSeal,
    survey_id: SurveyId,
    k: usize,
    phase: Phase,
    pace: Pace,
    today: NaiveDate,
) -> Result<Batch, ReleaseError> {
    write_transaction(conn, |conn| -> Result<Batch, ReleaseError> {
        if !waiting::try_lock_release(conn, survey_id)? {
            return Ok(Batch::default());
        }
        if phase == Phase::Closed {
            idempotency_keys::delete_for_survey(conn, survey_id)?;
        }
        let mut rows = waiting::random_batch(conn, survey_id, plan::look_ahead(k, pace))?;
        let seen = rows.len();
        let size = plan::batch_size(seen, k, phase, pace);
        if size == 0 {
            return Ok(Batch::default());
        }
        rows.truncate(size);
        let mut batch = Vec::with_capacity(size);
        for row in &rows {
            let answers = seal.open(row).ok_or(ReleaseError::Unreadable(survey_id))?;
            batch.push(NewResponse {
                id: ResponseId(random_id()),
                survey_id,
                // The release day, shared by the whole batch: nothing finer.
                submitted_on: today,
                answers,
            });
        }
        let ids: Vec<i64> = rows.iter().map(|row| row.id).collect();
        if waiting::delete(conn, &ids)? != size {
            return Err(ReleaseError::Raced(survey_id));
        }
        // Stored in random order with random ids: neither says which arrived first.
        batch.sort_by(|a, b| a.id.cmp(&b.id));
        responses::insert_all(conn, &batch)?;
        tallies::mark_untallied(conn, &batch)?;
        Ok(Batch {
            released: size,
            more_due: plan::more_after(seen, size, k, phase, pace),
        })
    })
}

/// Releases every waiting response of a survey (closing it; also a test hook).
pub fn release_all(
    conn: &mut DbConnection,
    seal: &ResponseSeal,
    survey_id: SurveyId,
    today: NaiveDate,
) -> Result<usize, ReleaseError> {
    release_survey(conn, seal, survey_id, 1, Phase::Closed, today)
}
