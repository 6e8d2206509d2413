//! A slow SMTP server: the sink can hold back its reply to the final `.` of chosen messages
//! (the message is kept as received), as a server slow to answer does, until the test
//! releases it.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use super::{SinkState, SmtpSink};

/// Which replies are held, and which are being held now.
#[derive(Default)]
pub(super) struct Hold {
    /// Messages, numbered from 1 in the order they arrive over any connection.
    ordinals: Vec<usize>,
    holding: Vec<usize>,
}

impl SmtpSink {
    /// Holds back the reply to the final `.` of the messages numbered `ordinals` (from 1, in
    /// the order they arrive over any connection) until [`SmtpSink::release`].
    pub fn hold_replies_to(&self, ordinals: &[usize]) {
        self.state
            .lock()
            .unwrap()
            .hold
            .ordinals
            .extend_from_slice(ordinals);
    }

    /// Sends every held reply and holds no more.
    pub fn release(&self) {
        self.state.lock().unwrap().hold.ordinals.clear();
    }

    /// Messages whose reply is being held right now.
    pub fn holding(&self) -> Vec<usize> {
        self.state.lock().unwrap().hold.holding.clone()
    }

    /// Waits until the reply to message `ordinal` is being held (or panics after `seconds`).
    pub fn wait_until_holding(&self, ordinal: usize, seconds: u64) {
        let deadline = Instant::now() + Duration::from_secs(seconds);
        while !self.holding().contains(&ordinal) {
            assert!(
                Instant::now() < deadline,
                "message {ordinal} never arrived ({} arrived)",
                self.messages().len()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

/// Called by the sink after it has kept message `ordinal`, before it replies: waits while
/// that reply is to be held.
pub(super) fn before_reply(state: &Mutex<SinkState>, ordinal: usize) {
    loop {
        {
            let mut state = state.lock().unwrap();
            let hold = &mut state.hold;
            if !hold.ordinals.contains(&ordinal) {
                hold.holding.retain(|n| *n != ordinal);
                return;
            }
            if !hold.holding.contains(&ordinal) {
                hold.holding.push(ordinal);
            }
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}
