//! Reading a questionnaire file: TOML text to a [`Questionnaire`], reporting every problem
//! with its location rather than stopping at the first.
//!
//! The text is parsed into a `toml::Table` and walked by hand, so that unknown fields,
//! wrong types and broken references are all found in one pass.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::ops::RangeInclusive;

use chrono::NaiveDate;
use serde::Serialize;
use toml::{Table, Value};

use super::definition::{
    Choice, IntroPart, Question, QuestionKind, Questionnaire, ReminderAudience, ReminderPolicy,
    Scale, Section, ShowIf,
};
use super::scales::{self, BUILTIN_SCALES};
use crate::messages::validation::import as msg;

/// One problem in a questionnaire file: where (`sections[2].questions[4] (key "agency").options`
/// or `line 3, column 7`) and what.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportProblem {
    pub location: String,
    pub message: String,
}

impl fmt::Display for ImportProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location, self.message)
    }
}

/// Every problem found in a questionnaire file; displayed one `location: message` a line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{}", lines(.0))]
pub struct ImportProblems(pub Vec<ImportProblem>);

fn lines(problems: &[ImportProblem]) -> String {
    problems
        .iter()
        .map(ImportProblem::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}

const DEFAULT_SCALE: &str = "agreement";
const SCALE_POINTS: RangeInclusive<usize> = 2..=11;
const MAX_OPTION_VALUE_CHARS: usize = 100;
const MAX_TEXT_LENGTH: RangeInclusive<i64> = 1..=20_000;
const SHORT_TEXT_DEFAULT_LENGTH: u32 = 500;
const LONG_TEXT_DEFAULT_LENGTH: u32 = 5000;

/// Fields that belong to some question types only.
const TYPE_SPECIFIC_FIELDS: &[&str] = &[
    "options",
    "max_choices",
    "scale",
    "reverse",
    "long",
    "max_length",
    "min",
    "max",
    "integer",
];

/// Reads a questionnaire file, checking all of it.
pub fn parse_questionnaire(text: &str) -> Result<Questionnaire, ImportProblems> {
    let table = text
        .parse::<Table>()
        .map_err(|error| ImportProblems(vec![syntax_problem(text, &error)]))?;
    let mut problems = Problems::default();
    let questionnaire = read_questionnaire(&table, &mut problems);
    match questionnaire {
        Some(questionnaire) if problems.0.is_empty() => Ok(questionnaire),
        _ => Err(ImportProblems(problems.0)),
    }
}

fn syntax_problem(text: &str, error: &toml::de::Error) -> ImportProblem {
    let location = match error.span() {
        Some(span) => line_and_column(text, span.start),
        None => "file".to_string(),
    };
    ImportProblem {
        location,
        message: msg::toml_syntax(error.message()),
    }
}

fn line_and_column(text: &str, offset: usize) -> String {
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |newline| newline + 1);
    let column = before[line_start..].chars().count() + 1;
    format!("line {line}, column {column}")
}

#[derive(Default)]
pub(super) struct Problems(Vec<ImportProblem>);

impl Problems {
    pub(super) fn add(&mut self, location: impl Into<String>, message: impl Into<String>) {
        self.0.push(ImportProblem {
            location: location.into(),
            message: message.into(),
        });
    }
}

/// `sections[2]` becomes `sections[2] (key "about-you")` when the element has a key.
fn labelled(base: String, table: &Table) -> String {
    match table.get("key").and_then(Value::as_str) {
        Some(key) => format!("{base} (key {key:?})"),
        None => base,
    }
}

/// The fields of one TOML table, tracking which have been read so that the rest can be
/// reported as unknown.
pub(super) struct Fields<'a> {
    table: &'a Table,
    location: String,
    read: Vec<&'a str>,
}

impl<'a> Fields<'a> {
    pub(super) fn new(table: &'a Table, location: impl Into<String>) -> Self {
        Fields {
            table,
            location: location.into(),
            read: Vec::new(),
        }
    }

    pub(super) fn at(&self, name: &str) -> String {
        if self.location.is_empty() {
            name.to_string()
        } else {
            format!("{}.{name}", self.location)
        }
    }

    fn take(&mut self, name: &str) -> Option<&'a Value> {
        let (key, value) = self.table.get_key_value(name)?;
        self.read.push(key.as_str());
        Some(value)
    }

    fn unread(&self) -> impl Iterator<Item = &'a str> + '_ {
        self.table
            .keys()
            .map(String::as_str)
            .filter(|name| !self.read.contains(name))
    }

    pub(super) fn report_unread(&self, problems: &mut Problems) {
        for name in self.unread() {
            problems.add(self.at(name), msg::UNKNOWN_FIELD);
        }
    }

    fn string(&mut self, name: &str, problems: &mut Problems) -> Option<String> {
        match self.take(name)? {
            Value::String(text) => Some(text.clone()),
            _ => {
                problems.add(self.at(name), msg::NOT_STRING);
                None
            }
        }
    }

    /// A string that must be present and not blank.
    pub(super) fn required_string(
        &mut self,
        name: &str,
        problems: &mut Problems,
    ) -> Option<String> {
        if !self.table.contains_key(name) {
            problems.add(self.at(name), msg::REQUIRED);
            return None;
        }
        let text = self.string(name, problems)?;
        if text.trim().is_empty() {
            problems.add(self.at(name), msg::EMPTY);
            return None;
        }
        Some(text)
    }

    /// An optional string; blank counts as absent.
    fn optional_text(&mut self, name: &str, problems: &mut Problems) -> Option<String> {
        self.string(name, problems)
            .filter(|text| !text.trim().is_empty())
    }

    fn bool(&mut self, name: &str, default: bool, problems: &mut Problems) -> bool {
        match self.take(name) {
            None => default,
            Some(Value::Boolean(value)) => *value,
            Some(_) => {
                problems.add(self.at(name), msg::NOT_BOOL);
                default
            }
        }
    }

    fn optional_integer(
        &mut self,
        name: &str,
        range: RangeInclusive<i64>,
        problems: &mut Problems,
    ) -> Option<u32> {
        let Value::Integer(value) = self.take(name)? else {
            problems.add(self.at(name), msg::NOT_INTEGER);
            return None;
        };
        match u32::try_from(*value) {
            Ok(value) if range.contains(&i64::from(value)) => Some(value),
            _ => {
                problems.add(self.at(name), msg::out_of_range(range.start(), range.end()));
                None
            }
        }
    }

    fn integer(
        &mut self,
        name: &str,
        default: u32,
        range: RangeInclusive<i64>,
        problems: &mut Problems,
    ) -> u32 {
        self.optional_integer(name, range, problems)
            .unwrap_or(default)
    }

    fn number(&mut self, name: &str, problems: &mut Problems) -> Option<f64> {
        let number = match self.take(name)? {
            Value::Integer(value) => *value as f64,
            Value::Float(value) => *value,
            _ => {
                problems.add(self.at(name), msg::NOT_NUMBER);
                return None;
            }
        };
        if !number.is_finite() {
            problems.add(self.at(name), msg::NOT_FINITE);
            return None;
        }
        Some(number)
    }

    fn date(&mut self, name: &str, problems: &mut Problems) -> Option<NaiveDate> {
        let Value::Datetime(datetime) = self.take(name)? else {
            problems.add(self.at(name), msg::NOT_DATE);
            return None;
        };
        let date = match (datetime.date, datetime.time, datetime.offset) {
            (Some(date), None, None) => date,
            (Some(_), _, _) => {
                problems.add(self.at(name), msg::DATE_WITH_TIME);
                return None;
            }
            (None, _, _) => {
                problems.add(self.at(name), msg::NOT_DATE);
                return None;
            }
        };
        let converted = NaiveDate::from_ymd_opt(
            i32::from(date.year),
            u32::from(date.month),
            u32::from(date.day),
        );
        if converted.is_none() {
            problems.add(self.at(name), msg::NOT_DATE);
        }
        converted
    }

    fn table(&mut self, name: &str, problems: &mut Problems) -> Option<&'a Table> {
        match self.take(name)? {
            Value::Table(table) => Some(table),
            _ => {
                problems.add(self.at(name), msg::NOT_TABLE);
                None
            }
        }
    }

    fn array(&mut self, name: &str, problems: &mut Problems) -> Option<&'a Vec<Value>> {
        match self.take(name)? {
            Value::Array(items) => Some(items),
            _ => {
                problems.add(self.at(name), msg::NOT_ARRAY);
                None
            }
        }
    }

    fn required_array(&mut self, name: &str, problems: &mut Problems) -> Option<&'a Vec<Value>> {
        if !self.table.contains_key(name) {
            problems.add(self.at(name), msg::REQUIRED);
            return None;
        }
        self.array(name, problems)
    }
}

