//! Sealing a submitted response for the waiting room: its answers (JSON), padded to a size
//! bucket, encrypted with XChaCha20-Poly1305 under a key derived from the server's secret
//! key, with a fresh random nonce and the survey id bound in as associated data.

use crate::db::waiting::WaitingResponse;
use crate::db::SurveyId;
use crate::padding;
use crate::secrets;
use crate::secrets::SecretKey;

const PURPOSE: &[u8] = b"candour/waiting-response/v1";

/// The key that seals and opens waiting responses; never printed.
#[derive(Clone)]
pub struct ResponseSeal([u8; 32]);

impl std::fmt::Debug for ResponseSeal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ResponseSeal(…)")
    }
}

impl ResponseSeal {
    pub fn new(server: &SecretKey) -> Self {
        Self(server.derive(PURPOSE))
    }

    /// A waiting row for these answers: a random id, the survey, the sealed answers.
    pub fn seal(&self, survey_id: SurveyId, answers_json: &str) -> WaitingResponse {
        WaitingResponse {
            id: WaitingResponse::random_id(),
            survey_id,
            sealed: secrets::seal_raw(
                &self.0,
                &padding::pad(answers_json.as_bytes()),
                &survey_id.to_string(),
            ),
        }
    }

    /// The answers (JSON) of a waiting row, or `None` when this key did not seal it.
    pub fn open(&self, row: &WaitingResponse) -> Option<String> {
        let padded = secrets::open_raw(&self.0, &row.sealed, &row.survey_id.to_string())?;
        String::from_utf8(padding::unpad(&padded)?.to_vec()).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_response_opens_only_with_its_key_and_survey_and_its_size_says_little() {
        let key = SecretKey::parse(&"ab".repeat(32)).expect("valid key");
        let seal = ResponseSeal::new(&key);
        let short = seal.seal(SurveyId(3), "{\"q\":\"secret\"}");
        let long = seal.seal(SurveyId(3), &format!("{{\"q\":\"{}\"}}", "x".repeat(2500)));
        assert!(!short.sealed.windows(6).any(|w| w == b"secret"));
        assert_eq!(short.sealed.len(), long.sealed.len());
        assert_eq!(seal.open(&short).as_deref(), Some("{\"q\":\"secret\"}"));
        let moved = WaitingResponse {
            survey_id: SurveyId(4),
            ..short.clone()
        };
        assert!(seal.open(&moved).is_none());
        let other = ResponseSeal::new(&SecretKey::parse(&"cd".repeat(32)).expect("valid key"));
        assert!(other.open(&short).is_none());
        assert_ne!(
            seal.seal(SurveyId(3), "{}").sealed,
            seal.seal(SurveyId(3), "{}").sealed
        );
    }
}
