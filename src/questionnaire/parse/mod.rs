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

mod choices;
mod conditions;
mod fields;
mod sections;
#[cfg(test)]
mod tests;

use choices::*;
use conditions::*;
pub(super) use fields::Fields;
use fields::*;
use sections::*;

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
pub(super) fn labelled(base: String, table: &Table) -> String {
    match table.get("key").and_then(Value::as_str) {
        Some(key) => format!("{base} (key {key:?})"),
        None => base,
    }
}