fn is_slug(text: &str) -> bool {
    let bytes = text.as_bytes();
    (3..=64).contains(&bytes.len())
        && bytes.iter().all(|&b| is_key_byte(b))
        && bytes.first() != Some(&b'-')
        && bytes.last() != Some(&b'-')
}

fn is_key(text: &str) -> bool {
    let bytes = text.as_bytes();
    (1..=63).contains(&bytes.len())
        && bytes.iter().all(|&b| is_key_byte(b))
        && bytes.first() != Some(&b'-')
}

fn is_key_byte(byte: u8) -> bool {
    byte.is_ascii_lowercase() || byte.is_ascii_digit() || byte == b'-'
}

fn read_questionnaire(table: &Table, problems: &mut Problems) -> Option<Questionnaire> {
    let mut fields = Fields::new(table, "");
    let slug = fields.required_string("slug", problems);
    if let Some(slug) = &slug {
        if !is_slug(slug) {
            problems.add("slug", msg::INVALID_SLUG);
        }
    }
    let title = fields.required_string("title", problems);
    let introduction = fields.string("introduction", problems).unwrap_or_default();
    let privacy_notice = fields
        .string("privacy_notice", problems)
        .unwrap_or_default();
    let opens_on = fields.date("opens_on", problems);
    let closes_on = fields.date("closes_on", problems);
    if let (Some(opens), Some(closes)) = (opens_on, closes_on) {
        if closes < opens {
            problems.add("closes_on", msg::closes_before_opens(opens));
        }
    }
    let min_group_size = fields.integer("min_group_size", 5, 2..=1000, problems);
    let comments_threshold = fields.integer("comments_threshold", 10, 1..=100_000, problems);
    let open_link = fields.bool("open_link", true, problems);
    let reminders = fields
        .table("reminders", problems)
        .map(|table| read_reminders(table, problems))
        .unwrap_or_default();
    let scales = fields
        .table("scales", problems)
        .map(|table| read_scales(table, problems))
        .unwrap_or_default();
    let contact = fields
        .table("contact", problems)
        .and_then(|table| super::contact::read_contact(table, problems));
    let sections = fields.required_array("sections", problems);
    fields.report_unread(problems);
    let sections = read_sections(sections?, &scales, problems)?;
    Some(Questionnaire {
        slug: slug?,
        title: title?,
        introduction,
        privacy_notice,
        contact,
        opens_on,
        closes_on,
        min_group_size,
        comments_threshold,
        open_link,
        reminders,
        sections,
    })
}

fn read_reminders(table: &Table, problems: &mut Problems) -> ReminderPolicy {
    let defaults = ReminderPolicy::default();
    let mut fields = Fields::new(table, "reminders");
    let policy = ReminderPolicy {
        first_after_days: fields.integer(
            "first_after_days",
            defaults.first_after_days,
            1..=365,
            problems,
        ),
        every_days: fields.integer("every_days", defaults.every_days, 1..=365, problems),
        max: fields.integer("max", defaults.max, 0..=365, problems),
        audience: match fields.string("audience", problems) {
            None => defaults.audience,
            Some(raw) => ReminderAudience::parse(&raw).unwrap_or_else(|| {
                problems.add("reminders.audience", msg::NOT_AUDIENCE);
                defaults.audience
            }),
        },
    };
    fields.report_unread(problems);
    policy
}

/// Scales defined in the file, by name; `None` when the definition has problems (already
/// reported), so that questions using it are not reported again.
type FileScales = BTreeMap<String, Option<Scale>>;

fn read_scales(table: &Table, problems: &mut Problems) -> FileScales {
    table
        .iter()
        .map(|(name, value)| {
            let location = format!("scales.{name}");
            let scale = read_scale(name, value, &location, problems);
            (name.clone(), scale)
        })
        .collect()
}

fn read_scale(name: &str, value: &Value, location: &str, problems: &mut Problems) -> Option<Scale> {
    let name_ok = check_scale_name(name, location, problems);
    let Value::Table(table) = value else {
        problems.add(location, msg::NOT_TABLE);
        return None;
    };
    let mut fields = Fields::new(table, location);
    let points = fields
        .required_array("points", problems)
        .and_then(|items| read_scale_points(items, &fields.at("points"), problems));
    let dont_know = fields
        .take("dont_know")
        .map(|value| read_choice(value, &fields.at("dont_know"), problems));
    fields.report_unread(problems);
    let points = points?;
    let dont_know = match dont_know {
        None => None,
        Some(Some(choice)) => Some(choice),
        Some(None) => return None,
    };
    let values = points
        .iter()
        .chain(dont_know.as_ref())
        .map(|c| c.value.as_str());
    let unique = check_unique("values", values, location, problems);
    (unique && name_ok).then(|| Scale {
        name: name.to_string(),
        points,
        dont_know,
    })
}

fn check_scale_name(name: &str, location: &str, problems: &mut Problems) -> bool {
    if BUILTIN_SCALES.contains(&name) {
        problems.add(location, msg::scale_name_is_builtin(name));
        false
    } else if !is_key(name) {
        problems.add(location, msg::INVALID_KEY);
        false
    } else {
        true
    }
}

fn read_scale_points(
    items: &[Value],
    location: &str,
    problems: &mut Problems,
) -> Option<Vec<Choice>> {
    if !SCALE_POINTS.contains(&items.len()) {
        problems.add(
            location,
            msg::scale_points_count(*SCALE_POINTS.start(), *SCALE_POINTS.end()),
        );
        return None;
    }
    read_choices(items, location, problems)
}

