//! Bar charts of each option's percentage: data only; `report/results_body.html` lays them out
//! in HTML (the option's label on its own line, then one bar per column with its figure at a
//! fixed right column) and draws each bar as a small SVG that scales to the width it is given.
//! When more than one column is drawn, every bar is labelled with its column's name, so colour
//! is never the only way to tell them apart. The chart is hidden from screen readers: the table
//! after it carries the same numbers.

use super::results::{Column, Figures, QuestionResults};

/// How many colours the stylesheet has for series (`chart-series-0` … `-7`); further series
/// reuse the last one (their direct labels still tell them apart).
const SERIES_COLOURS: usize = 8;

#[derive(Debug, Clone)]
pub struct Chart {
    /// Whether each bar carries its column's name (more than one column drawn).
    pub labelled: bool,
    pub rows: Vec<ChartRow>,
}

/// One option: its label, then a bar per drawn column.
#[derive(Debug, Clone)]
pub struct ChartRow {
    pub label: String,
    pub bars: Vec<Bar>,
}

#[derive(Debug, Clone)]
pub struct Bar {
    /// Which column the bar is for: 0 the whole survey, then the groups (for CSS colours).
    pub series: usize,
    /// The column's name, shown beside the bar when the chart is `labelled`.
    pub name: String,
    /// The bar's length as an SVG percentage, e.g. `46.7%`.
    pub length: String,
    /// The figure shown at the bar's end, e.g. `46.7%`.
    pub value: String,
}

/// Bars of each option's percentage, one per published column; `None` for questions without
/// options or with nothing published. `columns` names the columns, in the same order as the
/// question's cells.
pub fn option_bars(question: &QuestionResults, columns: &[Column]) -> Option<Chart> {
    let shown: Vec<(usize, &Figures)> = question
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
    // A withheld figure in a shown column reads "suppressed", never a false 0% bar.
    let bar = |column: usize, percent: Option<f64>| Bar {
        series: column.min(SERIES_COLOURS - 1),
        name: columns
            .get(column)
            .map(|c| c.label.clone())
            .unwrap_or_default(),
        length: format!("{}%", percent.unwrap_or(0.0).clamp(0.0, 100.0)),
        value: percent.map_or_else(
            || crate::messages::report::SUPPRESSED.to_owned(),
            |p| format!("{p}%"),
        ),
    };
    let mut rows: Vec<ChartRow> = question
        .options
        .iter()
        .enumerate()
        .map(|(i, label)| ChartRow {
            label: label.clone(),
            bars: shown
                .iter()
                .map(|(c, f)| bar(*c, f.options.get(i).and_then(|o| o.percent)))
                .collect(),
        })
        .collect();
    if let Some(label) = &question.dont_know {
        rows.push(ChartRow {
            label: label.clone(),
            bars: shown
                .iter()
                .map(|(c, f)| bar(*c, f.dont_know.as_ref().and_then(|o| o.percent)))
                .collect(),
        });
    }
    Some(Chart {
        labelled: shown.len() > 1,
        rows,
    })
}
