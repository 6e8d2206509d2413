//! Failed sign-ins counted per account and per client address in separate buckets over a
//! sliding window. A full bucket refuses attempts until its failures age out: a delay,
//! never a permanent lock-out. Refused attempts are not counted, so the delay ends a
//! window after the last counted failure.
//!
//! Checking and counting are one step (`admit` and `reserve` run in the caller's write
//! transaction with the buckets locked), so however many attempts arrive at once, at most
//! the limit is ever evaluated. An attempt is counted as a failure *before* its password is
//! checked and forgiven (`release`) when it was right, so a crash in between errs on the
//! side of counting.
//!
//! A full account bucket does not lock its owner out: an attempt from an address with no
//! failure in the window is still evaluated, so that someone who knows only an email address
//! cannot keep its owner out by failing on purpose. Such an address gets one try per window
//! before its own failure refuses it, and signing in still needs the second factor.

use std::net::IpAddr;

use chrono::{Duration, NaiveDateTime};
use diesel::QueryResult;
use sha2::{Digest, Sha256};

use crate::config::SecuritySettings;
use crate::db::{login_failures, DbConnection};

#[derive(Debug, Clone)]
pub struct Limits {
    pub window: Duration,
    pub per_account: i64,
    pub per_address: i64,
}

impl Limits {
    pub fn from_settings(security: &SecuritySettings) -> Self {
        Self {
            window: Duration::minutes(security.login_window_minutes.into()),
            per_account: security.login_max_failures_per_account.into(),
            per_address: security.login_max_failures_per_address.into(),
        }
    }
}

/// The two buckets of one attempt, and the address's record of refusals (one audit entry
/// per window, not one per refused attempt). Hashed, so the table holds neither emails nor
/// addresses.
pub struct Buckets {
    account: String,
    address: String,
    refusals: String,
}

impl Buckets {
    /// `email` as typed (normalised when possible), known account or not.
    pub fn new(email: &str, address: Option<IpAddr>) -> Self {
        let bucket = |kind: &str, key: &str| {
            hex::encode(Sha256::digest(format!("candour-{kind}:{key}").as_bytes()))
        };
        let address = address.map_or_else(|| "unknown".to_owned(), |ip| ip.to_string());
        Self {
            account: bucket("account", &email.trim().to_lowercase()),
            refusals: bucket("refusals", &address),
            address: bucket("address", &address),
        }
    }
}

/// Whether an attempt may be evaluated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Admission {
    Allowed,
    /// Refused; `first` is the address's first refusal in the window (the one audited).
    Refused {
        first: bool,
    },
}

/// Decides, with the buckets locked until the caller's transaction ends, whether an attempt
/// may be evaluated now. The caller records a failure in the same transaction.
pub fn admit(
    conn: &mut DbConnection,
    limits: &Limits,
    buckets: &Buckets,
    now: NaiveDateTime,
) -> QueryResult<Admission> {
    login_failures::lock(conn, &[&buckets.account, &buckets.address])?;
    let since = now - limits.window;
    login_failures::delete_before(conn, since)?;
    let account = login_failures::count_since(conn, &buckets.account, since)?;
    let address = login_failures::count_since(conn, &buckets.address, since)?;
    if allowed(limits, account, address) {
        return Ok(Admission::Allowed);
    }
    let first = login_failures::count_since(conn, &buckets.refusals, since)? == 0;
    if first {
        login_failures::record(conn, &buckets.refusals, now)?;
    }
    Ok(Admission::Refused { first })
}

fn allowed(limits: &Limits, account_failures: i64, address_failures: i64) -> bool {
    if address_failures >= limits.per_address {
        return false;
    }
    account_failures < limits.per_account || address_failures == 0
}

/// `admit`, and when allowed, the attempt counted as a failure in advance (its password is
/// checked outside the transaction); `release` forgives it when it was right.
pub fn reserve(
    conn: &mut DbConnection,
    limits: &Limits,
    buckets: &Buckets,
    now: NaiveDateTime,
) -> QueryResult<Admission> {
    let admission = admit(conn, limits, buckets, now)?;
    if admission == Admission::Allowed {
        record_failure(conn, buckets, now)?;
    }
    Ok(admission)
}

/// Forgives an attempt `reserve` counted at `at`.
pub fn release(conn: &mut DbConnection, buckets: &Buckets, at: NaiveDateTime) -> QueryResult<()> {
    login_failures::delete_one(conn, &buckets.account, at)?;
    login_failures::delete_one(conn, &buckets.address, at)
}

pub fn record_failure(
    conn: &mut DbConnection,
    buckets: &Buckets,
    now: NaiveDateTime,
) -> QueryResult<()> {
    login_failures::record(conn, &buckets.account, now)?;
    login_failures::record(conn, &buckets.address, now)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits() -> Limits {
        Limits {
            window: Duration::minutes(15),
            per_account: 10,
            per_address: 50,
        }
    }

    #[test]
    fn a_full_address_bucket_refuses_everything() {
        assert!(!allowed(&limits(), 0, 50));
        assert!(allowed(&limits(), 0, 49));
    }

    #[test]
    fn a_full_account_bucket_still_admits_an_address_that_has_not_failed() {
        assert!(allowed(&limits(), 10, 0), "the owner from a clean address");
        assert!(!allowed(&limits(), 10, 1), "an address that has failed");
        assert!(allowed(&limits(), 9, 30));
    }
}
