//! Questionnaires: the TOML file format, the resolved definition, built-in scales, and
//! the rules for answers (which questions are asked, what makes an answer valid).

pub mod answers;
pub mod contact;
pub mod definition;
pub mod intro_check;
mod number;
pub mod parse;
pub mod scales;
pub mod stored;

pub use answers::{
    check_complete, condition_met, parse_json_answers, parse_section_form, prune_hidden,
    validate_json_response, visible, visible_sections, AnswerValue, Answers, Problem,
};
pub use definition::{
    Choice, Contact, IntroPart, Question, QuestionKind, Questionnaire, ReminderAudience,
    ReminderPolicy, Scale, Section, ShowIf,
};
pub use number::{format_number, write_number};
pub use parse::{parse_questionnaire, ImportProblem, ImportProblems};
