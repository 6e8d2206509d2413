//! What the respondent pages show: template structs and how they are filled.

use askama::Template;

use crate::questionnaire::{AnswerValue, Answers, Problem, Question, QuestionKind, Questionnaire};

use crate::questionnaire::format_number;

#[derive(Template)]
#[template(path = "respond/intro.html")]
pub struct IntroPage<'a> {
    pub title: &'a str,
    pub slug: &'a str,
    pub introduction: Vec<&'a str>,
    pub privacy: Vec<&'a str>,
    pub contact: Option<&'a crate::questionnaire::Contact>,
    pub continue_href: Option<String>,
    pub start_again_href: String,
    /// The last day to answer, written for people ("19 December 2026").
    pub closes_on: Option<String>,
}

#[derive(Template)]
#[template(path = "respond/section.html")]
pub struct SectionPage<'a> {
    pub survey_title: &'a str,
    pub section_title: &'a str,
    pub section_intro: Option<&'a str>,
    /// The introduction's parts whose `show_if` holds for this respondent.
    pub intro_parts: Vec<&'a str>,
    pub position: usize,
    pub total: usize,
    pub action: String,
    pub questions: Vec<QuestionView>,
    pub errors: Vec<ErrorLink>,
    /// Opened from "Check your answers": the pending sections for the hidden `_then` field.
    pub returning: Option<String>,
}

#[derive(Template)]
#[template(path = "respond/check.html")]
pub struct CheckPage<'a> {
    pub survey_title: &'a str,
    pub slug: &'a str,
    pub sections: Vec<CheckSection>,
    pub errors: Vec<ErrorLink>,
    pub back_href: String,
}

#[derive(Template)]
#[template(path = "respond/done.html")]
pub struct DonePage<'a> {
    pub survey_title: &'a str,
}

#[derive(Template)]
#[template(path = "respond/already_responded.html")]
pub struct AlreadyRespondedPage<'a> {
    pub survey_title: &'a str,
}

#[derive(Template)]
#[template(path = "respond/opt_out.html")]
pub struct OptOutPage<'a> {
    pub survey_title: &'a str,
    pub action: String,
}

#[derive(Template)]
#[template(path = "respond/opted_out.html")]
pub struct OptedOutPage<'a> {
    pub survey_title: &'a str,
}

/// A new respondent on the open link, when no new draft may be started now.
#[derive(Template)]
#[template(path = "respond/busy.html")]
pub struct BusyPage<'a> {
    pub survey_title: &'a str,
    pub slug: &'a str,
    pub heading: &'a str,
    pub message: &'a str,
    pub retry_minutes: u64,
    pub nothing_lost: &'a str,
    pub code: crate::error::ErrorCode,
}

#[derive(Template)]
#[template(path = "respond/not_open.html")]
pub struct NotOpenPage<'a> {
    pub survey_title: &'a str,
    pub heading: &'a str,
    pub message: &'a str,
}

pub struct QuestionView {
    pub key: String,
    pub id: String,
    pub kind: &'static str,
    pub text: String,
    pub hint: Option<String>,
    pub optional: bool,
    pub error: Option<String>,
    pub described_by: String,
    pub options: Vec<OptionView>,
    pub value: String,
    pub long: bool,
    /// The most characters a text answer may have, written for people ("2,000").
    pub max_length: Option<String>,
    /// The same as a number, for the character count script (0: not a text question).
    pub max_chars: u32,
    /// A whole-number question: phones offer a numeric keypad.
    pub integer: bool,
}

pub struct OptionView {
    pub id: String,
    pub value: String,
    pub label: String,
    pub checked: bool,
    pub divider_before: bool,
}

pub struct ErrorLink {
    pub href: String,
    pub message: String,
}

pub struct CheckSection {
    pub title: String,
    pub rows: Vec<CheckRow>,
}

pub struct CheckRow {
    pub key: String,
    pub question: String,
    pub answer_lines: Vec<String>,
    pub change_href: String,
}

/// What a question shows as already entered: the stored answer, or the raw text a
/// respondent typed on a page that had errors (so nothing they typed is lost).
pub enum Entered<'a> {
    Stored(&'a Answers),
    Raw(&'a [(String, String)]),
}

impl Entered<'_> {
    fn values(&self, key: &str) -> Vec<String> {
        match self {
            Entered::Raw(fields) => fields
                .iter()
                .filter(|(name, _)| name == key)
                .map(|(_, value)| value.clone())
                .collect(),
            Entered::Stored(answers) => match answers.get(key) {
                None => Vec::new(),
                Some(AnswerValue::Choice(v)) | Some(AnswerValue::Text(v)) => vec![v.clone()],
                Some(AnswerValue::Choices(vs)) => vs.clone(),
                Some(AnswerValue::Number(n)) => vec![format_number(*n)],
            },
        }
    }
}

