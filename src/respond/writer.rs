//! The response writer: submissions from every request are written in batches, one durable
//! commit for many responses (group commit). With `synchronous=FULL` each commit waits for
//! the disk, so batching is what lets one SQLite file accept thousands of responses a second.
//! A submission is stored sealed in the waiting room (`waiting_responses`), in the same
//! transaction that completes its invitation or consumes its draft; it joins `responses` only
//! later, in a release batch of at least k (`crate::release`). A JSON submission's
//! idempotency key (`super::idempotency`) is stored in the same transaction, and a repeat of a
//! stored key is answered without storing anything.

use crate::db::InvitationId;
use crate::db::SurveyId;
use crate::error::AppError;
use crate::release::Submissions;
use std::collections::{BTreeMap, HashSet};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, SyncSender, TrySendError};
use std::thread::JoinHandle;
use std::time::Duration;

use chrono::NaiveDate;
use tokio::sync::oneshot;

use crate::db::idempotency_keys::{self, StoredKey};
use crate::db::responses::{self, NewResponse};
use crate::db::waiting::{self, WaitingResponse};
use crate::db::{
    drafts, invitations, submission_days, tallies, write_transaction, Database, DbConnection,
    DbError,
};

use super::idempotency::{self, Keyed};

/// One sealed response to store, the day it arrived (counted per day, never stored with
/// it), and what it uses up in the same transaction.
#[derive(Debug)]
pub struct Submission {
    pub row: WaitingResponse,
    pub day: NaiveDate,
    pub claim: Claim,
}

/// What a submission consumes, so that the same response cannot be stored twice.
#[derive(Debug)]
pub enum Claim {
    /// An anonymous JSON submission on the open link: nothing to consume.
    Nothing,
    /// The open-link draft (by the hash of its cookie id), deleted with the store.
    Draft(String),
    /// An invitation: marked completed (a flag, never a time) and its draft deleted. The
    /// stored response holds no reference to it.
    Invitation {
        invitation_id: InvitationId,
        survey_id: SurveyId,
    },
}

#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("the draft or invitation was already submitted")]
    AlreadySubmitted,
    #[error("the idempotency key was already used with another body")]
    KeyReused,
    #[error("too many submissions are waiting")]
    Busy,
    #[error("the response writer has stopped")]
    Stopped,
    #[error(transparent)]
    Db(#[from] DbError),
}

/// What a client is told when its response could not be stored.
impl From<WriteError> for AppError {
    fn from(error: WriteError) -> Self {
        match error {
            WriteError::AlreadySubmitted => AppError::AlreadySubmitted,
            WriteError::KeyReused => AppError::IdempotencyKeyReused,
            WriteError::Busy | WriteError::Stopped => AppError::Busy,
            WriteError::Db(error) => AppError::Db(error),
        }
    }
}

type Reply = oneshot::Sender<Result<(), WriteError>>;

/// A submission as queued: with the idempotency key to store with it, if any.
type Queued = (Submission, Option<StoredKey>, Reply);

/// A handle to the writer thread; cheap to clone.
#[derive(Clone)]
pub struct ResponseWriter {
    queue: SyncSender<Queued>,
}

/// Owns the writer thread; dropping every `ResponseWriter` and calling `join` drains it.
pub struct WriterThread {
    handle: JoinHandle<()>,
}

impl WriterThread {
    pub fn join(self) {
        let _ = self.handle.join();
    }
}

impl ResponseWriter {
    /// Starts the writer thread; it counts what it takes in on `submissions`, which the
    /// release task reads to yield to submissions.
    pub fn start(
        db: Database,
        max_batch: usize,
        capacity: usize,
        submissions: Submissions,
    ) -> (Self, WriterThread) {
        let (queue, incoming) = mpsc::sync_channel(capacity);
        let handle = std::thread::Builder::new()
            .name("response-writer".into())
            .spawn(move || run(db, incoming, max_batch, submissions))
            .expect("the response writer thread starts");
        (Self { queue }, WriterThread { handle })
    }

