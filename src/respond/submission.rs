//! Turning validated answers into an anonymous row: a random id, the day, the answers.

use chrono::NaiveDate;

use crate::db::responses::NewResponse;
use crate::questionnaire::{AnswerValue, Answers, Questionnaire};
use crate::report::tally;
use crate::secrets::random_id;

/// A response ready to store: the row, and what the tallies beside it need, worked out
/// here (on the request's thread) so the writer's transaction stays short.
#[derive(Debug, Clone)]
pub struct ResponseRows {
    pub response: NewResponse,
    /// (question, value) for every chosen option and number, numbers as text.
    pub values: Vec<(String, String)>,
    /// The questions answered in free text.
    pub text_keys: Vec<String>,
    /// The breakdown groups it is tallied in, as (question, answer or '' when unanswered).
    pub groups: Vec<(String, String)>,
}

pub fn response_rows(
    survey_id: i32,
    questionnaire: &Questionnaire,
    answers: &Answers,
    today: NaiveDate,
) -> ResponseRows {
    let json: serde_json::Map<String, serde_json::Value> = answers
        .iter()
        .map(|(key, value)| (key.clone(), value.to_json()))
        .collect();
    let mut values = Vec::new();
    let mut text_keys = Vec::new();
    for (key, value) in answers {
        match value {
            AnswerValue::Choice(choice) => values.push((key.clone(), choice.clone())),
            AnswerValue::Choices(choices) => {
                values.extend(choices.iter().map(|c| (key.clone(), c.clone())))
            }
            AnswerValue::Number(number) => values.push((key.clone(), format_number(*number))),
            AnswerValue::Text(_) => text_keys.push(key.clone()),
        }
    }
    let pairs: Vec<(&str, &str)> = values
        .iter()
        .map(|(question, value)| (question.as_str(), value.as_str()))
        .collect();
    let groups = tally::groups_of(&tally::breakdown_keys(questionnaire), &pairs);
    ResponseRows {
        response: NewResponse {
            id: random_id(),
            survey_id,
            submitted_on: today,
            answers: serde_json::Value::Object(json).to_string(),
        },
        values,
        text_keys,
        groups,
    }
}

/// Whole numbers without a decimal point, others as Rust prints them.
pub fn format_number(number: f64) -> String {
    if number.fract() == 0.0 && number.abs() < 1e15 {
        format!("{}", number as i64)
    } else {
        number.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_row_holds_a_random_id_the_day_and_the_answers_only() {
        let mut answers = Answers::new();
        answers.insert("agency".into(), AnswerValue::Choice("police".into()));
        answers.insert(
            "training".into(),
            AnswerValue::Choices(vec!["a".into(), "b".into()]),
        );
        answers.insert("caseload".into(), AnswerValue::Number(12.0));
        answers.insert("comment".into(), AnswerValue::Text("Fine".into()));
        let day = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
        let questionnaire = crate::questionnaire::parse_questionnaire(
            r#"
slug = "sub"
title = "S"
introduction = "I"
privacy_notice = "P"
[[sections]]
key = "one"
title = "One"
[[sections.questions]]
key = "agency"
type = "single"
text = "Agency?"
options = ["police", "council"]
breakdown = true
[[sections.questions]]
key = "role"
type = "single"
text = "Role?"
options = ["manager", "worker"]
breakdown = true
"#,
        )
        .unwrap();
        let rows = response_rows(7, &questionnaire, &answers, day);
        assert_eq!(
            rows.groups,
            [
                ("agency".to_string(), "police".to_string()),
                ("role".to_string(), String::new())
            ]
        );
        assert_eq!(rows.response.submitted_on, day);
        assert_eq!(rows.response.id.len(), 32);
        assert_ne!(
            rows.response.id,
            response_rows(7, &questionnaire, &answers, day).response.id
        );
        assert!(rows.values.contains(&("caseload".into(), "12".into())));
        assert_eq!(rows.text_keys, ["comment"]);
        let stored: serde_json::Value = serde_json::from_str(&rows.response.answers).unwrap();
        assert_eq!(
            stored,
            serde_json::json!({"agency": "police", "training": ["a", "b"], "caseload": 12, "comment": "Fine"})
        );
    }

    #[test]
    fn numbers_format_plainly() {
        assert_eq!(format_number(3.0), "3");
        assert_eq!(format_number(2.5), "2.5");
        assert_eq!(format_number(-1.0), "-1");
    }
}
