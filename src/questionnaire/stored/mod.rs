//! The stored forms of answers, and the one codec for each: nothing else reads or writes
//! them.
//!
//! - A **response** (`responses.answers`, and sealed in `waiting_responses`) is one JSON
//!   object `{"question-key": value}`, values as the JSON API takes them: an option value
//!   (`single`, `likert`), an array of option values (`multi`), a string (`text`) or a number
//!   (`number`, whole numbers without a fraction). Its values do not say their type: they are
//!   read by the questions' types, and keys that are not questions are passed over.
//!   Written by [`encode_response`]; read by one decoder, [`Slots`] (reused buffers, one slot
//!   per wanted question: exports, comments), which [`decode_with`] turns into rows for the
//!   tallies. Tests check both against a plain reading through `serde_json::Value`.
//! - A **draft** (sealed in `drafts.answers` and `invitation_drafts`) is the answers so far,
//!   each value tagged with its type (`{"key": {"choice": "agree"}}`, see
//!   [`AnswerValue`](super::AnswerValue)), so that it reads back without the questionnaire.
//!   Written by [`encode_draft`], read by [`decode_draft`].

mod rows;
mod slots;

pub use rows::{decode_with, Decoded, QuestionIndex};
pub use slots::{Layout, Slots};

use super::answers::Answers;

/// Stored answers that do not read as their format says.
#[derive(Debug, thiserror::Error)]
#[error("{what}: {detail}")]
pub struct CodecError {
    what: &'static str,
    detail: String,
}

impl CodecError {
    fn response(error: impl std::fmt::Display) -> Self {
        Self {
            what: "stored answers",
            detail: error.to_string(),
        }
    }

    fn draft(error: impl std::fmt::Display) -> Self {
        Self {
            what: "draft answers",
            detail: error.to_string(),
        }
    }
}

/// A response's answers as stored: one JSON object, values as the JSON API takes them.
pub fn encode_response(answers: &Answers) -> String {
    let json: serde_json::Map<String, serde_json::Value> = answers
        .iter()
        .map(|(key, value)| (key.clone(), value.to_json()))
        .collect();
    serde_json::Value::Object(json).to_string()
}

/// A draft's answers as stored (before sealing): each value tagged with its type.
pub fn encode_draft(answers: &Answers) -> Result<String, CodecError> {
    serde_json::to_string(answers).map_err(CodecError::draft)
}

/// A draft's answers from what [`encode_draft`] wrote.
pub fn decode_draft(json: &str) -> Result<Answers, CodecError> {
    serde_json::from_str(json).map_err(CodecError::draft)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::questionnaire::AnswerValue;

    fn shipped() -> crate::questionnaire::Questionnaire {
        crate::questionnaire::parse_questionnaire(crate::survey::SHIPPED_QUESTIONNAIRE).unwrap()
    }

    /// One answer of each type, to questions of the shipped questionnaire.
    fn answers() -> Answers {
        let mut answers = Answers::new();
        answers.insert("agency".into(), AnswerValue::Choice("police".into()));
        answers.insert(
            "improvement-priorities".into(),
            AnswerValue::Choices(vec!["a".into(), "b".into()]),
        );
        answers.insert("extra-hours".into(), AnswerValue::Number(12.0));
        answers.insert(
            "voice-comment".into(),
            AnswerValue::Text("Fine, \"thanks\"".into()),
        );
        answers
    }

    #[test]
    fn a_draft_reads_back_as_it_was_written() {
        let mut answers = answers();
        answers.insert("fraction".into(), AnswerValue::Number(2.5));
        let json = encode_draft(&answers).unwrap();
        assert_eq!(decode_draft(&json).unwrap(), answers);
        assert!(json.contains(r#""agency":{"choice":"police"}"#), "{json}");
        assert!(decode_draft(&encode_draft(&Answers::new()).unwrap())
            .unwrap()
            .is_empty());
    }

    #[test]
    fn a_response_reads_back_as_it_was_written() {
        let q = shipped();
        let answers = answers();
        let json = encode_response(&answers);
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&json).unwrap(),
            serde_json::json!({"agency": "police", "improvement-priorities": ["a", "b"],
                               "extra-hours": 12, "voice-comment": "Fine, \"thanks\""})
        );
        let decoded = decode_with(&QuestionIndex::new(&q), &json).unwrap();
        let values: Vec<(&str, &str, Option<f64>)> = decoded
            .values
            .iter()
            .map(|(key, value, number)| (key.as_str(), value.as_str(), *number))
            .collect();
        assert_eq!(
            values,
            [
                ("agency", "police", None),
                ("extra-hours", "12", Some(12.0)),
                ("improvement-priorities", "a", None),
                ("improvement-priorities", "b", None),
            ]
        );
        assert_eq!(
            decoded.texts,
            [("voice-comment".to_string(), "Fine, \"thanks\"".to_string())]
        );
        let questions: Vec<_> = ["agency", "extra-hours", "voice-comment"]
            .map(|key| q.question(key).unwrap())
            .to_vec();
        let layout = Layout::new(&questions);
        let mut slots = Slots::new(&layout);
        slots.decode(&json).unwrap();
        assert_eq!(slots.values(0).collect::<Vec<_>>(), ["police"]);
        assert_eq!(slots.number(1), Some(12.0));
        assert_eq!(slots.body(2), Some("Fine, \"thanks\""));
    }

    #[test]
    fn unreadable_answers_are_errors_that_say_which_kind() {
        let q = shipped();
        let error = decode_with(&QuestionIndex::new(&q), "not json").unwrap_err();
        assert!(error.to_string().starts_with("stored answers: "), "{error}");
        let error = decode_draft(r#"{"agency": "police"}"#).unwrap_err();
        assert!(error.to_string().starts_with("draft answers: "), "{error}");
    }
}
