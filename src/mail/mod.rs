//! Mail: the invitation and reminder messages, the transport, the outbox sender and the
//! reminder scheduler (both tasks in the server process).

pub mod from_address;
pub mod message;
pub mod scheduler;
pub mod sender;
pub mod smtp_pool;
pub mod transport;

pub use sender::Sender;
pub use transport::{SendFailure, Transport, TransportError};
