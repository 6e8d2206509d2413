//! The results as tables: one per section (rows of figures, a number and a percentage per
//! column), plus a cover. CSV puts the sections one after another; XLSX gives each a sheet.

use crate::messages::report as msg;
use crate::report::results::{Figures, QuestionResults, Results};

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Empty,
    Number(f64),
    Text(String),
}

impl Value {
    pub fn to_text(&self) -> String {
        match self {
            Value::Empty => String::new(),
            Value::Number(n) => n.to_string(),
            Value::Text(text) => text.clone(),
        }
    }

    fn text(text: &str) -> Self {
        Value::Text(text.to_owned())
    }
}

pub struct SectionTable {
    pub key: String,
    pub title: String,
    pub rows: Vec<Vec<Value>>,
}

/// Question, question text, figure, then a number and a percentage per column.
pub fn sheet_header(results: &Results) -> Vec<Value> {
    let mut header = vec![
        Value::text("Question"),
        Value::text("Question text"),
        Value::text("Figure"),
    ];
    for column in &results.columns {
        header.push(Value::Text(format!("{}: number", column.label)));
        header.push(Value::Text(format!("{}: %", column.label)));
    }
    header
}

pub fn csv_header(results: &Results) -> Vec<String> {
    std::iter::once("Section".to_owned())
        .chain(sheet_header(results).iter().map(Value::to_text))
        .collect()
}

/// Title, survey, counts, thresholds and the suppression rule, one per row.
pub fn cover(results: &Results) -> Vec<Vec<Value>> {
    let mut lines = vec![
        vec![Value::text(&results.title)],
        vec![Value::text("Survey"), Value::text(&results.survey)],
        vec![
            Value::text(msg::RESPONSES),
            Value::Number(results.responses as f64),
        ],
        vec![
            Value::text("Minimum group size"),
            Value::Number(f64::from(results.min_group_size)),
        ],
    ];
    if let Some(breakdown) = &results.breakdown {
        lines.push(vec![
            Value::text("Broken down by"),
            Value::text(&breakdown.text),
        ]);
    }
    if results.suppressed {
        lines.push(vec![Value::Text(msg::survey_below_threshold(
            results.min_group_size,
        ))]);
    }
    lines.extend(
        notes(results)
            .into_iter()
            .map(|note| vec![Value::Text(note)]),
    );
    lines
}

/// The notes every results download carries: the rules, and responses by channel.
pub fn notes(results: &Results) -> Vec<String> {
    let mut notes = vec![msg::suppression_rule(results.min_group_size)];
    if let Some(channels) = &results.channels {
        notes.push(msg::channels(channels.invitations, channels.open_link));
    }
    notes
}

enum Figure {
    Option(usize),
    DontKnow,
    Answered,
    NotAnswered,
    Agree,
    Score,
    Count,
    Mean,
    Median,
    LowerQuartile,
    UpperQuartile,
}

pub fn sections(results: &Results) -> Vec<SectionTable> {
    results
        .sections
        .iter()
        .map(|section| {
            let mut rows = Vec::new();
            let mut responses = vec![Value::Empty, Value::Empty, Value::text(msg::RESPONSES)];
            for column in &results.columns {
                responses.push(match column.responses {
                    Some(n) => Value::Number(n as f64),
                    None => Value::text(msg::SUPPRESSED),
                });
                responses.push(Value::Empty);
            }
            rows.push(responses);
            if section.themes.iter().any(Option::is_some) {
                let mut theme = vec![Value::Empty, Value::Empty, Value::text(msg::THEME_SCORE)];
                for score in &section.themes {
                    theme.push(match score {
                        Some(theme) => Value::Number(theme.score),
                        None => Value::text(msg::SUPPRESSED),
                    });
                    theme.push(Value::Empty);
                }
                rows.push(theme);
            }
            for question in &section.questions {
                rows.extend(question_rows(question));
            }
            SectionTable {
                key: section.key.clone(),
                title: section.title.clone(),
                rows,
            }
        })
        .collect()
}

