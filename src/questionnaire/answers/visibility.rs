//! Which questions and sections are asked, given the answers so far (`show_if`).

use super::*;

/// Whether the question is asked, given the answers so far: always without `show_if`;
/// otherwise when the question it refers to is itself asked and was answered with one of
/// the listed values (for a multi question, when any chosen value is listed).
pub fn visible(q: &Questionnaire, question: &Question, answers: &Answers) -> bool {
    // A condition always refers to an earlier section, so a chain is never longer than the
    // number of sections; the limit only guards against a malformed definition.
    visible_within(q, question, answers, q.sections.len())
}

pub(super) fn visible_within(
    q: &Questionnaire,
    question: &Question,
    answers: &Answers,
    depth: usize,
) -> bool {
    let Some(show_if) = &question.show_if else {
        return true;
    };
    let (Some(depth), Some(controller)) = (depth.checked_sub(1), q.question(&show_if.question))
    else {
        return false;
    };
    visible_within(q, controller, answers, depth)
        && answers.get(&controller.key).is_some_and(|answer| {
            answer
                .chosen()
                .iter()
                .any(|value| show_if.any_of.contains(value))
        })
}

/// Whether a `show_if` holds: its question is asked and was answered with a listed value.
pub fn condition_met(q: &Questionnaire, show_if: &ShowIf, answers: &Answers) -> bool {
    q.question(&show_if.question).is_some_and(|controller| {
        visible(q, controller, answers)
            && answers.get(&controller.key).is_some_and(|answer| {
                answer
                    .chosen()
                    .iter()
                    .any(|value| show_if.any_of.contains(value))
            })
    })
}

/// Indexes of the sections with at least one question asked.
pub fn visible_sections(q: &Questionnaire, answers: &Answers) -> Vec<usize> {
    q.sections
        .iter()
        .enumerate()
        .filter(|(_, section)| {
            section
                .questions
                .iter()
                .any(|question| visible(q, question, answers))
        })
        .map(|(index, _)| index)
        .collect()
}

/// Removes answers to questions that are not asked (after an earlier answer changed), and
/// answers to keys that are not questions of this questionnaire.
pub fn prune_hidden(q: &Questionnaire, answers: &mut Answers) {
    for question in q.questions() {
        if answers.contains_key(&question.key) && !visible(q, question, answers) {
            answers.remove(&question.key);
        }
    }
    answers.retain(|key, _| q.question(key).is_some());
}
