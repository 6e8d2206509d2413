//! The invited respondent's cookie: `{invitation id}.{day issued}.{tag}`, where the tag is an
//! HMAC of the other two under a key derived from the server's key (its own purpose: an
//! opt-out link's tag is not a session's). It lets the server find the invitation, and
//! nothing else: it is not the link, holds neither the link's token nor its hash, and nothing
//! is stored to check it, so a copy of the database learns nothing from it.
//!
//! It stops working when the invitation has responded (the invitation says so, and every
//! page then shows "already responded") and `server.draft_days` after it was issued; following
//! the link again issues a fresh one. The invitation's draft key is opened through the
//! server's seal of it (`invite::sealing`).

use crate::db::InvitationId;
use chrono::NaiveDate;
use subtle::ConstantTimeEq;

use crate::secrets::{SecretKey, TagKey};

const DAY_FORMAT: &str = "%Y%m%d";

/// The key that tags invited respondents' cookies.
#[derive(Clone, Debug)]
pub struct SessionKey(TagKey);

impl SessionKey {
    pub fn new(key: &SecretKey) -> Self {
        Self(TagKey::derive(key, "candour invitation session v1"))
    }

    /// The cookie's value for an invitation, issued today.
    pub fn issue(&self, invitation_id: &InvitationId, today: NaiveDate) -> String {
        let day = today.format(DAY_FORMAT).to_string();
        let tag = hex::encode(self.tag(invitation_id.as_str(), &day));
        format!("{invitation_id}.{day}.{tag}")
    }

    /// The invitation a presented cookie names, when its tag is ours and it was issued within
    /// the last `days` days.
    pub fn invitation(&self, value: &str, today: NaiveDate, days: u32) -> Option<InvitationId> {
        let mut parts = value.split('.');
        let (id, day, tag) = (parts.next()?, parts.next()?, parts.next()?);
        if parts.next().is_some() || id.is_empty() || id.len() > 64 {
            return None;
        }
        let presented = hex::decode(tag).ok()?;
        let same: bool = presented.ct_eq(&self.tag(id, day)).into();
        if !same {
            return None;
        }
        let issued = NaiveDate::parse_from_str(day, DAY_FORMAT).ok()?;
        let age = (today - issued).num_days();
        (0..i64::from(days))
            .contains(&age)
            .then(|| InvitationId(id.to_owned()))
    }

    fn tag(&self, invitation_id: &str, day: &str) -> [u8; 16] {
        self.0
            .short_tag(&[invitation_id.as_bytes(), b".", day.as_bytes()])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(byte: &str) -> SessionKey {
        SessionKey::new(&SecretKey::parse(&byte.repeat(32)).expect("valid key"))
    }

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, d).expect("a day")
    }

    #[test]
    fn cookies_already_issued_keep_their_tags() {
        assert_eq!(
            key("ab").issue(&InvitationId("inv-1".to_owned()), day(1)),
            "inv-1.20261201.588369f210d3f7326c12ddbe6288fe95"
        );
    }

    #[test]
    fn a_session_names_its_invitation_only_with_the_same_key_and_in_time() {
        let value = key("ab").issue(&InvitationId("inv-1".to_owned()), day(1));
        assert_eq!(
            key("ab")
                .invitation(&value, day(1), 14)
                .as_ref()
                .map(InvitationId::as_str),
            Some("inv-1")
        );
        assert_eq!(
            key("ab")
                .invitation(&value, day(14), 14)
                .as_ref()
                .map(InvitationId::as_str),
            Some("inv-1")
        );
        assert_eq!(key("ab").invitation(&value, day(15), 14), None, "too old");
        assert_eq!(
            key("cd").invitation(&value, day(1), 14),
            None,
            "another key"
        );
        let other = value.replacen("inv-1", "inv-2", 1);
        assert_eq!(key("ab").invitation(&other, day(1), 14), None, "another id");
        let later = value.replacen("20261201", "20261205", 1);
        assert_eq!(
            key("ab").invitation(&later, day(5), 14),
            None,
            "another day"
        );
        assert_eq!(key("ab").invitation("inv-1", day(1), 14), None);
    }

    #[test]
    fn a_session_is_not_an_opt_out_tag() {
        let server = SecretKey::parse(&"ab".repeat(32)).expect("valid key");
        let opt_out =
            crate::invite::OptOutKey::new(&server).segment(&InvitationId("inv-1".to_owned()));
        let session = SessionKey::new(&server).issue(&InvitationId("inv-1".to_owned()), day(1));
        let session_tag = session.rsplit('.').next().expect("a tag");
        assert!(!opt_out.contains(session_tag));
    }
}
