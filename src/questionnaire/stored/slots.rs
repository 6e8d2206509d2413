//! The one decoder of stored responses: answers read straight into one slot per wanted
//! question (the responses export and the comments use it directly; `decode_with` turns the
//! slots into rows for the tallies). Nothing is allocated per response once the buffers have
//! grown: the JSON is read with a serde visitor, strings are copied into one reused buffer,
//! and the answers to questions that are not wanted are skipped unread.
//!
//! What a slot holds for the question: its option values (a string, or the strings of an array; a number formatted as
//! `questionnaire::format_number` for a number question), its number (number questions) and its free text
//! (text questions). A key given twice keeps its last value, as a JSON object does.

use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::CodecError;
use crate::questionnaire::{write_number, Question, QuestionKind};

/// The wanted questions, looked up by key.
pub struct Layout<'q> {
    /// Keys in byte order with their slot, for a binary search (stored answers come with
    /// their keys in this order, so the entry after the previous match is tried first).
    keys: Vec<(&'q str, usize)>,
    kinds: Vec<&'q QuestionKind>,
}

impl<'q> Layout<'q> {
    /// Slots numbered in the order of `questions`.
    pub fn new(questions: &[&'q Question]) -> Self {
        let mut keys = Vec::new();
        let mut kinds = Vec::new();
        for question in questions {
            keys.push((question.key.as_str(), kinds.len()));
            kinds.push(&question.kind);
        }
        keys.sort_unstable();
        keys.dedup_by(|a, b| a.0 == b.0);
        Self { keys, kinds }
    }

    /// The entry of `key` in `keys`, trying `hint` first.
    fn find(&self, key: &str, hint: usize) -> Option<usize> {
        if self.keys.get(hint).is_some_and(|(k, _)| *k == key) {
            return Some(hint);
        }
        self.keys.binary_search_by(|(k, _)| (*k).cmp(key)).ok()
    }
}

/// Start and end of a string in `Slots::text`.
type Span = (u32, u32);

#[derive(Debug, Clone, Copy, Default)]
struct Slot {
    /// Range of `Slots::values`.
    values: (u32, u32),
    number: Option<f64>,
    body: Option<Span>,
}

/// One response's answers by slot; `decode` refills the same buffers for each response.
pub struct Slots<'l, 'q> {
    layout: &'l Layout<'q>,
    slots: Vec<Slot>,
    values: Vec<Span>,
    text: String,
}

impl<'l, 'q> Slots<'l, 'q> {
    pub fn new(layout: &'l Layout<'q>) -> Self {
        Self {
            layout,
            slots: vec![Slot::default(); layout.kinds.len()],
            values: Vec::new(),
            text: String::new(),
        }
    }

    /// Replaces the contents with the answers in `json` (`{"key": value}`).
    pub fn decode(&mut self, json: &str) -> Result<(), CodecError> {
        self.slots.fill(Slot::default());
        self.values.clear();
        self.text.clear();
        let corrupt = CodecError::response;
        let mut deserializer = serde_json::Deserializer::from_str(json);
        deserializer
            .deserialize_map(ResponseVisitor(self))
            .map_err(corrupt)?;
        deserializer.end().map_err(corrupt)
    }

    /// The option values stored for a slot, in stored order; empty when there are none.
    pub fn values(&self, slot: usize) -> impl Iterator<Item = &str> + Clone {
        let (start, end) = self.slots[slot].values;
        self.values[start as usize..end as usize]
            .iter()
            .map(|span| self.span(*span))
    }

    /// Whether any option value is stored for a slot.
    pub fn has_values(&self, slot: usize) -> bool {
        let (start, end) = self.slots[slot].values;
        start < end
    }

    /// The least of a slot's option values (the first of its rows in `decode_with`).
    pub fn least_value(&self, slot: usize) -> Option<&str> {
        self.values(slot).min()
    }

    pub fn number(&self, slot: usize) -> Option<f64> {
        self.slots[slot].number
    }

    pub fn body(&self, slot: usize) -> Option<&str> {
        self.slots[slot].body.map(|span| self.span(span))
    }

