//! Turning validated answers into anonymous rows: a random id, the day, the answers.

use chrono::NaiveDate;

use crate::db::responses::{NewAnswer, NewResponse, NewTextAnswer, ResponseRows};
use crate::questionnaire::{AnswerValue, Answers, Questionnaire};
use crate::report::tally;
use crate::secrets::random_id;

pub fn response_rows(
    survey_id: i32,
    questionnaire: &Questionnaire,
    answers: &Answers,
    today: NaiveDate,
) -> ResponseRows {
    let id = random_id();
    let mut rows = Vec::new();
    let mut texts = Vec::new();
    let answer = |key: &str, value: String, number: Option<f64>| NewAnswer {
        response_id: id.clone(),
        survey_id,
        question_key: key.to_owned(),
        value,
        number,
    };
    for (key, value) in answers {
        match value {
            AnswerValue::Choice(choice) => rows.push(answer(key, choice.clone(), None)),
            AnswerValue::Choices(choices) => {
                rows.extend(choices.iter().map(|c| answer(key, c.clone(), None)))
            }
            AnswerValue::Number(number) => {
                rows.push(answer(key, format_number(*number), Some(*number)))
            }
            AnswerValue::Text(body) => texts.push(NewTextAnswer {
                response_id: id.clone(),
                survey_id,
                question_key: key.clone(),
                body: body.clone(),
            }),
        }
    }
    let pairs: Vec<(&str, &str)> = rows
        .iter()
        .map(|a| (a.question_key.as_str(), a.value.as_str()))
        .collect();
    let groups = tally::groups_of(&tally::breakdown_keys(questionnaire), &pairs);
    ResponseRows {
        groups,
        response: NewResponse {
            id,
            survey_id,
            submitted_on: today,
        },
        answers: rows,
        texts,
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
    fn one_row_per_chosen_value_and_texts_apart() {
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
        assert_eq!(rows.answers.len(), 4);
        assert!(rows
            .answers
            .iter()
            .any(|a| a.question_key == "caseload" && a.value == "12" && a.number == Some(12.0)));
        assert_eq!(rows.texts.len(), 1);
        assert!(rows
            .answers
            .iter()
            .all(|a| a.response_id == rows.response.id));
    }

    #[test]
    fn numbers_format_plainly() {
        assert_eq!(format_number(3.0), "3");
        assert_eq!(format_number(2.5), "2.5");
        assert_eq!(format_number(-1.0), "-1");
    }
}
