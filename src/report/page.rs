//! The results page: a view of `Results` (and the comments, when allowed) for the template
//! `report/results.html`. Handlers (behind sign-in) load the results and render this.

use askama::Template;

use super::charts::{self, Chart};
use super::export::table::{self, Value};
use super::results::Results;
use super::Comments;
use crate::messages::report as msg;
use crate::questionnaire::Questionnaire;

#[derive(Template)]
#[template(path = "report/results.html")]
pub struct ResultsPage {
    pub title: String,
    pub responses: u64,
    pub notes: Vec<String>,
    /// Form target of the breakdown chooser.
    pub action: String,
    pub breakdowns: Vec<BreakdownChoice>,
    pub column_labels: Vec<String>,
    pub sections: Vec<SectionView>,
    pub comments: Option<Vec<Comments>>,
    /// The summary of statements at the top (`report/summary.html`), when built.
    pub summary: Option<super::summary_view::SummaryView>,
}

pub struct BreakdownChoice {
    pub key: String,
    pub text: String,
    pub selected: bool,
}

pub struct SectionView {
    pub title: String,
    pub themes: Vec<String>,
    pub has_theme: bool,
    pub questions: Vec<QuestionView>,
}

pub struct QuestionView {
    pub id: String,
    pub text: String,
    pub chart: Option<Chart>,
    pub rows: Vec<(String, Vec<String>)>,
}

fn shown(number: &Value, percent: &Value) -> String {
    match (number, percent) {
        (Value::Text(text), _) => text.clone(),
        (Value::Number(n), Value::Number(p)) => format!("{n} ({p}%)"),
        (Value::Number(n), _) => n.to_string(),
        (Value::Empty, Value::Number(p)) => format!("{p}%"),
        (Value::Empty, _) => String::new(),
    }
}

/// The page for these results. `action` is the page's own address, for the chooser.
pub fn results_page(
    q: &Questionnaire,
    results: &Results,
    comments: Option<Vec<Comments>>,
    action: String,
) -> ResultsPage {
    let mut notes = vec![msg::suppression_rule(results.min_group_size)];
    if results.suppressed {
        notes.insert(0, msg::survey_below_threshold(results.min_group_size));
    }
    if let Some(channels) = &results.channels {
        notes.push(msg::channels(channels.invitations, channels.open_link));
    }
    if !results.comments_allowed {
        notes.push(msg::comments_below_threshold(results.comments_threshold));
    }
    let selected = results.breakdown.as_ref().map(|b| b.question.as_str());
    let breakdowns = q
        .questions()
        .filter(|question| question.breakdown)
        .map(|question| BreakdownChoice {
            key: question.key.clone(),
            text: question.text.clone(),
            selected: Some(question.key.as_str()) == selected,
        })
        .collect();
    let sections = results
        .sections
        .iter()
        .map(|section| SectionView {
            title: section.title.clone(),
            has_theme: section.themes.iter().any(Option::is_some),
            themes: section
                .themes
                .iter()
                .map(|t| {
                    t.as_ref()
                        .map_or(msg::SUPPRESSED.to_owned(), |t| t.score.to_string())
                })
                .collect(),
            questions: section
                .questions
                .iter()
                .map(|question| QuestionView {
                    id: format!("q-{}", question.key),
                    text: question.text.clone(),
                    chart: charts::option_bars(question, &results.columns),
                    rows: table::question_rows(question)
                        .into_iter()
                        .map(|row| {
                            let label = row.get(2).map(Value::to_text).unwrap_or_default();
                            let cells = row[3..]
                                .chunks(2)
                                .map(|pair| shown(&pair[0], &pair[1]))
                                .collect();
                            (label, cells)
                        })
                        .collect(),
                })
                .collect(),
        })
        .collect();
    ResultsPage {
        title: results.title.clone(),
        responses: results.responses,
        notes,
        action,
        breakdowns,
        column_labels: results
            .columns
            .iter()
            .map(|c| match c.responses {
                Some(n) => format!("{} ({n})", c.label),
                None => format!("{} ({})", c.label, msg::SUPPRESSED),
            })
            .collect(),
        sections,
        comments,
        summary: None,
    }
}
