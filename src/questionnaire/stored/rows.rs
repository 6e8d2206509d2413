//! Stored responses as the tallies read them: each response's answers as rows of
//! (question, value), read by the one decoder of the format ([`Slots`]).

use super::{CodecError, Layout, Slots};
use crate::questionnaire::{Question, Questionnaire};

/// A response's answers: option values and numbers as rows, free text apart.
#[derive(Debug, Default)]
pub struct Decoded {
    pub values: Vec<(String, String, Option<f64>)>,
    pub texts: Vec<(String, String)>,
}

/// Every question of a questionnaire, looked up by key, for decoding many responses.
pub struct QuestionIndex<'q> {
    /// Question keys by slot.
    keys: Vec<&'q str>,
    layout: Layout<'q>,
}

impl<'q> QuestionIndex<'q> {
    pub fn new(q: &'q Questionnaire) -> Self {
        let questions: Vec<&'q Question> = q.questions().collect();
        Self {
            keys: questions
                .iter()
                .map(|question| question.key.as_str())
                .collect(),
            layout: Layout::new(&questions),
        }
    }
}

/// Decodes stored answers (`{"key": value}` as the JSON API takes them) by the questions'
/// types; keys that are not questions are passed over. Rows come sorted by question, then
/// value; a number question's number comes with its row.
pub fn decode_with(index: &QuestionIndex<'_>, json: &str) -> Result<Decoded, CodecError> {
    let mut slots = Slots::new(&index.layout);
    slots.decode(json)?;
    let mut decoded = Decoded::default();
    for (slot, key) in index.keys.iter().enumerate() {
        let number = slots.number(slot);
        decoded.values.extend(
            slots
                .values(slot)
                .map(|value| ((*key).to_owned(), value.to_owned(), number)),
        );
        if let Some(body) = slots.body(slot) {
            decoded.texts.push(((*key).to_owned(), body.to_owned()));
        }
    }
    decoded
        .values
        .sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
    decoded.texts.sort();
    Ok(decoded)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_by_question_type() {
        let q = crate::questionnaire::parse_questionnaire(crate::survey::SHIPPED_QUESTIONNAIRE)
            .unwrap();
        let json = r#"{"agency": "police", "training-attended": ["b", "a"], "caseload": 12,
                       "thresholds-comment": "Fine", "not-a-question": "x"}"#;
        let decoded = decode_with(&QuestionIndex::new(&q), json).unwrap();
        assert!(decoded
            .values
            .contains(&("agency".into(), "police".into(), None)));
        assert!(decoded
            .values
            .contains(&("caseload".into(), "12".into(), Some(12.0))));
        let training: Vec<_> = decoded
            .values
            .iter()
            .filter(|v| v.0 == "training-attended")
            .map(|v| v.1.as_str())
            .collect();
        assert_eq!(training, ["a", "b"]);
        assert_eq!(
            decoded.texts,
            [("thresholds-comment".to_string(), "Fine".to_string())]
        );
        assert!(!decoded.values.iter().any(|v| v.0 == "not-a-question"));
    }
}
