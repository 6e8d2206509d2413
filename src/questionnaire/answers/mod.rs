//! Answers: their model, which questions are asked (`show_if`), and validation of answers
//! from HTML forms (one section per page) and from the JSON API (a whole response).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::definition::{Choice, Question, QuestionKind, Questionnaire, ShowIf};
use crate::messages::validation::answer as msg;

mod form;
mod json;
mod rules;
#[cfg(test)]
mod tests;
mod visibility;

pub use form::parse_section_form;
use form::*;
pub use json::{parse_json_answers, validate_json_response};
pub use rules::check_complete;
use rules::*;
pub use visibility::{condition_met, prune_hidden, visible, visible_sections};

/// One question's answer. Stored in drafts as JSON (see `stored::encode_draft`), externally tagged:
/// `{"choice": "agree"}`, `{"choices": ["police", "health"]}`, `{"text": "…"}`, `{"number": 12.0}`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "snake_case")]
pub enum AnswerValue {
    /// The option value chosen for a single or Likert question.
    Choice(String),
    /// The option values chosen for a multi question, in the options' order.
    Choices(Vec<String>),
    Text(String),
    Number(f64),
}

/// Answers by question key.
pub type Answers = BTreeMap<String, AnswerValue>;

/// A problem with the answer to one question (`question` is its key, or the unknown key sent).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Problem {
    pub question: String,
    pub message: String,
}

impl Problem {
    fn new(question: &str, message: impl Into<String>) -> Self {
        Problem {
            question: question.to_string(),
            message: message.into(),
        }
    }
}

impl AnswerValue {
    /// The chosen option values: one for a single or Likert answer, all of a multi answer,
    /// none for text and numbers.
    pub fn chosen(&self) -> &[String] {
        match self {
            AnswerValue::Choice(value) => std::slice::from_ref(value),
            AnswerValue::Choices(values) => values,
            AnswerValue::Text(_) | AnswerValue::Number(_) => &[],
        }
    }

    /// The value as the JSON API takes it: an option value, an array of them, a string or a
    /// number (whole numbers without a fraction).
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            AnswerValue::Choice(value) | AnswerValue::Text(value) => value.clone().into(),
            AnswerValue::Choices(values) => values.clone().into(),
            AnswerValue::Number(number) => number_to_json(*number),
        }
    }
}

pub(super) fn number_to_json(number: f64) -> serde_json::Value {
    const EXACT_INTEGERS: f64 = 9_007_199_254_740_992.0; // 2^53
    if number.fract() == 0.0 && number.abs() < EXACT_INTEGERS {
        serde_json::Value::from(number as i64)
    } else {
        serde_json::Number::from_f64(number).map_or(serde_json::Value::Null, Into::into)
    }
}
