//! Bounds on new open-link drafts. A draft is stored only when its first answers are saved;
//! then one client address may create at most `server.drafts_per_address_per_hour` drafts
//! per clock hour, and a survey holds at most `server.drafts_per_survey` drafts (checked in
//! the database, in the transaction that stores the draft: `draft::save`).
//!
//! The per-address count is kept in this process's memory only, for the current hour, under
//! an HMAC of the hour and the address (an IPv6 address by its /64) with a key derived from the
//! server's key: nothing about addresses reaches the database, its log or its backups, so no
//! copy of them can tie an address to a draft or a response. With several instances each
//! counts its own requests, so one address may create up to that many times the bound; the
//! per-survey bound, in the database, holds across instances.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;

use actix_web::http::header;
use actix_web::HttpResponse;
use chrono::NaiveDateTime;

use crate::error::ErrorCode;
use crate::messages;
use crate::secrets::{SecretKey, TagKey};
use crate::survey::LiveSurvey;
use crate::web::error::status_for;
use crate::web::render;

use super::views::BusyPage;

const HOUR: i64 = 3600;
/// When a survey is full, how long to suggest waiting (drafts are sent or expire).
pub const SURVEY_FULL_RETRY_SECONDS: u64 = 3600;

/// Why a new respondent may not start now, and when to try again (seconds).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bound {
    Address { retry_after: u64 },
    Survey { retry_after: u64 },
}

/// The count of new drafts per address in the current hour.
pub struct DraftStarts {
    key: TagKey,
    per_hour: u32,
    window: Mutex<Window>,
}

#[derive(Default)]
struct Window {
    hour: i64,
    counts: HashMap<[u8; 32], u32>,
}

impl std::fmt::Debug for DraftStarts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DraftStarts")
            .field("per_hour", &self.per_hour)
            .finish_non_exhaustive()
    }
}

/// A draft counted against its address before it is stored; forgotten again when dropped
/// without `keep` (the draft was not stored).
#[must_use]
pub struct Reservation<'a> {
    starts: &'a DraftStarts,
    hour: i64,
    bucket: [u8; 32],
    kept: bool,
}

impl Reservation<'_> {
    pub fn keep(mut self) {
        self.kept = true;
    }
}

impl Drop for Reservation<'_> {
    fn drop(&mut self) {
        if !self.kept {
            self.starts.forget(self.hour, &self.bucket);
        }
    }
}

impl DraftStarts {
    pub fn new(server: &SecretKey, per_hour: u32) -> Self {
        Self {
            key: TagKey::derive(server, "candour draft starts v1"),
            per_hour,
            window: Mutex::new(Window::default()),
        }
    }

    /// Whether this address may create a draft now (counting nothing): the start page asks
    /// before anyone answers.
    pub fn check(&self, address: Option<IpAddr>, now: NaiveDateTime) -> Result<(), Bound> {
        let (hour, bucket) = self.bucket(address, now);
        let count = self.lock(hour).counts.get(&bucket).copied().unwrap_or(0);
        if count >= self.per_hour {
            return Err(retry(now));
        }
        Ok(())
    }

    /// Counts a new draft for this address, or refuses when the address has reached the bound.
    pub fn reserve(
        &self,
        address: Option<IpAddr>,
        now: NaiveDateTime,
    ) -> Result<Reservation<'_>, Bound> {
        let (hour, bucket) = self.bucket(address, now);
        let mut window = self.lock(hour);
        let count = window.counts.entry(bucket).or_default();
        if *count >= self.per_hour {
            return Err(retry(now));
        }
        *count += 1;
        Ok(Reservation {
            starts: self,
            hour,
            bucket,
            kept: false,
        })
    }

    fn forget(&self, hour: i64, bucket: &[u8; 32]) {
        let mut window = self.lock(hour);
        if window.hour != hour {
            return;
        }
        if let Some(count) = window.counts.get_mut(bucket) {
            *count = count.saturating_sub(1);
            if *count == 0 {
                window.counts.remove(bucket);
            }
        }
    }

    /// The window for `hour`, emptied when the hour has moved on.
    fn lock(&self, hour: i64) -> std::sync::MutexGuard<'_, Window> {
        // A panic while counting leaves at worst a wrong count: carry on with it.
        let mut window = self
            .window
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if window.hour < hour {
            *window = Window {
                hour,
                counts: HashMap::new(),
            };
        }
        window
    }

    fn bucket(&self, address: Option<IpAddr>, now: NaiveDateTime) -> (i64, [u8; 32]) {
        let hour = now.and_utc().timestamp().div_euclid(HOUR);
        let bucket = self
            .key
            .tag(&[&hour.to_be_bytes(), &address_bytes(address)]);
        (hour, bucket)
    }
}

