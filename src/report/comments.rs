//! Free-text comments for the results page: whole survey only, in random order, and only
//! once the survey has reached its comments threshold. The page shows at most
//! `COMMENTS_SHOWN` per question, gathered from a bounded run of responses that starts at a
//! random identifier, so its cost does not grow with the number of responses; the responses
//! download with free text holds every comment.

use crate::db::{ResponseId, SurveyId};
use rand::seq::SliceRandom;
use serde::Serialize;

use super::{Cell, ReportError, Results};
use crate::db::{responses, DbConnection};
use crate::questionnaire::stored::{Layout, Slots};
use crate::questionnaire::{Question, QuestionKind, Questionnaire};
use crate::secrets::random_id;

/// Comments shown per question.
pub const COMMENTS_SHOWN: usize = 100;
/// Responses read per query, and at most in all, while gathering them.
const PAGE: i64 = 500;
const MOST_READ: usize = 2_000;

/// The free-text answers to one question, whole survey only, in random order.
#[derive(Debug, Clone, Serialize)]
pub struct Comments {
    pub question: String,
    pub text: String,
    pub bodies: Vec<String>,
    /// How many answered the question (when that figure is published), so the page can say
    /// when it shows only some of them.
    pub total: Option<u64>,
}

/// Free-text answers per text question, or nothing while the survey has fewer responses
/// than its comments threshold (checked on `results`, the same figures the page shows).
pub fn comments(
    conn: &mut DbConnection,
    survey_id: SurveyId,
    q: &Questionnaire,
    results: &Results,
) -> Result<Option<Vec<Comments>>, ReportError> {
    if !results.comments_allowed {
        return Ok(None);
    }
    let mut lists: Vec<Comments> = q
        .questions()
        .filter(|question| matches!(question.kind, QuestionKind::Text { .. }))
        .map(|question| Comments {
            question: question.key.clone(),
            text: question.text.clone(),
            bodies: Vec::new(),
            total: answered(results, &question.key),
        })
        .collect();
    if !lists.is_empty() {
        gather(conn, survey_id, q, &mut lists)?;
    }
    for list in &mut lists {
        list.bodies.shuffle(&mut rand::rng());
    }
    Ok(Some(lists))
}

/// Reads responses in identifier order from a random point, wrapping round once, until
/// every list is full, every response is read, or `MOST_READ` responses are read.
fn gather(
    conn: &mut DbConnection,
    survey_id: SurveyId,
    q: &Questionnaire,
    lists: &mut [Comments],
) -> Result<(), ReportError> {
    // Only the text answers are read out of each response; the rest is skipped unread.
    let texts: Vec<&Question> = q
        .questions()
        .filter(|question| matches!(question.kind, QuestionKind::Text { .. }))
        .collect();
    let layout = Layout::new(&texts);
    let mut slots = Slots::new(&layout);
    let start = ResponseId(random_id());
    let mut after = Some(start.clone());
    let mut wrapped = false;
    let mut read = 0;
    let pages = responses::SurveyPages::by_index(survey_id);
    while read < MOST_READ && lists.iter().any(|l| l.bodies.len() < COMMENTS_SHOWN) {
        let page = pages.after(conn, after.as_ref(), PAGE)?;
        for row in &page {
            if wrapped && row.id > start {
                return Ok(());
            }
            read += 1;
            slots.decode(&row.answers)?;
            for (slot, list) in lists.iter_mut().enumerate() {
                if let Some(body) = slots.body(slot) {
                    if list.bodies.len() < COMMENTS_SHOWN {
                        list.bodies.push(body.to_owned());
                    }
                }
            }
        }
        match page.last() {
            Some(last) if page.len() as i64 == PAGE => after = Some(last.id.clone()),
            _ if !wrapped => {
                wrapped = true;
                after = None;
            }
            _ => return Ok(()),
        }
    }
    Ok(())
}

fn answered(results: &Results, key: &str) -> Option<u64> {
    let question = results
        .sections
        .iter()
        .flat_map(|section| &section.questions)
        .find(|question| question.key == key)?;
    match question.cells.first()? {
        Cell::Shown(figures) => figures.answered,
        Cell::Suppressed { .. } => None,
    }
}
