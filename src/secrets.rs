//! Random identifiers and tokens, and the hashes under which they are stored.

use std::fmt;

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{Key, XChaCha20Poly1305, XNonce};
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

/// An HMAC-SHA256 key for one purpose, derived from the server's key, of the hash's block
/// size (64 bytes: two derived halves). Tags made with it can be checked without storing
/// anything (opt-out links, invitation sessions) or counted without keeping what was tagged.
#[derive(Clone)]
pub struct TagKey([u8; 64]);

impl TagKey {
    pub fn derive(server: &SecretKey, purpose: &str) -> Self {
        let mut bytes = [0u8; 64];
        bytes[..32].copy_from_slice(&server.derive(format!("{purpose}, first half").as_bytes()));
        bytes[32..].copy_from_slice(&server.derive(format!("{purpose}, second half").as_bytes()));
        Self(bytes)
    }

    /// The HMAC of the parts, in order.
    pub fn tag(&self, parts: &[&[u8]]) -> [u8; 32] {
        use hmac::{Hmac, Mac};
        let mut mac = <Hmac<Sha256> as hmac::digest::KeyInit>::new(
            hmac::digest::generic_array::GenericArray::from_slice(&self.0),
        );
        for part in parts {
            mac.update(part);
        }
        mac.finalize().into_bytes().into()
    }

    /// The first 128 bits of the tag, for links and cookies.
    pub fn short_tag(&self, parts: &[&[u8]]) -> [u8; 16] {
        let mut short = [0u8; 16];
        short.copy_from_slice(&self.tag(parts)[..16]);
        short
    }
}

impl fmt::Debug for TagKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TagKey(…)")
    }
}

const NONCE_LEN: usize = 24;

/// Seals bytes under a key with a fresh random nonce: the nonce, then the ciphertext.
pub fn seal_raw(key: &[u8; 32], plaintext: &[u8], aad: &str) -> Vec<u8> {
    let mut nonce = [0u8; NONCE_LEN];
    rand::rng().fill_bytes(&mut nonce);
    let cipher = XChaCha20Poly1305::new(Key::from_slice(key));
    let sealed = cipher
        .encrypt(
            XNonce::from_slice(&nonce),
            Payload {
                msg: plaintext,
                aad: aad.as_bytes(),
            },
        )
        .expect("XChaCha20-Poly1305 encrypts any in-memory message");
    let mut out = nonce.to_vec();
    out.extend(sealed);
    out
}

/// Opens what `seal_raw` sealed under the same key and associated data.
pub fn open_raw(key: &[u8; 32], sealed: &[u8], aad: &str) -> Option<Vec<u8>> {
    if sealed.len() < NONCE_LEN {
        return None;
    }
    let (nonce, body) = sealed.split_at(NONCE_LEN);
    XChaCha20Poly1305::new(Key::from_slice(key))
        .decrypt(
            XNonce::from_slice(nonce),
            Payload {
                msg: body,
                aad: aad.as_bytes(),
            },
        )
        .ok()
}

/// `seal_raw` as hex, for text columns.
pub fn seal_bytes(key: &[u8; 32], plaintext: &[u8], aad: &str) -> String {
    hex::encode(seal_raw(key, plaintext, aad))
}

/// Opens what `seal_bytes` sealed under the same key and associated data.
pub fn open_bytes(key: &[u8; 32], sealed: &str, aad: &str) -> Option<Vec<u8>> {
    open_raw(key, &hex::decode(sealed).ok()?, aad)
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
