//! The shared test harness: a real server on loopback over a fresh database per test
//! (a temporary SQLite file, or a new PostgreSQL database when CANDOUR_TEST_POSTGRES_URL
//! is set), an HTTP client that keeps cookies, and the CLI binary.
//!
//! - `app`: the running server ([`TestApp`]) and what a test does with it
//! - `db`: test databases on either backend, and helpers that read what is stored
//! - `cli`: the `candour` binary run against a test database
//! - `browser`: the cookie-keeping HTTP client ([`Browser`]) and its replies
//! - `chromium`: a real browser (Chromium over WebDriver) for the journeys people take
//! - `smtp`: an SMTP server on loopback that keeps what it receives ([`SmtpSink`])
//! - `accounts`: review-team accounts with their second factor enrolled
//! - `fixtures`: questionnaires the tests import
//! - `snapshot`: insta settings that replace what changes from run to run in mail and pages
//!
//! Test files use the flat re-exports below (`use common::{TestApp, Backend, …}`).

#![allow(dead_code)]

mod accounts;
mod app;
mod browser;
pub mod chromium;
mod cli;
mod db;
mod fixtures;
mod smtp;
mod snapshot;

// Each test binary uses some of these; the rest would be reported unused.
#[allow(unused_imports)]
pub use accounts::*;
#[allow(unused_imports)]
pub use app::*;
#[allow(unused_imports)]
pub use browser::*;
#[allow(unused_imports)]
pub use cli::*;
#[allow(unused_imports)]
pub use db::*;
#[allow(unused_imports)]
pub use fixtures::*;
#[allow(unused_imports)]
pub use smtp::*;
#[allow(unused_imports)]
pub use snapshot::*;

/// Runs a test body on SQLite, and on PostgreSQL when CANDOUR_TEST_POSTGRES_URL is set.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident => $body:expr;)+) => {
        $(
            mod $name {
                #[allow(unused_imports)]
                use super::*;

                #[test]
                fn sqlite() {
                    let body: fn($crate::common::Backend) = $body;
                    body($crate::common::Backend::Sqlite);
                }

                #[test]
                fn postgres() {
                    if $crate::common::postgres_base_url().is_none() {
                        eprintln!("skipped: {} is not set", $crate::common::POSTGRES_ENV);
                        return;
                    }
                    let body: fn($crate::common::Backend) = $body;
                    body($crate::common::Backend::Postgres);
                }
            }
        )+
    };
}