/// Reads each element as a choice; `None` if any has a problem.
fn read_choices(items: &[Value], location: &str, problems: &mut Problems) -> Option<Vec<Choice>> {
    let choices: Vec<Option<Choice>> = items
        .iter()
        .enumerate()
        .map(|(index, item)| read_choice(item, &format!("{location}[{}]", index + 1), problems))
        .collect();
    choices.into_iter().collect()
}

/// `"Police"` (the value is the label) or `{ value = "police", label = "Police" }`.
fn read_choice(value: &Value, location: &str, problems: &mut Problems) -> Option<Choice> {
    match value {
        Value::String(text) => check_option_value(text, location, problems).then(|| Choice {
            value: text.clone(),
            label: text.clone(),
        }),
        Value::Table(table) => read_choice_table(table, location, problems),
        _ => {
            problems.add(location, msg::NOT_CHOICE);
            None
        }
    }
}

fn read_choice_table(table: &Table, location: &str, problems: &mut Problems) -> Option<Choice> {
    let mut fields = Fields::new(table, location);
    let value = if fields.table.contains_key("value") {
        fields
            .string("value", problems)
            .filter(|value| check_option_value(value, &fields.at("value"), problems))
    } else {
        problems.add(fields.at("value"), msg::REQUIRED);
        None
    };
    let label = fields.required_string("label", problems);
    fields.report_unread(problems);
    Some(Choice {
        value: value?,
        label: label?,
    })
}

fn check_option_value(value: &str, location: &str, problems: &mut Problems) -> bool {
    let problem = if value.is_empty() {
        Some(msg::EMPTY.to_string())
    } else if value.chars().count() > MAX_OPTION_VALUE_CHARS {
        Some(msg::option_value_too_long(MAX_OPTION_VALUE_CHARS))
    } else if value.trim() != value {
        Some(msg::OPTION_VALUE_SPACES.to_string())
    } else {
        None
    };
    match problem {
        Some(message) => {
            problems.add(location, message);
            false
        }
        None => true,
    }
}

/// Reports each value that appears more than once; true when all are unique.
fn check_unique<'v>(
    what: &str,
    values: impl Iterator<Item = &'v str>,
    location: &str,
    problems: &mut Problems,
) -> bool {
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for value in values {
        match counts.iter_mut().find(|(seen, _)| *seen == value) {
            Some((_, count)) => *count += 1,
            None => counts.push((value, 1)),
        }
    }
    let mut unique = true;
    for (value, count) in counts.into_iter().filter(|(_, count)| *count > 1) {
        problems.add(location, msg::duplicate_values(what, value, count));
        unique = false;
    }
    unique
}

/// What later checks need to know about a question, even one with problems of its own.
struct QuestionInfo {
    section: usize,
    location: String,
    type_name: Option<&'static str>,
    /// Option values, when the question was read without problems (empty for text and number).
    values: Option<Vec<String>>,
}

/// A `show_if` to check once every question is known.
struct Condition {
    location: String,
    section: usize,
    show_if: ShowIf,
}

struct Context<'a> {
    scales: &'a FileScales,
    section_keys: HashMap<String, String>,
    questions: HashMap<String, QuestionInfo>,
    conditions: Vec<Condition>,
}

fn read_sections(
    items: &[Value],
    scales: &FileScales,
    problems: &mut Problems,
) -> Option<Vec<Section>> {
    if items.is_empty() {
        problems.add("sections", msg::NO_SECTIONS);
        return None;
    }
    let mut context = Context {
        scales,
        section_keys: HashMap::new(),
        questions: HashMap::new(),
        conditions: Vec::new(),
    };
    let sections: Vec<Option<Section>> = items
        .iter()
        .enumerate()
        .map(|(index, item)| read_section(index, item, &mut context, problems))
        .collect();
    check_conditions(&context, problems);
    sections.into_iter().collect()
}

fn read_section(
    index: usize,
    value: &Value,
    context: &mut Context<'_>,
    problems: &mut Problems,
) -> Option<Section> {
    let base = format!("sections[{}]", index + 1);
    let Value::Table(table) = value else {
        problems.add(base, msg::NOT_TABLE);
        return None;
    };
    let location = labelled(base.clone(), table);
    let mut fields = Fields::new(table, location.clone());
    let key = fields.required_string("key", problems);
    let key = key.filter(|key| check_key(key, &fields.at("key"), problems));
    if let Some(key) = &key {
        if let Some(first) = context.section_keys.get(key) {
            problems.add(fields.at("key"), msg::duplicate_key(key, first));
        } else {
            context.section_keys.insert(key.clone(), location.clone());
        }
    }
    let title = fields.required_string("title", problems);
    let introduction = fields.optional_text("introduction", problems);
    let intro_parts = fields
        .array("intro_parts", problems)
        .map(|items| read_intro_parts(index, &fields.at("intro_parts"), items, context, problems))
        .unwrap_or_default();
    let questions = fields.required_array("questions", problems);
    fields.report_unread(problems);
    let questions = read_questions(
        index,
        &base,
        questions?,
        &fields.at("questions"),
        context,
        problems,
    )?;
    Some(Section {
        key: key?,
        title: title?,
        introduction,
        intro_parts,
        questions,
    })
}

/// `[[sections.intro_parts]]`: `text`, and an optional `show_if` checked like a question's.
fn read_intro_parts(
    section: usize,
    location: &str,
    items: &[Value],
    context: &mut Context<'_>,
    problems: &mut Problems,
) -> Vec<IntroPart> {
    let mut parts = Vec::new();
    for (index, item) in items.iter().enumerate() {
        let base = format!("{location}[{}]", index + 1);
        let Value::Table(table) = item else {
            problems.add(base, msg::NOT_TABLE);
            continue;
        };
        let mut fields = Fields::new(table, base.clone());
        let text = fields.required_string("text", problems);
        let show_if = fields
            .table("show_if", problems)
            .and_then(|table| read_show_if(table, &fields.at("show_if"), problems));
        fields.report_unread(problems);
        if let Some(show_if) = &show_if {
            context.conditions.push(Condition {
                location: base,
                section,
                show_if: show_if.clone(),
            });
        }
        if let Some(text) = text {
            parts.push(IntroPart { text, show_if });
        }
    }
    parts
}

fn read_questions(
    section: usize,
    section_base: &str,
    items: &[Value],
    location: &str,
    context: &mut Context<'_>,
    problems: &mut Problems,
) -> Option<Vec<Question>> {
    if items.is_empty() {
        problems.add(location, msg::NO_QUESTIONS);
        return None;
    }
    let questions: Vec<Option<Question>> = items
        .iter()
        .enumerate()
        .map(|(index, item)| {
            let base = format!("{section_base}.questions[{}]", index + 1);
            read_question(section, base, item, context, problems)
        })
        .collect();
    questions.into_iter().collect()
}

fn check_key(key: &str, location: &str, problems: &mut Problems) -> bool {
    let valid = is_key(key);
    if !valid {
        problems.add(location, msg::INVALID_KEY);
    }
    valid
}

#[derive(Clone, Copy, PartialEq)]
enum QuestionType {
    Single,
    Multi,
    Likert,
    Text,
    Number,
}

