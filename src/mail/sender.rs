//! The outbox sender: a task in the server process that leases due messages, sends them
//! through the shared transport under the rate cap, and records each outcome.
//!
//! Every mail once, even across crashes: a message is leased to one sender at a time, and
//! its outcome is made durable as soon as the server answers (outcomes arriving together
//! share one short write), before its connection carries the next message. Batches are
//! small and their lease short, renewed while the batch is under way. So a sender killed
//! mid-batch repeats at most the messages it had handed over without a durable outcome, at
//! most one per connection, once its lease runs out; the rest were either recorded or never
//! sent. A message whose reply to the final `.` never came is recorded as unconfirmed
//! ("maybe delivered") and not sent again on its own.
//!
//! The file transport (a local trial) reaches no one, so it takes larger batches and records
//! their outcomes together without waiting between messages: a crash may write a batch of
//! files again, and no person gets a mail twice.

use std::collections::HashSet;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use chrono::{NaiveDateTime, TimeDelta};
use lettre::message::{header::ContentType, Mailbox, MultiPart, SinglePart};
use lettre::Message;
use tokio::sync::{mpsc, oneshot, Semaphore};

use crate::clock::Clock;
use crate::config::MailSettings;
use crate::db::outbox::{self, QueuedMail};
use crate::db::{invitations, write_transaction, Database, DbError};
use crate::secrets::random_id;

use super::transport::{SendFailure, Transport};

/// Most messages claimed at once (or one per connection, if there are more connections):
/// those not yet sent when a sender dies wait for its lease to run out.
const MAX_BATCH: u32 = 20;
/// Messages claimed at once when they are written as files, which reach no one.
const MAX_FILE_BATCH: u32 = 500;
/// The longest wait between two attempts at one message.
const MAX_BACKOFF_SECONDS: i64 = 86_400;
/// Tries at writing a group of outcomes before giving up on it (its messages are then sent
/// again once the lease runs out).
const RECORD_TRIES: u32 = 5;

pub struct Sender {
    db: Database,
    transport: Arc<Transport>,
    from: Mailbox,
    settings: MailSettings,
    worker: String,
    clock: Clock,
}

enum Outcome {
    Sent,
    Failed(SendFailure),
}

/// One outcome on its way to the database, and who waits for it to be durable.
type Recorded = (QueuedMail, Outcome, oneshot::Sender<()>);

impl Sender {
    /// A sender reading the time from `clock` (the server's, which tests move).
    pub fn new(
        db: Database,
        transport: Transport,
        settings: MailSettings,
        clock: Clock,
    ) -> Result<Self, String> {
        let from = settings
            .from
            .parse::<Mailbox>()
            .map_err(|e| format!("bad setting mail.from: {e}"))?;
        Ok(Self {
            db,
            transport: Arc::new(transport),
            from,
            settings,
            worker: random_id(),
            clock,
        })
    }

    /// Sends until the runtime stops; an idle outbox is polled every `mail.poll_ms`.
    pub async fn run(self) {
        let (_keep, stop) = tokio::sync::oneshot::channel();
        self.run_until(stop).await
    }

    /// Sends until `stop` fires (or its sender is dropped); a batch under way is finished and
    /// recorded first, then the transport's connections are closed (SMTP QUIT).
    pub async fn run_until(self, mut stop: tokio::sync::oneshot::Receiver<()>) {
        let idle = Duration::from_millis(self.settings.poll_ms);
        loop {
            let wait = match self.pass().await {
                Ok(0) => {
                    self.transport.close_idle().await;
                    idle
                }
                Ok(_) => Duration::ZERO,
                Err(error) => {
                    tracing::warn!(%error, "the mail sender could not reach the outbox");
                    idle
                }
            };
            tokio::select! {
                _ = &mut stop => break,
                _ = tokio::time::sleep(wait) => {}
            }
        }
        self.transport.close().await;
    }

    fn lease(&self) -> TimeDelta {
        // At most a day (checked at start-up).
        TimeDelta::try_seconds(i64::try_from(self.settings.lease_seconds).unwrap_or(86_400))
            .unwrap_or(TimeDelta::days(1))
    }

