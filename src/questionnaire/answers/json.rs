//! Answers from the JSON API: a whole response at once.

use super::*;

/// Reads the `answers` object of a JSON response: each value must suit its question
/// (an option value, an array of option values, a string or a number). `null` and, for
/// text, a blank string mean unanswered. Does not check that the response is complete.
pub fn parse_json_answers(
    q: &Questionnaire,
    map: &serde_json::Map<String, serde_json::Value>,
) -> Result<Answers, Vec<Problem>> {
    let (answers, problems) = read_json_answers(q, map);
    if problems.is_empty() {
        Ok(answers)
    } else {
        Err(problems)
    }
}

/// A whole response from the JSON API: [`parse_json_answers`] then [`check_complete`],
/// with every problem reported at once (one per question, in questionnaire order).
pub fn validate_json_response(
    q: &Questionnaire,
    map: &serde_json::Map<String, serde_json::Value>,
) -> Result<Answers, Vec<Problem>> {
    let (answers, mut problems) = read_json_answers(q, map);
    for problem in check_complete(q, &answers) {
        if !problems
            .iter()
            .any(|known| known.question == problem.question)
        {
            problems.push(problem);
        }
    }
    if problems.is_empty() {
        return Ok(answers);
    }
    let position = |key: &str| q.questions().position(|question| question.key == key);
    problems.sort_by_key(|problem| position(&problem.question).unwrap_or(usize::MAX));
    Err(problems)
}

/// The answers that are valid on their own, and the problems with the rest.
pub(super) fn read_json_answers(
    q: &Questionnaire,
    map: &serde_json::Map<String, serde_json::Value>,
) -> (Answers, Vec<Problem>) {
    let mut answers = Answers::new();
    let mut problems = Vec::new();
    for question in q.questions() {
        let Some(raw) = map.get(&question.key) else {
            continue;
        };
        match json_value(question, raw) {
            Ok(Some(value)) => {
                answers.insert(question.key.clone(), value);
            }
            Ok(None) => {}
            Err(message) => problems.push(Problem::new(&question.key, message)),
        }
    }
    for key in map.keys().filter(|key| q.question(key).is_none()) {
        problems.push(Problem::new(key, msg::UNKNOWN_QUESTION));
    }
    (answers, problems)
}

pub(super) fn json_value(
    question: &Question,
    raw: &serde_json::Value,
) -> Result<Option<AnswerValue>, String> {
    use serde_json::Value as Json;
    let mismatch = || expected_message(&question.kind).to_string();
    let value = match (&question.kind, raw) {
        (_, Json::Null) => None,
        (QuestionKind::Single { .. } | QuestionKind::Likert { .. }, Json::String(value)) => {
            Some(AnswerValue::Choice(value.clone()))
        }
        (QuestionKind::Multi { .. }, Json::Array(items)) => {
            let values: Option<Vec<String>> = items
                .iter()
                .map(|item| item.as_str().map(str::to_string))
                .collect();
            Some(AnswerValue::Choices(values.ok_or_else(mismatch)?))
        }
        (QuestionKind::Text { .. }, Json::String(text)) => text_answer(text),
        (QuestionKind::Number { .. }, Json::Number(number)) => {
            Some(AnswerValue::Number(number.as_f64().ok_or_else(mismatch)?))
        }
        _ => return Err(mismatch()),
    };
    let Some(mut value) = value else {
        return Ok(None);
    };
    check_value(question, &value)?;
    if let (QuestionKind::Multi { options, .. }, AnswerValue::Choices(chosen)) =
        (&question.kind, &mut value)
    {
        order_by_options(options, chosen);
    }
    Ok(Some(value))
}