    /// Queues a submission and waits until it is durably stored (or refused).
    pub async fn submit(&self, submission: Submission) -> Result<(), WriteError> {
        self.submit_keyed(submission, None).await
    }

    /// Like `submit`, storing the submission's idempotency key with it. A key already stored
    /// with the same fingerprint (or being stored in the same batch) answers `Ok` without
    /// storing anything again; with another fingerprint, `KeyReused`.
    pub async fn submit_keyed(
        &self,
        submission: Submission,
        key: Option<StoredKey>,
    ) -> Result<(), WriteError> {
        let (reply, stored) = oneshot::channel();
        match self.queue.try_send((submission, key, reply)) {
            Ok(()) => {}
            Err(TrySendError::Full(_)) => return Err(WriteError::Busy),
            Err(TrySendError::Disconnected(_)) => return Err(WriteError::Stopped),
        }
        stored.await.unwrap_or(Err(WriteError::Stopped))
    }
}

fn run(db: Database, incoming: Receiver<Queued>, max_batch: usize, submissions: Submissions) {
    let mut batch = Vec::with_capacity(max_batch);
    loop {
        match incoming.recv_timeout(Duration::from_secs(1)) {
            Ok(first) => batch.push(first),
            Err(RecvTimeoutError::Timeout) => continue,
            Err(RecvTimeoutError::Disconnected) => return,
        }
        while batch.len() < max_batch {
            match incoming.try_recv() {
                Ok(next) => batch.push(next),
                Err(_) => break,
            }
        }
        submissions.arrived(batch.len());
        write_batch(&db, &mut batch);
    }
}

fn write_batch(db: &Database, batch: &mut Vec<Queued>) {
    let mut conn = match db.get() {
        Ok(conn) => conn,
        Err(error) => {
            tracing::error!(%error, "response writer has no database connection");
            let message = error.to_string();
            for (_, _, reply) in batch.drain(..) {
                let _ = reply.send(Err(WriteError::Db(DbError::Connect(message.clone()))));
            }
            return;
        }
    };
    let submissions: Vec<(&Submission, Option<&StoredKey>)> =
        batch.iter().map(|(s, k, _)| (s, k.as_ref())).collect();
    match write_transaction(&mut conn, |conn| store_all(conn, &submissions)) {
        Ok(outcomes) => {
            for ((_, _, reply), outcome) in batch.drain(..).zip(outcomes) {
                let _ = reply.send(outcome);
            }
        }
        Err(error) => {
            // One bad submission must not sink the others: retry each on its own.
            tracing::warn!(%error, size = batch.len(), "batch failed; storing one by one");
            for (submission, key, reply) in batch.drain(..) {
                let one = [(&submission, key.as_ref())];
                let outcome = write_transaction(&mut conn, |conn| store_all(conn, &one))
                    .map_err(WriteError::from)
                    .and_then(|mut outcomes| outcomes.pop().unwrap_or(Err(WriteError::Stopped)));
                let _ = reply.send(outcome);
            }
        }
    }
}

/// Stores responses as released, straight into `responses`, in one transaction: for tools
/// that fill a database (the benchmark generator) and tests of the reports. The service never
/// stores a response this way: submissions wait sealed for a release.
pub fn store_batch(conn: &mut DbConnection, batch: &[NewResponse]) -> Result<(), DbError> {
    write_transaction(conn, |conn| {
        responses::insert_all(conn, batch)?;
        tallies::mark_untallied(conn, batch)?;
        Ok(())
    })
}

