//! Results: every published figure of a survey, overall and per breakdown group, computed
//! from the tallies with disclosure control applied. Pages, JSON, CSV, XLSX and the CLI all
//! render this one structure, so none of them can publish a figure it does not hold.
//!
//! Percentages of options use as base those who answered the question (for a multi question
//! each option's share of them; for a Likert question "don't know" included, shown on its
//! own row). "% agree" and the 0–100 score leave "don't know" out. "% agree" is given for
//! the built-in `agreement` scale and for custom scales, not for `frequency` (where "often"
//! is not agreement). "Not answered" counts the group's responses that did not answer,
//! including those not shown the question. Percentages and scores have one decimal place,
//! number summaries two.

use std::collections::HashMap;

use serde::Serialize;

use super::disclosure;
use super::stats::{self, NumberSummary};
use super::tally::ANSWERED;
use crate::db::tallies::TallyRow;
use crate::messages::report as msg;
use crate::questionnaire::{Question, QuestionKind, Questionnaire};

#[derive(Debug, Clone, Serialize)]
pub struct Results {
    pub survey: String,
    pub title: String,
    pub responses: u64,
    pub min_group_size: u32,
    pub comments_threshold: u32,
    /// True while the survey has fewer responses than the minimum group size.
    pub suppressed: bool,
    pub comments_allowed: bool,
    pub breakdown: Option<BreakdownInfo>,
    /// The whole survey first, then each group of the breakdown.
    pub columns: Vec<Column>,
    pub sections: Vec<SectionResults>,
}

