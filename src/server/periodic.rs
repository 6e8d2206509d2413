//! Everything the server does on a timer, started from one place ([`start`]) with the
//! server's [`Clock`] (tests move it forward), each safe with several instances:
//!
//! | task | how often | what |
//! | --- | --- | --- |
//! | session cleanup | every 10 minutes | deletes sessions past their idle or absolute timeout |
//! | draft cleanup | every hour | deletes drafts unchanged for `server.draft_days` |
//! | tally folding | every second | folds newly stored responses into the tallies |
//! | release | every `responses.release_seconds`; a backlog sooner while no submission arrives | releases waiting responses in batches (`release::task`) |
//! | mail sender | `mail.poll_ms` when idle | sends the outbox (`mail::Sender`) |
//! | reminder scheduler | every `scheduler.interval_seconds` | queues due reminders (`invite::scheduler`) |
//!
//! Tally folding alone reads no time, so it takes no clock.

use std::time::Duration;

use crate::clock::Clock;
use crate::config::Settings;
use crate::db::{Database, DbError};
use crate::invite::{scheduler, Links};
use crate::mail::{Sender, Transport};
use crate::release::{ResponseSeal, Submissions};
use crate::secrets::SecretKey;

use super::StartError;

/// The running periodic tasks. Only the mail sender is stopped by hand (it finishes and
/// records the batch it is sending); the others end with the runtime.
pub struct Periodic {
    mail_stop: tokio::sync::oneshot::Sender<()>,
    mail_task: tokio::task::JoinHandle<()>,
}

impl Periodic {
    /// Stops the mail sender once the batch it is sending is recorded.
    pub async fn stop(self) {
        let _ = self.mail_stop.send(());
        let _ = self.mail_task.await;
    }
}

/// Starts every periodic task. Must be called inside an actix system.
pub fn start(
    settings: &Settings,
    db: &Database,
    clock: &Clock,
    seal: &ResponseSeal,
    secret_key: &SecretKey,
    submissions: Submissions,
) -> Result<Periodic, StartError> {
    spawn_session_cleanup(db.clone(), clock.clone(), &settings.security);
    spawn_draft_cleanup(db.clone(), clock.clone(), settings.server.draft_days);
    spawn_tally_folding(db.clone());
    actix_web::rt::spawn(crate::release::task::run(
        db.clone(),
        seal.clone(),
        clock.clone(),
        Duration::from_secs(settings.responses.release_seconds),
        submissions,
    ));
    if settings.mail.transport == crate::config::MailTransport::File {
        tracing::warn!(folder = %settings.mail.file_dir.display(), "{}", crate::messages::FILE_TRANSPORT);
    }
    let transport = Transport::from_settings(&settings.mail)?;
    let sender = Sender::new(db.clone(), transport, settings.mail.clone(), clock.clone())
        .map_err(StartError::MailFrom)?;
    let (mail_stop, stop) = tokio::sync::oneshot::channel();
    let mail_task = actix_web::rt::spawn(sender.run_until(stop));
    actix_web::rt::spawn(scheduler::run(
        db.clone(),
        Links::new(&settings.server.public_url, secret_key),
        settings.scheduler.clone(),
        clock.clone(),
    ));
    Ok(Periodic {
        mail_stop,
        mail_task,
    })
}

/// Timed-out sessions are refused when presented; this removes the ones never presented
/// again, so the table holds only live sessions.
fn spawn_session_cleanup(db: Database, clock: Clock, security: &crate::config::SecuritySettings) {
    let timeouts = crate::accounts::session::Timeouts::from_settings(security);
    actix_web::rt::spawn(async move {
        let mut every_ten_minutes = actix_web::rt::time::interval(Duration::from_secs(600));
        loop {
            every_ten_minutes.tick().await;
            let now = clock.now();
            let timeouts = timeouts.clone();
            let deleted = db
                .run(move |conn| {
                    crate::db::sessions::delete_expired(
                        conn,
                        now - timeouts.idle,
                        now - timeouts.absolute,
                    )
                    .map_err(DbError::from)
                })
                .await;
            if let Err(error) = deleted {
                tracing::warn!(%error, "could not delete expired sessions");
            }
        }
    });
}

/// Unfinished responses (open-link and invited) are deleted after `draft_days` without a
/// change.
fn spawn_draft_cleanup(db: Database, clock: Clock, draft_days: u32) {
    actix_web::rt::spawn(async move {
        let mut every_hour = actix_web::rt::time::interval(Duration::from_secs(3600));
        loop {
            every_hour.tick().await;
            let cutoff = clock.now().date() - chrono::Days::new(draft_days.into());
            let deleted = db
                .run(move |conn| {
                    let open = crate::db::drafts::delete_older_than(conn, cutoff)?;
                    let invited = crate::db::invitations::delete_drafts_older_than(conn, cutoff)?;
                    Ok::<_, DbError>(open + invited)
                })
                .await;
            match deleted {
                Ok(0) => {}
                Ok(count) => tracing::info!(count, "deleted abandoned drafts"),
                Err(error) => tracing::warn!(%error, "could not delete abandoned drafts"),
            }
        }
    });
}

/// Folds newly stored responses into the tallies once a second, in bulk, so that
/// submissions stay cheap; reports add whatever is still pending, so they are always exact.
fn spawn_tally_folding(db: Database) {
    const BATCH: i64 = 500;
    actix_web::rt::spawn(async move {
        let mut tick = actix_web::rt::time::interval(Duration::from_secs(1));
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            loop {
                let folded = db
                    .run(|conn| crate::report::tally::fold_pending(conn, BATCH))
                    .await;
                match folded {
                    Ok(count) if count < BATCH as usize => break,
                    Ok(_) => continue,
                    Err(error) => {
                        tracing::warn!(%error, "could not fold responses into the tallies");
                        break;
                    }
                }
            }
        }
    });
}