/// Stores each submission whose draft still exists, sealed, in the waiting room; a draft
/// already gone means the same response was submitted twice (a double click), and the second
/// is refused. The day's submission count goes up in the same transaction, and so are the
/// idempotency keys of the stored submissions written; a submission whose key is already
/// stored (or led by an earlier one of the batch) consumes nothing and shares that result.
fn store_all(
    conn: &mut DbConnection,
    keyed_submissions: &[(&Submission, Option<&StoredKey>)],
) -> Result<Vec<Result<(), WriteError>>, DbError> {
    let keys: Vec<Option<&StoredKey>> = keyed_submissions.iter().map(|(_, k)| *k).collect();
    let key_hashes: Vec<&str> = keys.iter().flatten().map(|k| k.key_hash.as_str()).collect();
    let stored_keys = idempotency_keys::fingerprints(conn, &key_hashes)?;
    let keyed = idempotency::resolve(&keys, &stored_keys);
    // Only submissions judged on their own consume a draft or an invitation.
    let submissions: Vec<&Submission> = keyed_submissions
        .iter()
        .zip(&keyed)
        .filter(|(_, k)| matches!(k, Keyed::Unkeyed | Keyed::Lead))
        .map(|((s, _), _)| *s)
        .collect();
    let draft_hashes: Vec<&str> = submissions
        .iter()
        .filter_map(|s| match &s.claim {
            Claim::Draft(hash) => Some(hash.as_str()),
            _ => None,
        })
        .collect();
    let invitation_claims: Vec<(&InvitationId, SurveyId)> = submissions
        .iter()
        .filter_map(|s| match &s.claim {
            Claim::Invitation {
                invitation_id,
                survey_id,
            } => Some((invitation_id, *survey_id)),
            _ => None,
        })
        .collect();
    let live_drafts = drafts::delete_all(conn, &draft_hashes)?;
    let completed = invitations::complete_all(conn, &invitation_claims)?;
    let completed_ids: Vec<&InvitationId> = completed.iter().collect();
    invitations::delete_drafts(conn, &completed_ids)?;

    // Each draft or invitation answers once, also when it comes twice in one batch.
    let mut taken: HashSet<&str> = HashSet::new();
    let mut outcomes: Vec<Result<(), WriteError>> = Vec::with_capacity(keyed.len());
    let mut accepted = Vec::with_capacity(submissions.len());
    let mut accepted_days = Vec::with_capacity(submissions.len());
    let mut accepted_keys = Vec::new();
    for (index, (submission, key)) in keyed_submissions.iter().enumerate() {
        match keyed[index] {
            Keyed::Unkeyed | Keyed::Lead => {}
            Keyed::Replay => {
                outcomes.push(Ok(()));
                continue;
            }
            Keyed::Conflict => {
                outcomes.push(Err(WriteError::KeyReused));
                continue;
            }
            // The first of the batch with this key has its outcome already (it came earlier).
            Keyed::Follows(leader) => {
                outcomes.push(match &outcomes[leader] {
                    Ok(()) => Ok(()),
                    Err(_) => Err(WriteError::AlreadySubmitted),
                });
                continue;
            }
        }
        let fresh = match &submission.claim {
            Claim::Nothing => true,
            Claim::Draft(hash) => live_drafts.contains(hash) && taken.insert(hash),
            Claim::Invitation { invitation_id, .. } => {
                completed.contains(invitation_id) && taken.insert(invitation_id.as_str())
            }
        };
        if fresh {
            accepted.push(submission.row.clone());
            accepted_days.push((submission.row.survey_id, submission.day));
            accepted_keys.extend((*key).cloned());
            outcomes.push(Ok(()));
        } else {
            outcomes.push(Err(WriteError::AlreadySubmitted));
        }
    }
    waiting::insert_all(conn, &accepted)?;
    idempotency_keys::insert_all(conn, &accepted_keys)?;
    let mut per_day: BTreeMap<(SurveyId, NaiveDate), i32> = BTreeMap::new();
    for row in &accepted_days {
        *per_day.entry(*row).or_default() += 1;
    }
    for ((survey_id, day), count) in per_day {
        submission_days::add(conn, survey_id, day, count)?;
    }
    Ok(outcomes)
}
