//! The release task in the server process: every `responses.release_seconds` it releases
//! whatever is due (see `release_due`), coming back after a short pause while a backlog
//! remains so that submissions get the write lock between batches. Safe with several
//! instances: each survey's release takes an advisory lock on PostgreSQL, SQLite lets one
//! writer in at a time, and a batch is one transaction, so a crash leaves every response
//! either waiting or released.

use std::time::{Duration, Instant};

use crate::clock::Clock;
use crate::db::Database;

use super::{release_due, scrub, Pass, ReleaseError, ResponseSeal};

/// The pause between batches while a backlog is released.
const BACKLOG_PAUSE: Duration = Duration::from_millis(50);

pub async fn run(db: Database, seal: ResponseSeal, clock: Clock, every: Duration) {
    let mut last_scrub = Instant::now();
    let mut unscrubbed = false;
    loop {
        let seal = seal.clone();
        let today = clock.now().date();
        let pass: Result<Pass, ReleaseError> =
            db.run(move |conn| release_due(conn, &seal, today)).await;
        let pass = pass.unwrap_or_else(|error| {
            tracing::warn!(%error, "could not release waiting responses");
            Pass::default()
        });
        unscrubbed |= pass.released > 0;
        // Scrubbed once a backlog is gone, and at least every period while one lasts.
        if unscrubbed && (!pass.more_due || last_scrub.elapsed() >= every) {
            let _ = db
                .run(|conn| -> Result<(), ReleaseError> {
                    scrub(conn);
                    Ok(())
                })
                .await;
            last_scrub = Instant::now();
            unscrubbed = false;
        }
        tokio::time::sleep(if pass.more_due { BACKLOG_PAUSE } else { every }).await;
    }
}