/// The page a new respondent sees at a bound: 429 (this address) or 503 (the survey), with
/// Retry-After.
pub fn refused_page(survey: &LiveSurvey, bound: Bound) -> HttpResponse {
    let (code, message, retry_after) = match bound {
        Bound::Address { retry_after } => (
            ErrorCode::RateLimited,
            messages::drafts::ADDRESS_BOUND,
            retry_after,
        ),
        Bound::Survey { retry_after } => {
            (ErrorCode::Busy, messages::drafts::SURVEY_BOUND, retry_after)
        }
    };
    let mut status = HttpResponse::build(status_for(code));
    status.insert_header((header::RETRY_AFTER, retry_after.to_string()));
    render(
        status,
        &BusyPage {
            survey_title: &survey.questionnaire.title,
            slug: &survey.slug,
            heading: messages::drafts::BUSY_HEADING,
            message,
            retry_minutes: retry_after.div_ceil(60).max(1),
            nothing_lost: messages::drafts::NOTHING_LOST,
            code,
        },
    )
}

/// The address as counted: IPv4 whole, IPv6 by its /64 (one household or office network).
fn address_bytes(address: Option<IpAddr>) -> Vec<u8> {
    match address.map(|ip| ip.to_canonical()) {
        Some(IpAddr::V4(v4)) => v4.octets().to_vec(),
        Some(IpAddr::V6(v6)) => {
            let mut bytes = vec![6];
            bytes.extend_from_slice(&v6.octets()[..8]);
            bytes
        }
        None => b"unknown".to_vec(),
    }
}

fn retry(now: NaiveDateTime) -> Bound {
    let into_hour = now.and_utc().timestamp().rem_euclid(HOUR);
    Bound::Address {
        retry_after: u64::try_from(HOUR - into_hour).unwrap_or(1).max(1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(hour: u32, minute: u32) -> NaiveDateTime {
        chrono::NaiveDate::from_ymd_opt(2026, 12, 4)
            .and_then(|d| d.and_hms_opt(hour, minute, 0))
            .expect("a time")
    }

    fn starts(per_hour: u32) -> DraftStarts {
        DraftStarts::new(&SecretKey::parse(&"ab".repeat(32)).expect("key"), per_hour)
    }

    fn ip(raw: &str) -> Option<IpAddr> {
        Some(raw.parse().expect("an address"))
    }

    #[test]
    fn an_address_is_bounded_per_hour_and_others_are_not() {
        let starts = starts(2);
        starts.reserve(ip("192.0.2.1"), at(9, 0)).expect("1").keep();
        starts
            .reserve(ip("192.0.2.1"), at(9, 10))
            .expect("2")
            .keep();
        assert_eq!(
            starts.reserve(ip("192.0.2.1"), at(9, 45)).err(),
            Some(Bound::Address { retry_after: 900 })
        );
        assert!(starts.check(ip("192.0.2.1"), at(9, 50)).is_err());
        assert!(starts.check(ip("192.0.2.2"), at(9, 50)).is_ok());
        assert!(
            starts.reserve(ip("192.0.2.1"), at(10, 0)).is_ok(),
            "a new hour"
        );
    }

    #[test]
    fn a_reservation_not_kept_is_forgotten() {
        let starts = starts(1);
        drop(starts.reserve(ip("192.0.2.1"), at(9, 0)).expect("reserved"));
        starts
            .reserve(ip("192.0.2.1"), at(9, 1))
            .expect("again")
            .keep();
        assert!(starts.reserve(ip("192.0.2.1"), at(9, 2)).is_err());
    }

    #[test]
    fn ipv6_counts_by_its_network() {
        let starts = starts(1);
        starts
            .reserve(ip("2001:db8::1"), at(9, 0))
            .expect("1")
            .keep();
        assert!(
            starts.check(ip("2001:db8::2"), at(9, 0)).is_err(),
            "same /64"
        );
        assert!(starts.check(ip("2001:db8:0:1::1"), at(9, 0)).is_ok());
        assert!(starts.check(ip("::ffff:192.0.2.9"), at(9, 0)).is_ok());
        starts
            .reserve(ip("192.0.2.9"), at(9, 0))
            .expect("v4")
            .keep();
        assert!(
            starts.check(ip("::ffff:192.0.2.9"), at(9, 0)).is_err(),
            "a mapped address is its IPv4 address"
        );
    }
}
