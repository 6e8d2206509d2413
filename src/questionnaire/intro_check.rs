//! A warning when a section's introduction speaks of questions some respondents never see.
//!
//! The heuristic: the section has questions with `show_if`, and its `introduction` (which
//! everyone reads) mentions "question" together with "only", "first" or " for " — as in
//! "The first two questions are for staff in council children's services only". Such text
//! belongs in an `[[sections.intro_parts]]` entry with the same `show_if`.

use crate::messages::validation::intro_mentions_hidden_questions;

use super::definition::Questionnaire;

pub fn warnings(questionnaire: &Questionnaire) -> Vec<String> {
    questionnaire
        .sections
        .iter()
        .enumerate()
        .filter(|(_, section)| section.questions.iter().any(|q| q.show_if.is_some()))
        .filter(|(_, section)| {
            section
                .introduction
                .as_deref()
                .is_some_and(speaks_of_some_questions)
        })
        .map(|(index, section)| intro_mentions_hidden_questions(index + 1, &section.key))
        .collect()
}

fn speaks_of_some_questions(text: &str) -> bool {
    let text = text.to_lowercase();
    text.contains("question")
        && ["only", "first", " for "]
            .iter()
            .any(|word| text.contains(word))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_text_about_some_questions() {
        assert!(speaks_of_some_questions(
            "The first two questions are for staff in council children's services only."
        ));
        assert!(!speaks_of_some_questions(
            "Supervision means regular meetings with your manager."
        ));
    }
}