    fn span(&self, (start, end): Span) -> &str {
        &self.text[start as usize..end as usize]
    }

    fn push_text(&mut self, text: &str) -> Span {
        let start = self.text.len() as u32;
        self.text.push_str(text);
        (start, self.text.len() as u32)
    }

    fn push_value(&mut self, slot: usize, value: &str) {
        let span = self.push_text(value);
        self.values.push(span);
        self.slots[slot].values.1 = self.values.len() as u32;
    }

    /// Empties a slot before its key's value is read (the last of repeated keys wins).
    fn restart(&mut self, slot: usize) {
        let at = self.values.len() as u32;
        self.slots[slot] = Slot {
            values: (at, at),
            ..Slot::default()
        };
    }
}

struct ResponseVisitor<'s, 'l, 'q>(&'s mut Slots<'l, 'q>);

impl<'de> Visitor<'de> for ResponseVisitor<'_, '_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON object of answers")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let slots = self.0;
        let mut hint = 0;
        while let Some(found) = map.next_key_seed(KeySeed {
            layout: slots.layout,
            hint,
        })? {
            match found {
                Some(entry) => {
                    hint = entry + 1;
                    let slot = slots.layout.keys[entry].1;
                    slots.restart(slot);
                    let kind = slots.layout.kinds[slot];
                    map.next_value_seed(AnswerSeed {
                        slots: &mut *slots,
                        slot,
                        kind,
                    })?;
                }
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }
}

/// A key: `Some(entry in Layout::keys)` when its question is wanted.
struct KeySeed<'l, 'q> {
    layout: &'l Layout<'q>,
    hint: usize,
}

impl<'de> DeserializeSeed<'de> for KeySeed<'_, '_> {
    type Value = Option<usize>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeySeed<'_, '_> {
    type Value = Option<usize>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a question key")
    }

    fn visit_str<E>(self, key: &str) -> Result<Self::Value, E> {
        Ok(self.layout.find(key, self.hint))
    }
}

/// The value of a wanted question, read by the question's type.
struct AnswerSeed<'s, 'l, 'q> {
    slots: &'s mut Slots<'l, 'q>,
    slot: usize,
    kind: &'q QuestionKind,
}

impl<'de> DeserializeSeed<'de> for AnswerSeed<'_, '_, '_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl AnswerSeed<'_, '_, '_> {
    fn number(self, n: f64) {
        if matches!(self.kind, QuestionKind::Number { .. }) {
            let start = self.slots.text.len() as u32;
            let _ = write_number(&mut self.slots.text, n);
            self.slots
                .values
                .push((start, self.slots.text.len() as u32));
            let slot = &mut self.slots.slots[self.slot];
            slot.values.1 = self.slots.values.len() as u32;
            slot.number = Some(n);
        }
    }
}

impl<'de> Visitor<'de> for AnswerSeed<'_, '_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an answer")
    }

    fn visit_str<E>(self, text: &str) -> Result<(), E> {
        if matches!(self.kind, QuestionKind::Text { .. }) {
            let body = self.slots.push_text(text);
            self.slots.slots[self.slot].body = Some(body);
        } else {
            self.slots.push_value(self.slot, text);
        }
        Ok(())
    }

    fn visit_u64<E>(self, n: u64) -> Result<(), E> {
        self.number(n as f64);
        Ok(())
    }

    fn visit_i64<E>(self, n: i64) -> Result<(), E> {
        self.number(n as f64);
        Ok(())
    }

    fn visit_f64<E>(self, n: f64) -> Result<(), E> {
        self.number(n);
        Ok(())
    }

    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }

    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq
            .next_element_seed(ChoiceSeed {
                slots: &mut *self.slots,
                slot: self.slot,
            })?
            .is_some()
        {}
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(())
    }
}

/// An element of an array answer: strings are option values, anything else is passed over.
struct ChoiceSeed<'s, 'l, 'q> {
    slots: &'s mut Slots<'l, 'q>,
    slot: usize,
}

