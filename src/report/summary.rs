//! The summary of agreement statements: every Likert statement on an agreement scale, by
//! theme (section), with the share who agree, the share who disagree and how many answered,
//! for the whole survey and each column of the breakdown. It is computed from `Results`,
//! the figures disclosure control has already published, and never from tallies: a cell the
//! engine hides, or gives no "% agree" for, is hidden or "too few answers" here too.
//!
//! Shares leave "don't know" out, as "% agree" does: agree is the engine's `agree_percent`,
//! disagree the bottom points' published counts over the same base. Reverse-worded
//! statements (`reverse = true`) are read the other way round: their favourable share is
//! the share who disagree, which is what colours and sorting use.

use serde::Serialize;

use super::results::{Cell, Figures, QuestionResults, Results};
use super::stats;
use crate::questionnaire::{QuestionKind, Questionnaire, Scale};

/// How statements are ordered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Sort {
    /// Themes and statements in questionnaire order.
    #[default]
    Questionnaire,
    /// Least favourable first (whole survey), read the right way round.
    Agree,
    /// Widest gap between the shown groups first.
    Gap,
}

impl Sort {
    /// `?sort=agree` / `?sort=gap`; anything else is questionnaire order.
    pub fn from_query(value: Option<&str>) -> Sort {
        match value.map(str::trim) {
            Some("agree") => Sort::Agree,
            Some("gap") => Sort::Gap,
            _ => Sort::Questionnaire,
        }
    }

