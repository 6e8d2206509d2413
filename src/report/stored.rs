//! Stored responses as the reports read them: a page at a time in random-id order (which
//! says nothing about submission order), each response's answers decoded into rows of
//! (question, value), so exports and recomputations never hold a whole survey in memory.

use crate::db::responses;
use crate::db::{DbConnection, DbError};
use crate::questionnaire::{QuestionKind, Questionnaire};
use crate::respond::submission::format_number;

pub use crate::db::responses::ids_after;

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

/// Decodes stored answers (`{"key": value}` as the JSON API takes them) by the questions'
/// types; keys that are not questions are passed over. Rows come sorted by question, then
/// value.
pub fn decode(q: &Questionnaire, json: &str) -> Result<Decoded, DbError> {
    let map: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(json).map_err(|e| DbError::Corrupt(format!("stored answers: {e}")))?;
    let mut decoded = Decoded::default();
    for (key, value) in map {
        let Some(question) = q.question(&key) else {
            continue;
        };
        match (&question.kind, value) {
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

/// The answers of these responses (ids from `ids_after`), ordered by response; only to the
/// questions `keys` when given.
pub fn answers_of(
    conn: &mut DbConnection,
    q: &Questionnaire,
    ids: &[String],
    keys: Option<&[String]>,
) -> Result<Vec<StoredAnswer>, DbError> {
    let mut rows = Vec::new();
    for (response_id, json) in responses::answers_of(conn, ids)? {
        for (question_key, value, number) in decode(q, &json)?.values {
            if keys.is_some_and(|keys| !keys.contains(&question_key)) {
                continue;
            }
            rows.push(StoredAnswer {
                response_id: response_id.clone(),
                question_key,
                value,
                number,
            });
        }
    }
    Ok(rows)
}

/// The free-text answers (response id, question key, body) of these responses, ordered by
/// response.
pub fn texts_of(
    conn: &mut DbConnection,
    q: &Questionnaire,
    ids: &[String],
) -> Result<Vec<(String, String, String)>, DbError> {
    let mut rows = Vec::new();
    for (response_id, json) in responses::answers_of(conn, ids)? {
        for (key, body) in decode(q, &json)?.texts {
            rows.push((response_id.clone(), key, body));
        }
    }
    Ok(rows)
}

/// Free-text answers to one question (the caller shuffles them before showing them).
pub fn texts_for_question(
    conn: &mut DbConnection,
    survey_id: i32,
    question_key: &str,
) -> Result<Vec<String>, DbError> {
    Ok(responses::string_answers(conn, survey_id, question_key)?)
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
        let decoded = decode(&q, json).unwrap();
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