pub fn question_rows(question: &QuestionResults) -> Vec<Vec<Value>> {
    // Rows come from the question, not the data: a suppressed question lists its figures,
    // each marked suppressed.
    let mut figures: Vec<(String, Figure)> = Vec::new();
    for (i, label) in question.options.iter().enumerate() {
        figures.push((label.clone(), Figure::Option(i)));
    }
    if let Some(label) = &question.dont_know {
        figures.push((label.clone(), Figure::DontKnow));
    }
    figures.push((msg::ANSWERED.to_owned(), Figure::Answered));
    figures.push((msg::NOT_ANSWERED.to_owned(), Figure::NotAnswered));
    match question.kind {
        "likert" => {
            if question.agree {
                figures.push((msg::PERCENT_AGREE.to_owned(), Figure::Agree));
            }
            figures.push((msg::SCORE.to_owned(), Figure::Score));
        }
        "number" => {
            figures.push((msg::COUNT.to_owned(), Figure::Count));
            figures.push((msg::MEAN.to_owned(), Figure::Mean));
            figures.push((msg::MEDIAN.to_owned(), Figure::Median));
            figures.push((msg::LOWER_QUARTILE.to_owned(), Figure::LowerQuartile));
            figures.push((msg::UPPER_QUARTILE.to_owned(), Figure::UpperQuartile));
        }
        _ => {}
    }
    figures
        .into_iter()
        .map(|(label, figure)| {
            let mut row = vec![
                Value::text(&question.key),
                Value::text(&question.text),
                Value::Text(label),
            ];
            for cell in &question.cells {
                let (number, percent) = match cell.figures() {
                    Some(f) => values(f, &figure),
                    None => (Value::text(msg::SUPPRESSED), Value::text(msg::SUPPRESSED)),
                };
                row.push(number);
                row.push(percent);
            }
            row
        })
        .collect()
}

fn values(f: &Figures, figure: &Figure) -> (Value, Value) {
    let hidden = || Value::text(msg::SUPPRESSED);
    let count = |n: Option<u64>| n.map_or_else(hidden, |n| Value::Number(n as f64));
    // A percentage left out for want of answers says so; one of a hidden count is hidden.
    let share = |count: Option<u64>, percent: Option<f64>| match (count, percent) {
        (_, Some(p)) => Value::Number(p),
        (None, None) => hidden(),
        (Some(_), None) if f.too_few_answers => Value::text(msg::TOO_FEW_ANSWERS),
        (Some(_), None) => Value::Empty,
    };
    let maybe = |v: Option<f64>| match v {
        Some(v) => Value::Number(v),
        None if f.too_few_answers => Value::text(msg::TOO_FEW_ANSWERS),
        None => Value::Empty,
    };
    let number = |pick: fn(&crate::report::stats::NumberSummary) -> Option<f64>| {
        (
            f.numbers.as_ref().map_or(Value::Empty, |s| maybe(pick(s))),
            Value::Empty,
        )
    };
    match figure {
        Figure::Option(i) => f.options.get(*i).map_or((Value::Empty, Value::Empty), |o| {
            (count(o.count), share(o.count, o.percent))
        }),
        Figure::DontKnow => f
            .dont_know
            .as_ref()
            .map_or((Value::Empty, Value::Empty), |o| {
                (count(o.count), share(o.count, o.percent))
            }),
        Figure::Answered => (count(f.answered), Value::Empty),
        Figure::NotAnswered => (count(f.not_answered), Value::Empty),
        Figure::Agree => (Value::Empty, maybe(f.agree_percent)),
        Figure::Score => (maybe(f.score), Value::Empty),
        Figure::Count => (
            f.numbers
                .as_ref()
                .map_or(Value::Empty, |s| Value::Number(s.count as f64)),
            Value::Empty,
        ),
        Figure::Mean => number(|s| s.mean),
        Figure::Median => number(|s| s.median),
        Figure::LowerQuartile => number(|s| s.lower_quartile),
        Figure::UpperQuartile => number(|s| s.upper_quartile),
    }
}
