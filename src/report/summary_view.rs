//! The summary as the results page and its printable view show it
//! (`templates/report/summary.html`): text and a colour class per cell, sort links that work
//! without JavaScript.

use askama::Template;

use super::overview::Overview;
use super::summary::{band, Sort, Summary, SummaryCell};
use crate::messages::findings as msg;

pub struct SummaryView {
    pub overview: Overview,
    pub column_labels: Vec<String>,
    pub groups: Vec<RowGroup>,
    pub sort_links: Vec<SortLink>,
    /// Whether the statements are sorted (themes then show beside each statement).
    pub sorted: bool,
    pub explained: &'static str,
    pub reverse_mark: &'static str,
    pub empty: bool,
    pub printable_href: String,
    pub docx_href: String,
}

pub struct RowGroup {
    pub title: Option<String>,
    pub rows: Vec<RowView>,
}

pub struct RowView {
    pub text: String,
    pub theme: String,
    pub reverse: bool,
    pub cells: Vec<CellView>,
}

pub struct CellView {
    /// `summary-band-N` or `summary-none`.
    pub class: String,
    pub main: String,
    pub detail: String,
}

pub struct SortLink {
    pub href: String,
    pub text: &'static str,
    pub current: bool,
}

fn cell(cell: &SummaryCell, reverse: bool) -> CellView {
    match cell {
        SummaryCell::Suppressed => CellView {
            class: "summary-none".to_owned(),
            main: msg::suppressed(),
            detail: String::new(),
        },
        SummaryCell::TooFewAnswers { answered } => CellView {
            class: "summary-none".to_owned(),
            main: msg::too_few(*answered),
            detail: String::new(),
        },
        SummaryCell::Shown {
            agree,
            disagree,
            answered,
        } => CellView {
            class: format!(
                "summary-band-{}",
                band(cell.favourable(reverse).unwrap_or(50.0))
            ),
            main: msg::agree_cell(*agree),
            detail: msg::detail_cell(*disagree, *answered),
        },
    }
}

/// `base` is the results address (`/admin/surveys/SLUG`); `breakdown` the chosen key.
pub fn summary_view(
    summary: &Summary,
    overview: Overview,
    sort: Sort,
    base: &str,
    page: &str,
    breakdown: Option<&str>,
) -> SummaryView {
    let query = |sort: Sort| -> String {
        let mut pairs: Vec<(&str, &str)> = Vec::new();
        if let Some(key) = breakdown {
            pairs.push(("breakdown", key));
        }
        if let Some(value) = sort.query_value() {
            pairs.push(("sort", value));
        }
        let query: String = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(pairs)
            .finish();
        if query.is_empty() {
            query
        } else {
            format!("?{query}")
        }
    };
    let mut choices = vec![
        (Sort::Questionnaire, msg::SORT_QUESTIONNAIRE),
        (Sort::Agree, msg::SORT_AGREE),
    ];
    if summary.has_groups() {
        choices.push((Sort::Gap, msg::SORT_GAP));
    }
    let sort_links = choices
        .into_iter()
        .map(|(choice, text)| SortLink {
            href: format!("{base}/{page}{}#summary", query(choice)),
            text,
            current: choice == sort,
        })
        .collect();
    let row = |s: &super::summary::Statement| RowView {
        text: s.text.clone(),
        theme: s.theme.clone(),
        reverse: s.reverse,
        cells: s.cells.iter().map(|c| cell(c, s.reverse)).collect(),
    };
    let sorted = sort != Sort::Questionnaire;
    let groups = if sorted {
        vec![RowGroup {
            title: None,
            rows: summary.statements(sort).into_iter().map(row).collect(),
        }]
    } else {
        summary
            .themes
            .iter()
            .map(|theme| RowGroup {
                title: Some(theme.title.clone()),
                rows: theme.statements.iter().map(row).collect(),
            })
            .collect()
    };
    let by = query(Sort::Questionnaire);
    SummaryView {
        overview,
        column_labels: summary
            .columns
            .iter()
            .map(|c| match c.responses {
                Some(n) => format!("{} ({n})", c.label),
                None => format!("{} ({})", c.label, msg::suppressed()),
            })
            .collect(),
        groups,
        sort_links,
        sorted,
        explained: msg::SUMMARY_EXPLAINED,
        reverse_mark: msg::REVERSE_MARK,
        empty: summary.is_empty(),
        printable_href: format!("{base}/summary{}", query(sort)),
        docx_href: format!("{base}/results.docx{by}"),
    }
}

/// The printable view: the summary on its own.
#[derive(Template)]
#[template(path = "report/summary_page.html")]
pub struct SummaryPage {
    pub title: String,
    pub back_href: String,
    pub summary: SummaryView,
}
