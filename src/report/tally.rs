//! What one response adds to the tallies, and recomputing a survey's tallies from its
//! stored answers.
//!
//! A response counts in the whole survey (group `('', '')`) and, for each breakdown question,
//! in the group of its answer to it (`(question, value)`, or `(question, '')` when not
//! answered). Within each group it adds one to:
//! - `('', '')`: the group's responses;
//! - `(question, ANSWERED)`: for each question it answered (text questions included);
//! - `(question, value)`: for each option chosen, and for each number (its value as stored),
//!   so medians and quartiles come from the histogram.
//!
//! In the whole survey only, it also adds one to `(COMBINATION, its answers to every
//! breakdown question)`, so disclosure control knows how the groups of different breakdowns
//! overlap without reading responses.

use crate::db::{ResponseId, SurveyId};
use std::collections::HashMap;

use crate::db::tallies::{TallyIncrements, TallyKey, TallyRow};
use crate::db::{tallies, write_transaction, DbConnection, DbError};
use crate::questionnaire::stored;
use crate::questionnaire::Questionnaire;

/// The pseudo-value counting those who answered a question. Option values never start with
/// a space and numbers are stored without one, so it cannot collide with a real value.
pub const ANSWERED: &str = " answered";

/// The pseudo-question counting responses per combination of breakdown answers (whole
/// survey only); its values are `combination_value`s.
pub const COMBINATION: &str = " combination";

/// Separates the answers in a combination value; never part of an option value.
const SEPARATOR: char = '\u{1f}';

/// The tally value of a combination of breakdown answers (in questionnaire order).
pub fn combination_value<'a>(answers: impl IntoIterator<Item = &'a str>) -> String {
    let mut value = String::new();
    for (i, answer) in answers.into_iter().enumerate() {
        if i > 0 {
            value.push(SEPARATOR);
        }
        value.push_str(answer);
    }
    value
}

/// The answers of a combination value, given how many breakdown questions there are.
pub fn split_combination(value: &str, breakdowns: usize) -> Vec<String> {
    if breakdowns == 0 {
        return Vec::new();
    }
    value.split(SEPARATOR).map(str::to_owned).collect()
}

/// How many responses give each combination of breakdown answers, from tally rows of the
/// whole survey.
pub fn combinations(q: &Questionnaire, rows: &[TallyRow]) -> Vec<(Vec<String>, u64)> {
    let width = breakdown_keys(q).len();
    rows.iter()
        .filter(|r| r.by_question.is_empty() && r.question_key == COMBINATION)
        .map(|r| {
            (
                split_combination(&r.value, width),
                u64::try_from(r.count).unwrap_or(0),
            )
        })
        .collect()
}

/// Responses read per page when recomputing.
const PAGE: i64 = 2_000;

/// The keys of the questions results may be split by, in questionnaire order.
pub fn breakdown_keys(q: &Questionnaire) -> Vec<String> {
    q.questions()
        .filter(|question| question.breakdown)
        .map(|question| question.key.clone())
        .collect()
}

/// The breakdown groups a response counts in besides the whole survey: its answer to each
/// breakdown question, '' when it did not answer it.
pub fn groups_of(breakdowns: &[String], answers: &[(&str, &str)]) -> Vec<(String, String)> {
    breakdowns
        .iter()
        .map(|key| {
            let value = answers
                .iter()
                .find(|(question, _)| question == key)
                .map(|(_, value)| (*value).to_owned())
                .unwrap_or_default();
            (key.clone(), value)
        })
        .collect()
}

type BorrowedKey<'a> = (SurveyId, &'a str, &'a str, &'a str, &'a str);

/// Counts borrowed keys first, so a batch allocates once per distinct key, not per increment.
#[derive(Default)]
struct Counter<'a> {
    counts: HashMap<BorrowedKey<'a>, i64>,
}

impl<'a> Counter<'a> {
    /// One response: `groups` from `groups_of`; `answers` are (question, value) pairs, one
    /// per chosen option or number; `texts` the keys of questions answered in free text.
    fn add_response(
        &mut self,
        survey_id: SurveyId,
        groups: &'a [(String, String)],
        combination: &'a str,
        answers: &[(&'a str, &'a str)],
        texts: &[&'a str],
    ) {
        *self
            .counts
            .entry((survey_id, "", "", COMBINATION, combination))
            .or_insert(0) += 1;
        let mut answered: Vec<&'a str> = answers
            .iter()
            .map(|(question, _)| *question)
            .chain(texts.iter().copied())
            .collect();
        answered.sort_unstable();
        answered.dedup();
        let overall = ("", "");
        let all =
            std::iter::once(overall).chain(groups.iter().map(|(q, v)| (q.as_str(), v.as_str())));
        for (by_question, by_value) in all {
            let mut bump = |question: &'a str, value: &'a str| {
                *self
                    .counts
                    .entry((survey_id, by_question, by_value, question, value))
                    .or_insert(0) += 1;
            };
            bump("", "");
            for question in &answered {
                bump(question, ANSWERED);
            }
            for (question, value) in answers {
                bump(question, value);
            }
        }
    }

    fn into_increments(self, into: &mut TallyIncrements) {
        for ((survey_id, by_question, by_value, question_key, value), count) in self.counts {
            let key = TallyKey {
                survey_id,
                by_question: by_question.to_owned(),
                by_value: by_value.to_owned(),
                question_key: question_key.to_owned(),
                value: value.to_owned(),
            };
            *into.entry(key).or_insert(0) += count;
        }
    }
}

/// One decoded response as the counter reads it: (question, value) pairs and text keys.
type Borrowed<'a> = (Vec<(&'a str, &'a str)>, Vec<&'a str>);

