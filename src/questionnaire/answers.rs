//! Answers: their model, which questions are asked (`show_if`), and validation of answers
//! from HTML forms (one section per page) and from the JSON API (a whole response).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::definition::{Choice, Question, QuestionKind, Questionnaire, ShowIf};
use crate::messages::validation::answer as msg;

/// One question's answer. Stored in drafts as JSON, externally tagged:
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

fn number_to_json(number: f64) -> serde_json::Value {
    const EXACT_INTEGERS: f64 = 9_007_199_254_740_992.0; // 2^53
    if number.fract() == 0.0 && number.abs() < EXACT_INTEGERS {
        serde_json::Value::from(number as i64)
    } else {
        serde_json::Number::from_f64(number).map_or(serde_json::Value::Null, Into::into)
    }
}

/// Whether the question is asked, given the answers so far: always without `show_if`;
/// otherwise when the question it refers to is itself asked and was answered with one of
/// the listed values (for a multi question, when any chosen value is listed).
pub fn visible(q: &Questionnaire, question: &Question, answers: &Answers) -> bool {
    // A condition always refers to an earlier section, so a chain is never longer than the
    // number of sections; the limit only guards against a malformed definition.
    visible_within(q, question, answers, q.sections.len())
}

fn visible_within(q: &Questionnaire, question: &Question, answers: &Answers, depth: usize) -> bool {
    let Some(show_if) = &question.show_if else {
        return true;
    };
    let (Some(depth), Some(controller)) = (depth.checked_sub(1), q.question(&show_if.question))
    else {
        return false;
    };
    visible_within(q, controller, answers, depth)
        && answers.get(&controller.key).is_some_and(|answer| {
            answer
                .chosen()
                .iter()
                .any(|value| show_if.any_of.contains(value))
        })
}

/// Whether a `show_if` holds: its question is asked and was answered with a listed value.
pub fn condition_met(q: &Questionnaire, show_if: &ShowIf, answers: &Answers) -> bool {
    q.question(&show_if.question).is_some_and(|controller| {
        visible(q, controller, answers)
            && answers.get(&controller.key).is_some_and(|answer| {
                answer
                    .chosen()
                    .iter()
                    .any(|value| show_if.any_of.contains(value))
            })
    })
}

/// Indexes of the sections with at least one question asked.
pub fn visible_sections(q: &Questionnaire, answers: &Answers) -> Vec<usize> {
    q.sections
        .iter()
        .enumerate()
        .filter(|(_, section)| {
            section
                .questions
                .iter()
                .any(|question| visible(q, question, answers))
        })
        .map(|(index, _)| index)
        .collect()
}

/// Removes answers to questions that are not asked (after an earlier answer changed), and
/// answers to keys that are not questions of this questionnaire.
pub fn prune_hidden(q: &Questionnaire, answers: &mut Answers) {
    for question in q.questions() {
        if answers.contains_key(&question.key) && !visible(q, question, answers) {
            answers.remove(&question.key);
        }
    }
    answers.retain(|key, _| q.question(key).is_some());
}

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
fn group_fields(fields: &[(String, String)]) -> Vec<(&str, Vec<&str>)> {
    let mut grouped: Vec<(&str, Vec<&str>)> = Vec::new();
    for (name, value) in fields.iter().filter(|(name, _)| !name.starts_with('_')) {
        match grouped.iter_mut().find(|(seen, _)| seen == name) {
            Some((_, values)) => values.push(value),
            None => grouped.push((name, vec![value])),
        }
    }
    grouped
}

fn stray_key_message(q: &Questionnaire, key: &str) -> &'static str {
    if q.question(key).is_some() {
        msg::NOT_ON_THIS_PAGE
    } else {
        msg::UNKNOWN_QUESTION
    }
}

