//! Results: every published figure of a survey, overall and per breakdown group, computed
//! from the tallies with disclosure control applied. Pages, JSON, CSV, XLSX and the CLI all
//! render this one structure, so none of them can publish a figure it does not hold. What
//! is published is decided by one `disclosure::Plan` for every breakdown at once.
//!
//! Percentages of options use as base those who answered the question (for a multi question
//! each option's share of them; for a Likert question "don't know" included, shown on its
//! own row). "% agree" and the 0–100 score leave "don't know" out. "% agree" is given for
//! the built-in `agreement` scale and for custom scales, not for `frequency` (where "often"
//! is not agreement). "Not answered" counts the group's responses that did not answer,
//! including those not shown the question. Percentages and scores have one decimal place,
//! number summaries two. Percentages and scores need k substantive answers, medians and
//! quartiles 2k (`disclosure::bases`); a count of people in breakdown groups that the plan
//! withholds is `None`.

use std::collections::HashMap;

use serde::Serialize;

use super::disclosure::{self, bases, Plan, Publish};
use super::stats::{self, NumberSummary};
use super::tally::{self, ANSWERED};
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
    /// How many responses came through personal invitations and how many through the open
    /// link (each `None` when withheld); absent where not computed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub channels: Option<Channels>,
    /// What the figures leave out and why, in the words of the page and the downloads.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// The whole survey first, then each group of the breakdown.
    pub columns: Vec<Column>,
    pub sections: Vec<SectionResults>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Channels {
    pub invitations: Option<u64>,
    pub open_link: Option<u64>,
}