#[derive(Debug, Clone, Serialize)]
pub struct BreakdownInfo {
    pub question: String,
    pub text: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Column {
    /// `None` for the whole survey; the answer for a group, "" for "not answered".
    pub group: Option<String>,
    pub label: String,
    /// `None` when suppressed.
    pub responses: Option<u64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SectionResults {
    pub key: String,
    pub title: String,
    /// One per column: the mean score of the Likert items published for that column.
    pub themes: Vec<Option<Theme>>,
    pub questions: Vec<QuestionResults>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Theme {
    pub score: f64,
    /// Likert items whose scores the mean is over (published ones only).
    pub items: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct QuestionResults {
    pub key: String,
    pub text: String,
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// Labels of the option rows every shown cell has (Likert: the scale's points).
    pub options: Vec<String>,
    /// The label of "don't know", for Likert scales that have it.
    pub dont_know: Option<String>,
    /// Whether "% agree" is given (Likert, not on the frequency scale).
    pub agree: bool,
    /// One per column.
    pub cells: Vec<Cell>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Cell {
    Suppressed { suppressed: bool },
    Shown(Figures),
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Figures {
    pub answered: u64,
    pub not_answered: u64,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<OptionCount>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dont_know: Option<OptionCount>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agree_percent: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub numbers: Option<NumberSummary>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OptionCount {
    pub value: String,
    pub label: String,
    pub count: u64,
    pub percent: f64,
}

impl Cell {
    pub fn figures(&self) -> Option<&Figures> {
        match self {
            Cell::Shown(figures) => Some(figures),
            Cell::Suppressed { .. } => None,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ResultsError {
    #[error("{}", msg::unknown_breakdown(.0))]
    UnknownBreakdown(String),
}

/// The counts of one column: (question, value) → count.
type ColumnCounts<'a> = HashMap<(&'a str, &'a str), u64>;

/// Computes the published results from a survey's tallies (as `tallies::load` returns them
/// for the same breakdown).
pub fn compute(
    q: &Questionnaire,
    breakdown: Option<&str>,
    tallies: &[TallyRow],
) -> Result<Results, ResultsError> {
    let breakdown_question = match breakdown {
        Some(key) => Some(
            q.question(key)
                .filter(|question| question.breakdown)
                .ok_or_else(|| ResultsError::UnknownBreakdown(key.to_owned()))?,
        ),
        None => None,
    };

    let mut columns_spec: Vec<(Option<String>, String)> =
        vec![(None, msg::WHOLE_SURVEY.to_owned())];
    if let Some(question) = breakdown_question {
        for choice in question.choices() {
            columns_spec.push((Some(choice.value.clone()), choice.label.clone()));
        }
        columns_spec.push((Some(String::new()), msg::NOT_ANSWERED.to_owned()));
    }
    let mut counts: Vec<ColumnCounts> = vec![HashMap::new(); columns_spec.len()];
    let index_of: HashMap<&str, usize> = columns_spec
        .iter()
        .enumerate()
        .skip(1)
        .filter_map(|(i, (group, _))| group.as_deref().map(|g| (g, i)))
        .collect();
    for row in tallies {
        let column = if row.by_question.is_empty() {
            Some(0)
        } else if Some(row.by_question.as_str()) == breakdown {
            index_of.get(row.by_value.as_str()).copied()
        } else {
            None
        };
        if let Some(column) = column {
            counts[column].insert(
                (row.question_key.as_str(), row.value.as_str()),
                u64::try_from(row.count).unwrap_or(0),
            );
        }
    }
    let count = |column: usize, question: &str, value: &str| -> u64 {
        counts[column].get(&(question, value)).copied().unwrap_or(0)
    };

    let responses = count(0, "", "");
    let k = q.min_group_size;
    let survey_suppressed = disclosure::survey_suppressed(responses, k);
    let group_sizes: Vec<u64> = (1..columns_spec.len()).map(|c| count(c, "", "")).collect();
    let groups_suppressed = disclosure::suppress_groups(&group_sizes, &[], k);
    let column_suppressed: Vec<bool> = std::iter::once(survey_suppressed)
        .chain(groups_suppressed.iter().map(|&s| s || survey_suppressed))
        .collect();
    let columns = columns_spec
        .iter()
        .enumerate()
        .map(|(c, (group, label))| Column {
            group: group.clone(),
            label: label.clone(),
            responses: (!column_suppressed[c]).then(|| count(c, "", "")),
        })
        .collect();

    let sections = q
        .sections
        .iter()
        .map(|section| {
            let questions: Vec<QuestionResults> = section
                .questions
                .iter()
                .map(|question| {
                    let answered: Vec<u64> = (0..columns_spec.len())
                        .map(|c| count(c, &question.key, ANSWERED))
                        .collect();
                    let overall_hidden = column_suppressed[0] || answered[0] < u64::from(k);
                    let groups_hidden =
                        disclosure::suppress_groups(&answered[1..], &column_suppressed[1..], k);
                    let cells = (0..columns_spec.len())
                        .map(|c| {
                            let hidden = if c == 0 {
                                overall_hidden
                            } else {
                                overall_hidden || groups_hidden[c - 1]
                            };
                            if hidden {
                                Cell::Suppressed { suppressed: true }
                            } else {
                                let group_responses = count(c, "", "");
                                Cell::Shown(figures(
                                    question,
                                    answered[c],
                                    group_responses,
                                    |v| count(c, &question.key, v),
                                    &counts[c],
                                ))
                            }
                        })
                        .collect();
                    let (options, dont_know, agree) = match &question.kind {
                        QuestionKind::Likert { scale } => (
                            scale.points.iter().map(|p| p.label.clone()).collect(),
                            scale.dont_know.as_ref().map(|c| c.label.clone()),
                            scale.name != "frequency",
                        ),
                        _ => (
                            question.choices().iter().map(|c| c.label.clone()).collect(),
                            None,
                            false,
                        ),
                    };
                    QuestionResults {
                        key: question.key.clone(),
                        text: question.text.clone(),
                        kind: question.type_name(),
                        options,
                        dont_know,
                        agree,
                        cells,
                    }
                })
                .collect();
            let themes = (0..columns_spec.len())
                .map(|c| theme(section, &questions, c))
                .collect();
            SectionResults {
                key: section.key.clone(),
                title: section.title.clone(),
                themes,
                questions,
            }
        })
        .collect();

    Ok(Results {
        survey: q.slug.clone(),
        title: q.title.clone(),
        responses,
        min_group_size: k,
        comments_threshold: q.comments_threshold,
        suppressed: survey_suppressed,
        comments_allowed: disclosure::comments_allowed(responses, k, q.comments_threshold),
        breakdown: breakdown_question.map(|question| BreakdownInfo {
            question: question.key.clone(),
            text: question.text.clone(),
        }),
        columns,
        sections,
    })
}

fn percent(count: u64, base: u64) -> f64 {
    if base == 0 {
        0.0
    } else {
        stats::round(count as f64 * 100.0 / base as f64, 1)
    }
}

fn figures(
    question: &Question,
    answered: u64,
    group_responses: u64,
    count: impl Fn(&str) -> u64,
    column: &ColumnCounts,
) -> Figures {
    let option = |value: &str, label: &str| {
        let n = count(value);
        OptionCount {
            value: value.to_owned(),
            label: label.to_owned(),
            count: n,
            percent: percent(n, answered),
        }
    };
    let mut result = Figures {
        answered,
        not_answered: group_responses.saturating_sub(answered),
        options: Vec::new(),
        dont_know: None,
        agree_percent: None,
        score: None,
        numbers: None,
    };
    match &question.kind {
        QuestionKind::Single { options } | QuestionKind::Multi { options, .. } => {
            result.options = options
                .iter()
                .map(|choice| option(&choice.value, &choice.label))
                .collect();
        }
        QuestionKind::Likert { scale } => {
            result.options = scale
                .points
                .iter()
                .map(|point| option(&point.value, &point.label))
                .collect();
            result.dont_know = scale
                .dont_know
                .as_ref()
                .map(|choice| option(&choice.value, &choice.label));
            let on_scale: u64 = result.options.iter().map(|o| o.count).sum();
            if on_scale > 0 {
                if scale.name != "frequency" {
                    let agree: u64 = result
                        .options
                        .iter()
                        .filter(|o| scale.is_agree(&o.value))
                        .map(|o| o.count)
                        .sum();
                    result.agree_percent = Some(percent(agree, on_scale));
                }
                let total: f64 = result
                    .options
                    .iter()
                    .map(|o| scale.score(&o.value).unwrap_or(0.0) * o.count as f64)
                    .sum();
                result.score = Some(stats::round(total / on_scale as f64, 1));
            }
        }
        QuestionKind::Number { .. } => {
            let histogram: Vec<(f64, u64)> = column
                .iter()
                .filter(|((key, value), _)| *key == question.key && *value != ANSWERED)
                .filter_map(|((_, value), &n)| value.parse::<f64>().ok().map(|v| (v, n)))
                .collect();
            result.numbers = stats::summarise(&histogram);
        }
        QuestionKind::Text { .. } => {}
    }
    result
}

/// The mean score of the section's Likert items published in column `c`; none when none is.
fn theme(
    section: &crate::questionnaire::Section,
    questions: &[QuestionResults],
    c: usize,
) -> Option<Theme> {
    let scores: Vec<f64> = section
        .questions
        .iter()
        .zip(questions)
        .filter(|(question, _)| matches!(question.kind, QuestionKind::Likert { .. }))
        .filter_map(|(_, results)| results.cells[c].figures().and_then(|f| f.score))
        .collect();
    if scores.is_empty() {
        return None;
    }
    Some(Theme {
        score: stats::round(scores.iter().sum::<f64>() / scores.len() as f64, 1),
        items: scores.len(),
    })
}
