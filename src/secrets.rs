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
