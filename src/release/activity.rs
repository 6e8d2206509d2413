//! Releases yield to submissions. The response writer counts the submissions it takes in;
//! while that count moves, the release task releases only the smallest batch (k) once a
//! period (`task`), so that a burst of submissions does not queue behind release batches for
//! the write lock (and, on a small machine, for the processor). Once submissions pause, the
//! backlog goes out batch after batch. Each instance sees only its own writer.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// How many submissions the writer has taken in; cheap to clone and to read.
#[derive(Debug, Clone, Default)]
pub struct Submissions(Arc<AtomicU64>);

impl Submissions {
    pub fn arrived(&self, count: usize) {
        self.0
            .fetch_add(u64::try_from(count).unwrap_or(u64::MAX), Ordering::Relaxed);
    }

    pub fn seen(&self) -> u64 {
        self.0.load(Ordering::Relaxed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clones_share_one_count() {
        let writer = Submissions::default();
        let release = writer.clone();
        let before = release.seen();
        writer.arrived(3);
        assert_eq!(release.seen(), before + 3);
    }
}
