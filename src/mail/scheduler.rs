//! The reminder scheduler: a task in the server process that queues due reminders (safe
//! with several instances: see `invite::queue_reminders`) and, on PostgreSQL, periodically
//! restores a random physical row order (see `db::invitations::reshuffle`).

use std::time::{Duration, Instant};

use crate::clock::Clock;
use crate::config::SchedulerSettings;
use crate::db::{invitations, Backend, Database, DbError};
use crate::error::AppError;
use crate::invite::{self, Links};

pub async fn run(db: Database, links: Links, settings: SchedulerSettings, clock: Clock) {
    let mut every = tokio::time::interval(Duration::from_secs(settings.interval_seconds));
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let reshuffle_every = Duration::from_secs(settings.reshuffle_minutes * 60);
    let mut last_reshuffle = Instant::now();
    loop {
        every.tick().await;
        let links = links.clone();
        let now = clock.now();
        let queued = db
            .run(move |conn| invite::queue_due_reminders(conn, &links, now))
            .await;
        match queued {
            Ok(0) => {}
            Ok(count) => tracing::info!(count, "queued reminders"),
            Err(error) => tracing::warn!(%error, "could not queue reminders"),
        }
        if db.backend() == Backend::Postgres && last_reshuffle.elapsed() >= reshuffle_every {
            last_reshuffle = Instant::now();
            let result: Result<(), AppError> = db
                .run(|conn| invitations::reshuffle(conn).map_err(|e| DbError::from(e).into()))
                .await;
            if let Err(error) = result {
                tracing::warn!(%error, "could not re-cluster tables");
            }
        }
    }
}
