//! Reading JSON request bodies strictly: UTF-8 only, and no key given twice in any object
//! (serde_json keeps the last of two equal keys, so `{"agency": "council", "agency":
//! "police"}` would otherwise be read as police without a word).

use std::cell::RefCell;
use std::collections::HashSet;
use std::fmt;

use actix_web::http::header;
use actix_web::HttpRequest;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

/// Whether the request declares JSON in UTF-8: `application/json`, any case, with no
/// `charset` or `charset=utf-8`.
pub fn is_utf8_json(req: &HttpRequest) -> bool {
    req.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse::<mime::Mime>().ok())
        .is_some_and(|declared| {
            declared.type_() == mime::APPLICATION
                && declared.subtype() == mime::JSON
                && declared.suffix().is_none()
                && declared
                    .get_param(mime::CHARSET)
                    .is_none_or(|charset| charset.as_str().eq_ignore_ascii_case("utf-8"))
        })
}

/// The first key that appears twice in one object anywhere in `body`, if any. A body that is
/// not JSON at all has none (the caller's parse reports it).
pub fn duplicate_key(body: &[u8]) -> Option<String> {
    let found = RefCell::new(None);
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let _ = CheckedValue { found: &found }.deserialize(&mut deserializer);
    found.into_inner()
}

/// Walks any JSON value, stopping at the first duplicated key, which it records in `found`.
#[derive(Clone, Copy)]
struct CheckedValue<'a> {
    found: &'a RefCell<Option<String>>,
}

impl<'de> DeserializeSeed<'de> for CheckedValue<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for CheckedValue<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element_seed(self)?.is_some() {}
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut seen = HashSet::new();
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            if !seen.insert(key.clone()) {
                *self.found.borrow_mut() = Some(key.into_owned());
                return Err(de::Error::custom("duplicate key"));
            }
            map.next_value_seed(self)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    fn with_type(value: &str) -> HttpRequest {
        TestRequest::default()
            .insert_header(("Content-Type", value))
            .to_http_request()
    }

    #[test]
    fn json_is_accepted_only_as_utf8() {
        for accepted in [
            "application/json",
            "Application/JSON",
            "application/json; charset=utf-8",
            "application/json;charset=UTF-8",
            "application/json; charset=\"utf-8\"",
        ] {
            assert!(is_utf8_json(&with_type(accepted)), "{accepted}");
        }
        for refused in [
            "application/json; charset=latin1",
            "application/json; charset=utf-16",
            "text/json",
            "application/x-json",
            "application/ld+json",
            "application/jsonx",
            "text/plain",
            "",
        ] {
            assert!(!is_utf8_json(&with_type(refused)), "{refused}");
        }
        assert!(!is_utf8_json(&TestRequest::default().to_http_request()));
    }

    #[test]
    fn duplicated_keys_are_found_at_any_depth() {
        let twice = br#"{"answers": {"agency": "council", "agency": "police"}}"#;
        assert_eq!(duplicate_key(twice).as_deref(), Some("agency"));
        let outer = br#"{"answers": {}, "answers": {"agency": "police"}}"#;
        assert_eq!(duplicate_key(outer).as_deref(), Some("answers"));
        let escaped = br#"{"a\u0067ency": 1, "agency": 2}"#;
        assert_eq!(
            duplicate_key(escaped).as_deref(),
            Some("agency"),
            "keys compare unescaped"
        );
        let nested = br#"{"x": [{"k": 1}, {"k": 2, "k": 3}]}"#;
        assert_eq!(duplicate_key(nested).as_deref(), Some("k"));
        assert_eq!(duplicate_key(br#"{"a": {"b": 1}, "b": {"a": 2}}"#), None);
        assert_eq!(duplicate_key(b"not json"), None);
    }
}