/// The increments for stored responses of one survey, from their stored answers.
pub fn for_stored<'a>(
    q: &Questionnaire,
    survey_id: SurveyId,
    stored: impl IntoIterator<Item = &'a str>,
) -> Result<TallyIncrements, DbError> {
    for_stored_by(q, &breakdown_keys(q), survey_id, stored)
}

/// As `for_stored`, counting groups of the given breakdown questions only.
fn for_stored_by<'a>(
    q: &Questionnaire,
    breakdowns: &[String],
    survey_id: SurveyId,
    stored: impl IntoIterator<Item = &'a str>,
) -> Result<TallyIncrements, DbError> {
    /// Responses decoded at a time: memory stays flat however many are folded.
    const CHUNK: usize = 256;
    let mut increments = TallyIncrements::new();
    let stored: Vec<&str> = stored.into_iter().collect();
    let index = stored::QuestionIndex::new(q);
    let every_breakdown = breakdown_keys(q);
    for chunk in stored.chunks(CHUNK) {
        let decoded = chunk
            .iter()
            .map(|json| stored::decode_with(&index, json))
            .collect::<Result<Vec<_>, _>>()?;
        let responses: Vec<Borrowed<'_>> = decoded
            .iter()
            .map(|d| {
                let pairs = d
                    .values
                    .iter()
                    .map(|(question, value, _)| (question.as_str(), value.as_str()))
                    .collect();
                let texts = d.texts.iter().map(|(key, _)| key.as_str()).collect();
                (pairs, texts)
            })
            .collect();
        let groups: Vec<Vec<(String, String)>> = responses
            .iter()
            .map(|(pairs, _)| groups_of(breakdowns, pairs))
            .collect();
        let combinations: Vec<String> = responses
            .iter()
            .map(|(pairs, _)| {
                let all = groups_of(&every_breakdown, pairs);
                combination_value(all.iter().map(|(_, value)| value.as_str()))
            })
            .collect();
        let mut counter = Counter::default();
        for (((pairs, texts), groups), combination) in
            responses.iter().zip(&groups).zip(&combinations)
        {
            counter.add_response(survey_id, groups, combination, pairs, texts);
        }
        counter.into_increments(&mut increments);
    }
    Ok(increments)
}

/// Folds up to `limit` responses that are stored but not yet tallied into the tallies, in one
/// write transaction; returns how many. Safe with several instances (see
/// `tallies::fold_untallied`).
pub fn fold_pending(conn: &mut DbConnection, limit: i64) -> Result<usize, DbError> {
    tallies::fold_untallied(conn, limit, increments_for_claimed)
}

fn increments_for_claimed(
    conn: &mut DbConnection,
    claimed: &[tallies::Claimed],
) -> Result<TallyIncrements, DbError> {
    let mut by_survey: HashMap<SurveyId, Vec<&str>> = HashMap::new();
    for response in claimed {
        by_survey
            .entry(response.survey_id)
            .or_default()
            .push(response.answers.as_str());
    }
    let mut increments = TallyIncrements::new();
    for (survey_id, answers) in by_survey {
        let row = crate::db::surveys::find_by_id(conn, survey_id)?
            .ok_or(DbError::Query(diesel::result::Error::NotFound))?;
        let q = row.questionnaire()?;
        for (key, count) in for_stored(&q, survey_id, answers)? {
            *increments.entry(key).or_insert(0) += count;
        }
    }
    Ok(increments)
}

/// Folds every pending response (start-up, tools and tests).
pub fn fold_all(conn: &mut DbConnection) -> Result<usize, DbError> {
    let mut total = 0;
    loop {
        let folded = fold_pending(conn, PAGE)?;
        total += folded;
        if folded == 0 {
            return Ok(total);
        }
    }
}

