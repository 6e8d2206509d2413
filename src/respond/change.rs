//! Changing an answer from "Check your answers" (the GOV.UK check-answers pattern): the
//! section opens with `?return=check`, and Continue goes back to the check page, unless
//! the change reveals questions (`show_if`), whose sections are asked first.

use std::collections::BTreeSet;

use crate::questionnaire::{self, Answers, Questionnaire};

use super::form::parse_form;

/// The query or form field that marks a section page opened from the check page.
const RETURN: &str = "return";
/// The sections still to ask before returning, as 1-based numbers ("3,5").
const THEN: &str = "then";

/// A section page opened to change an answer, with the sections still to ask afterwards.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Returning {
    /// Section indexes (0-based) whose revealed questions are still to be asked.
    pub pending: BTreeSet<usize>,
}

impl Returning {
    /// From a page's query string (`?return=check&then=3,5`); `None` on the ordinary journey.
    pub fn from_query(query: &str) -> Option<Self> {
        let fields = parse_form(query.as_bytes()).ok()?;
        Self::from_pairs(&fields, RETURN, THEN)
    }

    /// From the hidden fields of a posted section form, removing them from the answers.
    pub fn take_from(fields: &mut Vec<(String, String)>) -> Option<Self> {
        let returning = Self::from_pairs(fields, "_return", "_then");
        fields.retain(|(name, _)| name != "_return" && name != "_then");
        returning
    }

    fn from_pairs(fields: &[(String, String)], ret: &str, then: &str) -> Option<Self> {
        fields.iter().find(|(n, v)| n == ret && v == "check")?;
        let pending = fields
            .iter()
            .filter(|(n, _)| n == then)
            .flat_map(|(_, v)| v.split(','))
            .filter_map(|n| n.trim().parse::<usize>().ok()?.checked_sub(1))
            .collect();
        Some(Self { pending })
    }

    /// The value of the hidden `_then` field: the pending sections as 1-based numbers.
    pub fn then(&self) -> String {
        self.pending
            .iter()
            .map(|i| (i + 1).to_string())
            .collect::<Vec<_>>()
            .join(",")
    }

    /// The query that opens a section in this mode.
    pub fn query(&self) -> String {
        if self.pending.is_empty() {
            format!("?{RETURN}=check")
        } else {
            format!("?{RETURN}=check&{THEN}={}", self.then())
        }
    }

    /// After section `index` was saved (answers `before` → `after`): the next section to
    /// ask, with what is still pending then, or `None` to return to the check page.
    pub fn next(
        &self,
        questionnaire: &Questionnaire,
        index: usize,
        before: &Answers,
        after: &Answers,
    ) -> Option<(usize, Returning)> {
        let visible = questionnaire::visible_sections(questionnaire, after);
        let mut pending: BTreeSet<usize> = self
            .pending
            .iter()
            .copied()
            .chain(revealed_sections(questionnaire, before, after))
            .filter(|&i| i != index && visible.contains(&i))
            .collect();
        let first = pending.pop_first()?;
        Some((first, Returning { pending }))
    }
}

/// Sections holding questions that `after` shows, `before` did not, and that have no answer.
pub fn revealed_sections(
    questionnaire: &Questionnaire,
    before: &Answers,
    after: &Answers,
) -> BTreeSet<usize> {
    questionnaire
        .sections
        .iter()
        .enumerate()
        .filter(|(_, section)| {
            section.questions.iter().any(|q| {
                !after.contains_key(&q.key)
                    && questionnaire::visible(questionnaire, q, after)
                    && !questionnaire::visible(questionnaire, q, before)
            })
        })
        .map(|(index, _)| index)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_query_and_the_hidden_fields() {
        assert_eq!(Returning::from_query(""), None);
        assert_eq!(Returning::from_query("return=elsewhere"), None);
        let r = Returning::from_query("return=check&then=3,5").expect("returning");
        assert_eq!(r.pending, BTreeSet::from([2, 4]));
        assert_eq!(r.then(), "3,5");
        assert_eq!(r.query(), "?return=check&then=3,5");
        let mut fields = vec![
            ("_return".to_owned(), "check".to_owned()),
            ("_then".to_owned(), "".to_owned()),
            ("a".to_owned(), "1".to_owned()),
        ];
        let r = Returning::take_from(&mut fields).expect("returning");
        assert!(r.pending.is_empty());
        assert_eq!(fields, vec![("a".to_owned(), "1".to_owned())]);
    }
}
