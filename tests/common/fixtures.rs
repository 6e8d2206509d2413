//! Questionnaires the tests import, from `tests/fixtures/questionnaires/` (the folder the
//! parser's unit tests read too).

/// A small questionnaire covering every question type and a show_if rule.
pub const SMALL_QUESTIONNAIRE: &str = include_str!("../fixtures/questionnaires/small.toml");
