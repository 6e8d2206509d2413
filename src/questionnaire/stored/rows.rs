//! Stored responses as the tallies read them: each response's answers decoded into rows of
//! (question, value). (The responses export decodes into reused slots instead: `slots`.)

use std::collections::HashMap;

use super::CodecError;
use crate::questionnaire::format_number;
use crate::questionnaire::{QuestionKind, Questionnaire};

/// A response's answers: option values and numbers as rows, free text apart.
#[derive(Debug, Default)]
pub struct Decoded {
    pub values: Vec<(String, String, Option<f64>)>,
    pub texts: Vec<(String, String)>,
}

/// The questions by key, for decoding many responses (a questionnaire's own lookup is a
/// scan, fine for one answer, slow for millions).
pub struct QuestionIndex<'q>(HashMap<&'q str, &'q QuestionKind>);

impl<'q> QuestionIndex<'q> {
    pub fn new(q: &'q Questionnaire) -> Self {
        Self(
            q.questions()
                .map(|question| (question.key.as_str(), &question.kind))
                .collect(),
        )
    }
}

/// Decodes stored answers (`{"key": value}` as the JSON API takes them) by the questions'
/// types; keys that are not questions are passed over. Rows come sorted by question, then
/// value.
pub fn decode_with(index: &QuestionIndex<'_>, json: &str) -> Result<Decoded, CodecError> {
    let map: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(json).map_err(CodecError::response)?;
    let mut decoded = Decoded::default();
    for (key, value) in map {
        let Some(kind) = index.0.get(key.as_str()) else {
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