    pub fn query_value(self) -> Option<&'static str> {
        match self {
            Sort::Questionnaire => None,
            Sort::Agree => Some("agree"),
            Sort::Gap => Some("gap"),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    /// Column labels: the whole survey, then each group of the breakdown.
    pub columns: Vec<SummaryColumn>,
    /// Themes in questionnaire order, each with its statements in questionnaire order.
    pub themes: Vec<Theme>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SummaryColumn {
    pub label: String,
    /// `None` when the group is suppressed.
    pub responses: Option<u64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Theme {
    pub key: String,
    pub title: String,
    pub statements: Vec<Statement>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Statement {
    pub key: String,
    pub text: String,
    /// The title of the theme it belongs to.
    pub theme: String,
    pub reverse: bool,
    /// One per column.
    pub cells: Vec<SummaryCell>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum SummaryCell {
    /// Hidden by disclosure control.
    Suppressed,
    /// Published, but too few substantive answers for shares (or nobody answered).
    TooFewAnswers { answered: Option<u64> },
    Shown {
        agree: f64,
        disagree: f64,
        answered: u64,
    },
}

impl SummaryCell {
    /// The favourable share: agree, or disagree for a reverse-worded statement.
    pub fn favourable(&self, reverse: bool) -> Option<f64> {
        match self {
            SummaryCell::Shown {
                agree, disagree, ..
            } => Some(if reverse { *disagree } else { *agree }),
            _ => None,
        }
    }
}

impl Statement {
    /// The whole survey's favourable share.
    pub fn favourable(&self) -> Option<f64> {
        self.cells.first().and_then(|c| c.favourable(self.reverse))
    }

    /// The widest difference in favourable share between two shown groups of the breakdown
    /// (percentage points), when at least two are shown.
    pub fn gap(&self) -> Option<f64> {
        let shares: Vec<f64> = self
            .cells
            .iter()
            .skip(1)
            .filter_map(|c| c.favourable(self.reverse))
            .collect();
        if shares.len() < 2 {
            return None;
        }
        let most = shares.iter().copied().fold(f64::MIN, f64::max);
        let least = shares.iter().copied().fold(f64::MAX, f64::min);
        Some(stats::round(most - least, 1))
    }
}

impl Summary {
    /// Whether any statement is summarised.
    pub fn is_empty(&self) -> bool {
        self.themes.iter().all(|t| t.statements.is_empty())
    }

    /// Whether a breakdown is shown (groups to compare).
    pub fn has_groups(&self) -> bool {
        self.columns.len() > 1
    }

    /// Every statement in the order asked for. In questionnaire order themes stay together;
    /// sorted, statements without the figure sorted on come last, in questionnaire order.
    pub fn statements(&self, sort: Sort) -> Vec<&Statement> {
        let mut all: Vec<&Statement> = self.themes.iter().flat_map(|t| &t.statements).collect();
        match sort {
            Sort::Questionnaire => {}
            Sort::Agree => all.sort_by(|a, b| ascending(a.favourable(), b.favourable())),
            // Widest first: ascending on the negated gap keeps absent gaps last.
            Sort::Gap => all.sort_by(|a, b| ascending(a.gap().map(|g| -g), b.gap().map(|g| -g))),
        }
        all
    }
}

/// Orders present values ascending and absent ones last (a stable sort keeps ties in
/// questionnaire order).
fn ascending(a: Option<f64>, b: Option<f64>) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    match (a, b) {
        (Some(a), Some(b)) => a.partial_cmp(&b).unwrap_or(Ordering::Equal),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

/// The summary of `results` (as published) for questionnaire `q`.
pub fn summarise(q: &Questionnaire, results: &Results) -> Summary {
    let columns = results
        .columns
        .iter()
        .map(|c| SummaryColumn {
            label: c.label.clone(),
            responses: c.responses,
        })
        .collect();
    let themes = results
        .sections
        .iter()
        .map(|section| Theme {
            key: section.key.clone(),
            title: section.title.clone(),
            statements: section
                .questions
                .iter()
                .filter(|question| question.agree)
                .filter_map(|question| {
                    let definition = q.question(&question.key)?;
                    let QuestionKind::Likert { scale } = &definition.kind else {
                        return None;
                    };
                    Some(statement(
                        question,
                        scale,
                        definition.reverse,
                        &section.title,
                    ))
                })
                .collect(),
        })
        .filter(|theme: &Theme| !theme.statements.is_empty())
        .collect();
    Summary { columns, themes }
}

fn statement(question: &QuestionResults, scale: &Scale, reverse: bool, theme: &str) -> Statement {
    Statement {
        key: question.key.clone(),
        text: question.text.clone(),
        theme: theme.to_owned(),
        reverse,
        cells: question
            .cells
            .iter()
            .map(|cell| match cell {
                Cell::Suppressed { .. } => SummaryCell::Suppressed,
                Cell::Shown(figures) => shown(figures, scale),
            })
            .collect(),
    }
}

fn shown(figures: &Figures, scale: &Scale) -> SummaryCell {
    let too_few = SummaryCell::TooFewAnswers {
        answered: figures.answered,
    };
    let (Some(agree), Some(answered)) = (figures.agree_percent, figures.answered) else {
        return too_few;
    };
    // The same base as "% agree": the published counts on the scale.
    let counts: Option<Vec<(&str, u64)>> = figures
        .options
        .iter()
        .map(|o| o.count.map(|n| (o.value.as_str(), n)))
        .collect();
    let Some(counts) = counts else {
        return too_few;
    };
    let base: u64 = counts.iter().map(|(_, n)| n).sum();
    let disagreeing: u64 = counts
        .iter()
        .filter(|(value, _)| is_disagree(scale, value))
        .map(|(_, n)| n)
        .sum();
    if base == 0 {
        return too_few;
    }
    SummaryCell::Shown {
        agree,
        disagree: stats::round(disagreeing as f64 * 100.0 / base as f64, 1),
        answered,
    }
}

/// The negative points: the bottom two on a scale of four or more points, otherwise the
/// bottom one (the mirror of `Scale::is_agree`).
fn is_disagree(scale: &Scale, value: &str) -> bool {
    let bottom = if scale.points.len() >= 4 { 2 } else { 1 };
    scale
        .points
        .iter()
        .position(|point| point.value == value)
        .is_some_and(|position| position < bottom)
}

/// A colour band for a favourable share, 0 (least favourable) to 4 (most); the page and
/// the report colour cells by it, always beside the figure itself.
pub fn band(favourable: f64) -> usize {
    match favourable {
        f if f < 20.0 => 0,
        f if f < 40.0 => 1,
        f if f < 60.0 => 2,
        f if f < 80.0 => 3,
        _ => 4,
    }
}

/// Cell backgrounds per band (RGB hex, no '#'): light tints of a colour-blind-safe
/// orange–blue scale, each with text colour `TEXT` well above 4.5:1 contrast.
pub const BAND_FILLS: [&str; 5] = ["F6C9B4", "FBE4D8", "EEEEEE", "D6E8F7", "B3D4F0"];
/// Text colour on every band.
pub const TEXT: &str = "0B0C0C";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::tallies::TallyRow;
    use crate::questionnaire::{parse_questionnaire, Questionnaire};
    use crate::report::results;
    use crate::report::tally;

    fn questionnaire() -> Questionnaire {
        parse_questionnaire(
            r#"
slug = "summary-test"
title = "Summary"
min_group_size = 5
[[sections]]
key = "about"
title = "About you"
[[sections.questions]]
key = "agency"
type = "single"
text = "Agency?"
options = ["council", "police", "health"]
required = true
breakdown = true
[[sections]]
key = "morale"
title = "Morale"
[[sections.questions]]
key = "valued"
type = "likert"
text = "I feel valued."
[[sections.questions]]
key = "leaving"
type = "likert"
reverse = true
text = "I am thinking about leaving."
[[sections.questions]]
key = "cancelled"
type = "likert"
scale = "frequency"
text = "How often is supervision cancelled?"
"#,
        )
        .unwrap()
    }

    fn row(by: (&str, &str), question: &str, value: &str, count: i64) -> TallyRow {
        TallyRow {
            by_question: by.0.to_owned(),
            by_value: by.1.to_owned(),
            question_key: question.to_owned(),
            value: value.to_owned(),
            count,
        }
    }

    /// Council: 20 responses; police: 10; health: 2 (hidden, and police with it).
    fn tallies() -> Vec<TallyRow> {
        let mut rows = Vec::new();
        let groups = [
            ("council", 20, [8, 4, 2, 2, 4]),
            ("police", 10, [1, 1, 2, 3, 3]),
            ("health", 2, [0, 0, 0, 1, 1]),
        ];
        let mut whole = [0i64; 5];
        let mut total = 0;
        let points = [
            "strongly-disagree",
            "disagree",
            "neither",
            "agree",
            "strongly-agree",
        ];
        for (group, n, counts) in groups {
            total += n;
            rows.push(row(("", ""), tally::COMBINATION, group, n));
            for by in [("agency", group)] {
                rows.push(row(by, "", "", n));
                rows.push(row(by, "agency", group, n));
                rows.push(row(by, "agency", tally::ANSWERED, n));
                for key in ["valued", "leaving"] {
                    rows.push(row(by, key, tally::ANSWERED, n));
                    for (point, count) in points.iter().zip(counts) {
                        rows.push(row(by, key, point, count));
                    }
                }
            }
            rows.push(row(("", ""), "agency", group, n));
            for (i, count) in counts.iter().enumerate() {
                whole[i] += count;
            }
        }
        rows.push(row(("", ""), "", "", total));
        rows.push(row(("", ""), "agency", tally::ANSWERED, total));
        for key in ["valued", "leaving"] {
            rows.push(row(("", ""), key, tally::ANSWERED, total));
            for (point, count) in points.iter().zip(whole) {
                rows.push(row(("", ""), key, point, count));
            }
        }
        rows
    }

    #[test]
    fn shares_come_from_the_published_figures() {
        let q = questionnaire();
        let results = results::compute(&q, Some("agency"), &tallies()).unwrap();
        let summary = summarise(&q, &results);
        assert_eq!(summary.themes.len(), 1, "About you has no statement");
        let statements = &summary.themes[0].statements;
        let keys: Vec<&str> = statements.iter().map(|s| s.key.as_str()).collect();
        assert_eq!(
            keys,
            ["valued", "leaving"],
            "frequency items are not statements"
        );
        let valued = &statements[0];
        // Whole survey: 32 answered, points 9, 5, 4, 6, 8: agree 14 of 32, disagree 14.
        assert_eq!(
            valued.cells[0],
            SummaryCell::Shown {
                agree: 43.8,
                disagree: 43.8,
                answered: 32
            }
        );
        let published = results.sections[1].questions[0].cells[0]
            .figures()
            .and_then(|f| f.agree_percent);
        assert_eq!(published, Some(43.8));
        // Health (2) is hidden, and with it the next smallest group.
        assert_eq!(valued.cells[3], SummaryCell::Suppressed);
        assert_eq!(valued.cells[2], SummaryCell::Suppressed);
        assert!(matches!(
            valued.cells[1],
            SummaryCell::Shown { answered: 20, .. }
        ));
        let leaving = &statements[1];
        assert!(leaving.reverse);
        assert_eq!(leaving.favourable(), Some(43.8));
    }

    #[test]
    fn sorting_by_agreement_and_by_gap() {
        let statement = |key: &str, cells: Vec<Option<f64>>| Statement {
            key: key.to_owned(),
            text: key.to_owned(),
            theme: "T".to_owned(),
            reverse: false,
            cells: cells
                .into_iter()
                .map(|agree| match agree {
                    Some(agree) => SummaryCell::Shown {
                        agree,
                        disagree: 100.0 - agree,
                        answered: 10,
                    },
                    None => SummaryCell::Suppressed,
                })
                .collect(),
        };
        let summary = Summary {
            columns: Vec::new(),
            themes: vec![Theme {
                key: "t".to_owned(),
                title: "T".to_owned(),
                statements: vec![
                    statement("a", vec![Some(60.0), Some(50.0), Some(70.0)]),
                    statement("b", vec![None, Some(10.0), Some(90.0)]),
                    statement("c", vec![Some(20.0), Some(20.0), None]),
                ],
            }],
        };
        let keys = |sort| -> Vec<String> {
            summary
                .statements(sort)
                .iter()
                .map(|s| s.key.clone())
                .collect()
        };
        assert_eq!(keys(Sort::Questionnaire), ["a", "b", "c"]);
        assert_eq!(keys(Sort::Agree), ["c", "a", "b"]);
        assert_eq!(keys(Sort::Gap), ["b", "a", "c"]);
        assert_eq!(Sort::from_query(Some("gap")), Sort::Gap);
        assert_eq!(Sort::from_query(Some("nonsense")), Sort::Questionnaire);
    }

    /// WCAG relative luminance and contrast ratio.
    fn contrast(a: &str, b: &str) -> f64 {
        let luminance = |hex: &str| {
            let channel = |i: usize| {
                let c = f64::from(u8::from_str_radix(&hex[i..i + 2], 16).unwrap()) / 255.0;
                if c <= 0.03928 {
                    c / 12.92
                } else {
                    ((c + 0.055) / 1.055).powf(2.4)
                }
            };
            0.2126 * channel(0) + 0.7152 * channel(2) + 0.0722 * channel(4)
        };
        let (x, y) = (luminance(a), luminance(b));
        (x.max(y) + 0.05) / (x.min(y) + 0.05)
    }

    #[test]
    fn every_band_keeps_its_text_readable() {
        for fill in BAND_FILLS {
            assert!(contrast(fill, TEXT) >= 4.5, "{fill}");
        }
        assert_eq!(band(0.0), 0);
        assert_eq!(band(59.9), 2);
        assert_eq!(band(100.0), 4);
    }
}
