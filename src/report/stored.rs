//! Stored responses as the reports read them: a page at a time in random-id order (which
//! says nothing about submission order), each response's answers decoded into rows of
//! (question, value), so exports and recomputations never hold a whole survey in memory.

use std::collections::HashMap;

use crate::db::responses;
use crate::db::{DbConnection, DbError};
use crate::questionnaire::{QuestionKind, Questionnaire};
use crate::respond::submission::format_number;

/// One chosen option (or number) of one response.
#[derive(Debug, Clone)]
pub struct StoredAnswer {
    pub response_id: String,
    pub question_key: String,
    pub value: String,
    pub number: Option<f64>,
}

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
pub fn decode_with(index: &QuestionIndex<'_>, json: &str) -> Result<Decoded, DbError> {
    let map: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(json).map_err(|e| DbError::Corrupt(format!("stored answers: {e}")))?;
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

/// One page of a survey's responses, decoded in one read: their ids in order, their
/// answers (only to the questions `keys` when given) and, when asked, their free text.
#[derive(Debug, Default)]
pub struct Page {
    pub ids: Vec<String>,
    pub answers: Vec<StoredAnswer>,
    pub texts: Vec<(String, String, String)>,
}

pub fn page(
    conn: &mut DbConnection,
    q: &Questionnaire,
    survey_id: i32,
    after: Option<&str>,
    limit: i64,
    keys: Option<&[String]>,
    with_text: bool,
) -> Result<Page, DbError> {
    let mut page = Page::default();
    let index = QuestionIndex::new(q);
    for row in responses::page_for_survey(conn, survey_id, after, limit)? {
        let decoded = decode_with(&index, &row.answers)?;
        for (question_key, value, number) in decoded.values {
            if keys.is_some_and(|keys| !keys.contains(&question_key)) {
                continue;
            }
            page.answers.push(StoredAnswer {
                response_id: row.id.clone(),
                question_key,
                value,
                number,
            });
        }
        if with_text {
            for (key, body) in decoded.texts {
                page.texts.push((row.id.clone(), key, body));
            }
        }
        page.ids.push(row.id);
    }
    Ok(page)
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