impl QuestionType {
    fn from_name(name: &str) -> Option<Self> {
        match name {
            "single" => Some(QuestionType::Single),
            "multi" => Some(QuestionType::Multi),
            "likert" => Some(QuestionType::Likert),
            "text" => Some(QuestionType::Text),
            "number" => Some(QuestionType::Number),
            _ => None,
        }
    }

    fn name(self) -> &'static str {
        match self {
            QuestionType::Single => "single",
            QuestionType::Multi => "multi",
            QuestionType::Likert => "likert",
            QuestionType::Text => "text",
            QuestionType::Number => "number",
        }
    }
}

fn read_question(
    section: usize,
    base: String,
    value: &Value,
    context: &mut Context<'_>,
    problems: &mut Problems,
) -> Option<Question> {
    let Value::Table(table) = value else {
        problems.add(base, msg::NOT_TABLE);
        return None;
    };
    let location = labelled(base, table);
    let mut fields = Fields::new(table, location.clone());
    let key = fields
        .required_string("key", problems)
        .filter(|key| check_key(key, &fields.at("key"), problems));
    let question_type = read_question_type(&mut fields, problems);
    let text = fields.required_string("text", problems);
    let hint = fields.optional_text("hint", problems);
    let required = fields.bool("required", false, problems);
    let breakdown = fields.bool("breakdown", false, problems);
    if breakdown && question_type.is_some_and(|t| t != QuestionType::Single) {
        problems.add(fields.at("breakdown"), msg::BREAKDOWN_NOT_SINGLE);
    }
    let show_if = fields
        .table("show_if", problems)
        .and_then(|table| read_show_if(table, &fields.at("show_if"), problems));
    let reverse =
        question_type == Some(QuestionType::Likert) && fields.bool("reverse", false, problems);
    let kind = question_type.and_then(|t| read_kind(t, &mut fields, context.scales, problems));
    report_unread_question_fields(&fields, question_type, problems);

    if let Some(key) = &key {
        register_question(
            key,
            section,
            &location,
            question_type,
            kind.as_ref(),
            context,
            problems,
        );
        if let Some(show_if) = &show_if {
            context.conditions.push(Condition {
                location: location.clone(),
                section,
                show_if: show_if.clone(),
            });
        }
    }
    Some(Question {
        key: key?,
        text: text?,
        hint,
        required,
        breakdown,
        show_if,
        kind: kind?,
        reverse,
    })
}

fn read_question_type(fields: &mut Fields<'_>, problems: &mut Problems) -> Option<QuestionType> {
    let name = fields.required_string("type", problems)?;
    let question_type = QuestionType::from_name(&name);
    if question_type.is_none() {
        problems.add(fields.at("type"), msg::unknown_type(&name));
    }
    question_type
}

fn report_unread_question_fields(
    fields: &Fields<'_>,
    question_type: Option<QuestionType>,
    problems: &mut Problems,
) {
    for name in fields.unread() {
        if !TYPE_SPECIFIC_FIELDS.contains(&name) {
            problems.add(fields.at(name), msg::UNKNOWN_FIELD);
        } else if let Some(question_type) = question_type {
            problems.add(
                fields.at(name),
                msg::field_not_for_type(question_type.name()),
            );
        }
    }
}

fn register_question(
    key: &str,
    section: usize,
    location: &str,
    question_type: Option<QuestionType>,
    kind: Option<&QuestionKind>,
    context: &mut Context<'_>,
    problems: &mut Problems,
) {
    if let Some(first) = context.questions.get(key) {
        problems.add(
            format!("{location}.key"),
            msg::duplicate_key(key, &first.location),
        );
        return;
    }
    let values = kind.map(question_values);
    context.questions.insert(
        key.to_string(),
        QuestionInfo {
            section,
            location: location.to_string(),
            type_name: question_type.map(QuestionType::name),
            values,
        },
    );
}

fn question_values(kind: &QuestionKind) -> Vec<String> {
    match kind {
        QuestionKind::Single { options } | QuestionKind::Multi { options, .. } => {
            options.iter().map(|choice| choice.value.clone()).collect()
        }
        QuestionKind::Likert { scale } => {
            scale.choices().map(|choice| choice.value.clone()).collect()
        }
        QuestionKind::Text { .. } | QuestionKind::Number { .. } => Vec::new(),
    }
}

fn read_kind(
    question_type: QuestionType,
    fields: &mut Fields<'_>,
    file_scales: &FileScales,
    problems: &mut Problems,
) -> Option<QuestionKind> {
    match question_type {
        QuestionType::Single => Some(QuestionKind::Single {
            options: read_options(fields, problems)?,
        }),
        QuestionType::Multi => read_multi(fields, problems),
        QuestionType::Likert => Some(QuestionKind::Likert {
            scale: read_scale_reference(fields, file_scales, problems)?,
        }),
        QuestionType::Text => Some(read_text(fields, problems)),
        QuestionType::Number => read_number(fields, problems),
    }
}

fn read_options(fields: &mut Fields<'_>, problems: &mut Problems) -> Option<Vec<Choice>> {
    let items = fields.required_array("options", problems)?;
    let location = fields.at("options");
    let options = read_choices(items, &location, problems)?;
    if options.len() < 2 {
        problems.add(&location, msg::TOO_FEW_OPTIONS);
        return None;
    }
    let values = options.iter().map(|choice| choice.value.as_str());
    check_unique("option values", values, &location, problems).then_some(options)
}

fn read_multi(fields: &mut Fields<'_>, problems: &mut Problems) -> Option<QuestionKind> {
    let options = read_options(fields, problems);
    let most = options
        .as_ref()
        .map_or(i64::from(u32::MAX), |options| options.len() as i64);
    let max_choices = fields.optional_integer("max_choices", 1..=most, problems);
    Some(QuestionKind::Multi {
        options: options?,
        max_choices,
    })
}

fn read_scale_reference(
    fields: &mut Fields<'_>,
    file_scales: &FileScales,
    problems: &mut Problems,
) -> Option<Scale> {
    let name = match fields.take("scale") {
        None => DEFAULT_SCALE.to_string(),
        Some(Value::String(name)) => name.clone(),
        Some(_) => {
            problems.add(fields.at("scale"), msg::NOT_STRING);
            return None;
        }
    };
    if let Some(defined) = file_scales.get(&name) {
        return defined.clone();
    }
    let scale = scales::builtin(&name);
    if scale.is_none() {
        problems.add(
            fields.at("scale"),
            msg::unknown_scale(&name, BUILTIN_SCALES),
        );
    }
    scale
}

fn read_text(fields: &mut Fields<'_>, problems: &mut Problems) -> QuestionKind {
    let long = fields.bool("long", false, problems);
    let default_length = if long {
        LONG_TEXT_DEFAULT_LENGTH
    } else {
        SHORT_TEXT_DEFAULT_LENGTH
    };
    let max_length = fields.integer("max_length", default_length, MAX_TEXT_LENGTH, problems);
    QuestionKind::Text { long, max_length }
}

