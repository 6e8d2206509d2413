//! Opt-out links that cannot answer: `/o/{invitation id}.{tag}`, where the tag is an HMAC of
//! the invitation id under a key derived from the server's key. Unlike the answer link's
//! token, nothing about it opens the questionnaire or a draft, so a forwarded mail's footer
//! gives no one the respondent's link, and nothing needs to be stored to check it.

use crate::db::InvitationId;
use subtle::ConstantTimeEq;

use crate::secrets::{SecretKey, TagKey};

/// The key that tags opt-out links.
#[derive(Clone)]
pub struct OptOutKey(TagKey);

impl OptOutKey {
    pub fn new(key: &SecretKey) -> Self {
        Self(TagKey::derive(key, "candour opt-out link v1"))
    }

    /// The path segment after `/o/` for an invitation.
    pub fn segment(&self, invitation_id: &InvitationId) -> String {
        format!(
            "{invitation_id}.{}",
            hex::encode(self.tag(invitation_id.as_str()))
        )
    }

    /// The invitation a presented segment names, when its tag is ours.
    pub fn invitation(&self, segment: &str) -> Option<InvitationId> {
        let (id, tag) = segment.split_once('.')?;
        let presented = hex::decode(tag).ok()?;
        let expected = self.tag(id);
        let same: bool = presented.ct_eq(&expected).into();
        (same && !id.is_empty()).then(|| InvitationId(id.to_owned()))
    }

    fn tag(&self, invitation_id: &str) -> [u8; 16] {
        self.0.short_tag(&[invitation_id.as_bytes()])
    }
}

impl std::fmt::Debug for OptOutKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("OptOutKey(…)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(byte: u8) -> OptOutKey {
        OptOutKey::new(&SecretKey::parse(&hex::encode([byte; 32])).expect("a key"))
    }

    #[test]
    fn links_already_sent_keep_their_tags() {
        assert_eq!(
            key(7).segment(&InvitationId("abc123".to_owned())),
            "abc123.e1cd9478d5e32c55ec0512984393617a"
        );
    }

    #[test]
    fn a_segment_names_its_invitation_and_nothing_else() {
        let key = key(7);
        let segment = key.segment(&InvitationId("abc123".to_owned()));
        assert_eq!(
            key.invitation(&segment).as_ref().map(InvitationId::as_str),
            Some("abc123")
        );
        let forged = segment.replace("abc123", "abc124");
        assert_eq!(
            key.invitation(&forged),
            None,
            "another id with the same tag"
        );
        assert_eq!(key.invitation("abc123"), None);
        assert_eq!(key.invitation("abc123.00"), None);
        assert_eq!(key.invitation(&format!(".{}", &segment[7..])), None);
        assert_eq!(
            super::tests::key(8).invitation(&segment),
            None,
            "another server's key"
        );
    }
}
