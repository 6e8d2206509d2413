//! Messages of the questionnaire module: problems found when importing a questionnaire
//! file (`import`), and problems with a respondent's answers (`answer`).

/// Problems in a questionnaire file. Each message follows its location, as in
/// `sections[2].questions[4] (key "agency").options: needs at least 2 options`.
pub mod import {
    use std::fmt::Display;

    pub fn toml_syntax(detail: &str) -> String {
        format!("the file is not valid TOML: {}", detail.trim())
    }

    pub const REQUIRED: &str = "this field is required";
    pub const UNKNOWN_FIELD: &str = "unknown field; check the spelling";
    pub const EMPTY: &str = "must not be empty";
    pub const NOT_STRING: &str = "must be text in quotes";
    pub const NOT_BOOL: &str = "must be true or false";
    pub const NOT_INTEGER: &str = "must be a whole number";
    pub const NOT_NUMBER: &str = "must be a number";
    pub const NOT_FINITE: &str = "must be a finite number";
    pub const NOT_TABLE: &str = "must be a table";
    pub const NOT_ARRAY: &str = "must be an array";
    pub const NOT_AUDIENCE: &str = "must be \"non-respondents\" or \"everyone\"";
    pub const NOT_DATE: &str = "must be a date like 2026-12-01, without quotes";
    pub const DATE_WITH_TIME: &str = "must be a date only, like 2026-12-01, without a time";
    pub const NOT_CHOICE: &str =
        r#"must be text in quotes, or a table like { value = "police", label = "Police" }"#;

    pub const INVALID_CONTACT_EMAIL: &str =
        "must be one email address, like review-team@example.org";
    pub const CONTACT_TOO_LONG: &str = "must be one line of at most 200 characters";
    pub const NO_CONTACT: &str =
        "warning: the file has no [contact] (name and email of the review team); \
         invitations, reminders and the privacy notice will not say whom to ask";

    pub const PLACEHOLDER_CONTACT: &str = "warning: the [contact] email is a placeholder \
         (an example.org address); put the review team's real address in the file before inviting anyone";

    pub const INVALID_SLUG: &str = "must be 3 to 64 characters: lower-case letters, digits \
         and hyphens, starting and ending with a letter or digit";
    pub const INVALID_KEY: &str = "must be 1 to 63 characters: lower-case letters, digits \
         and hyphens, starting with a letter or digit";

    pub fn out_of_range(min: impl Display, max: impl Display) -> String {
        format!("must be a whole number from {min} to {max}")
    }

    pub fn closes_before_opens(opens_on: impl Display) -> String {
        format!("must not be before opens_on ({opens_on})")
    }

    pub const NO_SECTIONS: &str = "a questionnaire needs at least one section";
    pub const NO_QUESTIONS: &str = "a section needs at least one question";

    pub fn duplicate_key(key: &str, first_used_at: &str) -> String {
        format!("the key {key:?} is already used by {first_used_at}")
    }

    pub fn unknown_type(found: &str) -> String {
        format!("must be one of single, multi, likert, text or number, not {found:?}")
    }

    pub fn field_not_for_type(type_name: &str) -> String {
        format!("is not used by {type_name} questions")
    }

    pub const BREAKDOWN_NOT_SINGLE: &str =
        "only single questions can be used to break down results";

    pub const TOO_FEW_OPTIONS: &str = "needs at least 2 options";
    pub const OPTION_VALUE_SPACES: &str = "must not start or end with a space";

    pub fn option_value_too_long(max_chars: usize) -> String {
        format!("must be {max_chars} characters or fewer")
    }

    pub fn duplicate_values(what: &str, value: &str, count: usize) -> String {
        let times = match count {
            2 => "twice".to_string(),
            n => format!("{n} times"),
        };
        format!("{what} must be unique; {value:?} appears {times}")
    }

    pub fn scale_points_count(min: usize, max: usize) -> String {
        format!("a scale needs {min} to {max} points")
    }

    pub fn scale_name_is_builtin(name: &str) -> String {
        format!("{name:?} is the name of a built-in scale; choose another name")
    }

    pub fn unknown_scale(name: &str, builtin: &[&str]) -> String {
        format!(
            "there is no scale named {name:?}; use a built-in scale ({}) or define it under [scales.{name}]",
            builtin.join(", ")
        )
    }

