//! One-time recovery codes: ten per enrolment, shown once, stored as hashes.

use rand::Rng;
use sha2::{Digest, Sha256};

pub const COUNT: usize = 10;
const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";

/// Fresh codes like `k7m2p-x9qre` (about 49 bits each).
pub fn generate() -> Vec<String> {
    let mut rng = rand::rng();
    (0..COUNT)
        .map(|_| {
            let mut code: String = (0..10)
                .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
                .collect();
            code.insert(5, '-');
            code
        })
        .collect()
}

/// The stored form of a code as typed (case, spaces and dashes do not matter).
pub fn hash(code: &str) -> String {
    let normal: String = code
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    hex::encode(Sha256::digest(
        format!("candour-recovery:{normal}").as_bytes(),
    ))
}

/// Whether what was typed looks like a recovery code rather than a TOTP code.
pub fn looks_like_code(typed: &str) -> bool {
    typed.chars().filter(|c| c.is_ascii_alphanumeric()).count() == 10
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_distinct_and_hash_loosely() {
        let codes = generate();
        assert_eq!(codes.len(), COUNT);
        assert_ne!(codes[0], codes[1]);
        assert!(looks_like_code(&codes[0]));
        assert_eq!(
            hash(&codes[0]),
            hash(&codes[0].to_uppercase().replace('-', " "))
        );
    }
}
