//! The release task in the server process: every `responses.release_seconds` it releases
//! whatever is due (see `release_due`). Releases yield to submissions (see `activity`): a
//! pass goes at full pace only after a moment in which no submission arrived; while they
//! keep arriving it waits, and once a period releases the smallest batch allowed (k), so
//! that results still move under sustained load while the write lock is held as briefly as
//! can be. The files are scrubbed (`scrub`) at the next quiet moment. A backlog goes out
//! batch after batch while no submission arrives. Safe with several instances: each
//! survey's release takes an advisory lock on PostgreSQL, SQLite lets one writer in at a
//! time, and a batch is one transaction, so a crash leaves every response either waiting or
//! released.

use std::time::{Duration, Instant};

use crate::clock::Clock;
use crate::db::Database;

use super::activity::Submissions;
use super::{release_due, scrub, Pace, Pass, ReleaseError, ResponseSeal};

/// How long no submission must arrive before a pass goes at full pace; also the pause
/// between batches while a backlog is released.
const QUIET: Duration = Duration::from_millis(50);

pub async fn run(
    db: Database,
    seal: ResponseSeal,
    clock: Clock,
    every: Duration,
    submissions: Submissions,
) {
    let mut last_scrub = Instant::now();
    // At start, what an earlier process left is unknown: a backlog it did not finish, or a
    // release it did not scrub (a crash). The first quiet moment looks, and scrubs.
    let mut unscrubbed = true;
    let mut more_due = true;
    loop {
        let pace = next_pass(&submissions, more_due, every).await;
        let seal = seal.clone();
        let today = clock.now().date();
        let pass: Result<Pass, ReleaseError> = db
            .run(move |conn| release_due(conn, &seal, today, pace))
            .await;
        let pass = pass.unwrap_or_else(|error| {
            tracing::warn!(%error, "could not release waiting responses");
            Pass::default()
        });
        more_due = pass.more_due;
        unscrubbed |= pass.released > 0;
        // Scrubbed at full pace only (a truncating checkpoint holds writers off): once a
        // backlog is gone, and at least every period while one lasts.
        let scrub_due = !pass.more_due || last_scrub.elapsed() >= every;
        if unscrubbed && pace == Pace::Full && scrub_due {
            let _ = db
                .run(|conn| -> Result<(), ReleaseError> {
                    scrub(conn);
                    Ok(())
                })
                .await;
            last_scrub = Instant::now();
            unscrubbed = false;
        }
    }
}

/// Waits for the next pass and says at what pace it goes: `Full` after a quiet moment (at
/// once while a backlog remains, otherwise after the period), `Yielding` when the period has
/// passed with submissions arriving all the while.
async fn next_pass(submissions: &Submissions, backlog: bool, every: Duration) -> Pace {
    let started = Instant::now();
    if !backlog {
        tokio::time::sleep(every.saturating_sub(QUIET)).await;
    }
    loop {
        let before = submissions.seen();
        tokio::time::sleep(QUIET).await;
        if submissions.seen() == before {
            return Pace::Full;
        }
        if started.elapsed() >= every {
            return Pace::Yielding;
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
            async move { next_pass(&submissions, true, Duration::from_secs(3600)).await }
        });
        tokio::time::sleep(QUIET * 6).await;
        assert!(
            !pausing.is_finished(),
            "the next batch went while submissions arrived"
        );
        stop.store(true, Ordering::SeqCst);
        feeder.join().expect("the feeder stops");
        let pace = pausing.await.expect("the pause ends once submissions stop");
        assert_eq!(pace, Pace::Full);
    }

    #[actix_web::test]
    async fn with_no_submissions_a_backlog_goes_on_at_full_pace() {
        let pace = next_pass(&Submissions::default(), true, Duration::from_secs(3600)).await;
        assert_eq!(pace, Pace::Full);
    }

    #[actix_web::test]
    async fn under_sustained_submissions_a_small_batch_still_goes_every_period() {
        let submissions = Submissions::default();
        let (stop, feeder) = steady_submissions(submissions.clone());
        for backlog in [true, false] {
            let pace = next_pass(&submissions, backlog, QUIET * 3).await;
            assert_eq!(pace, Pace::Yielding, "backlog: {backlog}");
        }
        let still_arriving = submissions.seen();
        tokio::time::sleep(QUIET).await;
        assert!(
            submissions.seen() > still_arriving,
            "the period passed while submissions arrived"
        );
        stop.store(true, Ordering::SeqCst);
        feeder.join().expect("the feeder stops");
    }
}
