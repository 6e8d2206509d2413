//! The respondent journey (pages), the JSON submission, and storing responses.

pub mod api;
mod change;
mod draft;
pub(crate) mod form;
pub mod idempotency;
pub mod invitation;
pub mod pages;
mod restart;
pub mod submission;
pub(crate) mod views;
pub mod writer;

pub use writer::{ResponseWriter, WriterThread};
