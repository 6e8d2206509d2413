//! The release task in the server process: every `responses.release_seconds` it releases
//! whatever is due (see `release_due`). While a backlog remains it comes back after a short
//! pause if no submission arrived during it, and otherwise after the period: releases yield
//! to submissions (see `activity`), and results still move under sustained load. Safe with several
//! instances: each survey's release takes an advisory lock on PostgreSQL, SQLite lets one
//! writer in at a time, and a batch is one transaction, so a crash leaves every response
//! either waiting or released.

use std::time::{Duration, Instant};

use crate::clock::Clock;
use crate::db::Database;

use super::activity::Submissions;
use super::{release_due, scrub, Pass, ReleaseError, ResponseSeal};

/// The pause between batches while a backlog is released and no submission arrives.
const BACKLOG_PAUSE: Duration = Duration::from_millis(50);

pub async fn run(
    db: Database,
    seal: ResponseSeal,
    clock: Clock,
    every: Duration,
    submissions: Submissions,
) {
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
        if pass.more_due {
            pause_for_backlog(&submissions, Instant::now(), every).await;
        } else {
            tokio::time::sleep(every).await;
        }
    }
}

/// Returns after a pause in which no submission arrived, or once `every` has passed since
/// `batch_done`, whichever comes first.
async fn pause_for_backlog(submissions: &Submissions, batch_done: Instant, every: Duration) {
    loop {
        let before = submissions.seen();
        tokio::time::sleep(BACKLOG_PAUSE).await;
        if submissions.seen() == before || batch_done.elapsed() >= every {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::Arc;

    /// Counts a submission every few milliseconds until told to stop.
    fn steady_submissions(
        submissions: Submissions,
    ) -> (Arc<AtomicBool>, std::thread::JoinHandle<()>) {
        let stop = Arc::new(AtomicBool::new(false));
        let stopping = stop.clone();
        let feeder = std::thread::spawn(move || {
            while !stopping.load(Ordering::SeqCst) {
                submissions.arrived(1);
                std::thread::sleep(Duration::from_millis(2));
            }
        });
        (stop, feeder)
    }

    #[actix_web::test]
    async fn a_backlog_waits_while_submissions_arrive_and_goes_on_once_they_pause() {
        let submissions = Submissions::default();
        let (stop, feeder) = steady_submissions(submissions.clone());
        let pausing = actix_web::rt::spawn({
            let submissions = submissions.clone();
            async move {
                pause_for_backlog(&submissions, Instant::now(), Duration::from_secs(3600)).await
            }
        });
        tokio::time::sleep(BACKLOG_PAUSE * 6).await;
        assert!(
            !pausing.is_finished(),
            "the next batch went while submissions arrived"
        );
        stop.store(true, Ordering::SeqCst);
        feeder.join().expect("the feeder stops");
        pausing.await.expect("the pause ends once submissions stop");
    }

    #[actix_web::test]
    async fn under_sustained_submissions_a_batch_still_goes_every_period() {
        let submissions = Submissions::default();
        let (stop, feeder) = steady_submissions(submissions.clone());
        pause_for_backlog(&submissions, Instant::now(), BACKLOG_PAUSE * 3).await;
        let still_arriving = submissions.seen();
        tokio::time::sleep(BACKLOG_PAUSE).await;
        assert!(
            submissions.seen() > still_arriving,
            "the period passed while submissions arrived"
        );
        stop.store(true, Ordering::SeqCst);
        feeder.join().expect("the feeder stops");
    }
}