fn required_message(question: &Question) -> &'static str {
    match question.kind {
        QuestionKind::Single { .. } | QuestionKind::Likert { .. } => msg::SELECT_ONE,
        QuestionKind::Multi { .. } => msg::SELECT_AT_LEAST_ONE,
        QuestionKind::Text { .. } => msg::ANSWER_THIS_QUESTION,
        QuestionKind::Number { .. } => msg::ENTER_A_NUMBER,
    }
}

/// One question's form values as an answer; `None` when left unanswered.
fn form_value(question: &Question, values: &[&str]) -> Result<Option<AnswerValue>, String> {
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

fn form_choice(values: &[&str]) -> Result<Option<AnswerValue>, String> {
    let mut chosen = values.iter().filter(|value| !value.is_empty());
    match (chosen.next(), chosen.next()) {
        (None, _) => Ok(None),
        (Some(value), None) => Ok(Some(AnswerValue::Choice(value.to_string()))),
        (Some(_), Some(_)) => Err(msg::SELECT_ONLY_ONE.to_string()),
    }
}

/// Checked boxes, without repeats; values that are not options are kept so that
/// [`check_value`] reports them.
fn form_choices(options: &[Choice], values: &[&str]) -> Option<AnswerValue> {
    let mut chosen: Vec<String> = Vec::new();
    for value in values.iter().filter(|value| !value.is_empty()) {
        if !chosen.iter().any(|seen| seen == value) {
            chosen.push(value.to_string());
        }
    }
    order_by_options(options, &mut chosen);
    (!chosen.is_empty()).then_some(AnswerValue::Choices(chosen))
}

fn order_by_options(options: &[Choice], values: &mut [String]) {
    values.sort_by_key(|value| {
        options
            .iter()
            .position(|option| option.value == *value)
            .unwrap_or(options.len())
    });
}

fn only_value<'v>(values: &[&'v str]) -> Result<Option<&'v str>, String> {
    match values {
        [] => Ok(None),
        [value] => Ok(Some(value)),
        _ => Err(msg::ANSWERED_TWICE.to_string()),
    }
}

/// Trimmed, with Windows and old Mac line endings made plain; blank is unanswered.
fn text_answer(text: &str) -> Option<AnswerValue> {
    let text = text.trim().replace("\r\n", "\n").replace('\r', "\n");
    (!text.is_empty()).then_some(AnswerValue::Text(text))
}

