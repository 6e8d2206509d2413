//! Row downloads: besides the breakdown answers (generalised by `kanon`), whatever gives
//! them back. A question shown only to some breakdown groups (`show_if`, followed through
//! chains) is answered only by rows in those groups, so where a row's answer to that
//! breakdown question is suppressed, its answers to such questions are blanked too.

use std::collections::HashSet;

use crate::questionnaire::{Question, Questionnaire};

/// For each question of `columns`, the positions (in `breakdowns`) of the breakdown
/// questions its `show_if` conditions depend on.
pub fn show_if_dependencies(
    q: &Questionnaire,
    columns: &[&Question],
    breakdowns: &[&Question],
) -> Vec<Vec<usize>> {
    columns
        .iter()
        .map(|question| {
            let mut depends = Vec::new();
            let mut seen = HashSet::new();
            let mut current = *question;
            while let Some(show_if) = &current.show_if {
                if !seen.insert(show_if.question.as_str()) {
                    break;
                }
                if let Some(b) = breakdowns.iter().position(|b| b.key == show_if.question) {
                    depends.push(b);
                }
                match q.question(&show_if.question) {
                    Some(next) => current = next,
                    None => break,
                }
            }
            depends
        })
        .collect()
}