impl<'de> DeserializeSeed<'de> for ChoiceSeed<'_, '_, '_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ChoiceSeed<'_, '_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an option value")
    }

    fn visit_str<E>(self, value: &str) -> Result<(), E> {
        self.slots.push_value(self.slot, value);
        Ok(())
    }

    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }

    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }

    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }

    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }

    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::questionnaire::format_number;
    use crate::questionnaire::stored::{decode_with, Decoded, QuestionIndex};
    use std::collections::HashMap;

    /// The format read plainly, through `serde_json::Value`: what the slots must agree with.
    fn plain_decode(q: &Questionnaire, json: &str) -> Result<Decoded, serde_json::Error> {
        let kinds: HashMap<&str, &QuestionKind> = q
            .questions()
            .map(|question| (question.key.as_str(), &question.kind))
            .collect();
        let map: serde_json::Map<String, serde_json::Value> = serde_json::from_str(json)?;
        let mut decoded = Decoded::default();
        for (key, value) in map {
            let Some(kind) = kinds.get(key.as_str()) else {
                continue;
            };
            match (kind, value) {
                (QuestionKind::Text { .. }, serde_json::Value::String(body)) => {
                    decoded.texts.push((key, body))
                }
                (QuestionKind::Number { .. }, serde_json::Value::Number(n)) => {
                    if let Some(n) = n.as_f64() {
                        decoded.values.push((key, format_number(n), Some(n)));
                    }
                }
                (_, serde_json::Value::String(choice)) => decoded.values.push((key, choice, None)),
                (_, serde_json::Value::Array(choices)) => {
                    for choice in choices {
                        if let serde_json::Value::String(choice) = choice {
                            decoded.values.push((key.clone(), choice, None));
                        }
                    }
                }
                _ => {}
            }
        }
        decoded
            .values
            .sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
        decoded.texts.sort();
        Ok(decoded)
    }
    use crate::questionnaire::Questionnaire;

    fn shipped() -> Questionnaire {
        crate::questionnaire::parse_questionnaire(crate::survey::SHIPPED_QUESTIONNAIRE).unwrap()
    }

    /// Every question's slot compared with what `plain_decode` makes of the same JSON, and
    /// `decode_with` (rows from the slots) with `plain_decode` itself.
    fn agrees_with_decode_with(q: &Questionnaire, json: &str) {
        let questions: Vec<&Question> = q.questions().collect();
        let layout = Layout::new(&questions);
        let mut slots = Slots::new(&layout);
        slots.decode(json).unwrap();
        let decoded = plain_decode(q, json).unwrap();
        let rows = decode_with(&QuestionIndex::new(q), json).unwrap();
        assert_eq!(rows.values, decoded.values, "{json}");
        assert_eq!(rows.texts, decoded.texts, "{json}");
        for (slot, question) in questions.iter().enumerate() {
            let key = question.key.as_str();
            let mut values: Vec<&str> = slots.values(slot).collect();
            values.sort_unstable();
            let expected: Vec<&str> = decoded
                .values
                .iter()
                .filter(|v| v.0 == key)
                .map(|v| v.1.as_str())
                .collect();
            assert_eq!(values, expected, "{key} in {json}");
            assert_eq!(slots.least_value(slot), expected.first().copied(), "{key}");
            assert_eq!(slots.has_values(slot), !expected.is_empty(), "{key}");
            let number = decoded.values.iter().find(|v| v.0 == key).and_then(|v| v.2);
            assert_eq!(slots.number(slot), number, "{key} in {json}");
            let body = decoded
                .texts
                .iter()
                .find(|t| t.0 == key)
                .map(|t| t.1.as_str());
            assert_eq!(slots.body(slot), body, "{key} in {json}");
        }
    }

    #[test]
    fn slots_hold_what_decode_with_yields() {
        let q = shipped();
        let kind = |key: &str| &q.question(key).unwrap().kind;
        assert!(matches!(kind("extra-hours"), QuestionKind::Number { .. }));
        assert!(matches!(kind("voice-comment"), QuestionKind::Text { .. }));
        assert!(matches!(
            kind("improvement-priorities"),
            QuestionKind::Multi { .. }
        ));
        assert!(matches!(kind("feel-valued"), QuestionKind::Likert { .. }));
        assert!(matches!(kind("agency"), QuestionKind::Single { .. }));
        for json in [
            r#"{"agency": "police", "training-attended": ["own-agency", "none"],
                "extra-hours": 4, "voice-comment": "Fine", "not-a-question": "x"}"#,
            r#"{}"#,
            // Escapes in keys and values, a repeated key (the last wins), a float.
            r#"{"ag\u0065ncy": "pol\u0069ce", "agency": "health", "agency": "council",
                "voice-comment": "=1+2 \"quoted\"\n", "extra-hours": 2.5}"#,
            // Wrong types: a number as a string, a text as an array, a Likert as a number,
            // arrays holding other things, nested values under unknown keys.
            r#"{"extra-hours": "12", "voice-comment": ["a", "b"], "feel-valued": 4,
                "improvement-priorities": ["zzz", 3, null, ["x"], {"y": 1}, "supervision"],
                "team-morale": true, "workload-comment": null, "zz": {"a": [1, {"b": 2}]}}"#,
            // Numbers of every sort; an empty array; a multi given as one string.
            r#"{"extra-hours": -3, "improvement-priorities": [], "training-attended": "none"}"#,
            r#"{"extra-hours": 1e20}"#,
            r#"{"extra-hours": -0.0}"#,
            r#"{"extra-hours": 18446744073709551615}"#,
        ] {
            agrees_with_decode_with(&q, json);
        }
    }

    #[test]
    fn questions_not_wanted_are_skipped() {
        let q = shipped();
        let agency = q.question("agency").unwrap();
        let layout = Layout::new(&[agency]);
        let mut slots = Slots::new(&layout);
        slots
            .decode(r#"{"agency": "police", "extra-hours": 4, "role-group": "manager"}"#)
            .unwrap();
        assert_eq!(slots.values(0).collect::<Vec<_>>(), ["police"]);
        // The buffers are refilled, not added to.
        slots.decode(r#"{"role-group": "manager"}"#).unwrap();
        assert_eq!(slots.least_value(0), None);
    }

    #[test]
    fn corrupt_answers_are_errors() {
        let q = shipped();
        let questions: Vec<&Question> = q.questions().collect();
        let layout = Layout::new(&questions);
        let mut slots = Slots::new(&layout);
        for json in [
            "",
            "[]",
            "\"x\"",
            "{\"agency\": }",
            "{} {}",
            "{\"agency\": \"police\"",
        ] {
            assert!(
                slots
                    .decode(json)
                    .is_err_and(|e| e.to_string().starts_with("stored answers: ")),
                "{json}"
            );
            assert!(plain_decode(&q, json).is_err(), "{json}");
            assert!(
                decode_with(&QuestionIndex::new(&q), json).is_err(),
                "{json}"
            );
        }
    }

    fn json_value() -> impl proptest::strategy::Strategy<Value = serde_json::Value> {
        use proptest::prelude::*;
        use serde_json::{json, Value};
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(|n| json!(n)),
            any::<u64>().prop_map(|n| json!(n)),
            (-1e6f64..1e6).prop_map(|n| json!(n)),
            prop::sample::select(vec!["police", "none", "agree", "=x", "", "é\"\n"])
                .prop_map(|s| json!(s)),
        ];
        leaf.prop_recursive(2, 8, 4, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                prop::collection::btree_map("[a-z]{1,3}", inner, 0..3)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest::proptest! {
        #[test]
        fn any_answers_decode_as_decode_with_decodes_them(
            answers in proptest::collection::vec(
                (
                    proptest::sample::select(vec![
                        "agency", "role-group", "extra-hours", "voice-comment",
                        "improvement-priorities", "training-attended", "feel-valued",
                        "not-a-question",
                    ]),
                    json_value(),
                ),
                0..8,
            )
        ) {
            // Written by hand so that keys may repeat.
            let fields: Vec<String> = answers
                .iter()
                .map(|(key, value)| format!("{}: {value}", serde_json::json!(key)))
                .collect();
            agrees_with_decode_with(&shipped(), &format!("{{{}}}", fields.join(", ")));
        }
    }
}