/// The tallies of a survey as `tallies::load` gives them, plus the responses not folded in
/// yet, read from one snapshot: exact whatever the folding task is doing.
pub fn load_exact(
    conn: &mut DbConnection,
    survey_id: SurveyId,
    q: &Questionnaire,
    breakdown: Option<&str>,
) -> Result<Vec<TallyRow>, DbError> {
    crate::db::read_snapshot(conn, |conn| {
        let folded = tallies::load(conn, survey_id, breakdown)?;
        let pending = tallies::untallied_answers(conn, survey_id)?;
        if pending.is_empty() {
            return Ok(folded);
        }
        let mut merged: HashMap<(String, String, String, String), i64> = folded
            .into_iter()
            .map(|r| {
                (
                    (r.by_question, r.by_value, r.question_key, r.value),
                    r.count,
                )
            })
            .collect();
        // Only the groups this report shows: the whole survey and the requested breakdown.
        let shown: Vec<String> = breakdown.into_iter().map(str::to_owned).collect();
        let counted = for_stored_by(q, &shown, survey_id, pending.iter().map(String::as_str))?;
        for (key, count) in counted {
            *merged
                .entry((key.by_question, key.by_value, key.question_key, key.value))
                .or_insert(0) += count;
        }
        Ok(merged
            .into_iter()
            .map(
                |((by_question, by_value, question_key, value), count)| TallyRow {
                    by_question,
                    by_value,
                    question_key,
                    value,
                    count,
                },
            )
            .collect())
    })
}

/// Replaces a survey's tallies with a recomputation from its stored answers, in one write
/// transaction (submissions wait meanwhile, so none is counted twice or missed).
pub fn rebuild(
    conn: &mut DbConnection,
    survey_id: SurveyId,
    q: &Questionnaire,
) -> Result<(), DbError> {
    write_transaction(conn, |conn| {
        let recomputed = recompute(conn, survey_id, q)?;
        tallies::delete_for_survey(conn, survey_id)?;
        tallies::unmark_survey(conn, survey_id)?;
        tallies::add(conn, &recomputed)?;
        Ok(())
    })
}

/// The tallies the stored answers imply, read a page of responses at a time.
pub fn recompute(
    conn: &mut DbConnection,
    survey_id: SurveyId,
    q: &Questionnaire,
) -> Result<TallyIncrements, DbError> {
    let mut increments = TallyIncrements::new();
    let pages = crate::db::responses::SurveyPages::new(conn, survey_id)?;
    let mut after: Option<ResponseId> = None;
    loop {
        let page = pages.after(conn, after.as_ref(), PAGE)?;
        let Some(last) = page.last().map(|row| row.id.clone()) else {
            return Ok(increments);
        };
        let counted = for_stored(q, survey_id, page.iter().map(|row| row.answers.as_str()))?;
        for (key, count) in counted {
            *increments.entry(key).or_insert(0) += count;
        }
        after = Some(last);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn count(map: &TallyIncrements, group: (&str, &str), question: &str, value: &str) -> i64 {
        let key = TallyKey {
            survey_id: SurveyId(1),
            by_question: group.0.into(),
            by_value: group.1.into(),
            question_key: question.into(),
            value: value.into(),
        };
        map.get(&key).copied().unwrap_or(0)
    }

    #[test]
    fn a_response_counts_overall_and_in_each_breakdown_group() {
        let breakdowns = vec!["agency".to_string(), "role".to_string()];
        let first = [
            ("agency", "police"),
            ("training", "a"),
            ("training", "b"),
            ("caseload", "12"),
        ];
        let second = [("agency", "police")];
        let (first_groups, second_groups) = (
            groups_of(&breakdowns, &first),
            groups_of(&breakdowns, &second),
        );
        let mut counter = Counter::default();
        counter.add_response(
            SurveyId(1),
            &first_groups,
            "police\u{1f}",
            &first,
            &["comment"],
        );
        counter.add_response(SurveyId(1), &second_groups, "police\u{1f}", &second, &[]);
        let mut map = TallyIncrements::new();
        counter.into_increments(&mut map);
        for group in [("", ""), ("agency", "police"), ("role", "")] {
            assert_eq!(count(&map, group, "", ""), 2, "{group:?}");
            assert_eq!(count(&map, group, "training", ANSWERED), 1);
            assert_eq!(count(&map, group, "training", "a"), 1);
            assert_eq!(count(&map, group, "caseload", "12"), 1);
            assert_eq!(count(&map, group, "comment", ANSWERED), 1);
            assert_eq!(count(&map, group, "agency", ANSWERED), 2);
        }
        assert_eq!(count(&map, ("agency", ""), "", ""), 0);
        assert_eq!(count(&map, ("", ""), COMBINATION, "police\u{1f}"), 2);
        // 3 groups × (responses + 4 answered + 5 values) for the first; 3 × (1 + 1 + 1)
        // shared; one combination.
        assert_eq!(map.len(), 3 * (1 + 4 + 4) + 1);
    }
}
