//! The time as the service sees it: the system clock, which tests may move forward.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

use chrono::NaiveDateTime;

/// The current UTC time plus an offset that is zero unless a test advances it. Shared by
/// every worker of one server (clones see the same offset).
#[derive(Debug, Clone, Default)]
pub struct Clock {
    offset_seconds: Arc<AtomicI64>,
}

impl Clock {
    pub fn system() -> Self {
        Self::default()
    }

    pub fn now(&self) -> NaiveDateTime {
        chrono::Utc::now().naive_utc()
            + chrono::Duration::seconds(self.offset_seconds.load(Ordering::SeqCst))
    }

    /// Moves this clock (and every clone of it) forward; for tests.
    pub fn advance(&self, by: chrono::Duration) {
        self.offset_seconds
            .fetch_add(by.num_seconds(), Ordering::SeqCst);
    }
}