pub fn field_id(key: &str) -> String {
    format!("q-{key}")
}

pub fn question_view(
    question: &Question,
    entered: &Entered<'_>,
    error: Option<String>,
) -> QuestionView {
    let id = field_id(&question.key);
    let values = entered.values(&question.key);
    let dont_know = match &question.kind {
        QuestionKind::Likert { scale } => scale.dont_know.as_ref().map(|c| c.value.as_str()),
        _ => None,
    };
    let options = question
        .choices()
        .into_iter()
        .enumerate()
        .map(|(i, choice)| OptionView {
            // The first option carries the question's id, so error links land on it.
            id: if i == 0 {
                id.clone()
            } else {
                format!("{id}-{i}")
            },
            value: choice.value.clone(),
            label: choice.label.clone(),
            checked: values.iter().any(|v| v == &choice.value),
            divider_before: dont_know == Some(choice.value.as_str()),
        })
        .collect();
    let mut described_by = Vec::new();
    if question.hint.is_some() {
        described_by.push(format!("{id}-hint"));
    }
    if error.is_some() {
        described_by.push(format!("{id}-error"));
    }
    let max_chars = match question.kind {
        QuestionKind::Text { max_length, .. } => {
            described_by.push(format!("{id}-limit"));
            max_length
        }
        _ => 0,
    };
    QuestionView {
        key: question.key.clone(),
        kind: question.type_name(),
        text: question.text.clone(),
        hint: question.hint.clone(),
        optional: !question.required,
        described_by: described_by.join(" "),
        error,
        options,
        value: values.into_iter().next().unwrap_or_default(),
        long: matches!(question.kind, QuestionKind::Text { long: true, .. }),
        max_length: (max_chars > 0).then(|| thousands(max_chars)),
        max_chars,
        integer: matches!(question.kind, QuestionKind::Number { integer: true, .. }),
        id,
    }
}

/// 2000 → "2,000".
fn thousands(n: u32) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// The error summary: each problem with the question it belongs to, since "Select one
/// option" alone would not say which question a screen-reader user should go back to.
pub fn error_links(questionnaire: &Questionnaire, problems: &[Problem]) -> Vec<ErrorLink> {
    problems
        .iter()
        .map(|p| ErrorLink {
            href: format!("#{}", field_id(&p.question)),
            message: match questionnaire.question(&p.question) {
                Some(question) => crate::messages::summary_item(&question.text, &p.message),
                None => p.message.clone(),
            },
        })
        .collect()
}

/// The check-your-answers summary of every visible section.
pub fn check_sections(
    questionnaire: &Questionnaire,
    slug: &str,
    visible_sections: &[usize],
    answers: &Answers,
) -> Vec<CheckSection> {
    visible_sections
        .iter()
        .filter_map(|&index| questionnaire.sections.get(index).map(|s| (index, s)))
        .map(|(index, section)| CheckSection {
            title: section.title.clone(),
            rows: section
                .questions
                .iter()
                .filter(|q| crate::questionnaire::visible(questionnaire, q, answers))
                .map(|q| CheckRow {
                    key: q.key.clone(),
                    question: q.text.clone(),
                    answer_lines: answer_lines(q, answers.get(&q.key)),
                    change_href: format!(
                        "/s/{slug}/page/{}?return=check#{}",
                        index + 1,
                        field_id(&q.key)
                    ),
                })
                .collect(),
        })
        .collect()
}

fn answer_lines(question: &Question, answer: Option<&AnswerValue>) -> Vec<String> {
    let label = |value: &String| {
        question
            .choices()
            .into_iter()
            .find(|c| &c.value == value)
            .map(|c| c.label.clone())
            .unwrap_or_else(|| value.clone())
    };
    match answer {
        None => Vec::new(),
        Some(AnswerValue::Choice(v)) => vec![label(v)],
        Some(AnswerValue::Choices(vs)) => vs.iter().map(label).collect(),
        Some(AnswerValue::Text(t)) => vec![t.clone()],
        Some(AnswerValue::Number(n)) => vec![format_number(*n)],
    }
}

/// Splits a questionnaire text into paragraphs at blank lines.
pub fn paragraphs(text: &str) -> Vec<&str> {
    text.split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect()
}
