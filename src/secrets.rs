//! Random identifiers and tokens, and the hashes under which they are stored.

use std::fmt;

use rand::RngCore;
use sha2::{Digest, Sha256};

/// 128 random bits as 32 lowercase hex characters: response ids (random, so they say
/// nothing about submission order).
pub fn random_id() -> String {
    let mut bytes = [0u8; 16];
    rand::rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// A bearer secret handed to a browser or a person (draft cookie, invitation link).
/// Only its hash is stored; `Debug` and `Display` never show it.
#[derive(Clone, PartialEq, Eq)]
pub struct Token(String);

impl Token {
    /// 256 random bits, URL-safe.
    pub fn generate() -> Self {
        let mut bytes = [0u8; 32];
        rand::rng().fill_bytes(&mut bytes);
        Self(hex::encode(bytes))
    }

    /// Accepts a presented token if it has the shape we issue; anything else is not ours.
    pub fn parse(raw: &str) -> Option<Self> {
        (raw.len() == 64
            && raw
                .bytes()
                .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()))
        .then(|| Self(raw.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn hash(&self) -> String {
        hex::encode(Sha256::digest(self.0.as_bytes()))
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token(…)")
    }
}

impl fmt::Display for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("…")
    }
}

/// The key from `security.secret_key`: it encrypts TOTP secrets at rest, and other uses
/// take keys derived from it.
#[derive(Clone)]
pub struct SecretKey([u8; 32]);

impl SecretKey {
    pub fn parse(hex_key: &str) -> Option<Self> {
        let bytes = hex::decode(hex_key.trim()).ok()?;
        Some(Self(bytes.try_into().ok()?))
    }

    /// The key itself, for the one use that predates derived keys: second-factor secrets
    /// are stored encrypted under it, and must still open.
    pub(crate) fn bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// An independent key for one purpose (HKDF-SHA256, the purpose as info).
    pub fn derive(&self, purpose: &[u8]) -> [u8; 32] {
        let mut key = [0u8; 32];
        hkdf::Hkdf::<sha2::Sha256>::new(None, &self.0)
            .expand(purpose, &mut key)
            .expect("32 bytes is a valid HKDF-SHA256 output length");
        key
    }
}

impl std::fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretKey(…)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_random_and_long() {
        let a = random_id();
        assert_eq!(a.len(), 32);
        assert_ne!(a, random_id());
    }

    #[test]
    fn tokens_round_trip_and_redact() {
        let token = Token::generate();
        assert_eq!(Token::parse(token.expose()), Some(token.clone()));
        assert!(!format!("{token:?}{token}").contains(token.expose()));
        assert_eq!(token.hash().len(), 64);
        assert_ne!(token.hash(), token.expose());
        assert_eq!(Token::parse("short"), None);
        assert_eq!(Token::parse(&"A".repeat(64)), None);
    }
}
