//! Server-rendered bar charts: geometry only; the template draws the SVG. Each chart is
//! hidden from screen readers (the table beside it carries the same numbers).

use super::results::QuestionResults;

/// Width of the bar area in SVG units, and the height of one bar and of the gap after a row.
const BAR_AREA: f64 = 300.0;
const BAR_HEIGHT: u32 = 18;
const ROW_GAP: u32 = 10;
const LABEL_WIDTH: u32 = 190;

#[derive(Debug, Clone)]
pub struct Chart {
    pub width: u32,
    pub height: u32,
    pub label_width: u32,
    pub bars: Vec<Bar>,
    pub labels: Vec<RowLabel>,
}

#[derive(Debug, Clone)]
pub struct RowLabel {
    pub y: u32,
    pub text: String,
}

#[derive(Debug, Clone)]
pub struct Bar {
    pub x: u32,
    pub y: u32,
    pub width: u32,
    pub height: u32,
    /// Which column the bar is for: 0 the whole survey, then the groups (for CSS colours).
    pub series: usize,
    pub value_x: u32,
    pub value_y: u32,
    pub value: String,
}

/// An option's label and, per shown column, its percentage (`None` when withheld).
type OptionRow = (String, Vec<(usize, Option<f64>)>);

/// Bars of each option's percentage, one per published column; `None` for questions without
/// options or with nothing published.
pub fn option_bars(question: &QuestionResults) -> Option<Chart> {
    let shown: Vec<(usize, &super::results::Figures)> = question
        .cells
        .iter()
        .enumerate()
        .filter_map(|(c, cell)| cell.figures().map(|f| (c, f)))
        // Only columns with percentages (enough answers) get bars.
        .filter(|(_, f)| f.options.iter().any(|o| o.percent.is_some()))
        .collect();
    if shown.is_empty() || question.options.is_empty() {
        return None;
    }
    let mut rows: Vec<OptionRow> = question
        .options
        .iter()
        .enumerate()
        .map(|(i, label)| {
            let values = shown
                .iter()
                .map(|(c, f)| (*c, f.options.get(i).and_then(|o| o.percent)))
                .collect();
            (label.clone(), values)
        })
        .collect();
    if let Some(label) = &question.dont_know {
        let values = shown
            .iter()
            .map(|(c, f)| (*c, f.dont_know.as_ref().and_then(|o| o.percent)))
            .collect();
        rows.push((label.clone(), values));
    }
    let mut bars = Vec::new();
    let mut labels = Vec::new();
    let mut y = 0;
    for (label, values) in rows {
        labels.push(RowLabel {
            y: y + BAR_HEIGHT - 5,
            text: label,
        });
        for (series, percent) in values {
            // A withheld count (in a shown column) has no bar and says so.
            let width = (percent.unwrap_or(0.0) / 100.0 * BAR_AREA).round() as u32;
            bars.push(Bar {
                x: LABEL_WIDTH,
                y,
                width,
                height: BAR_HEIGHT - 2,
                series: series.min(7),
                value_x: LABEL_WIDTH + width + 4,
                value_y: y + BAR_HEIGHT - 5,
                value: percent.map_or_else(
                    || crate::messages::report::SUPPRESSED.to_owned(),
                    |p| format!("{p}%"),
                ),
            });
            y += BAR_HEIGHT;
        }
        y += ROW_GAP;
    }
    Some(Chart {
        width: LABEL_WIDTH + BAR_AREA as u32 + 60,
        height: y,
        label_width: LABEL_WIDTH,
        bars,
        labels,
    })
}
