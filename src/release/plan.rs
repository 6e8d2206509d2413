//! How many waiting responses a release takes: every batch holds at least k (the survey's
//! minimum group size), and while the survey is open at least k stay behind, so the next
//! batch also has k to mix with.

/// Whether the survey still takes responses (keep k waiting) or has closed (release all).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    Open,
    Closed,
}

/// The most a batch holds (or k, when k is larger): each batch is one transaction, so a
/// large backlog is released in several, each holding the write lock briefly, instead of
/// one that stalls submissions and holds the whole backlog in memory.
pub const MAX_BATCH: usize = 200;

/// How much one batch may take: `Full` (up to `MAX_BATCH`) when nothing else is writing,
/// `Yielding` (the smallest batch allowed, k) while submissions arrive, so that a release
/// holds the write lock for as short a time as it can.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pace {
    Full,
    Yielding,
}

impl Pace {
    fn cap(self, k: usize) -> usize {
        match self {
            Pace::Full => MAX_BATCH.max(k),
            Pace::Yielding => k,
        }
    }
}

/// The size of the next batch out of `waiting` responses; 0 means wait.
///
/// Open: nothing until 2k wait, then all but k (a batch of at least k, k left), at most the
/// pace's cap. Closed: everything that waits, in batches of the cap whose last one is never
/// left smaller than k. After earlier batches a closing batch may hold fewer than k; the
/// disclosure control then hides any group under k, and the README says so.
pub fn batch_size(waiting: usize, k: usize, phase: Phase, pace: Pace) -> usize {
    let k = k.max(1);
    let cap = pace.cap(k);
    match phase {
        Phase::Closed if waiting > cap && waiting - cap >= k => cap,
        Phase::Closed => waiting,
        Phase::Open if waiting >= 2 * k => (waiting - k).min(cap),
        Phase::Open => 0,
    }
}

/// How many waiting rows a batch looks at: enough to size it (`batch_size`) exactly as if
/// every waiting row had been counted, without counting them.
pub fn look_ahead(k: usize, pace: Pace) -> usize {
    let k = k.max(1);
    pace.cap(k) + k
}

/// Whether another batch may be due after releasing `released` of the `seen` rows a batch
/// looked at: exactly when it saw every waiting row, and yes when there may be more.
pub fn more_after(seen: usize, released: usize, k: usize, phase: Phase, pace: Pace) -> bool {
    seen >= look_ahead(k, pace) || batch_size(seen - released.min(seen), k, phase, Pace::Full) > 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_batches_hold_k_and_leave_k() {
        assert_eq!(batch_size(0, 5, Phase::Open, Pace::Full), 0);
        assert_eq!(batch_size(9, 5, Phase::Open, Pace::Full), 0);
        assert_eq!(batch_size(10, 5, Phase::Open, Pace::Full), 5);
        assert_eq!(batch_size(23, 5, Phase::Open, Pace::Full), 18);
        assert_eq!(batch_size(12_500, 5, Phase::Open, Pace::Full), MAX_BATCH);
        for waiting in (0..100).chain(MAX_BATCH - 20..MAX_BATCH + 20) {
            let batch = batch_size(waiting, 5, Phase::Open, Pace::Full);
            assert!(batch == 0 || (batch >= 5 && waiting - batch >= 5 && batch <= MAX_BATCH));
        }
    }

    #[test]
    fn a_large_backlog_closes_in_batches_none_smaller_than_k() {
        for waiting in [
            MAX_BATCH + 1,
            MAX_BATCH + 4,
            MAX_BATCH + 5,
            3 * MAX_BATCH + 2,
            100_000,
        ] {
            let mut left = waiting;
            let mut batches = Vec::new();
            while left > 0 {
                let batch = batch_size(left, 5, Phase::Closed, Pace::Full);
                batches.push(batch);
                left -= batch;
            }
            assert!(
                batches.iter().all(|b| (5..=MAX_BATCH + 5).contains(b)),
                "{waiting}: {batches:?}"
            );
            assert_eq!(batches.iter().sum::<usize>(), waiting);
        }
        assert_eq!(
            batch_size(7, 50, Phase::Closed, Pace::Full),
            7,
            "a survey closing with fewer than k"
        );
    }

    #[test]
    fn while_submissions_arrive_a_batch_holds_exactly_k_and_never_leaves_fewer() {
        assert_eq!(batch_size(9, 5, Phase::Open, Pace::Yielding), 0);
        assert_eq!(batch_size(10, 5, Phase::Open, Pace::Yielding), 5);
        assert_eq!(batch_size(12_500, 5, Phase::Open, Pace::Yielding), 5);
        assert_eq!(batch_size(12_500, 5, Phase::Closed, Pace::Yielding), 5);
        assert_eq!(batch_size(9, 5, Phase::Closed, Pace::Yielding), 9);
        assert_eq!(batch_size(3, 5, Phase::Closed, Pace::Yielding), 3);
    }

    #[test]
    fn looking_ahead_sizes_a_batch_as_counting_all_would() {
        for k in [1, 5, 10, 250] {
            for pace in [Pace::Full, Pace::Yielding] {
                for phase in [Phase::Open, Phase::Closed] {
                    for waiting in (0..600).chain([5_000, 100_000]) {
                        let seen = waiting.min(look_ahead(k, pace));
                        let size = batch_size(seen, k, phase, pace);
                        assert_eq!(size, batch_size(waiting, k, phase, pace), "{k} {waiting}");
                        let left = waiting - size;
                        if batch_size(left, k, phase, Pace::Full) > 0 {
                            assert!(more_after(seen, size, k, phase, pace), "{k} {waiting}");
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn closing_releases_everything() {
        assert_eq!(batch_size(3, 5, Phase::Closed, Pace::Full), 3);
        assert_eq!(batch_size(12, 5, Phase::Closed, Pace::Full), 12);
        assert_eq!(batch_size(0, 5, Phase::Closed, Pace::Full), 0);
    }
}
