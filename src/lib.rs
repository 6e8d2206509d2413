//! Candour: anonymous staff and partner-agency questionnaires for safeguarding peer reviews.
//!
//! The folders show the architecture: `questionnaire` (the file format and answer rules),
//! `survey` (importing, opening and closing surveys), `respond` (the respondent journey and
//! the JSON submission, and the batched response writer), `db` (every query, both backends),
//! `report` (tallies, results, disclosure control, charts and
//! downloads), `web` (the HTTP edge: routes, errors, headers, logs), `cli` (the `candour` command).

pub mod accounts;
pub mod admin;
pub mod audit;
pub mod cli;
pub mod clock;
pub mod config;
pub mod db;
pub mod error;
pub mod invite;
pub mod invocation;
pub mod mail;
pub mod messages;
pub mod padding;
pub mod questionnaire;
pub mod release;
pub mod report;
pub mod respond;
pub mod secrets;
pub mod server;
pub mod server_key;
pub mod survey;
pub mod web;
