//! `Idempotency-Key` on `POST /api/v1/surveys/{slug}/responses`: a client that lost the
//! connection after its response was stored retries with the same key and gets the first
//! result (201) instead of storing the response twice.
//!
//! Only keyed hashes are stored (`db::idempotency_keys`), under keys derived from the server's
//! secret key: the key's hash, scoped to the survey and to the invitation when the body names
//! one, and a fingerprint of the key with the answers it was first sent with. Only a stored
//! response leaves a key behind (a refused submission is simply judged again when retried),
//! so the first result is always the same `201 {"status": "stored"}` and nothing else needs
//! keeping. The row is written in the transaction that seals the response into the waiting
//! room, refers to neither the response nor the invitation, and is deleted when the survey
//! closes (`release::release_survey`).

use crate::db::InvitationId;
use crate::db::SurveyId;
use std::collections::HashMap;

use actix_web::http::header::HeaderName;
use actix_web::HttpRequest;
use hmac::digest::KeyInit;
use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::db::idempotency_keys::StoredKey;
use crate::secrets::SecretKey;

/// The request header.
pub const HEADER: HeaderName = HeaderName::from_static("idempotency-key");

/// The longest key accepted, in bytes (all visible ASCII).
pub const MAX_LEN: usize = 255;

/// A presented key that has the accepted shape. `Debug` never shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct IdempotencyKey(String);

/// The header is there but is not a key we accept.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
#[error("malformed Idempotency-Key header")]
pub struct Malformed;

impl IdempotencyKey {
    /// The request's key: none without the header; an error when it is empty, longer than
    /// `MAX_LEN`, holds anything but visible ASCII (no spaces), or is given twice.
    pub fn from_request(req: &HttpRequest) -> Result<Option<Self>, Malformed> {
        let mut values = req.headers().get_all(HEADER);
        let Some(value) = values.next() else {
            return Ok(None);
        };
        if values.next().is_some() {
            return Err(Malformed);
        }
        Self::parse(value.as_bytes()).map(Some)
    }

    pub fn parse(raw: &[u8]) -> Result<Self, Malformed> {
        let visible = raw.iter().all(|b| b.is_ascii_graphic());
        if raw.is_empty() || raw.len() > MAX_LEN || !visible {
            return Err(Malformed);
        }
        String::from_utf8(raw.to_vec())
            .map(Self)
            .map_err(|_| Malformed)
    }
}

impl std::fmt::Debug for IdempotencyKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("IdempotencyKey(…)")
    }
}

/// The HMAC keys, derived from the server's secret key.
#[derive(Clone)]
pub struct KeyHasher {
    scope: [u8; 32],
    fingerprint: [u8; 32],
}

impl KeyHasher {
    pub fn new(key: &SecretKey) -> Self {
        Self {
            scope: key.derive(b"candour idempotency key v1"),
            fingerprint: key.derive(b"candour idempotency fingerprint v1"),
        }
    }

    /// The fingerprint of a key with the answers sent with it: an HMAC of both, so that
    /// even with the server's key the answers cannot be confirmed without the client's key.
    /// The answers are read in a canonical form (keys sorted), so a retry that orders them
    /// differently is still the same body.
    pub fn fingerprint(
        &self,
        key: &IdempotencyKey,
        answers: &serde_json::Map<String, serde_json::Value>,
    ) -> String {
        let mut mac = hmac(&self.fingerprint);
        mac.update(&(key.0.len() as u64).to_be_bytes());
        mac.update(key.0.as_bytes());
        let mut canonical = String::new();
        write_canonical(&mut canonical, &serde_json::Value::Object(answers.clone()));
        mac.update(canonical.as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }

    /// The row to store: the key's hash within its scope (the survey, and the invitation
    /// when the submission names one), the survey and the fingerprint.
    pub fn stored_key(
        &self,
        key: &IdempotencyKey,
        survey_id: SurveyId,
        invitation_id: Option<&InvitationId>,
        fingerprint: String,
    ) -> StoredKey {
        let mut mac = hmac(&self.scope);
        mac.update(&survey_id.0.to_be_bytes());
        match invitation_id {
            Some(id) => {
                mac.update(&[1]);
                mac.update(&(id.as_str().len() as u64).to_be_bytes());
                mac.update(id.as_str().as_bytes());
            }
            None => mac.update(&[0]),
        }
        mac.update(key.0.as_bytes());
        StoredKey {
            key_hash: hex::encode(mac.finalize().into_bytes()),
            survey_id,
            fingerprint,
        }
    }
}

impl std::fmt::Debug for KeyHasher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("KeyHasher(…)")
    }
}

