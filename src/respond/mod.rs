//! The respondent journey (pages), the JSON submission, and storing responses.

pub mod api;
mod draft;
mod form;
pub mod pages;
pub mod submission;
mod views;
pub mod writer;

pub use writer::{ResponseWriter, WriterThread};
