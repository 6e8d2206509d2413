//! Mail: the invitation and reminder messages, the transport, and the outbox sender (a task
//! in the server process; the reminder scheduler that fills the outbox is in `invite`).

pub mod message;
pub mod sender;
pub mod smtp_pool;
pub mod transport;

pub use sender::Sender;
pub use transport::{SendFailure, Transport, TransportError};