impl Channels {
    /// Counts of responses by channel, from the responses and the completed invitations:
    /// both shown, unless either is 1..k−1 (the other would give it back from the total).
    pub fn new(responses: u64, completed_invitations: u64, min_group_size: u32) -> Channels {
        let invitations = completed_invitations.min(responses);
        let open_link = responses - invitations;
        let k = u64::from(min_group_size);
        let small = |n: u64| (1..k).contains(&n);
        let shown = !disclosure::survey_suppressed(responses, min_group_size)
            && !small(invitations)
            && !small(open_link);
        Channels {
            invitations: shown.then_some(invitations),
            open_link: shown.then_some(open_link),
        }
    }
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
    /// `None` when withheld (the "not answered" count of a breakdown question, when it
    /// would single out a small group).
    pub answered: Option<u64>,
    pub not_answered: Option<u64>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<OptionCount>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dont_know: Option<OptionCount>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agree_percent: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub numbers: Option<Box<NumberSummary>>,
    /// True when percentages, "% agree", the score or the number summaries are left out
    /// because there are too few (substantive) answers.
    pub too_few_answers: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OptionCount {
    pub value: String,
    pub label: String,
    /// `None` when withheld: a count of people in a breakdown group below k, or one that
    /// would give such a count back.
    pub count: Option<u64>,
    /// `None` when withheld or when there are too few answers.
    pub percent: Option<f64>,
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
/// for the same breakdown, with the whole survey's combination counts).
pub fn compute(
    q: &Questionnaire,
    breakdown: Option<&str>,
    tallies: &[TallyRow],
) -> Result<Results, ResultsError> {
    let plan = Plan::new(q, &tally::combinations(q, tallies));
    compute_with(q, breakdown, tallies, &plan)
}

/// As `compute`, with the plan already made.
pub fn compute_with(
    q: &Questionnaire,
    breakdown: Option<&str>,
    tallies: &[TallyRow],
    plan: &Plan,
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
        // A required question has nobody who did not answer it: no such column.
        if !question.required {
            columns_spec.push((Some(String::new()), msg::NOT_ANSWERED.to_owned()));
        }
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
    let plan_columns: Vec<disclosure::Column> = columns_spec
        .iter()
        .map(|(group, _)| match (breakdown, group) {
            (Some(key), Some(value)) => Some((key, value.as_str())),
            _ => None,
        })
        .collect();
    let column_suppressed: Vec<bool> = plan_columns
        .iter()
        .map(|column| {
            survey_suppressed
                || match column {
                    None => false,
                    Some((key, value)) => plan.group(key, value) == Publish::Hidden,
                }
        })
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
                    let cells = (0..columns_spec.len())
                        .map(|c| {
                            let column = plan_columns[c];
                            if column_suppressed[c] || !plan.question_shown(&question.key, column) {
                                return Cell::Suppressed { suppressed: true };
                            }
                            let people = |value: &str| -> Option<u64> {
                                if question.breakdown {
                                    plan.count(column, &question.key, value).count()
                                } else {
                                    Some(count(c, &question.key, value))
                                }
                            };
                            Cell::Shown(figures(
                                question,
                                count(c, &question.key, ANSWERED),
                                count(c, "", ""),
                                people,
                                &counts[c],
                                k,
                            ))
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
        channels: None,
        notes: Vec::new(),
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

/// The figures of one question in one column. `people` gives the published count of an
/// option (`None` when withheld); for breakdown questions, "" is those who did not answer.
fn figures(
    question: &Question,
    answered: u64,
    group_responses: u64,
    people: impl Fn(&str) -> Option<u64>,
    column: &ColumnCounts,
    k: u32,
) -> Figures {
    // A breakdown question's "answered" gives back its "not answered" group.
    let answered_shown = !question.breakdown || people("").is_some();
    let mut result = Figures {
        answered: answered_shown.then_some(answered),
        not_answered: answered_shown.then(|| group_responses.saturating_sub(answered)),
        options: Vec::new(),
        dont_know: None,
        agree_percent: None,
        score: None,
        numbers: None,
        too_few_answers: false,
    };
    let options = |choices: &mut dyn Iterator<Item = &crate::questionnaire::Choice>| {
        choices
            .map(|choice| OptionCount {
                value: choice.value.clone(),
                label: choice.label.clone(),
                count: people(&choice.value),
                percent: None,
            })
            .collect::<Vec<_>>()
    };
    let with_percentages = |options: &mut [OptionCount], base: u64| {
        for option in options.iter_mut() {
            option.percent = option.count.map(|n| percent(n, base));
        }
    };
    match &question.kind {
        QuestionKind::Single { options: choices }
        | QuestionKind::Multi {
            options: choices, ..
        } => {
            result.options = options(&mut choices.iter());
            if answered_shown && bases::percentages(answered, k) {
                with_percentages(&mut result.options, answered);
            } else {
                result.too_few_answers = answered_shown && answered > 0;
            }
        }
        QuestionKind::Likert { scale } => {
            result.options = options(&mut scale.points.iter());
            result.dont_know = scale
                .dont_know
                .as_ref()
                .map(|choice| options(&mut std::iter::once(choice)).remove(0));
            let on_scale: u64 = result.options.iter().filter_map(|o| o.count).sum();
            if bases::percentages(on_scale, k) {
                with_percentages(&mut result.options, answered);
                if let Some(dont_know) = result.dont_know.as_mut() {
                    dont_know.percent = dont_know.count.map(|n| percent(n, answered));
                }
                if scale.name != "frequency" {
                    let agree: u64 = result
                        .options
                        .iter()
                        .filter(|o| scale.is_agree(&o.value))
                        .filter_map(|o| o.count)
                        .sum();
                    result.agree_percent = Some(percent(agree, on_scale));
                }
                let total: f64 = result
                    .options
                    .iter()
                    .map(|o| scale.score(&o.value).unwrap_or(0.0) * o.count.unwrap_or(0) as f64)
                    .sum();
                result.score = Some(stats::round(total / on_scale as f64, 1));
            } else {
                result.too_few_answers = answered > 0;
            }
        }
        QuestionKind::Number { .. } => {
            let histogram: Vec<(f64, u64)> = column
                .iter()
                .filter(|((key, value), _)| *key == question.key && *value != ANSWERED)
                .filter_map(|((_, value), &n)| value.parse::<f64>().ok().map(|v| (v, n)))
                .collect();
            result.numbers = stats::summarise(&histogram).map(|mut summary| {
                if !bases::mean(summary.count, k) {
                    summary.mean = None;
                }
                if !bases::quartiles(summary.count, k) {
                    summary.median = None;
                    summary.lower_quartile = None;
                    summary.upper_quartile = None;
                    result.too_few_answers = true;
                }
                Box::new(summary)
            });
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
