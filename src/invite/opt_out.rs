//! Opt-out links that cannot answer: `/o/{invitation id}.{tag}`, where the tag is an HMAC of
//! the invitation id under a key derived from the server's key. Unlike the answer link's
//! token, nothing about it opens the questionnaire or a draft, so a forwarded mail's footer
//! gives no one the respondent's link, and nothing needs to be stored to check it.

use hmac::digest::generic_array::GenericArray;
use hmac::digest::KeyInit;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;

use crate::secrets::SecretKey;

/// The tag's length in bytes (128 bits).
const TAG_BYTES: usize = 16;

/// A key of HMAC-SHA256's block size (64 bytes), derived from the server's key.
#[derive(Clone)]
pub struct OptOutKey([u8; 64]);

impl OptOutKey {
    pub fn new(key: &SecretKey) -> Self {
        let mut bytes = [0u8; 64];
        bytes[..32].copy_from_slice(&key.derive(b"candour opt-out link v1, first half"));
        bytes[32..].copy_from_slice(&key.derive(b"candour opt-out link v1, second half"));
        Self(bytes)
    }

    /// The path segment after `/o/` for an invitation.
    pub fn segment(&self, invitation_id: &str) -> String {
        format!("{invitation_id}.{}", hex::encode(self.tag(invitation_id)))
    }

    /// The invitation a presented segment names, when its tag is ours.
    pub fn invitation(&self, segment: &str) -> Option<String> {
        let (id, tag) = segment.split_once('.')?;
        let presented = hex::decode(tag).ok()?;
        let expected = self.tag(id);
        let same: bool = presented.ct_eq(&expected).into();
        (same && !id.is_empty()).then(|| id.to_owned())
    }

    fn tag(&self, invitation_id: &str) -> [u8; TAG_BYTES] {
        let mut mac = <Hmac<Sha256> as KeyInit>::new(GenericArray::from_slice(&self.0));
        mac.update(invitation_id.as_bytes());
        let full = mac.finalize().into_bytes();
        let mut tag = [0u8; TAG_BYTES];
        tag.copy_from_slice(&full[..TAG_BYTES]);
        tag
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
    fn a_segment_names_its_invitation_and_nothing_else() {
        let key = key(7);
        let segment = key.segment("abc123");
        assert_eq!(key.invitation(&segment).as_deref(), Some("abc123"));
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