    pub const MIN_ABOVE_MAX: &str = "must not be greater than max";

    pub fn show_if_unknown_question(key: &str) -> String {
        format!("there is no question with the key {key:?}")
    }

    pub fn show_if_not_earlier(key: &str, same_section: bool) -> String {
        let place = if same_section {
            "the same section"
        } else {
            "a later section"
        };
        format!(
            "{key:?} is in {place}; show_if can only refer to a question in an earlier section, \
             because each section is one page"
        )
    }

    pub fn show_if_wrong_type(key: &str, type_name: &str) -> String {
        format!(
            "{key:?} is a {type_name} question; show_if can only refer to single, multi or likert questions"
        )
    }

    pub fn show_if_not_an_option(value: &str, key: &str) -> String {
        format!("{value:?} is not one of the values of {key:?}")
    }

    pub const SHOW_IF_NO_VALUES: &str = "must list at least one value";
}

/// Problems with a respondent's answers, shown beside the question (pages) or returned
/// in the `problems` of a JSON response.
pub mod answer {
    use std::fmt::Display;

    pub const SELECT_ONE: &str = "Select one option";
    pub const SELECT_AT_LEAST_ONE: &str = "Select at least one option";
    pub const ANSWER_THIS_QUESTION: &str = "Answer this question";
    pub const ENTER_A_NUMBER: &str = "Enter a number";
    pub const ENTER_WHOLE_NUMBER: &str = "Enter a whole number";
    pub const NUMBER_WITHOUT_COMMAS: &str = "Enter the number without commas";

    pub const SELECT_ONLY_ONE: &str = "Select only one option";
    pub const ANSWERED_TWICE: &str = "Give only one answer to this question";

    pub fn select_at_most(max: u32) -> String {
        match max {
            1 => "Select at most 1 option".to_string(),
            n => format!("Select at most {n} options"),
        }
    }

    pub const CONTROL_CHARACTERS: &str =
        "Your answer contains characters that cannot be stored, such as NUL or other control characters: remove them";
    pub const CONTROL_CHARACTERS_SHORT: &str =
        "Your answer must be on one line, without tabs or control characters such as NUL";

    pub fn too_long(max_chars: u32) -> String {
        format!("Your answer must be {max_chars} characters or fewer")
    }

    pub fn number_out_of_range(min: Option<f64>, max: Option<f64>, integer: bool) -> String {
        let noun = if integer {
            "a whole number"
        } else {
            "a number"
        };
        match (min, max) {
            (Some(min), Some(max)) => format!("Enter {noun} between {min} and {max}"),
            (Some(min), None) => format!("Enter {noun} that is {min} or more"),
            (None, Some(max)) => format!("Enter {noun} that is {max} or less"),
            (None, None) => format!("Enter {noun}"),
        }
    }

    pub const NOT_ON_THIS_PAGE: &str = "This question is not on this page";
    pub const UNKNOWN_QUESTION: &str = "There is no question with this key in this survey";
    pub const NOT_ASKED: &str = "This question is not asked for the answers given";

    // The JSON API: messages for people writing scripts against it.
    pub const EXPECTED_OPTION_VALUE: &str = "Expected one option value, as a string";
    pub const EXPECTED_OPTION_VALUES: &str = "Expected an array of option values (strings)";
    pub const EMPTY_OPTION_VALUES: &str =
        "Expected at least one option value; leave the question out to skip it";
    pub const EXPECTED_STRING: &str = "Expected a string";
    pub const EXPECTED_NUMBER: &str = "Expected a number";

    pub fn not_an_option_value(value: impl Display) -> String {
        format!("\"{value}\" is not one of this question's option values")
    }

    pub fn option_value_repeated(value: impl Display) -> String {
        format!("\"{value}\" is listed more than once")
    }
}

/// The import warning of `questionnaire::intro_check` (one line).
pub fn intro_mentions_hidden_questions(section_number: usize, key: &str) -> String {
    format!(
        "warning: sections[{section_number}] ({key}).introduction speaks of questions that only some respondents see (it mentions \"question\" with \"only\", \"first\" or \"for\", and the section has show_if questions), but everyone reads it: put that sentence in a [[sections.intro_parts]] entry with the same show_if"
    )
}