fn read_number(fields: &mut Fields<'_>, problems: &mut Problems) -> Option<QuestionKind> {
    let min = fields.number("min", problems);
    let max = fields.number("max", problems);
    let integer = fields.bool("integer", true, problems);
    if let (Some(min), Some(max)) = (min, max) {
        if min > max {
            problems.add(fields.at("min"), msg::MIN_ABOVE_MAX);
            return None;
        }
    }
    Some(QuestionKind::Number { min, max, integer })
}

fn read_show_if(table: &Table, location: &str, problems: &mut Problems) -> Option<ShowIf> {
    let mut fields = Fields::new(table, location);
    let question = fields.required_string("question", problems);
    let any_of = fields
        .required_array("any_of", problems)
        .and_then(|items| read_any_of(items, &fields.at("any_of"), problems));
    fields.report_unread(problems);
    Some(ShowIf {
        question: question?,
        any_of: any_of?,
    })
}

fn read_any_of(items: &[Value], location: &str, problems: &mut Problems) -> Option<Vec<String>> {
    if items.is_empty() {
        problems.add(location, msg::SHOW_IF_NO_VALUES);
        return None;
    }
    let values: Vec<Option<String>> = items
        .iter()
        .enumerate()
        .map(|(index, item)| match item {
            Value::String(value) => Some(value.clone()),
            _ => {
                problems.add(format!("{location}[{}]", index + 1), msg::NOT_STRING);
                None
            }
        })
        .collect();
    values.into_iter().collect()
}

fn check_conditions(context: &Context<'_>, problems: &mut Problems) {
    for condition in &context.conditions {
        check_condition(condition, &context.questions, problems);
    }
}