/// A plain decimal such as `12`, `-3` or `2.5`: no commas, exponents or words.
fn parse_form_number(text: &str) -> Result<f64, String> {
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

/// Checks a value against its question: the right kind of value, an option of the
/// question, within the limits.
fn check_value(question: &Question, value: &AnswerValue) -> Result<(), String> {
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

fn check_choices(
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

fn check_number(
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

fn expected_message(kind: &QuestionKind) -> &'static str {
    match kind {
        QuestionKind::Single { .. } | QuestionKind::Likert { .. } => msg::EXPECTED_OPTION_VALUE,
        QuestionKind::Multi { .. } => msg::EXPECTED_OPTION_VALUES,
        QuestionKind::Text { .. } => msg::EXPECTED_STRING,
        QuestionKind::Number { .. } => msg::EXPECTED_NUMBER,
    }
}

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
fn read_json_answers(
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

fn json_value(question: &Question, raw: &serde_json::Value) -> Result<Option<AnswerValue>, String> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::questionnaire::parse::parse_questionnaire;
    use serde_json::json;

    const SURVEY: &str = r#"
slug = "answers-test"
title = "Answers test"

[[sections]]
key = "about"
title = "About you"
[[sections.questions]]
key = "agency"
type = "single"
text = "Which organisation do you work for?"
options = ["council", "police", "health"]
required = true
[[sections.questions]]
key = "roles"
type = "multi"
text = "Your roles"
options = ["manager", "practitioner", "admin", "other"]
max_choices = 2

[[sections]]
key = "police"
title = "Police"
[[sections.questions]]
key = "joint-visits"
type = "single"
text = "Do you do joint visits?"
options = ["yes", "no"]
required = true
show_if = { question = "agency", any_of = ["police"] }

[[sections]]
key = "practice"
title = "Practice"
[[sections.questions]]
key = "statement"
type = "likert"
text = "I understand the thresholds."
required = true
[[sections.questions]]
key = "why-not"
type = "text"
text = "Why not?"
show_if = { question = "joint-visits", any_of = ["no"] }
[[sections.questions]]
key = "caseload"
type = "number"
text = "Caseload"
min = 0
max = 60
required = true
[[sections.questions]]
key = "hours"
type = "number"
text = "Hours"
min = 0.5
max = 80
integer = false
[[sections.questions]]
key = "comment"
type = "text"
text = "Comment"
max_length = 10
[[sections.questions]]
key = "team"
type = "text"
text = "Which team do you manage?"
show_if = { question = "roles", any_of = ["manager"] }
"#;

    fn survey() -> Questionnaire {
        match parse_questionnaire(SURVEY) {
            Ok(q) => q,
            Err(problems) => panic!("{problems}"),
        }
    }

    fn choice(value: &str) -> AnswerValue {
        AnswerValue::Choice(value.to_string())
    }

    fn choices(values: &[&str]) -> AnswerValue {
        AnswerValue::Choices(values.iter().map(|v| v.to_string()).collect())
    }

    fn text(value: &str) -> AnswerValue {
        AnswerValue::Text(value.to_string())
    }

    fn answers(pairs: &[(&str, AnswerValue)]) -> Answers {
        pairs
            .iter()
            .map(|(key, value)| (key.to_string(), value.clone()))
            .collect()
    }

    fn fields(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(name, value)| (name.to_string(), value.to_string()))
            .collect()
    }

    fn problem(question: &str, message: &str) -> Problem {
        Problem::new(question, message)
    }

    fn is_visible(q: &Questionnaire, key: &str, given: &Answers) -> bool {
        visible(q, q.question(key).unwrap(), given)
    }

    #[test]
    fn questions_without_conditions_are_always_visible() {
        let q = survey();
        assert!(is_visible(&q, "agency", &Answers::new()));
        assert!(is_visible(&q, "statement", &Answers::new()));
    }

    #[test]
    fn show_if_chains_resolve() {
        let q = survey();
        // agency hides joint-visits; joint-visits controls why-not.
        let council = answers(&[
            ("agency", choice("council")),
            ("joint-visits", choice("no")),
        ]);
        assert!(!is_visible(&q, "joint-visits", &council));
        assert!(
            !is_visible(&q, "why-not", &council),
            "a stale answer must not show why-not"
        );

        let police_no = answers(&[("agency", choice("police")), ("joint-visits", choice("no"))]);
        assert!(is_visible(&q, "joint-visits", &police_no));
        assert!(is_visible(&q, "why-not", &police_no));

        let police_yes = answers(&[
            ("agency", choice("police")),
            ("joint-visits", choice("yes")),
        ]);
        assert!(!is_visible(&q, "why-not", &police_yes));

        assert!(!is_visible(&q, "joint-visits", &Answers::new()));
    }

    #[test]
    fn multi_answers_show_when_any_value_matches() {
        let q = survey();
        let manager = answers(&[("roles", choices(&["manager", "admin"]))]);
        assert!(is_visible(&q, "team", &manager));
        let admin = answers(&[("roles", choices(&["admin"]))]);
        assert!(!is_visible(&q, "team", &admin));
    }

    #[test]
    fn visible_sections_skip_wholly_hidden_pages() {
        let q = survey();
        let council = answers(&[("agency", choice("council"))]);
        assert_eq!(visible_sections(&q, &council), [0, 2]);
        let police = answers(&[("agency", choice("police"))]);
        assert_eq!(visible_sections(&q, &police), [0, 1, 2]);
    }

    #[test]
    fn prune_removes_hidden_answers_along_chains() {
        let q = survey();
        let mut given = answers(&[
            ("agency", choice("council")),
            ("joint-visits", choice("no")),
            ("why-not", text("No time")),
            ("roles", choices(&["admin"])),
            ("team", text("Blue team")),
            ("statement", choice("agree")),
            ("retired-question", text("x")),
        ]);
        prune_hidden(&q, &mut given);
        assert_eq!(
            given,
            answers(&[
                ("agency", choice("council")),
                ("roles", choices(&["admin"])),
                ("statement", choice("agree")),
            ])
        );

        let mut kept = answers(&[
            ("agency", choice("police")),
            ("joint-visits", choice("no")),
            ("why-not", text("No time")),
        ]);
        let before = kept.clone();
        prune_hidden(&q, &mut kept);
        assert_eq!(kept, before);
    }

    #[test]
    fn form_single_and_multi() {
        let q = survey();
        let parsed = parse_section_form(
            &q,
            0,
            &fields(&[
                ("_csrf", "token"),
                ("agency", "police"),
                ("roles", "admin"),
                ("roles", "manager"),
                ("roles", "admin"),
                ("_action", "continue"),
            ]),
            &Answers::new(),
        );
        assert_eq!(
            parsed,
            Ok(answers(&[
                ("agency", choice("police")),
                ("roles", choices(&["manager", "admin"])),
            ]))
        );

        let optional_left_empty =
            parse_section_form(&q, 0, &fields(&[("agency", "council")]), &Answers::new());
        assert_eq!(
            optional_left_empty,
            Ok(answers(&[("agency", choice("council"))]))
        );
    }

    #[test]
    fn form_problems_in_question_order() {
        let q = survey();
        let parsed = parse_section_form(
            &q,
            0,
            &fields(&[
                ("colour", "blue"),
                ("roles", "manager"),
                ("roles", "admin"),
                ("roles", "other"),
                ("statement", "agree"),
            ]),
            &Answers::new(),
        );
        assert_eq!(
            parsed,
            Err(vec![
                problem("agency", msg::SELECT_ONE),
                problem("roles", "Select at most 2 options"),
                problem("colour", msg::UNKNOWN_QUESTION),
                problem("statement", msg::NOT_ON_THIS_PAGE),
            ])
        );

        let tampered = parse_section_form(
            &q,
            0,
            &fields(&[("agency", "fire"), ("roles", "chief")]),
            &Answers::new(),
        );
        assert_eq!(
            tampered,
            Err(vec![
                problem("agency", &msg::not_an_option_value("fire")),
                problem("roles", &msg::not_an_option_value("chief")),
            ])
        );

        let twice = parse_section_form(
            &q,
            0,
            &fields(&[("agency", "police"), ("agency", "health")]),
            &Answers::new(),
        );
        assert_eq!(twice, Err(vec![problem("agency", msg::SELECT_ONLY_ONE)]));

        let blank = parse_section_form(&q, 0, &fields(&[("agency", "")]), &Answers::new());
        assert_eq!(blank, Err(vec![problem("agency", msg::SELECT_ONE)]));
    }

    #[test]
    fn form_visibility_comes_from_earlier_answers() {
        let q = survey();
        let council = answers(&[("agency", choice("council"))]);
        assert_eq!(parse_section_form(&q, 1, &[], &council), Ok(Answers::new()));
        assert_eq!(
            parse_section_form(&q, 1, &fields(&[("joint-visits", "yes")]), &council),
            Err(vec![problem("joint-visits", msg::NOT_ASKED)])
        );
        assert_eq!(
            parse_section_form(&q, 1, &fields(&[("joint-visits", "")]), &council),
            Ok(Answers::new())
        );

        let police = answers(&[("agency", choice("police"))]);
        assert_eq!(
            parse_section_form(&q, 1, &[], &police),
            Err(vec![problem("joint-visits", msg::SELECT_ONE)])
        );
        assert_eq!(
            parse_section_form(&q, 1, &fields(&[("joint-visits", "no")]), &police),
            Ok(answers(&[("joint-visits", choice("no"))]))
        );
    }

    fn practice_page(extra: &[(&str, &str)]) -> Result<Answers, Vec<Problem>> {
        let q = survey();
        let mut page = vec![("statement", "agree"), ("caseload", "12")];
        for (name, value) in extra {
            page.retain(|(existing, _)| existing != name);
            page.push((name, value));
        }
        parse_section_form(&q, 2, &fields(&page), &Answers::new())
    }

    #[test]
    fn short_text_is_one_line_without_control_characters() {
        for hostile in ["hello\r\nyou", "a\tb", "\u{0}=1"] {
            let parsed = practice_page(&[("comment", hostile)]);
            let problems = parsed.expect_err(hostile);
            assert_eq!(problems[0].question, "comment");
        }
    }

    #[test]
    fn form_likert_text_and_numbers() {
        let parsed = practice_page(&[
            ("statement", "dont-know"),
            ("caseload", " 12 "),
            ("hours", "7.5"),
            ("comment", "  hello you "),
            ("team", ""),
        ]);
        assert_eq!(
            parsed,
            Ok(answers(&[
                ("statement", choice("dont-know")),
                ("caseload", AnswerValue::Number(12.0)),
                ("hours", AnswerValue::Number(7.5)),
                ("comment", text("hello you")),
            ]))
        );
    }

    #[test]
    fn form_blank_text_and_number_are_unanswered() {
        assert_eq!(
            practice_page(&[("comment", "   "), ("hours", " ")]),
            Ok(answers(&[
                ("statement", choice("agree")),
                ("caseload", AnswerValue::Number(12.0)),
            ]))
        );
        assert_eq!(
            practice_page(&[("caseload", ""), ("statement", "")]),
            Err(vec![
                problem("statement", msg::SELECT_ONE),
                problem("caseload", msg::ENTER_A_NUMBER),
            ])
        );
    }

    #[test]
    fn form_number_problems() {
        let cases = [
            ("caseload", "12.5", msg::ENTER_WHOLE_NUMBER.to_string()),
            ("caseload", "1,000", msg::NUMBER_WITHOUT_COMMAS.to_string()),
            ("caseload", "twelve", msg::ENTER_A_NUMBER.to_string()),
            ("caseload", "1e1", msg::ENTER_A_NUMBER.to_string()),
            ("caseload", "inf", msg::ENTER_A_NUMBER.to_string()),
            ("caseload", "NaN", msg::ENTER_A_NUMBER.to_string()),
            (
                "caseload",
                "61",
                "Enter a whole number between 0 and 60".to_string(),
            ),
            (
                "caseload",
                "-1",
                "Enter a whole number between 0 and 60".to_string(),
            ),
            (
                "hours",
                "0.25",
                "Enter a number between 0.5 and 80".to_string(),
            ),
        ];
        for (key, value, expected) in cases {
            assert_eq!(
                practice_page(&[(key, value)]),
                Err(vec![problem(key, &expected)]),
                "{key} = {value:?}"
            );
        }
    }

    #[test]
    fn form_text_and_likert_problems() {
        assert_eq!(
            practice_page(&[("comment", "eleven char")]),
            Err(vec![problem(
                "comment",
                "Your answer must be 10 characters or fewer"
            )])
        );
        assert!(
            practice_page(&[("comment", "éééééééééé")]).is_ok(),
            "characters, not bytes"
        );
        assert_eq!(
            practice_page(&[("statement", "agreed")]),
            Err(vec![problem(
                "statement",
                &msg::not_an_option_value("agreed")
            )])
        );
        let mut twice = fields(&[("statement", "agree"), ("caseload", "1")]);
        twice.extend(fields(&[("comment", "a"), ("comment", "b")]));
        assert_eq!(
            parse_section_form(&survey(), 2, &twice, &Answers::new()),
            Err(vec![problem("comment", msg::ANSWERED_TWICE)])
        );
    }

    #[test]
    fn form_for_a_missing_section_accepts_nothing() {
        let q = survey();
        assert_eq!(
            parse_section_form(&q, 9, &[], &Answers::new()),
            Ok(Answers::new())
        );
        assert_eq!(
            parse_section_form(&q, 9, &fields(&[("agency", "police")]), &Answers::new()),
            Err(vec![problem("agency", msg::NOT_ON_THIS_PAGE)])
        );
    }

    #[test]
    fn parse_form_number_accepts_plain_decimals_only() {
        for (text, expected) in [
            ("12", 12.0),
            ("-3", -3.0),
            ("+4", 4.0),
            ("2.5", 2.5),
            (".5", 0.5),
            ("7.", 7.0),
        ] {
            assert_eq!(parse_form_number(text), Ok(expected), "{text}");
        }
        for text in [
            "", ".", "-", "1.2.3", "1e5", "0x10", "1 000", "--1", "infinity",
        ] {
            assert!(parse_form_number(text).is_err(), "{text}");
        }
    }

    fn json_map(value: serde_json::Value) -> serde_json::Map<String, serde_json::Value> {
        match value {
            serde_json::Value::Object(map) => map,
            other => panic!("not an object: {other}"),
        }
    }

    #[test]
    fn json_answers_of_each_type() {
        let q = survey();
        let parsed = parse_json_answers(
            &q,
            &json_map(json!({
                "agency": "police",
                "roles": ["admin", "manager"],
                "joint-visits": "no",
                "statement": "strongly-agree",
                "why-not": "  Too far  ",
                "caseload": 12,
                "hours": 37.5,
                "comment": "",
                "team": null,
            })),
        );
        assert_eq!(
            parsed,
            Ok(answers(&[
                ("agency", choice("police")),
                ("roles", choices(&["manager", "admin"])),
                ("joint-visits", choice("no")),
                ("statement", choice("strongly-agree")),
                ("why-not", text("Too far")),
                ("caseload", AnswerValue::Number(12.0)),
                ("hours", AnswerValue::Number(37.5)),
            ]))
        );
    }

    #[test]
    fn json_type_mismatches_and_bad_values() {
        let q = survey();
        let parsed = parse_json_answers(
            &q,
            &json_map(json!({
                "agency": 3,
                "roles": "manager",
                "statement": ["agree"],
                "caseload": "12",
                "hours": 0.1,
                "comment": 5,
                "nonsense": "x",
            })),
        );
        assert_eq!(
            parsed,
            Err(vec![
                problem("agency", msg::EXPECTED_OPTION_VALUE),
                problem("roles", msg::EXPECTED_OPTION_VALUES),
                problem("statement", msg::EXPECTED_OPTION_VALUE),
                problem("caseload", msg::EXPECTED_NUMBER),
                problem("hours", "Enter a number between 0.5 and 80"),
                problem("comment", msg::EXPECTED_STRING),
                problem("nonsense", msg::UNKNOWN_QUESTION),
            ])
        );

        let multi_cases = [
            (json!([]), msg::EMPTY_OPTION_VALUES.to_string()),
            (
                json!(["manager", "manager"]),
                msg::option_value_repeated("manager"),
            ),
            (
                json!(["manager", 2]),
                msg::EXPECTED_OPTION_VALUES.to_string(),
            ),
            (json!(["chief"]), msg::not_an_option_value("chief")),
            (
                json!(["manager", "admin", "other"]),
                "Select at most 2 options".to_string(),
            ),
        ];
        for (value, expected) in multi_cases {
            assert_eq!(
                parse_json_answers(&q, &json_map(json!({ "roles": value.clone() }))),
                Err(vec![problem("roles", &expected)]),
                "{value}"
            );
        }
        assert_eq!(
            parse_json_answers(&q, &json_map(json!({ "caseload": 2.5, "agency": "fire" }))),
            Err(vec![
                problem("agency", &msg::not_an_option_value("fire")),
                problem("caseload", msg::ENTER_WHOLE_NUMBER),
            ])
        );
    }

    #[test]
    fn validate_json_response_reports_everything_at_once() {
        let q = survey();
        let result = validate_json_response(
            &q,
            &json_map(json!({
                "zzz": 1,
                "roles": ["admin"],
                "team": "Blue",
                "statement": 4,
                "agency": "council",
                "joint-visits": "yes",
            })),
        );
        assert_eq!(
            result,
            Err(vec![
                problem("joint-visits", msg::NOT_ASKED),
                problem("statement", msg::EXPECTED_OPTION_VALUE),
                problem("caseload", msg::ENTER_A_NUMBER),
                problem("team", msg::NOT_ASKED),
                problem("zzz", msg::UNKNOWN_QUESTION),
            ])
        );

        let complete = validate_json_response(
            &q,
            &json_map(json!({ "agency": "council", "statement": "agree", "caseload": 0 })),
        );
        assert_eq!(
            complete,
            Ok(answers(&[
                ("agency", choice("council")),
                ("statement", choice("agree")),
                ("caseload", AnswerValue::Number(0.0)),
            ]))
        );
    }

    #[test]
    fn check_complete_on_answers_built_page_by_page() {
        let q = survey();
        let complete = answers(&[
            ("agency", choice("police")),
            ("joint-visits", choice("no")),
            ("why-not", text("Distance")),
            ("statement", choice("neither")),
            ("caseload", AnswerValue::Number(20.0)),
        ]);
        assert_eq!(check_complete(&q, &complete), []);

        let incomplete = answers(&[
            ("agency", choice("police")),
            ("statement", text("agree")),
            ("team", text("Blue")),
            ("old", text("x")),
        ]);
        assert_eq!(
            check_complete(&q, &incomplete),
            [
                problem("joint-visits", msg::SELECT_ONE),
                problem("statement", msg::EXPECTED_OPTION_VALUE),
                problem("caseload", msg::ENTER_A_NUMBER),
                problem("team", msg::NOT_ASKED),
                problem("old", msg::UNKNOWN_QUESTION),
            ]
        );
    }

    #[test]
    fn answers_round_trip_through_json() {
        let original = answers(&[
            ("agency", choice("police")),
            ("roles", choices(&["manager", "admin"])),
            ("comment", text("police")),
            ("empty-multi", choices(&[])),
            ("caseload", AnswerValue::Number(12.0)),
            ("hours", AnswerValue::Number(37.5)),
            ("tenth", AnswerValue::Number(0.1)),
            ("negative", AnswerValue::Number(-3.25)),
        ]);
        let stored = serde_json::to_string(&original).unwrap();
        let restored: Answers = serde_json::from_str(&stored).unwrap();
        assert_eq!(restored, original);
        // A choice and a text with the same content stay distinct.
        assert_eq!(restored["agency"], choice("police"));
        assert_eq!(restored["comment"], text("police"));
        assert_eq!(
            serde_json::to_value(&original).unwrap()["roles"],
            json!({ "choices": ["manager", "admin"] })
        );
        assert_eq!(
            serde_json::to_value(choice("agree")).unwrap(),
            json!({ "choice": "agree" })
        );
        assert_eq!(
            serde_json::to_value(AnswerValue::Number(1.5)).unwrap(),
            json!({ "number": 1.5 })
        );
    }

    #[test]
    fn answers_in_the_api_shape() {
        assert_eq!(choice("agree").to_json(), json!("agree"));
        assert_eq!(choices(&["a", "b"]).to_json(), json!(["a", "b"]));
        assert_eq!(text("hi").to_json(), json!("hi"));
        assert_eq!(AnswerValue::Number(12.0).to_json(), json!(12));
        assert_eq!(AnswerValue::Number(2.5).to_json(), json!(2.5));
        assert_eq!(choices(&["a", "b"]).chosen(), ["a", "b"]);
        assert_eq!(choice("a").chosen(), ["a"]);
        assert!(text("a").chosen().is_empty());
    }
}
