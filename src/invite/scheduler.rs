//! The reminder scheduler: a task in the server process that queues due reminders (safe
//! with several instances: see `invite::queue_reminders`).

use std::time::Duration;

use crate::clock::Clock;
use crate::config::SchedulerSettings;
use crate::db::Database;
use crate::invite::{self, Links};

pub async fn run(db: Database, links: Links, settings: SchedulerSettings, clock: Clock) {
    let mut every = tokio::time::interval(Duration::from_secs(settings.interval_seconds));
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
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
    }
}