    /// One batch: claim, then send each message and record its outcome as the server
    /// answers, renewing the lease meanwhile. Returns how many messages were attempted.
    pub async fn pass(&self) -> Result<usize, DbError> {
        let started = Instant::now();
        let now = self.clock.now();
        let worker = self.worker.clone();
        let most = if self.transport.reaches_people() {
            MAX_BATCH.max(self.settings.connections)
        } else {
            MAX_FILE_BATCH
        };
        let limit = i64::from(self.settings.rate_per_second.clamp(1, most));
        let until = now + self.lease();
        let claimed = self
            .db
            .run(move |conn| outbox::claim(conn, &worker, now, until, limit).map_err(DbError::from))
            .await?;
        if claimed.is_empty() {
            return Ok(0);
        }
        let count = claimed.len();
        // Claimed and not yet recorded: the messages whose lease is renewed.
        let outstanding: Mutex<HashSet<String>> =
            Mutex::new(claimed.iter().map(|m| m.id.clone()).collect());
        let (outcomes, arriving) = mpsc::unbounded_channel();
        let work = async {
            tokio::join!(
                self.send_all(claimed, outcomes),
                self.record_as_they_come(arriving, &outstanding)
            )
        };
        tokio::select! {
            _ = work => {}
            _ = self.renew_lease(&outstanding) => {}
        }
        // The rate cap: a batch of n messages takes at least n / rate seconds.
        let floor =
            Duration::from_secs_f64(count as f64 / f64::from(self.settings.rate_per_second));
        if let Some(rest) = floor.checked_sub(started.elapsed()) {
            tokio::time::sleep(rest).await;
        }
        Ok(count)
    }

    /// Sends every claimed message, at most `connections` at once; a connection's next
    /// message waits until the outcome of its last one is durable.
    async fn send_all(&self, claimed: Vec<QueuedMail>, outcomes: mpsc::UnboundedSender<Recorded>) {
        let permits = Arc::new(Semaphore::new(self.settings.connections as usize));
        let wait_until_durable = self.transport.reaches_people();
        let mut tasks = tokio::task::JoinSet::new();
        for mail in claimed {
            let transport = self.transport.clone();
            let permits = permits.clone();
            let outcomes = outcomes.clone();
            let message = build(&self.from, &mail);
            tasks.spawn(async move {
                let _permit = permits.acquire().await;
                let outcome = match message {
                    Err(reason) => Outcome::Failed(SendFailure::Permanent(reason)),
                    Ok(message) => match transport.send(message).await {
                        Ok(()) => Outcome::Sent,
                        Err(failure) => Outcome::Failed(failure),
                    },
                };
                let (durable, recorded) = oneshot::channel();
                if outcomes.send((mail, outcome, durable)).is_ok() && wait_until_durable {
                    let _ = recorded.await;
                }
            });
        }
        drop(outcomes);
        while tasks.join_next().await.is_some() {}
    }

    /// Writes outcomes as they arrive, all those waiting in one short transaction, until
    /// every sending task is done.
    async fn record_as_they_come(
        &self,
        mut arriving: mpsc::UnboundedReceiver<Recorded>,
        outstanding: &Mutex<HashSet<String>>,
    ) {
        let base = i64::from(self.settings.retry_base_seconds);
        let max_attempts = i32::try_from(self.settings.max_attempts).unwrap_or(i32::MAX);
        while let Some(first) = arriving.recv().await {
            let mut group = vec![first];
            while let Ok(more) = arriving.try_recv() {
                group.push(more);
            }
            let (done, waiting): (Vec<(QueuedMail, Outcome)>, Vec<oneshot::Sender<()>>) = group
                .into_iter()
                .map(|(mail, outcome, durable)| ((mail, outcome), durable))
                .unzip();
            let ids: Vec<String> = done.iter().map(|(mail, _)| mail.id.clone()).collect();
            let done = Arc::new(done);
            for attempt in 1..=RECORD_TRIES {
                let finished = self.clock.now();
                let outcomes = done.clone();
                let written = self
                    .db
                    .run(move |conn| {
                        write_transaction(conn, |conn| {
                            record(conn, &outcomes, base, max_attempts, finished)
                        })
                        .map_err(DbError::from)
                    })
                    .await;
                match written {
                    Ok(()) => break,
                    Err(error) if attempt < RECORD_TRIES => {
                        tracing::warn!(%error, "could not record mail outcomes; trying again");
                        tokio::time::sleep(Duration::from_millis(200 * u64::from(attempt))).await;
                    }
                    Err(error) => tracing::error!(
                        %error,
                        count = ids.len(),
                        "could not record mail outcomes: these messages will be sent again \
                         once their lease runs out"
                    ),
                }
            }
            {
                let mut left = outstanding.lock().unwrap_or_else(PoisonError::into_inner);
                for id in &ids {
                    left.remove(id);
                }
            }
            for durable in waiting {
                let _ = durable.send(());
            }
        }
    }

