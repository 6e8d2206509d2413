//! Invited respondents' drafts are encrypted: a random key per invitation seals the answers
//! (padded to a size bucket), and that key is stored only sealed under a key derived from the
//! server's secret key (so that any of the invitation's links, and its session cookie, can
//! continue the draft). A copy of the database without the secret key opens nothing.

use hkdf::Hkdf;
use rand::RngCore;
use sha2::Sha256;

use crate::secrets::{open_bytes as open, seal_bytes as seal, SecretKey, Token};

const OPEN_SALT: &[u8] = b"candour/open-draft-key/v1";
const SERVER_PURPOSE: &[u8] = b"candour/invitation-draft-key/server/v1";

/// An invitation's draft key; never stored in the clear, never printed.
#[derive(Clone)]
pub struct DraftKey([u8; 32]);

impl std::fmt::Debug for DraftKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DraftKey(…)")
    }
}

impl DraftKey {
    pub fn generate() -> Self {
        let mut key = [0u8; 32];
        rand::rng().fill_bytes(&mut key);
        Self(key)
    }

    /// Seals this key under a key derived from the server's secret key.
    pub fn wrap_for_server(&self, server: &SecretKey, invitation_id: &str) -> String {
        seal(&server.derive(SERVER_PURPOSE), &self.0, invitation_id)
    }

    pub fn unwrap_for_server(
        wrapped: &str,
        server: &SecretKey,
        invitation_id: &str,
    ) -> Option<Self> {
        let bytes = open(&server.derive(SERVER_PURPOSE), wrapped, invitation_id)?;
        Some(Self(bytes.try_into().ok()?))
    }

    /// Seals a draft padded to a size bucket (`crate::padding`), so its stored length says
    /// little about how much has been answered.
    /// The key of an open-link draft, derived from the random value in the respondent's
    /// cookie (only its hash is stored): nothing but that browser's cookie opens the draft.
    pub fn for_open_draft(cookie: &Token) -> Self {
        let mut key = [0u8; 32];
        Hkdf::<Sha256>::new(Some(OPEN_SALT), cookie.expose().as_bytes())
            .expand(b"seal open-link draft", &mut key)
            .expect("32 bytes is a valid HKDF-SHA256 output length");
        Self(key)
    }

    pub fn seal(&self, plaintext: &str, invitation_id: &str) -> String {
        seal(
            &self.0,
            &crate::padding::pad(plaintext.as_bytes()),
            invitation_id,
        )
    }

    /// Opens a draft; one sealed before drafts were padded opens as it was.
    pub fn open(&self, sealed: &str, invitation_id: &str) -> Option<String> {
        let opened = open(&self.0, sealed, invitation_id)?;
        let plaintext = crate::padding::unpad(&opened).unwrap_or(&opened);
        String::from_utf8(plaintext.to_vec()).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_server_seal_opens_only_with_the_same_secret_key_and_invitation() {
        let server = SecretKey::parse(&"ab".repeat(32)).expect("valid key");
        let other = SecretKey::parse(&"cd".repeat(32)).expect("valid key");
        let key = DraftKey::generate();
        let wrapped = key.wrap_for_server(&server, "inv-1");
        let sealed = key.seal("answers", "inv-1");
        let opened = DraftKey::unwrap_for_server(&wrapped, &server, "inv-1").expect("unwraps");
        assert_eq!(opened.open(&sealed, "inv-1").as_deref(), Some("answers"));
        assert!(DraftKey::unwrap_for_server(&wrapped, &other, "inv-1").is_none());
        assert!(DraftKey::unwrap_for_server(&wrapped, &server, "inv-2").is_none());
        assert!(opened.open(&sealed, "inv-2").is_none());
        assert!(DraftKey::generate().open(&sealed, "inv-1").is_none());
        let secret = key.seal("{\"q\":\"secret answer\"}", "inv-1");
        assert!(!secret.contains("secret"));
    }
}
