//! Passwords: the rules a new one must meet, and argon2id hashing off the async workers
//! with a cap on how many hashes run at once.

use std::fmt;
use std::sync::{Arc, OnceLock};

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher as _, PasswordVerifier, SaltString};
use argon2::Argon2;
use tokio::sync::Semaphore;

use crate::messages::accounts as msg;

/// The 10,000 most common passwords (zxcvbn's frequency list, MIT licence), one a line.
const COMMON_PASSWORDS: &str = include_str!("common_passwords.txt");

pub const MIN_CHARS: usize = 15;
pub const MAX_CHARS: usize = 128;

/// A password as typed; never printed.
#[derive(Clone)]
pub struct Password(String);

impl Password {
    pub fn new(raw: impl Into<String>) -> Self {
        Self(raw.into())
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(…)")
    }
}

/// Checks a new password: length in characters, not a common password, not containing
/// the account's email (or the part before the @). No composition rules; paste is fine.
pub fn check_new(password: &Password, email: &str) -> Result<(), &'static str> {
    let chars = password.0.chars().count();
    if chars < MIN_CHARS {
        return Err(msg::PASSWORD_TOO_SHORT);
    }
    if chars > MAX_CHARS {
        return Err(msg::PASSWORD_TOO_LONG);
    }
    let lowered = password.0.to_lowercase();
    if is_common(&lowered) {
        return Err(msg::PASSWORD_COMMON);
    }
    let email = email.to_lowercase();
    let local = email.split('@').next().unwrap_or_default();
    if lowered.contains(&email) || (local.chars().count() >= 4 && lowered.contains(local)) {
        return Err(msg::PASSWORD_HAS_EMAIL);
    }
    Ok(())
}

fn is_common(lowered: &str) -> bool {
    static LIST: OnceLock<std::collections::HashSet<&'static str>> = OnceLock::new();
    LIST.get_or_init(|| COMMON_PASSWORDS.lines().map(str::trim).collect())
        .contains(lowered.trim())
}

#[derive(Debug, thiserror::Error)]
#[error("password hashing failed: {0}")]
pub struct HashError(String);

/// argon2id with the crate's defaults (OWASP's: m=19 MiB, t=2, p=1).
pub fn hash_now(password: &Password) -> Result<String, HashError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.0.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|e| HashError(e.to_string()))
}

/// Whether `password` matches a stored hash; a malformed hash matches nothing.
pub fn verify_now(password: &Password, stored: &str) -> bool {
    PasswordHash::new(stored)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.0.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A hash of a random password, checked when an email is unknown so that the answer takes
/// as long as for a known one.
fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| hash_now(&Password::new(crate::secrets::random_id())).unwrap_or_default())
}

/// Runs hashes on the blocking pool, at most `concurrency` at once (each needs 19 MiB).
#[derive(Clone)]
pub struct PasswordHasher {
    permits: Arc<Semaphore>,
}

impl PasswordHasher {
    pub fn new(concurrency: usize) -> Self {
        Self {
            permits: Arc::new(Semaphore::new(concurrency.max(1))),
        }
    }

    pub async fn hash(&self, password: Password) -> Result<String, HashError> {
        let _permit = self
            .permits
            .acquire()
            .await
            .map_err(|e| HashError(e.to_string()))?;
        actix_web::rt::task::spawn_blocking(move || hash_now(&password))
            .await
            .map_err(|e| HashError(e.to_string()))?
    }

    /// Verifies against `stored`, or against a dummy hash when there is none (unknown
    /// email), so both take the same time. Always false without a stored hash.
    pub async fn verify(&self, password: Password, stored: Option<String>) -> bool {
        let Ok(_permit) = self.permits.acquire().await else {
            return false;
        };
        actix_web::rt::task::spawn_blocking(move || match stored {
            Some(hash) => verify_now(&password, &hash),
            None => {
                verify_now(&password, dummy_hash());
                false
            }
        })
        .await
        .unwrap_or(false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_for_new_passwords() {
        let email = "ann.smith@example.org";
        assert_eq!(
            check_new(&Password::new("short one"), email),
            Err(msg::PASSWORD_TOO_SHORT)
        );
        assert_eq!(
            check_new(&Password::new("x".repeat(129)), email),
            Err(msg::PASSWORD_TOO_LONG)
        );
        assert_eq!(
            check_new(&Password::new("QazwsxEdcrfvTgb"), email),
            Err(msg::PASSWORD_COMMON)
        );
        assert_eq!(
            check_new(&Password::new("my ANN.SMITH@example.org pw"), email),
            Err(msg::PASSWORD_HAS_EMAIL)
        );
        assert!(check_new(&Password::new("correct horse battery staple"), email).is_ok());
        // Length counts characters, not bytes.
        assert!(check_new(&Password::new("ééééééééééééééé"), email).is_ok());
    }

    #[test]
    fn hashes_are_argon2id_and_verify() {
        let password = Password::new("correct horse battery staple");
        let hash = hash_now(&password).unwrap();
        assert!(
            hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{hash}"
        );
        assert!(verify_now(&password, &hash));
        assert!(!verify_now(
            &Password::new("wrong horse battery staple"),
            &hash
        ));
        assert!(!verify_now(&password, "not a hash"));
        assert!(!format!("{password:?}").contains("horse"));
    }
}
