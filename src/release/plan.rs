//! How many waiting responses a release takes: every batch holds at least k (the survey's
//! minimum group size), and while the survey is open at least k stay behind, so the next
//! batch also has k to mix with.

/// Whether the survey still takes responses (keep k waiting) or has closed (release all).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    Open,
    Closed,
}

/// The size of the next batch out of `waiting` responses; 0 means wait.
///
/// Open: nothing until 2k wait, then all but k (a batch of at least k, k left). Closed:
/// everything that waits. After earlier batches a closing batch may hold fewer than k; the
/// disclosure control then hides any group under k, and the README says so.
pub fn batch_size(waiting: usize, k: usize, phase: Phase) -> usize {
    let k = k.max(1);
    match phase {
        Phase::Closed => waiting,
        Phase::Open if waiting >= 2 * k => waiting - k,
        Phase::Open => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_batches_hold_k_and_leave_k() {
        assert_eq!(batch_size(0, 5, Phase::Open), 0);
        assert_eq!(batch_size(9, 5, Phase::Open), 0);
        assert_eq!(batch_size(10, 5, Phase::Open), 5);
        assert_eq!(batch_size(23, 5, Phase::Open), 18);
        for waiting in 0..100 {
            let batch = batch_size(waiting, 5, Phase::Open);
            assert!(batch == 0 || (batch >= 5 && waiting - batch >= 5));
        }
    }

    #[test]
    fn closing_releases_everything() {
        assert_eq!(batch_size(3, 5, Phase::Closed), 3);
        assert_eq!(batch_size(12, 5, Phase::Closed), 12);
        assert_eq!(batch_size(0, 5, Phase::Closed), 0);
    }
}