fn hmac(key: &[u8; 32]) -> Hmac<Sha256> {
    <Hmac<Sha256> as KeyInit>::new_from_slice(key).expect("HMAC takes a key of any length")
}

/// JSON with every object's keys in sorted order, whatever order the map keeps.
fn write_canonical(out: &mut String, value: &serde_json::Value) {
    use serde_json::Value;
    match value {
        Value::Object(map) => {
            let mut entries: Vec<_> = map.iter().collect();
            entries.sort_by(|a, b| a.0.cmp(b.0));
            out.push('{');
            for (i, (key, value)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(key.clone()).to_string());
                out.push(':');
                write_canonical(out, value);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical(out, item);
            }
            out.push(']');
        }
        other => out.push_str(&other.to_string()),
    }
}

/// What a submission's key means for it, as the writer sees a batch (see `resolve`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keyed {
    /// No key: stored or refused on its own.
    Unkeyed,
    /// A new key, first in its batch: stored or refused on its own; when stored, so is the key.
    Lead,
    /// The key is stored with the same fingerprint: the first result, nothing stored.
    Replay,
    /// The key is stored (or led in this batch) with another fingerprint: refused.
    Conflict,
    /// The key is led by an earlier submission of this batch with the same fingerprint: it
    /// shares that submission's result.
    Follows(usize),
}

