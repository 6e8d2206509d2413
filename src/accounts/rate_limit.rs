//! Failed sign-ins counted per account and per client address in separate buckets over a
//! sliding window. A full bucket refuses attempts until its failures age out: a delay,
//! never a permanent lock-out. Refused attempts are not counted, so the delay ends a
//! window after the last counted failure.

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

/// The two buckets of one attempt. Hashed, so the table holds neither emails nor addresses.
pub struct Buckets {
    account: String,
    address: String,
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
            address: bucket("address", &address),
        }
    }
}

/// Whether either bucket is full.
pub fn is_limited(
    conn: &mut DbConnection,
    limits: &Limits,
    buckets: &Buckets,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let since = now - limits.window;
    Ok(
        login_failures::count_since(conn, &buckets.account, since)? >= limits.per_account
            || login_failures::count_since(conn, &buckets.address, since)? >= limits.per_address,
    )
}

pub fn record_failure(
    conn: &mut DbConnection,
    limits: &Limits,
    buckets: &Buckets,
    now: NaiveDateTime,
) -> QueryResult<()> {
    login_failures::delete_before(conn, now - limits.window)?;
    login_failures::record(conn, &buckets.account, now)?;
    login_failures::record(conn, &buckets.address, now)
}
