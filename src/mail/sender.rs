//! The outbox sender: a task in the server process that leases due messages, sends them
//! through the shared transport under the rate cap, and records each outcome. A message is
//! leased to one sender at a time, so several instances never send the same mail twice;
//! one leased by a process that died is sent once its lease runs out.

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{NaiveDateTime, TimeDelta};
use lettre::message::{header::ContentType, Mailbox, MultiPart, SinglePart};
use lettre::Message;
use tokio::sync::Semaphore;

use crate::clock::Clock;
use crate::config::MailSettings;
use crate::db::outbox::{self, QueuedMail};
use crate::db::{invitations, write_transaction, Database, DbError};
use crate::secrets::random_id;

use super::transport::{SendFailure, Transport};

/// How long a claimed message stays reserved for the sender that claimed it.
const LEASE: TimeDelta = TimeDelta::seconds(300);
/// Most messages claimed at once.
const MAX_BATCH: u32 = 500;
/// The longest wait between two attempts at one message.
const MAX_BACKOFF_SECONDS: i64 = 86_400;

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

impl Sender {
    pub fn new(db: Database, transport: Transport, settings: MailSettings) -> Result<Self, String> {
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
            clock: Clock::system(),
        })
    }

    /// Reads the time from `clock` (the server's, which tests move) instead of the system's.
    pub fn with_clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
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

    /// One batch: claim, send, record. Returns how many messages were attempted.
    pub async fn pass(&self) -> Result<usize, DbError> {
        let started = Instant::now();
        let now = self.clock.now();
        let worker = self.worker.clone();
        let limit = i64::from(self.settings.rate_per_second.clamp(1, MAX_BATCH));
        let claimed = self
            .db
            .run(move |conn| {
                outbox::claim(conn, &worker, now, now + LEASE, limit).map_err(DbError::from)
            })
            .await?;
        if claimed.is_empty() {
            return Ok(0);
        }
        let count = claimed.len();
        let outcomes = self.send_all(claimed).await;
        let finished = self.clock.now();
        let base = i64::from(self.settings.retry_base_seconds);
        let max_attempts = i32::try_from(self.settings.max_attempts).unwrap_or(i32::MAX);
        self.db
            .run(move |conn| {
                write_transaction(conn, |conn| {
                    record(conn, &outcomes, base, max_attempts, finished)
                })
                .map_err(DbError::from)
            })
            .await?;
        // The rate cap: a batch of n messages takes at least n / rate seconds.
        let floor =
            Duration::from_secs_f64(count as f64 / f64::from(self.settings.rate_per_second));
        if let Some(rest) = floor.checked_sub(started.elapsed()) {
            tokio::time::sleep(rest).await;
        }
        Ok(count)
    }

    async fn send_all(&self, claimed: Vec<QueuedMail>) -> Vec<(QueuedMail, Outcome)> {
        let permits = Arc::new(Semaphore::new(self.settings.connections as usize));
        let mut tasks = tokio::task::JoinSet::new();
        for mail in claimed {
            let transport = self.transport.clone();
            let permits = permits.clone();
            let message = build(&self.from, &mail);
            tasks.spawn(async move {
                let outcome = match message {
                    Err(reason) => Outcome::Failed(SendFailure::Permanent(reason)),
                    Ok(message) => {
                        let _permit = permits.acquire().await;
                        match transport.send(message).await {
                            Ok(()) => Outcome::Sent,
                            Err(failure) => Outcome::Failed(failure),
                        }
                    }
                };
                (mail, outcome)
            });
        }
        let mut done = Vec::new();
        while let Some(joined) = tasks.join_next().await {
            if let Ok(result) = joined {
                done.push(result);
            }
        }
        done
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