    /// Extends the lease of the messages not yet recorded, a third of a lease at a time;
    /// never returns (the batch's end cancels it).
    async fn renew_lease(&self, outstanding: &Mutex<HashSet<String>>) {
        let lease = self.lease();
        let every = lease
            .to_std()
            .unwrap_or(Duration::from_secs(60))
            .div_f64(3.0);
        loop {
            tokio::time::sleep(every).await;
            let ids: Vec<String> = outstanding
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .iter()
                .cloned()
                .collect();
            let worker = self.worker.clone();
            let until = self.clock.now() + lease;
            let renewed = self
                .db
                .run(move |conn| {
                    outbox::renew_lease(conn, &worker, &ids, until).map_err(DbError::from)
                })
                .await;
            if let Err(error) = renewed {
                tracing::warn!(%error, "could not renew the lease on mail being sent");
            }
        }
    }
}

/// The message as it goes on the wire; typed mailboxes, so no header can be injected.
fn build(from: &Mailbox, mail: &QueuedMail) -> Result<Message, String> {
    let address = mail
        .recipient
        .parse()
        .map_err(|e| format!("bad recipient address: {e}"))?;
    let to = Mailbox::new(mail.recipient_name.clone(), address);
    let domain = from.email.domain().to_owned();
    Message::builder()
        .from(from.clone())
        .to(to)
        .subject(mail.subject.clone())
        .message_id(Some(format!("<{}@{domain}>", mail.id)))
        .multipart(
            MultiPart::alternative()
                .singlepart(
                    SinglePart::builder()
                        .header(ContentType::TEXT_PLAIN)
                        .body(mail.body_text.clone().unwrap_or_default()),
                )
                .singlepart(
                    SinglePart::builder()
                        .header(ContentType::TEXT_HTML)
                        .body(mail.body_html.clone().unwrap_or_default()),
                ),
        )
        .map_err(|e| format!("cannot build the message: {e}"))
}

fn record(
    conn: &mut crate::db::DbConnection,
    outcomes: &[(QueuedMail, Outcome)],
    base_seconds: i64,
    max_attempts: i32,
    now: NaiveDateTime,
) -> diesel::QueryResult<()> {
    let sent: Vec<String> = outcomes
        .iter()
        .filter(|(_, o)| matches!(o, Outcome::Sent))
        .map(|(m, _)| m.id.clone())
        .collect();
    outbox::mark_sent(conn, &sent)?;
    for (mail, outcome) in outcomes {
        let Outcome::Failed(failure) = outcome else {
            continue;
        };
        match failure {
            SendFailure::Temporary(error) if mail.attempts + 1 < max_attempts => {
                let exponent = u32::try_from(mail.attempts).unwrap_or(0).min(20);
                let wait = base_seconds
                    .saturating_mul(1_i64 << exponent)
                    .min(MAX_BACKOFF_SECONDS);
                outbox::retry_later(conn, &mail.id, now + TimeDelta::seconds(wait), error)?;
                tracing::info!(attempts = mail.attempts + 1, wait, "mail deferred");
            }
            SendFailure::Temporary(error) => {
                outbox::mark_failed(conn, &mail.id, error)?;
                tracing::warn!("mail given up after {max_attempts} attempts");
            }
            SendFailure::Unconfirmed(error) => {
                outbox::mark_unconfirmed(conn, &mail.id, error)?;
                tracing::warn!("mail handed over but not confirmed: maybe delivered, not resent");
            }
            SendFailure::Permanent(error) => {
                outbox::mark_failed(conn, &mail.id, error)?;
                if let Some(invitation) = &mail.invitation_id {
                    invitations::mark_undeliverable(conn, invitation, error)?;
                }
                tracing::warn!("mail refused permanently; invitation marked undeliverable");
            }
        }
    }
    Ok(())
}
