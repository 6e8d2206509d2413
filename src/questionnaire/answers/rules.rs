//! What makes an answer valid for its question, and a response complete.

use super::*;

/// Checks a value against its question: the right kind of value, an option of the
/// question, within the limits.
pub(super) fn check_value(question: &Question, value: &AnswerValue) -> Result<(), String> {
    match (&question.kind, value) {
        (
            QuestionKind::Single { .. } | QuestionKind::Likert { .. },
            AnswerValue::Choice(chosen),
        ) => match question.choice(chosen) {
            Some(_) => Ok(()),
            None => Err(msg::not_an_option_value(chosen)),
        },
        (
            QuestionKind::Multi {
                options,
                max_choices,
            },
            AnswerValue::Choices(chosen),
        ) => check_choices(options, *max_choices, chosen),
        (QuestionKind::Text { max_length, long }, AnswerValue::Text(text)) => {
            // Control characters break spreadsheets and the tools that read downloads; a
            // long answer may keep its tabs and line breaks.
            let allowed = |c: char| *long && (c == '\n' || c == '\t');
            if text.chars().any(|c| c.is_control() && !allowed(c)) {
                Err(if *long {
                    msg::CONTROL_CHARACTERS
                } else {
                    msg::CONTROL_CHARACTERS_SHORT
                }
                .to_string())
            } else if text.chars().count() > *max_length as usize {
                Err(msg::too_long(*max_length))
            } else {
                Ok(())
            }
        }
        (QuestionKind::Number { min, max, integer }, AnswerValue::Number(number)) => {
            check_number(*number, *min, *max, *integer)
        }
        (kind, _) => Err(expected_message(kind).to_string()),
    }
}

pub(super) fn check_choices(
    options: &[Choice],
    max_choices: Option<u32>,
    chosen: &[String],
) -> Result<(), String> {
    if chosen.is_empty() {
        return Err(msg::EMPTY_OPTION_VALUES.to_string());
    }
    for (index, value) in chosen.iter().enumerate() {
        if !options.iter().any(|option| option.value == *value) {
            return Err(msg::not_an_option_value(value));
        }
        if chosen[..index].contains(value) {
            return Err(msg::option_value_repeated(value));
        }
    }
    match max_choices {
        Some(max) if chosen.len() > max as usize => Err(msg::select_at_most(max)),
        _ => Ok(()),
    }
}

pub(super) fn check_number(
    number: f64,
    min: Option<f64>,
    max: Option<f64>,
    integer: bool,
) -> Result<(), String> {
    if !number.is_finite() {
        return Err(msg::ENTER_A_NUMBER.to_string());
    }
    if integer && number.fract() != 0.0 {
        return Err(msg::ENTER_WHOLE_NUMBER.to_string());
    }
    let too_small = min.is_some_and(|min| number < min);
    let too_big = max.is_some_and(|max| number > max);
    if too_small || too_big {
        return Err(msg::number_out_of_range(min, max, integer));
    }
    Ok(())
}

pub(super) fn expected_message(kind: &QuestionKind) -> &'static str {
    match kind {
        QuestionKind::Single { .. } | QuestionKind::Likert { .. } => msg::EXPECTED_OPTION_VALUE,
        QuestionKind::Multi { .. } => msg::EXPECTED_OPTION_VALUES,
        QuestionKind::Text { .. } => msg::EXPECTED_STRING,
        QuestionKind::Number { .. } => msg::EXPECTED_NUMBER,
    }
}

/// The problems that stop answers being stored as a response: a required question that is
/// asked but not answered, an answer to a question that is not asked, a value that does not
/// suit its question, or a key that is not a question. In questionnaire order.
pub fn check_complete(q: &Questionnaire, answers: &Answers) -> Vec<Problem> {
    let mut problems = Vec::new();
    for question in q.questions() {
        let asked = visible(q, question, answers);
        let problem = match answers.get(&question.key) {
            Some(_) if !asked => Some(msg::NOT_ASKED.to_string()),
            Some(value) => check_value(question, value).err(),
            None if asked && question.required => Some(required_message(question).to_string()),
            None => None,
        };
        if let Some(message) = problem {
            problems.push(Problem::new(&question.key, message));
        }
    }
    for key in answers.keys().filter(|key| q.question(key).is_none()) {
        problems.push(Problem::new(key, msg::UNKNOWN_QUESTION));
    }
    problems
}