fn check_condition(
    condition: &Condition,
    questions: &HashMap<String, QuestionInfo>,
    problems: &mut Problems,
) {
    let ShowIf {
        question: key,
        any_of,
    } = &condition.show_if;
    let at = |field: &str| format!("{}.show_if.{field}", condition.location);
    let Some(target) = questions.get(key) else {
        problems.add(at("question"), msg::show_if_unknown_question(key));
        return;
    };
    if target.section >= condition.section {
        let same_section = target.section == condition.section;
        problems.add(at("question"), msg::show_if_not_earlier(key, same_section));
        return;
    }
    if let Some(type_name) = target.type_name {
        if !matches!(type_name, "single" | "multi" | "likert") {
            problems.add(at("question"), msg::show_if_wrong_type(key, type_name));
            return;
        }
    }
    let Some(values) = &target.values else {
        return;
    };
    for (index, value) in any_of.iter().enumerate() {
        if !values.contains(value) {
            problems.add(
                at(&format!("any_of[{}]", index + 1)),
                msg::show_if_not_an_option(value, key),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every problem as `location: message`.
    fn problems(text: &str) -> Vec<String> {
        match parse_questionnaire(text) {
            Ok(_) => Vec::new(),
            Err(ImportProblems(problems)) => problems.iter().map(ToString::to_string).collect(),
        }
    }

    fn assert_problem(problems: &[String], expected: &str) {
        assert!(
            problems.iter().any(|problem| problem == expected),
            "expected problem\n  {expected}\nin\n  {}",
            problems.join("\n  ")
        );
    }

    fn parse(text: &str) -> Questionnaire {
        match parse_questionnaire(text) {
            Ok(questionnaire) => questionnaire,
            Err(problems) => panic!("unexpected problems:\n{problems}"),
        }
    }

    /// A valid file's header and first section, to which tests append sections.
    const HEADER: &str = r#"
slug = "test-survey"
title = "Test survey"

[[sections]]
key = "about-you"
title = "About you"

[[sections.questions]]
key = "agency"
type = "single"
text = "Which organisation do you work for?"
options = [{ value = "council", label = "Council children's services" }, { value = "police", label = "Police" }]
required = true
breakdown = true
"#;

    fn with(extra: &str) -> String {
        format!("{HEADER}\n{extra}")
    }

    const FULL: &str = r#"
slug = "safeguarding-2026"
title = "Safeguarding staff survey"
introduction = "Thank you for taking part."
privacy_notice = "Your answers are anonymous."
opens_on = 2026-12-01
closes_on = 2026-12-14
min_group_size = 6
comments_threshold = 12
open_link = false

[reminders]
first_after_days = 3
every_days = 4
max = 1

[scales.likelihood]
points = ["Very unlikely", "Unlikely", { value = "likely", label = "Likely" }, "Very likely"]
dont_know = { value = "not-sure", label = "Not sure" }

[scales.yes-no]
points = ["No", "Yes"]
dont_know = "Can't say"

[[sections]]
key = "about-you"
title = "About you"
introduction = "Some questions about your role."

[[sections.questions]]
key = "agency"
type = "single"
text = "Which organisation do you work for?"
hint = "Choose the one that employs you."
options = [{ value = "council", label = "Council children's services" }, { value = "police", label = "Police" }, "Health"]
required = true
breakdown = true

[[sections.questions]]
key = "roles"
type = "multi"
text = "Which of these describe your role?"
options = ["Manager", "Practitioner", "Admin"]
max_choices = 2

[[sections]]
key = "practice"
title = "Practice"

[[sections.questions]]
key = "thresholds-understood"
type = "likert"
text = "I understand the local threshold document."

[[sections.questions]]
key = "joint-visits"
type = "likert"
scale = "likelihood"
text = "How likely are joint visits?"
show_if = { question = "agency", any_of = ["police", "Health"] }

[[sections.questions]]
key = "supervision"
type = "likert"
scale = "frequency"
text = "How often do you get supervision?"

[[sections.questions]]
key = "caseload"
type = "number"
text = "How many children are on your caseload?"
min = 0
max = 60

[[sections.questions]]
key = "hours"
type = "number"
text = "Hours worked last week"
min = 0.5
integer = false

[[sections.questions]]
key = "team"
type = "text"
text = "Your team name"

[[sections.questions]]
key = "comment"
type = "text"
long = true
max_length = 2000
text = "Anything else?"
show_if = { question = "roles", any_of = ["Manager"] }
"#;

    #[test]
    fn reads_a_full_questionnaire() {
        let q = parse(FULL);
        assert_eq!(q.slug, "safeguarding-2026");
        assert_eq!(q.title, "Safeguarding staff survey");
        assert_eq!(q.introduction, "Thank you for taking part.");
        assert_eq!(q.privacy_notice, "Your answers are anonymous.");
        assert_eq!(q.opens_on, NaiveDate::from_ymd_opt(2026, 12, 1));
        assert_eq!(q.closes_on, NaiveDate::from_ymd_opt(2026, 12, 14));
        assert_eq!(q.min_group_size, 6);
        assert_eq!(q.comments_threshold, 12);
        assert!(!q.open_link);
        assert_eq!(
            q.reminders,
            ReminderPolicy {
                first_after_days: 3,
                every_days: 4,
                max: 1,
                audience: ReminderAudience::NonRespondents,
            }
        );
        assert_eq!(q.sections.len(), 2);
        assert_eq!(
            q.sections[0].introduction.as_deref(),
            Some("Some questions about your role.")
        );
        assert_eq!(q.sections[1].introduction, None);

        let agency = q.question("agency").unwrap();
        assert!(agency.required && agency.breakdown);
        assert_eq!(
            agency.hint.as_deref(),
            Some("Choose the one that employs you.")
        );
        assert_eq!(
            agency.kind,
            QuestionKind::Single {
                options: vec![
                    Choice {
                        value: "council".into(),
                        label: "Council children's services".into()
                    },
                    Choice {
                        value: "police".into(),
                        label: "Police".into()
                    },
                    Choice {
                        value: "Health".into(),
                        label: "Health".into()
                    },
                ]
            }
        );
        assert!(matches!(
            q.question("roles").unwrap().kind,
            QuestionKind::Multi { max_choices: Some(2), ref options } if options.len() == 3
        ));
        assert_eq!(
            q.question("thresholds-understood").unwrap().kind,
            QuestionKind::Likert {
                scale: scales::agreement()
            }
        );
        assert_eq!(
            q.question("supervision").unwrap().kind,
            QuestionKind::Likert {
                scale: scales::frequency()
            }
        );
        let QuestionKind::Likert { scale } = &q.question("joint-visits").unwrap().kind else {
            panic!("joint-visits should be likert");
        };
        assert_eq!(scale.name, "likelihood");
        assert_eq!(scale.points.len(), 4);
        assert_eq!(scale.points[2].value, "likely");
        assert_eq!(scale.points[0].value, "Very unlikely");
        assert_eq!(
            scale.dont_know,
            Some(Choice {
                value: "not-sure".into(),
                label: "Not sure".into()
            })
        );
        assert_eq!(
            q.question("joint-visits").unwrap().show_if,
            Some(ShowIf {
                question: "agency".into(),
                any_of: vec!["police".into(), "Health".into()]
            })
        );
        assert_eq!(
            q.question("caseload").unwrap().kind,
            QuestionKind::Number {
                min: Some(0.0),
                max: Some(60.0),
                integer: true
            }
        );
        assert_eq!(
            q.question("hours").unwrap().kind,
            QuestionKind::Number {
                min: Some(0.5),
                max: None,
                integer: false
            }
        );
        assert_eq!(
            q.question("team").unwrap().kind,
            QuestionKind::Text {
                long: false,
                max_length: 500
            }
        );
        assert_eq!(
            q.question("comment").unwrap().kind,
            QuestionKind::Text {
                long: true,
                max_length: 2000
            }
        );
    }

    #[test]
    fn applies_defaults() {
        let q = parse(&with(
            r#"
[[sections]]
key = "more"
title = "More"
[[sections.questions]]
key = "statement"
type = "likert"
text = "A statement"
[[sections.questions]]
key = "comment"
type = "text"
long = true
text = "Anything else?"
"#,
        ));
        assert_eq!(q.introduction, "");
        assert_eq!(q.privacy_notice, "");
        assert_eq!(q.opens_on, None);
        assert_eq!(q.closes_on, None);
        assert_eq!(q.min_group_size, 5);
        assert_eq!(q.comments_threshold, 10);
        assert!(q.open_link);
        assert_eq!(
            q.reminders,
            ReminderPolicy {
                first_after_days: 7,
                every_days: 7,
                max: 2,
                audience: ReminderAudience::NonRespondents,
            }
        );
        let statement = q.question("statement").unwrap();
        assert!(!statement.required && !statement.breakdown);
        assert_eq!(statement.hint, None);
        assert_eq!(
            statement.kind,
            QuestionKind::Likert {
                scale: scales::agreement()
            }
        );
        assert_eq!(
            q.question("comment").unwrap().kind,
            QuestionKind::Text {
                long: true,
                max_length: 5000
            }
        );
    }

    #[test]
    fn a_syntax_error_is_one_located_problem() {
        let Err(ImportProblems(problems)) =
            parse_questionnaire("slug = \"a-b-c\"\ntitle = \"x\"\nmin_group_size = = 5\n")
        else {
            panic!("expected a syntax error");
        };
        assert_eq!(problems.len(), 1);
        assert!(
            problems[0].location.starts_with("line 3, column "),
            "{}",
            problems[0].location
        );
        assert!(problems[0]
            .message
            .starts_with("the file is not valid TOML: "));
    }

    #[test]
    fn a_duplicated_toml_key_is_a_syntax_error() {
        let found = problems("slug = \"a-b-c\"\nslug = \"d-e-f\"\n");
        assert_eq!(found.len(), 1);
        assert!(found[0].starts_with("line 2, column 1: "), "{}", found[0]);
    }

    #[test]
    fn reports_every_top_level_problem_at_once() {
        let found = problems(
            r#"
slug = "Not A Slug"
title = "  "
introduction = 3
opens_on = "2026-12-01"
closes_on = 2026-11-30T09:00:00
min_group_size = 1
comments_threshold = "ten"
open_link = "yes"
colour = "blue"
[reminders]
first_after_days = 0
every_days = 400
max = -1
often = true
"#,
        );
        let expected = [
            format!("slug: {}", msg::INVALID_SLUG),
            "title: must not be empty".to_string(),
            "introduction: must be text in quotes".to_string(),
            "opens_on: must be a date like 2026-12-01, without quotes".to_string(),
            "closes_on: must be a date only, like 2026-12-01, without a time".to_string(),
            "min_group_size: must be a whole number from 2 to 1000".to_string(),
            "comments_threshold: must be a whole number".to_string(),
            "open_link: must be true or false".to_string(),
            "reminders.first_after_days: must be a whole number from 1 to 365".to_string(),
            "reminders.every_days: must be a whole number from 1 to 365".to_string(),
            "reminders.max: must be a whole number from 0 to 365".to_string(),
            "reminders.often: unknown field; check the spelling".to_string(),
            "sections: this field is required".to_string(),
            "colour: unknown field; check the spelling".to_string(),
        ];
        for problem in &expected {
            assert_problem(&found, problem);
        }
        assert_eq!(found.len(), expected.len(), "{found:#?}");
    }

    #[test]
    fn missing_required_fields_and_date_order() {
        let found = problems("opens_on = 2026-12-10\ncloses_on = 2026-12-01\nsections = []\n");
        assert_eq!(
            found,
            [
                "slug: this field is required",
                "title: this field is required",
                "closes_on: must not be before opens_on (2026-12-10)",
                "sections: a questionnaire needs at least one section",
            ]
        );
    }

    #[test]
    fn slugs_and_keys_follow_their_patterns() {
        for good in ["abc", "safeguarding-frontline", "a1-2b", &"a".repeat(64)] {
            assert!(is_slug(good), "{good}");
        }
        for bad in ["ab", "-abc", "abc-", "ABC", "a_b", "a b", &"a".repeat(65)] {
            assert!(!is_slug(bad), "{bad}");
        }
        for good in ["a", "1", "a-", "about-you", &"a".repeat(63)] {
            assert!(is_key(good), "{good}");
        }
        for bad in ["", "-a", "A", "a_b", "é", &"a".repeat(64)] {
            assert!(!is_key(bad), "{bad}");
        }
    }

    #[test]
    fn section_problems_are_located() {
        let found = problems(&with(
            r#"
[[sections]]
key = "about-you"
[[sections]]
key = "Bad Key"
title = "Bad"
questions = []
[[sections]]
title = "No key"
notes = "x"
[[sections.questions]]
key = "q1"
type = "text"
text = "Q1"
"#,
        ));
        let invalid_key = format!("sections[3] (key \"Bad Key\").key: {}", msg::INVALID_KEY);
        let expected = [
            "sections[2] (key \"about-you\").key: the key \"about-you\" is already used by sections[1] (key \"about-you\")",
            "sections[2] (key \"about-you\").title: this field is required",
            "sections[2] (key \"about-you\").questions: this field is required",
            &invalid_key,
            "sections[3] (key \"Bad Key\").questions: a section needs at least one question",
            "sections[4].key: this field is required",
            "sections[4].notes: unknown field; check the spelling",
        ];
        for problem in expected {
            assert_problem(&found, problem);
        }
        assert_eq!(found.len(), expected.len(), "{found:#?}");
    }

    #[test]
    fn reverse_is_read_on_likert_questions_only() {
        let text = with(
            r#"
[[sections]]
key = "morale"
title = "Morale"
[[sections.questions]]
key = "leaving"
type = "likert"
reverse = true
text = "I am thinking about leaving."
[[sections.questions]]
key = "valued"
type = "likert"
text = "I feel valued."
"#,
        );
        let q = parse_questionnaire(&text).unwrap();
        assert!(q.question("leaving").unwrap().reverse);
        assert!(!q.question("valued").unwrap().reverse);

        let found = problems(&with(
            r#"
[[sections]]
key = "more"
title = "More"
[[sections.questions]]
key = "team"
type = "single"
text = "Team?"
options = ["a", "b"]
reverse = true
[[sections.questions]]
key = "leaving"
type = "likert"
text = "Leaving?"
reverse = "yes"
"#,
        ));
        assert_problem(
            &found,
            "sections[2].questions[1] (key \"team\").reverse: is not used by single questions",
        );
        assert_problem(
            &found,
            "sections[2].questions[2] (key \"leaving\").reverse: must be true or false",
        );
        assert_eq!(found.len(), 2, "{found:#?}");
    }

    #[test]
    fn question_problems_are_located() {
        let found = problems(&with(
            r#"
[[sections]]
key = "more"
title = "More"
[[sections.questions]]
key = "agency"
type = "single"
text = "Again?"
options = ["a", "b"]
[[sections.questions]]
type = "dropdown"
text = "What?"
[[sections.questions]]
key = "statement"
type = "likert"
options = ["a", "b"]
max_length = 10
breakdown = true
colour = "red"
[[sections.questions]]
key = "Q"
type = "text"
text = ""
required = "yes"
hint = 5
"#,
        ));
        let invalid_key = format!(
            "sections[2].questions[4] (key \"Q\").key: {}",
            msg::INVALID_KEY
        );
        let expected = [
            "sections[2].questions[1] (key \"agency\").key: the key \"agency\" is already used by sections[1].questions[1] (key \"agency\")",
            "sections[2].questions[2].key: this field is required",
            "sections[2].questions[2].type: must be one of single, multi, likert, text or number, not \"dropdown\"",
            "sections[2].questions[3] (key \"statement\").text: this field is required",
            "sections[2].questions[3] (key \"statement\").breakdown: only single questions can be used to break down results",
            "sections[2].questions[3] (key \"statement\").colour: unknown field; check the spelling",
            "sections[2].questions[3] (key \"statement\").max_length: is not used by likert questions",
            "sections[2].questions[3] (key \"statement\").options: is not used by likert questions",
            &invalid_key,
            "sections[2].questions[4] (key \"Q\").text: must not be empty",
            "sections[2].questions[4] (key \"Q\").hint: must be text in quotes",
            "sections[2].questions[4] (key \"Q\").required: must be true or false",
        ];
        for problem in expected {
            assert_problem(&found, problem);
        }
        assert_eq!(found.len(), expected.len(), "{found:#?}");
    }

    #[test]
    fn option_problems_are_located() {
        let found = problems(&with(
            r#"
[[sections]]
key = "more"
title = "More"
[[sections.questions]]
key = "one-option"
type = "single"
text = "One"
options = ["only"]
[[sections.questions]]
key = "no-options"
type = "multi"
text = "None"
[[sections.questions]]
key = "bad-options"
type = "single"
text = "Bad"
options = ["", " padded", 3, { value = "x" }, { label = "No value" }, { value = "y", label = "Y", colour = "red" }]
[[sections.questions]]
key = "agency-again"
type = "single"
text = "Duplicates"
options = ["police", { value = "police", label = "Police" }, "health", "health", "health"]
[[sections.questions]]
key = "long-value"
type = "single"
text = "Long"
options = ["short"]
"#,
        ))
        .into_iter()
        .filter(|problem| !problem.contains("long-value"))
        .collect::<Vec<_>>();
        let expected = [
            "sections[2].questions[1] (key \"one-option\").options: needs at least 2 options",
            "sections[2].questions[2] (key \"no-options\").options: this field is required",
            "sections[2].questions[3] (key \"bad-options\").options[1]: must not be empty",
            "sections[2].questions[3] (key \"bad-options\").options[2]: must not start or end with a space",
            "sections[2].questions[3] (key \"bad-options\").options[3]: must be text in quotes, or a table like { value = \"police\", label = \"Police\" }",
            "sections[2].questions[3] (key \"bad-options\").options[4].label: this field is required",
            "sections[2].questions[3] (key \"bad-options\").options[5].value: this field is required",
            "sections[2].questions[3] (key \"bad-options\").options[6].colour: unknown field; check the spelling",
            "sections[2].questions[4] (key \"agency-again\").options: option values must be unique; \"police\" appears twice",
            "sections[2].questions[4] (key \"agency-again\").options: option values must be unique; \"health\" appears 3 times",
        ];
        for problem in expected {
            assert_problem(&found, problem);
        }
        assert_eq!(found.len(), expected.len(), "{found:#?}");
    }

    #[test]
    fn option_values_are_at_most_100_characters() {
        let long = "x".repeat(101);
        let found = problems(&with(&format!(
            r#"
[[sections]]
key = "more"
title = "More"
[[sections.questions]]
key = "long"
type = "single"
text = "Long"
options = ["{long}", "{}"]
"#,
            "é".repeat(100)
        )));
        assert_eq!(
            found,
            ["sections[2].questions[1] (key \"long\").options[1]: must be 100 characters or fewer"]
        );
    }

    #[test]
    fn type_specific_limits() {
        let found = problems(&with(
            r#"
[[sections]]
key = "more"
title = "More"
[[sections.questions]]
key = "roles"
type = "multi"
text = "Roles"
options = ["a", "b", "c"]
max_choices = 4
[[sections.questions]]
key = "roles-zero"
type = "multi"
text = "Roles"
options = ["a", "b"]
max_choices = 0
[[sections.questions]]
key = "comment"
type = "text"
text = "Comment"
max_length = 20001
long = "yes"
[[sections.questions]]
key = "count"
type = "number"
text = "Count"
min = 10
max = 5
[[sections.questions]]
key = "weird"
type = "number"
text = "Weird"
min = "zero"
max = inf
integer = 1
"#,
        ));
        let expected = [
            "sections[2].questions[1] (key \"roles\").max_choices: must be a whole number from 1 to 3",
            "sections[2].questions[2] (key \"roles-zero\").max_choices: must be a whole number from 1 to 2",
            "sections[2].questions[3] (key \"comment\").long: must be true or false",
            "sections[2].questions[3] (key \"comment\").max_length: must be a whole number from 1 to 20000",
            "sections[2].questions[4] (key \"count\").min: must not be greater than max",
            "sections[2].questions[5] (key \"weird\").min: must be a number",
            "sections[2].questions[5] (key \"weird\").max: must be a finite number",
            "sections[2].questions[5] (key \"weird\").integer: must be true or false",
        ];
        for problem in expected {
            assert_problem(&found, problem);
        }
        assert_eq!(found.len(), expected.len(), "{found:#?}");
    }

    #[test]
    fn scale_problems_are_located() {
        let found = problems(&with(
            r#"
[scales.agreement]
points = ["a", "b"]
[scales.one-point]
points = ["only"]
[scales.twelve]
points = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12"]
[scales.repeats]
points = ["no", "yes"]
dont_know = "yes"
[scales.Bad_Name]
points = ["no", "yes"]
[scales.no-points]
dont_know = { value = "dk" }
range = 5

[[sections]]
key = "more"
title = "More"
[[sections.questions]]
key = "uses-broken"
type = "likert"
scale = "one-point"
text = "Uses a broken scale: not reported again"
[[sections.questions]]
key = "uses-missing"
type = "likert"
scale = "likelihood"
text = "Uses an undefined scale"
[[sections.questions]]
key = "bad-scale-name"
type = "likert"
scale = 3
text = "Scale is not a string"
"#,
        ));
        let invalid_name = format!("scales.Bad_Name: {}", msg::INVALID_KEY);
        let expected = [
            "scales.agreement: \"agreement\" is the name of a built-in scale; choose another name",
            "scales.one-point.points: a scale needs 2 to 11 points",
            "scales.twelve.points: a scale needs 2 to 11 points",
            "scales.repeats: values must be unique; \"yes\" appears twice",
            &invalid_name,
            "scales.no-points.points: this field is required",
            "scales.no-points.dont_know.label: this field is required",
            "scales.no-points.range: unknown field; check the spelling",
            "sections[2].questions[2] (key \"uses-missing\").scale: there is no scale named \"likelihood\"; use a built-in scale (agreement, frequency) or define it under [scales.likelihood]",
            "sections[2].questions[3] (key \"bad-scale-name\").scale: must be text in quotes",
        ];
        for problem in expected {
            assert_problem(&found, problem);
        }
        assert_eq!(found.len(), expected.len(), "{found:#?}");
    }

    #[test]
    fn show_if_problems_are_located() {
        let found = problems(&with(
            r#"
[[sections.questions]]
key = "same-section"
type = "text"
text = "Refers to its own section"
show_if = { question = "agency", any_of = ["police"] }

[[sections.questions]]
key = "refers-later"
type = "text"
text = "Refers to a later section"
show_if = { question = "later", any_of = ["a"] }

[[sections]]
key = "conditions"
title = "Conditions"
[[sections.questions]]
key = "unknown-ref"
type = "text"
text = "Refers to nothing"
show_if = { question = "nothing", any_of = ["a"] }
[[sections.questions]]
key = "text-ref"
type = "text"
text = "Refers to a text question"
show_if = { question = "same-section", any_of = ["a"] }
[[sections.questions]]
key = "bad-value"
type = "text"
text = "Refers to a value that is not an option"
show_if = { question = "agency", any_of = ["police", "polise", 3] }
[[sections.questions]]
key = "not-an-option"
type = "text"
text = "Refers to a value that is not an option"
show_if = { question = "agency", any_of = ["fire"], when = "now" }
[[sections.questions]]
key = "empty-any-of"
type = "text"
text = "No values"
show_if = { question = "agency", any_of = [] }
[[sections.questions]]
key = "missing-question"
type = "text"
text = "No question"
show_if = { any_of = ["police"] }
[[sections.questions]]
key = "not-a-table"
type = "text"
text = "Not a table"
show_if = "agency == police"

[[sections]]
key = "last"
title = "Last"
[[sections.questions]]
key = "later"
type = "single"
text = "Later"
options = ["a", "b"]
"#,
        ));
        let expected = [
            "sections[1].questions[2] (key \"same-section\").show_if.question: \"agency\" is in the same section; show_if can only refer to a question in an earlier section, because each section is one page",
            "sections[1].questions[3] (key \"refers-later\").show_if.question: \"later\" is in a later section; show_if can only refer to a question in an earlier section, because each section is one page",
            "sections[2].questions[1] (key \"unknown-ref\").show_if.question: there is no question with the key \"nothing\"",
            "sections[2].questions[2] (key \"text-ref\").show_if.question: \"same-section\" is a text question; show_if can only refer to single, multi or likert questions",
            "sections[2].questions[3] (key \"bad-value\").show_if.any_of[3]: must be text in quotes",
            "sections[2].questions[4] (key \"not-an-option\").show_if.when: unknown field; check the spelling",
            "sections[2].questions[4] (key \"not-an-option\").show_if.any_of[1]: \"fire\" is not one of the values of \"agency\"",
            "sections[2].questions[5] (key \"empty-any-of\").show_if.any_of: must list at least one value",
            "sections[2].questions[6] (key \"missing-question\").show_if.question: this field is required",
            "sections[2].questions[7] (key \"not-a-table\").show_if: must be a table",
        ];
        for problem in expected {
            assert_problem(&found, problem);
        }
        assert_eq!(found.len(), expected.len(), "{found:#?}");
    }

    #[test]
    fn show_if_accepts_likert_and_multi_values() {
        let q = parse(&with(
            r#"
[[sections.questions]]
key = "statement"
type = "likert"
text = "Statement"
[[sections.questions]]
key = "roles"
type = "multi"
text = "Roles"
options = ["manager", "practitioner"]
[[sections]]
key = "more"
title = "More"
[[sections.questions]]
key = "why"
type = "text"
text = "Why?"
show_if = { question = "statement", any_of = ["disagree", "dont-know"] }
[[sections.questions]]
key = "team"
type = "text"
text = "Which team do you manage?"
show_if = { question = "roles", any_of = ["manager"] }
"#,
        ));
        assert_eq!(
            q.question("why")
                .and_then(|q| q.show_if.as_ref())
                .map(|s| s.question.as_str()),
            Some("statement")
        );
    }

    #[test]
    fn problems_display_one_per_line() {
        let Err(problems) = parse_questionnaire("title = \"T\"\n") else {
            panic!("expected problems");
        };
        assert_eq!(
            problems.to_string(),
            "slug: this field is required\nsections: this field is required"
        );
    }

    #[test]
    fn parses_the_shipped_questionnaire() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/config/questionnaires/safeguarding-frontline.toml"
        );
        let Ok(text) = std::fs::read_to_string(path) else {
            eprintln!("note: {path} is missing; skipping");
            return;
        };
        let q = parse(&text);
        assert_eq!(q.slug, "safeguarding-frontline");
        assert!(q.questions().any(|question| question.breakdown));
    }
}
