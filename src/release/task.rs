//! The release task in the server process: every `responses.release_seconds` it releases
//! whatever is due (see `release_due`). Safe with several instances: each survey's release
//! takes an advisory lock on PostgreSQL, SQLite lets one writer in at a time, and a release
//! is one transaction, so a crash leaves every response either waiting or released.

use std::time::Duration;

use crate::clock::Clock;
use crate::db::Database;

use super::{release_due, ReleaseError, ResponseSeal};

pub async fn run(db: Database, seal: ResponseSeal, clock: Clock, every: Duration) {
    let mut tick = tokio::time::interval(every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        let seal = seal.clone();
        let today = clock.now().date();
        let released: Result<usize, ReleaseError> =
            db.run(move |conn| release_due(conn, &seal, today)).await;
        if let Err(error) = released {
            tracing::warn!(%error, "could not release waiting responses");
        }
    }
}
