//! Storage: one code path over SQLite and PostgreSQL. Every query of the service lives below here.

mod connection;
mod error;
pub mod migrations;
mod pool;
pub mod schema;
mod transaction;
pub mod types;
mod url;

pub mod api_tokens;
pub mod audit_log;
pub mod drafts;
pub mod idempotency_keys;
pub mod invitations;
pub mod key_check;
pub mod login_failures;
pub mod outbox;
pub mod responses;
pub mod sessions;
pub mod submission_days;
pub mod surveys;
pub mod tallies;
pub mod users;
pub mod waiting;

pub use connection::{Backend, DbConnection};
pub use error::DbError;
pub use pool::{Database, DbPool};
pub use transaction::{read_snapshot, write_transaction};
pub use types::{InvitationId, ResponseId, Role, SurveyId, UserId};
pub use url::DatabaseUrl;