/// Sorts a batch by key: each submission's key (if any) against the fingerprints already
/// stored under those keys and against the earlier keys of the same batch.
pub fn resolve(keys: &[Option<&StoredKey>], stored: &HashMap<String, String>) -> Vec<Keyed> {
    let mut leaders: HashMap<&str, usize> = HashMap::new();
    keys.iter()
        .enumerate()
        .map(|(index, key)| {
            let Some(key) = key else {
                return Keyed::Unkeyed;
            };
            if let Some(fingerprint) = stored.get(&key.key_hash) {
                return if *fingerprint == key.fingerprint {
                    Keyed::Replay
                } else {
                    Keyed::Conflict
                };
            }
            match leaders.get(key.key_hash.as_str()) {
                None => {
                    leaders.insert(&key.key_hash, index);
                    Keyed::Lead
                }
                Some(&leader) => match keys[leader] {
                    Some(first) if first.fingerprint == key.fingerprint => Keyed::Follows(leader),
                    _ => Keyed::Conflict,
                },
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn hasher(byte: u8) -> KeyHasher {
        KeyHasher::new(&SecretKey::parse(&hex::encode([byte; 32])).expect("a key"))
    }

    fn key(raw: &str) -> IdempotencyKey {
        IdempotencyKey::parse(raw.as_bytes()).expect("a valid key")
    }

    fn answers(value: serde_json::Value) -> serde_json::Map<String, serde_json::Value> {
        value.as_object().expect("an object").clone()
    }

    #[test]
    fn keys_are_short_visible_ascii() {
        assert!(IdempotencyKey::parse(b"0b7c5d2e-8f1a-4c3b-9d6e-2a1f0e9d8c7b").is_ok());
        assert!(IdempotencyKey::parse(&[b'k'; MAX_LEN]).is_ok());
        assert_eq!(IdempotencyKey::parse(&[b'k'; MAX_LEN + 1]), Err(Malformed));
        for refused in [
            &b""[..],
            b"two words",
            b"tab\t",
            b"nul\0",
            b"del\x7f",
            b"\xc3\xa9",
        ] {
            assert_eq!(
                IdempotencyKey::parse(refused),
                Err(Malformed),
                "{refused:?}"
            );
        }
        assert!(!format!("{:?}", key("secret-key")).contains("secret-key"));
    }

    #[test]
    fn hashes_are_scoped_and_keyed() {
        let h = hasher(1);
        let k = key("retry-1");
        let fp = h.fingerprint(&k, &answers(json!({"a": 1})));
        let open = h.stored_key(&k, SurveyId(7), None, fp.clone());
        assert_eq!(open.key_hash.len(), 64);
        assert!(!open.key_hash.contains("retry-1"));
        assert_ne!(
            open.key_hash,
            h.stored_key(&k, SurveyId(8), None, fp.clone()).key_hash
        );
        assert_ne!(
            open.key_hash,
            h.stored_key(
                &k,
                SurveyId(7),
                Some(&InvitationId("inv".to_owned())),
                fp.clone()
            )
            .key_hash
        );
        assert_ne!(
            h.stored_key(
                &k,
                SurveyId(7),
                Some(&InvitationId("inv-a".to_owned())),
                fp.clone()
            )
            .key_hash,
            h.stored_key(
                &k,
                SurveyId(7),
                Some(&InvitationId("inv-b".to_owned())),
                fp.clone()
            )
            .key_hash
        );
        assert_ne!(
            open.key_hash,
            hasher(2).stored_key(&k, SurveyId(7), None, fp).key_hash
        );
    }

    #[test]
    fn fingerprints_ignore_key_order_but_not_answers_or_keys() {
        let h = hasher(1);
        let k = key("retry-1");
        let first = h.fingerprint(
            &k,
            &answers(json!({"a": 1, "b": ["x", "y"], "c": {"z": 1, "y": 2}})),
        );
        let reordered = answers(
            serde_json::from_str(r#"{"c": {"y": 2, "z": 1}, "b": ["x", "y"], "a": 1}"#).unwrap(),
        );
        assert_eq!(first, h.fingerprint(&k, &reordered));
        assert_ne!(
            first,
            h.fingerprint(
                &k,
                &answers(json!({"a": 2, "b": ["x", "y"], "c": {"z": 1, "y": 2}}))
            )
        );
        assert_ne!(
            first,
            h.fingerprint(
                &k,
                &answers(json!({"a": 1, "b": ["y", "x"], "c": {"z": 1, "y": 2}}))
            )
        );
        assert_ne!(
            first,
            h.fingerprint(
                &key("retry-2"),
                &answers(json!({"a": 1, "b": ["x", "y"], "c": {"z": 1, "y": 2}}))
            )
        );
    }

    #[test]
    fn a_batch_resolves_against_stored_keys_and_itself() {
        let row = |hash: &str, fingerprint: &str| StoredKey {
            key_hash: hash.into(),
            survey_id: SurveyId(1),
            fingerprint: fingerprint.into(),
        };
        let (stored_same, stored_other) = (row("s", "f"), row("s", "g"));
        let (lead, follow, clash, fresh) =
            (row("n", "f"), row("n", "f"), row("n", "g"), row("m", "f"));
        let stored = HashMap::from([("s".to_owned(), "f".to_owned())]);
        let batch = [
            None,
            Some(&stored_same),
            Some(&stored_other),
            Some(&lead),
            Some(&follow),
            Some(&clash),
            Some(&fresh),
        ];
        assert_eq!(
            resolve(&batch, &stored),
            [
                Keyed::Unkeyed,
                Keyed::Replay,
                Keyed::Conflict,
                Keyed::Lead,
                Keyed::Follows(3),
                Keyed::Conflict,
                Keyed::Lead,
            ]
        );
    }
}
