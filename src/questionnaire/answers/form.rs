//! Answers from an HTML form: one section per page.

use super::*;

/// Reads the form fields of the page for section `section_index`: answers to the section's
/// questions that are asked, given `earlier` (the answers to previous sections).
///
/// A field's name is the question key; a multi question's values repeat the name. Names
/// starting with `_` (such as `_csrf` or `_action`) are not answers and are ignored, as no
/// question key can start with one. Blank fields for questions not asked are ignored;
/// answers to them are problems.
pub fn parse_section_form(
    q: &Questionnaire,
    section_index: usize,
    fields: &[(String, String)],
    earlier: &Answers,
) -> Result<Answers, Vec<Problem>> {
    let mut submitted = group_fields(fields);
    let mut answers = Answers::new();
    let mut problems = Vec::new();
    let questions = q
        .sections
        .get(section_index)
        .map_or(&[][..], |section| &section.questions);
    for question in questions {
        let Some(position) = submitted.iter().position(|(name, _)| *name == question.key) else {
            if question.required && visible(q, question, earlier) {
                problems.push(Problem::new(&question.key, required_message(question)));
            }
            continue;
        };
        let (_, values) = submitted.remove(position);
        if !visible(q, question, earlier) {
            // A blank field says nothing; an answer to a question not asked is refused.
            if values.iter().any(|value| !value.trim().is_empty()) {
                problems.push(Problem::new(&question.key, msg::NOT_ASKED));
            }
            continue;
        }
        match form_value(question, &values) {
            Ok(Some(value)) => {
                answers.insert(question.key.clone(), value);
            }
            Ok(None) if question.required => {
                problems.push(Problem::new(&question.key, required_message(question)));
            }
            Ok(None) => {}
            Err(message) => problems.push(Problem::new(&question.key, message)),
        }
    }
    for (name, _) in submitted {
        problems.push(Problem::new(name, stray_key_message(q, name)));
    }
    if problems.is_empty() {
        Ok(answers)
    } else {
        Err(problems)
    }
}

/// Fields grouped by name, in the order each name first appears.
pub(super) fn group_fields(fields: &[(String, String)]) -> Vec<(&str, Vec<&str>)> {
    let mut grouped: Vec<(&str, Vec<&str>)> = Vec::new();
    for (name, value) in fields.iter().filter(|(name, _)| !name.starts_with('_')) {
        match grouped.iter_mut().find(|(seen, _)| seen == name) {
            Some((_, values)) => values.push(value),
            None => grouped.push((name, vec![value])),
        }
    }
    grouped
}

pub(super) fn stray_key_message(q: &Questionnaire, key: &str) -> &'static str {
    if q.question(key).is_some() {
        msg::NOT_ON_THIS_PAGE
    } else {
        msg::UNKNOWN_QUESTION
    }
}

pub(super) fn required_message(question: &Question) -> &'static str {
    match question.kind {
        QuestionKind::Single { .. } | QuestionKind::Likert { .. } => msg::SELECT_ONE,
        QuestionKind::Multi { .. } => msg::SELECT_AT_LEAST_ONE,
        QuestionKind::Text { .. } => msg::ANSWER_THIS_QUESTION,
        QuestionKind::Number { .. } => msg::ENTER_A_NUMBER,
    }
}

/// One question's form values as an answer; `None` when left unanswered.
pub(super) fn form_value(
    question: &Question,
    values: &[&str],
) -> Result<Option<AnswerValue>, String> {
    let value = match &question.kind {
        QuestionKind::Single { .. } | QuestionKind::Likert { .. } => form_choice(values)?,
        QuestionKind::Multi { options, .. } => form_choices(options, values),
        QuestionKind::Text { .. } => only_value(values)?.and_then(text_answer),
        QuestionKind::Number { .. } => match only_value(values)?.map(str::trim) {
            None | Some("") => None,
            Some(text) => Some(AnswerValue::Number(parse_form_number(text)?)),
        },
    };
    if let Some(value) = &value {
        check_value(question, value)?;
    }
    Ok(value)
}

pub(super) fn form_choice(values: &[&str]) -> Result<Option<AnswerValue>, String> {
    let mut chosen = values.iter().filter(|value| !value.is_empty());
    match (chosen.next(), chosen.next()) {
        (None, _) => Ok(None),
        (Some(value), None) => Ok(Some(AnswerValue::Choice(value.to_string()))),
        (Some(_), Some(_)) => Err(msg::SELECT_ONLY_ONE.to_string()),
    }
}

/// Checked boxes, without repeats; values that are not options are kept so that
/// [`check_value`] reports them.
pub(super) fn form_choices(options: &[Choice], values: &[&str]) -> Option<AnswerValue> {
    let mut chosen: Vec<String> = Vec::new();
    for value in values.iter().filter(|value| !value.is_empty()) {
        if !chosen.iter().any(|seen| seen == value) {
            chosen.push(value.to_string());
        }
    }
    order_by_options(options, &mut chosen);
    (!chosen.is_empty()).then_some(AnswerValue::Choices(chosen))
}

pub(super) fn order_by_options(options: &[Choice], values: &mut [String]) {
    values.sort_by_key(|value| {
        options
            .iter()
            .position(|option| option.value == *value)
            .unwrap_or(options.len())
    });
}

pub(super) fn only_value<'v>(values: &[&'v str]) -> Result<Option<&'v str>, String> {
    match values {
        [] => Ok(None),
        [value] => Ok(Some(value)),
        _ => Err(msg::ANSWERED_TWICE.to_string()),
    }
}

/// Trimmed, with Windows and old Mac line endings made plain; blank is unanswered.
pub(super) fn text_answer(text: &str) -> Option<AnswerValue> {
    let text = text.trim().replace("\r\n", "\n").replace('\r', "\n");
    (!text.is_empty()).then_some(AnswerValue::Text(text))
}

/// A plain decimal such as `12`, `-3` or `2.5`: no commas, exponents or words.
pub(super) fn parse_form_number(text: &str) -> Result<f64, String> {
    if text.contains(',') {
        return Err(msg::NUMBER_WITHOUT_COMMAS.to_string());
    }
    let unsigned = text.strip_prefix(['-', '+']).unwrap_or(text);
    let (whole, fraction) = unsigned.split_once('.').unwrap_or((unsigned, ""));
    let digits_only = |part: &str| part.bytes().all(|b| b.is_ascii_digit());
    let has_digits = !whole.is_empty() || !fraction.is_empty();
    let well_formed = has_digits && digits_only(whole) && digits_only(fraction);
    match text.parse::<f64>() {
        Ok(number) if well_formed && number.is_finite() => Ok(number),
        _ => Err(msg::ENTER_A_NUMBER.to_string()),
    }
}
