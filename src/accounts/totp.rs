//! The second factor: RFC 6238 TOTP (SHA-1, 6 digits, 30 s, one step either side), the
//! secret encrypted at rest, a QR code rendered on the server as SVG.

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};
use rand::RngCore;
use subtle::ConstantTimeEq;
use totp_rs::{Algorithm, TOTP};

use crate::db::UserId;
use crate::secrets::SecretKey;

pub const ISSUER: &str = "Candour";
const STEP_SECONDS: u64 = 30;
const SECRET_BYTES: usize = 20;

#[derive(Debug, thiserror::Error)]
pub enum TotpError {
    #[error("a stored second-factor secret cannot be read (is security.secret_key the one it was stored with?)")]
    Unreadable,
    #[error("cannot prepare the second factor: {0}")]
    Build(String),
}

/// A TOTP secret in the clear, only ever in memory.
pub struct TotpSecret(Vec<u8>);

impl TotpSecret {
    pub fn generate() -> Self {
        let mut bytes = vec![0u8; SECRET_BYTES];
        rand::rng().fill_bytes(&mut bytes);
        Self(bytes)
    }

    /// The secret as people type it into an authenticator app (base32).
    pub fn base32(&self) -> String {
        totp_rs::Secret::Raw(self.0.clone())
            .to_encoded()
            .to_string()
    }

    fn totp(&self, account: &str) -> Result<TOTP, TotpError> {
        TOTP::new(
            Algorithm::SHA1,
            6,
            1,
            STEP_SECONDS,
            self.0.clone(),
            Some(ISSUER.to_owned()),
            account.to_owned(),
        )
        .map_err(|e| TotpError::Build(e.to_string()))
    }

    /// The time step a code belongs to, when it is right for now or one step either side.
    pub fn matching_step(&self, code: &str, unix_seconds: i64) -> Option<i64> {
        let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
        if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let totp = self.totp("").ok()?;
        let now = u64::try_from(unix_seconds).ok()?;
        let step = now / STEP_SECONDS;
        [step.saturating_sub(1), step, step + 1]
            .into_iter()
            .find(|&candidate| {
                let expected = totp.generate(candidate * STEP_SECONDS);
                bool::from(expected.as_bytes().ct_eq(code.as_bytes()))
            })
            .and_then(|found| i64::try_from(found).ok())
    }

    /// The enrolment QR code as inline SVG markup (no script, no style attributes).
    pub fn qr_svg(&self, account: &str) -> Result<String, TotpError> {
        let url = self.totp(account)?.get_url();
        let code =
            qrcode::QrCode::new(url.as_bytes()).map_err(|e| TotpError::Build(e.to_string()))?;
        let svg = code
            .render::<qrcode::render::svg::Color<'_>>()
            .min_dimensions(200, 200)
            .quiet_zone(true)
            .build();
        // Drop the XML declaration; label the image for screen readers.
        let start = svg.find("<svg").unwrap_or(0);
        Ok(svg[start..].replacen(
            "<svg",
            "<svg role=\"img\" aria-label=\"QR code for your authenticator app\"",
            1,
        ))
    }

    /// How the secret is stored: encrypted with the key (bound to the account id) when
    /// there is one, otherwise plain.
    /// The secret encrypted under the server's key, bound to the account.
    pub fn seal(&self, key: &SecretKey, user_id: UserId) -> String {
        let cipher = ChaCha20Poly1305::new(Key::from_slice(key.bytes()));
        let mut nonce = [0u8; 12];
        rand::rng().fill_bytes(&mut nonce);
        let aad = user_id.to_string();
        // Encryption with a valid key and nonce cannot fail.
        let sealed = cipher
            .encrypt(
                Nonce::from_slice(&nonce),
                Payload {
                    msg: &self.0,
                    aad: aad.as_bytes(),
                },
            )
            .unwrap_or_default();
        format!("v1:{}{}", hex::encode(nonce), hex::encode(sealed))
    }

    /// Opens a sealed secret; one stored unencrypted by an older version (when the server
    /// could run without a key) still opens, and is sealed again at the next enrolment.
    pub fn open(stored: &str, key: &SecretKey, user_id: UserId) -> Result<Self, TotpError> {
        if let Some(plain) = stored.strip_prefix("plain:") {
            return hex::decode(plain)
                .map(Self)
                .map_err(|_| TotpError::Unreadable);
        }
        let sealed = stored.strip_prefix("v1:").ok_or(TotpError::Unreadable)?;
        let bytes = hex::decode(sealed).map_err(|_| TotpError::Unreadable)?;
        if bytes.len() < 12 {
            return Err(TotpError::Unreadable);
        }
        let (nonce, sealed) = bytes.split_at(12);
        let aad = user_id.to_string();
        ChaCha20Poly1305::new(Key::from_slice(key.bytes()))
            .decrypt(
                Nonce::from_slice(nonce),
                Payload {
                    msg: sealed,
                    aad: aad.as_bytes(),
                },
            )
            .map(Self)
            .map_err(|_| TotpError::Unreadable)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_match_their_step_and_one_either_side() {
        let secret = TotpSecret::generate();
        let totp = secret.totp("a@b").unwrap();
        let now = 1_900_000_000i64;
        let code = totp.generate(now as u64);
        assert_eq!(secret.matching_step(&code, now), Some(now / 30));
        assert_eq!(secret.matching_step(&code, now + 30), Some(now / 30));
        assert_eq!(secret.matching_step(&code, now + 90), None);
        assert_eq!(secret.matching_step("12345", now), None);
    }

    #[test]
    fn secrets_are_sealed_with_the_key_and_bound_to_the_account() {
        let key = SecretKey::parse(&"ab".repeat(32)).unwrap();
        let secret = TotpSecret::generate();
        let sealed = secret.seal(&key, UserId(7));
        assert!(sealed.starts_with("v1:"));
        assert!(!sealed.contains(&hex::encode(&secret.0)));
        assert_eq!(
            TotpSecret::open(&sealed, &key, UserId(7)).unwrap().0,
            secret.0
        );
        assert!(TotpSecret::open(&sealed, &key, UserId(8)).is_err());
        let other = SecretKey::parse(&"cd".repeat(32)).unwrap();
        assert!(TotpSecret::open(&sealed, &other, UserId(7)).is_err());
        let legacy = format!("plain:{}", hex::encode(&secret.0));
        assert_eq!(
            TotpSecret::open(&legacy, &key, UserId(7)).unwrap().0,
            secret.0
        );
    }

    #[test]
    fn qr_code_is_inline_svg() {
        let svg = TotpSecret::generate().qr_svg("a@b").unwrap();
        assert!(svg.starts_with("<svg role=\"img\""));
        assert!(!svg.contains("style"));
    }
}
