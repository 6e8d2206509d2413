//! The respondent journey (pages), the JSON submission, and storing responses.

pub mod api;
mod change;
mod draft;
pub mod draft_bounds;
pub(crate) mod form;
pub mod idempotency;
pub mod invitation;
mod invite_session;
pub mod pages;
mod restart;
mod sending;
pub mod submission;
pub(crate) mod views;
pub mod writer;

pub use draft_bounds::DraftStarts;
pub use writer::{ResponseWriter, WriterThread};
