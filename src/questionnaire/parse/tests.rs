use super::*;

/// Every problem as `location: message`.
fn problems(text: &str) -> Vec<String> {
    match parse_questionnaire(text) {
        Ok(_) => Vec::new(),
        Err(ImportProblems(problems)) => problems.iter().map(ToString::to_string).collect(),
    }
}

fn assert_problem(problems: &[String], expected: &str) {
    assert!(
        problems.iter().any(|problem| problem == expected),
        "expected problem\n  {expected}\nin\n  {}",
        problems.join("\n  ")
    );
}

fn parse(text: &str) -> Questionnaire {
    match parse_questionnaire(text) {
        Ok(questionnaire) => questionnaire,
        Err(problems) => panic!("unexpected problems:\n{problems}"),
    }
}

/// A valid file's header and first section, to which tests append sections.
const HEADER: &str = include_str!("../../../tests/fixtures/questionnaires/minimal.toml");

fn with(extra: &str) -> String {
    format!("{HEADER}\n{extra}")
}

/// Every field set to something other than its default.
const FULL: &str = include_str!("../../../tests/fixtures/questionnaires/full.toml");

#[test]
fn reads_a_full_questionnaire() {
    let q = parse(FULL);
    assert_eq!(q.slug, "safeguarding-2026");
    assert_eq!(q.title, "Safeguarding staff survey");
    assert_eq!(q.introduction, "Thank you for taking part.");
    assert_eq!(q.privacy_notice, "Your answers are anonymous.");
    assert_eq!(q.opens_on, NaiveDate::from_ymd_opt(2026, 12, 1));
    assert_eq!(q.closes_on, NaiveDate::from_ymd_opt(2026, 12, 14));
    assert_eq!(q.min_group_size, 6);
    assert_eq!(q.comments_threshold, 12);
    assert!(!q.open_link);
    assert_eq!(
        q.reminders,
        ReminderPolicy {
            first_after_days: 3,
            every_days: 4,
            max: 1,
            audience: ReminderAudience::NonRespondents,
        }
    );
    assert_eq!(q.sections.len(), 2);
    assert_eq!(
        q.sections[0].introduction.as_deref(),
        Some("Some questions about your role.")
    );
    assert_eq!(q.sections[1].introduction, None);

    let agency = q.question("agency").unwrap();
    assert!(agency.required && agency.breakdown);
    assert_eq!(
        agency.hint.as_deref(),
        Some("Choose the one that employs you.")
    );
    assert_eq!(
        agency.kind,
        QuestionKind::Single {
            options: vec![
                Choice {
                    value: "council".into(),
                    label: "Council children's services".into()
                },
                Choice {
                    value: "police".into(),
                    label: "Police".into()
                },
                Choice {
                    value: "Health".into(),
                    label: "Health".into()
                },
            ]
        }
    );
    assert!(matches!(
        q.question("roles").unwrap().kind,
        QuestionKind::Multi { max_choices: Some(2), ref options } if options.len() == 3
    ));
    assert_eq!(
        q.question("thresholds-understood").unwrap().kind,
        QuestionKind::Likert {
            scale: scales::agreement()
        }
    );
    assert_eq!(
        q.question("supervision").unwrap().kind,
        QuestionKind::Likert {
            scale: scales::frequency()
        }
    );
    let QuestionKind::Likert { scale } = &q.question("joint-visits").unwrap().kind else {
        panic!("joint-visits should be likert");
    };
    assert_eq!(scale.name, "likelihood");
    assert_eq!(scale.points.len(), 4);
    assert_eq!(scale.points[2].value, "likely");
    assert_eq!(scale.points[0].value, "Very unlikely");
    assert_eq!(
        scale.dont_know,
        Some(Choice {
            value: "not-sure".into(),
            label: "Not sure".into()
        })
    );
    assert_eq!(
        q.question("joint-visits").unwrap().show_if,
        Some(ShowIf {
            question: "agency".into(),
            any_of: vec!["police".into(), "Health".into()]
        })
    );
    assert_eq!(
        q.question("caseload").unwrap().kind,
        QuestionKind::Number {
            min: Some(0.0),
            max: Some(60.0),
            integer: true
        }
    );
    assert_eq!(
        q.question("hours").unwrap().kind,
        QuestionKind::Number {
            min: Some(0.5),
            max: None,
            integer: false
        }
    );
    assert_eq!(
        q.question("team").unwrap().kind,
        QuestionKind::Text {
            long: false,
            max_length: 500
        }
    );
    assert_eq!(
        q.question("comment").unwrap().kind,
        QuestionKind::Text {
            long: true,
            max_length: 2000
        }
    );
}

#[test]
fn applies_defaults() {
    let q = parse(&with(
        r#"
[[sections]]
key = "more"
title = "More"
[[sections.questions]]
key = "statement"
type = "likert"
text = "A statement"
[[sections.questions]]
key = "comment"
type = "text"
long = true
text = "Anything else?"
"#,
    ));
    assert_eq!(q.introduction, "");
    assert_eq!(q.privacy_notice, "");
    assert_eq!(q.opens_on, None);
    assert_eq!(q.closes_on, None);
    assert_eq!(q.min_group_size, 5);
    assert_eq!(q.comments_threshold, 10);
    assert!(q.open_link);
    assert_eq!(
        q.reminders,
        ReminderPolicy {
            first_after_days: 7,
            every_days: 7,
            max: 2,
            audience: ReminderAudience::NonRespondents,
        }
    );
    let statement = q.question("statement").unwrap();
    assert!(!statement.required && !statement.breakdown);
    assert_eq!(statement.hint, None);
    assert_eq!(
        statement.kind,
        QuestionKind::Likert {
            scale: scales::agreement()
        }
    );
    assert_eq!(
        q.question("comment").unwrap().kind,
        QuestionKind::Text {
            long: true,
            max_length: 5000
        }
    );
}

#[test]
fn a_syntax_error_is_one_located_problem() {
    let Err(ImportProblems(problems)) =
        parse_questionnaire("slug = \"a-b-c\"\ntitle = \"x\"\nmin_group_size = = 5\n")
    else {
        panic!("expected a syntax error");
    };
    assert_eq!(problems.len(), 1);
    assert!(
        problems[0].location.starts_with("line 3, column "),
        "{}",
        problems[0].location
    );
    assert!(problems[0]
        .message
        .starts_with("the file is not valid TOML: "));
}

#[test]
fn a_duplicated_toml_key_is_a_syntax_error() {
    let found = problems("slug = \"a-b-c\"\nslug = \"d-e-f\"\n");
    assert_eq!(found.len(), 1);
    assert!(found[0].starts_with("line 2, column 1: "), "{}", found[0]);
}

#[test]
fn reports_every_top_level_problem_at_once() {
    let found = problems(
        r#"
slug = "Not A Slug"
title = "  "
introduction = 3
opens_on = "2026-12-01"
closes_on = 2026-11-30T09:00:00
min_group_size = 1
comments_threshold = "ten"
open_link = "yes"
colour = "blue"
[reminders]
first_after_days = 0
every_days = 400
max = -1
often = true
"#,
    );
    let expected = [
        format!("slug: {}", msg::INVALID_SLUG),
        "title: must not be empty".to_string(),
        "introduction: must be text in quotes".to_string(),
        "opens_on: must be a date like 2026-12-01, without quotes".to_string(),
        "closes_on: must be a date only, like 2026-12-01, without a time".to_string(),
        "min_group_size: must be a whole number from 2 to 1000".to_string(),
        "comments_threshold: must be a whole number".to_string(),
        "open_link: must be true or false".to_string(),
        "reminders.first_after_days: must be a whole number from 1 to 365".to_string(),
        "reminders.every_days: must be a whole number from 1 to 365".to_string(),
        "reminders.max: must be a whole number from 0 to 365".to_string(),
        "reminders.often: unknown field; check the spelling".to_string(),
        "sections: this field is required".to_string(),
        "colour: unknown field; check the spelling".to_string(),
    ];
    for problem in &expected {
        assert_problem(&found, problem);
    }
    assert_eq!(found.len(), expected.len(), "{found:#?}");
}

#[test]
fn missing_required_fields_and_date_order() {
    let found = problems("opens_on = 2026-12-10\ncloses_on = 2026-12-01\nsections = []\n");
    assert_eq!(
        found,
        [
            "slug: this field is required",
            "title: this field is required",
            "closes_on: must not be before opens_on (2026-12-10)",
            "sections: a questionnaire needs at least one section",
        ]
    );
}

#[test]
fn slugs_and_keys_follow_their_patterns() {
    for good in ["abc", "safeguarding-frontline", "a1-2b", &"a".repeat(64)] {
        assert!(is_slug(good), "{good}");
    }
    for bad in ["ab", "-abc", "abc-", "ABC", "a_b", "a b", &"a".repeat(65)] {
        assert!(!is_slug(bad), "{bad}");
    }
    for good in ["a", "1", "a-", "about-you", &"a".repeat(63)] {
        assert!(is_key(good), "{good}");
    }
    for bad in ["", "-a", "A", "a_b", "é", &"a".repeat(64)] {
        assert!(!is_key(bad), "{bad}");
    }
}

#[test]
fn section_problems_are_located() {
    let found = problems(&with(
        r#"
[[sections]]
key = "about-you"
[[sections]]
key = "Bad Key"
title = "Bad"
questions = []
[[sections]]
title = "No key"
notes = "x"
[[sections.questions]]
key = "q1"
type = "text"
text = "Q1"
"#,
    ));
    let invalid_key = format!("sections[3] (key \"Bad Key\").key: {}", msg::INVALID_KEY);
    let expected = [
            "sections[2] (key \"about-you\").key: the key \"about-you\" is already used by sections[1] (key \"about-you\")",
            "sections[2] (key \"about-you\").title: this field is required",
            "sections[2] (key \"about-you\").questions: this field is required",
            &invalid_key,
            "sections[3] (key \"Bad Key\").questions: a section needs at least one question",
            "sections[4].key: this field is required",
            "sections[4].notes: unknown field; check the spelling",
        ];
    for problem in expected {
        assert_problem(&found, problem);
    }
    assert_eq!(found.len(), expected.len(), "{found:#?}");
}

#[test]
fn reverse_is_read_on_likert_questions_only() {
    let text = with(
        r#"
[[sections]]
key = "morale"
title = "Morale"
[[sections.questions]]
key = "leaving"
type = "likert"
reverse = true
text = "I am thinking about leaving."
[[sections.questions]]
key = "valued"
type = "likert"
text = "I feel valued."
"#,
    );
    let q = parse_questionnaire(&text).unwrap();
    assert!(q.question("leaving").unwrap().reverse);
    assert!(!q.question("valued").unwrap().reverse);

    let found = problems(&with(
        r#"
[[sections]]
key = "more"
title = "More"
[[sections.questions]]
key = "team"
type = "single"
text = "Team?"
options = ["a", "b"]
reverse = true
[[sections.questions]]
key = "leaving"
type = "likert"
text = "Leaving?"
reverse = "yes"
"#,
    ));
    assert_problem(
        &found,
        "sections[2].questions[1] (key \"team\").reverse: is not used by single questions",
    );
    assert_problem(
        &found,
        "sections[2].questions[2] (key \"leaving\").reverse: must be true or false",
    );
    assert_eq!(found.len(), 2, "{found:#?}");
}

#[test]
fn question_problems_are_located() {
    let found = problems(&with(
        r#"
[[sections]]
key = "more"
title = "More"
[[sections.questions]]
key = "agency"
type = "single"
text = "Again?"
options = ["a", "b"]
[[sections.questions]]
type = "dropdown"
text = "What?"
[[sections.questions]]
key = "statement"
type = "likert"
options = ["a", "b"]
max_length = 10
breakdown = true
colour = "red"
[[sections.questions]]
key = "Q"
type = "text"
text = ""
required = "yes"
hint = 5
"#,
    ));
    let invalid_key = format!(
        "sections[2].questions[4] (key \"Q\").key: {}",
        msg::INVALID_KEY
    );
    let expected = [
            "sections[2].questions[1] (key \"agency\").key: the key \"agency\" is already used by sections[1].questions[1] (key \"agency\")",
            "sections[2].questions[2].key: this field is required",
            "sections[2].questions[2].type: must be one of single, multi, likert, text or number, not \"dropdown\"",
            "sections[2].questions[3] (key \"statement\").text: this field is required",
            "sections[2].questions[3] (key \"statement\").breakdown: only single questions can be used to break down results",
            "sections[2].questions[3] (key \"statement\").colour: unknown field; check the spelling",
            "sections[2].questions[3] (key \"statement\").max_length: is not used by likert questions",
            "sections[2].questions[3] (key \"statement\").options: is not used by likert questions",
            &invalid_key,
            "sections[2].questions[4] (key \"Q\").text: must not be empty",
            "sections[2].questions[4] (key \"Q\").hint: must be text in quotes",
            "sections[2].questions[4] (key \"Q\").required: must be true or false",
        ];
    for problem in expected {
        assert_problem(&found, problem);
    }
    assert_eq!(found.len(), expected.len(), "{found:#?}");
}

#[test]
fn option_problems_are_located() {
    let found = problems(&with(
            r#"
[[sections]]
key = "more"
title = "More"
[[sections.questions]]
key = "one-option"
type = "single"
text = "One"
options = ["only"]
[[sections.questions]]
key = "no-options"
type = "multi"
text = "None"
[[sections.questions]]
key = "bad-options"
type = "single"
text = "Bad"
options = ["", " padded", 3, { value = "x" }, { label = "No value" }, { value = "y", label = "Y", colour = "red" }]
[[sections.questions]]
key = "agency-again"
type = "single"
text = "Duplicates"
options = ["police", { value = "police", label = "Police" }, "health", "health", "health"]
[[sections.questions]]
key = "long-value"
type = "single"
text = "Long"
options = ["short"]
"#,
        ))
        .into_iter()
        .filter(|problem| !problem.contains("long-value"))
        .collect::<Vec<_>>();
    let expected = [
            "sections[2].questions[1] (key \"one-option\").options: needs at least 2 options",
            "sections[2].questions[2] (key \"no-options\").options: this field is required",
            "sections[2].questions[3] (key \"bad-options\").options[1]: must not be empty",
            "sections[2].questions[3] (key \"bad-options\").options[2]: must not start or end with a space",
            "sections[2].questions[3] (key \"bad-options\").options[3]: must be text in quotes, or a table like { value = \"police\", label = \"Police\" }",
            "sections[2].questions[3] (key \"bad-options\").options[4].label: this field is required",
            "sections[2].questions[3] (key \"bad-options\").options[5].value: this field is required",
            "sections[2].questions[3] (key \"bad-options\").options[6].colour: unknown field; check the spelling",
            "sections[2].questions[4] (key \"agency-again\").options: option values must be unique; \"police\" appears twice",
            "sections[2].questions[4] (key \"agency-again\").options: option values must be unique; \"health\" appears 3 times",
        ];
    for problem in expected {
        assert_problem(&found, problem);
    }
    assert_eq!(found.len(), expected.len(), "{found:#?}");
}

#[test]
fn option_values_are_at_most_100_characters() {
    let long = "x".repeat(101);
    let found = problems(&with(&format!(
        r#"
[[sections]]
key = "more"
title = "More"
[[sections.questions]]
key = "long"
type = "single"
text = "Long"
options = ["{long}", "{}"]
"#,
        "é".repeat(100)
    )));
    assert_eq!(
        found,
        ["sections[2].questions[1] (key \"long\").options[1]: must be 100 characters or fewer"]
    );
}

#[test]
fn type_specific_limits() {
    let found = problems(&with(
        r#"
[[sections]]
key = "more"
title = "More"
[[sections.questions]]
key = "roles"
type = "multi"
text = "Roles"
options = ["a", "b", "c"]
max_choices = 4
[[sections.questions]]
key = "roles-zero"
type = "multi"
text = "Roles"
options = ["a", "b"]
max_choices = 0
[[sections.questions]]
key = "comment"
type = "text"
text = "Comment"
max_length = 20001
long = "yes"
[[sections.questions]]
key = "count"
type = "number"
text = "Count"
min = 10
max = 5
[[sections.questions]]
key = "weird"
type = "number"
text = "Weird"
min = "zero"
max = inf
integer = 1
"#,
    ));
    let expected = [
            "sections[2].questions[1] (key \"roles\").max_choices: must be a whole number from 1 to 3",
            "sections[2].questions[2] (key \"roles-zero\").max_choices: must be a whole number from 1 to 2",
            "sections[2].questions[3] (key \"comment\").long: must be true or false",
            "sections[2].questions[3] (key \"comment\").max_length: must be a whole number from 1 to 20000",
            "sections[2].questions[4] (key \"count\").min: must not be greater than max",
            "sections[2].questions[5] (key \"weird\").min: must be a number",
            "sections[2].questions[5] (key \"weird\").max: must be a finite number",
            "sections[2].questions[5] (key \"weird\").integer: must be true or false",
        ];
    for problem in expected {
        assert_problem(&found, problem);
    }
    assert_eq!(found.len(), expected.len(), "{found:#?}");
}

#[test]
fn scale_problems_are_located() {
    let found = problems(&with(
        r#"
[scales.agreement]
points = ["a", "b"]
[scales.one-point]
points = ["only"]
[scales.twelve]
points = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12"]
[scales.repeats]
points = ["no", "yes"]
dont_know = "yes"
[scales.Bad_Name]
points = ["no", "yes"]
[scales.no-points]
dont_know = { value = "dk" }
range = 5

[[sections]]
key = "more"
title = "More"
[[sections.questions]]
key = "uses-broken"
type = "likert"
scale = "one-point"
text = "Uses a broken scale: not reported again"
[[sections.questions]]
key = "uses-missing"
type = "likert"
scale = "likelihood"
text = "Uses an undefined scale"
[[sections.questions]]
key = "bad-scale-name"
type = "likert"
scale = 3
text = "Scale is not a string"
"#,
    ));
    let invalid_name = format!("scales.Bad_Name: {}", msg::INVALID_KEY);
    let expected = [
            "scales.agreement: \"agreement\" is the name of a built-in scale; choose another name",
            "scales.one-point.points: a scale needs 2 to 11 points",
            "scales.twelve.points: a scale needs 2 to 11 points",
            "scales.repeats: values must be unique; \"yes\" appears twice",
            &invalid_name,
            "scales.no-points.points: this field is required",
            "scales.no-points.dont_know.label: this field is required",
            "scales.no-points.range: unknown field; check the spelling",
            "sections[2].questions[2] (key \"uses-missing\").scale: there is no scale named \"likelihood\"; use a built-in scale (agreement, frequency) or define it under [scales.likelihood]",
            "sections[2].questions[3] (key \"bad-scale-name\").scale: must be text in quotes",
        ];
    for problem in expected {
        assert_problem(&found, problem);
    }
    assert_eq!(found.len(), expected.len(), "{found:#?}");
}

#[test]
fn show_if_problems_are_located() {
    let found = problems(&with(
        r#"
[[sections.questions]]
key = "same-section"
type = "text"
text = "Refers to its own section"
show_if = { question = "agency", any_of = ["police"] }

[[sections.questions]]
key = "refers-later"
type = "text"
text = "Refers to a later section"
show_if = { question = "later", any_of = ["a"] }

[[sections]]
key = "conditions"
title = "Conditions"
[[sections.questions]]
key = "unknown-ref"
type = "text"
text = "Refers to nothing"
show_if = { question = "nothing", any_of = ["a"] }
[[sections.questions]]
key = "text-ref"
type = "text"
text = "Refers to a text question"
show_if = { question = "same-section", any_of = ["a"] }
[[sections.questions]]
key = "bad-value"
type = "text"
text = "Refers to a value that is not an option"
show_if = { question = "agency", any_of = ["police", "polise", 3] }
[[sections.questions]]
key = "not-an-option"
type = "text"
text = "Refers to a value that is not an option"
show_if = { question = "agency", any_of = ["fire"], when = "now" }
[[sections.questions]]
key = "empty-any-of"
type = "text"
text = "No values"
show_if = { question = "agency", any_of = [] }
[[sections.questions]]
key = "missing-question"
type = "text"
text = "No question"
show_if = { any_of = ["police"] }
[[sections.questions]]
key = "not-a-table"
type = "text"
text = "Not a table"
show_if = "agency == police"

[[sections]]
key = "last"
title = "Last"
[[sections.questions]]
key = "later"
type = "single"
text = "Later"
options = ["a", "b"]
"#,
    ));
    let expected = [
            "sections[1].questions[2] (key \"same-section\").show_if.question: \"agency\" is in the same section; show_if can only refer to a question in an earlier section, because each section is one page",
            "sections[1].questions[3] (key \"refers-later\").show_if.question: \"later\" is in a later section; show_if can only refer to a question in an earlier section, because each section is one page",
            "sections[2].questions[1] (key \"unknown-ref\").show_if.question: there is no question with the key \"nothing\"",
            "sections[2].questions[2] (key \"text-ref\").show_if.question: \"same-section\" is a text question; show_if can only refer to single, multi or likert questions",
            "sections[2].questions[3] (key \"bad-value\").show_if.any_of[3]: must be text in quotes",
            "sections[2].questions[4] (key \"not-an-option\").show_if.when: unknown field; check the spelling",
            "sections[2].questions[4] (key \"not-an-option\").show_if.any_of[1]: \"fire\" is not one of the values of \"agency\"",
            "sections[2].questions[5] (key \"empty-any-of\").show_if.any_of: must list at least one value",
            "sections[2].questions[6] (key \"missing-question\").show_if.question: this field is required",
            "sections[2].questions[7] (key \"not-a-table\").show_if: must be a table",
        ];
    for problem in expected {
        assert_problem(&found, problem);
    }
    assert_eq!(found.len(), expected.len(), "{found:#?}");
}

#[test]
fn show_if_accepts_likert_and_multi_values() {
    let q = parse(&with(
        r#"
[[sections.questions]]
key = "statement"
type = "likert"
text = "Statement"
[[sections.questions]]
key = "roles"
type = "multi"
text = "Roles"
options = ["manager", "practitioner"]
[[sections]]
key = "more"
title = "More"
[[sections.questions]]
key = "why"
type = "text"
text = "Why?"
show_if = { question = "statement", any_of = ["disagree", "dont-know"] }
[[sections.questions]]
key = "team"
type = "text"
text = "Which team do you manage?"
show_if = { question = "roles", any_of = ["manager"] }
"#,
    ));
    assert_eq!(
        q.question("why")
            .and_then(|q| q.show_if.as_ref())
            .map(|s| s.question.as_str()),
        Some("statement")
    );
}

#[test]
fn problems_display_one_per_line() {
    let Err(problems) = parse_questionnaire("title = \"T\"\n") else {
        panic!("expected problems");
    };
    assert_eq!(
        problems.to_string(),
        "slug: this field is required\nsections: this field is required"
    );
}

#[test]
fn parses_the_shipped_questionnaire() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/config/questionnaires/safeguarding-frontline.toml"
    );
    let Ok(text) = std::fs::read_to_string(path) else {
        eprintln!("note: {path} is missing; skipping");
        return;
    };
    let q = parse(&text);
    assert_eq!(q.slug, "safeguarding-frontline");
    assert!(q.questions().any(|question| question.breakdown));
}

/// The questionnaire the integration tests import (tests/common) is valid, and covers
/// what the harness promises: every question type and a show_if rule.
#[test]
fn parses_the_integration_tests_questionnaire() {
    let q = parse(include_str!(
        "../../../tests/fixtures/questionnaires/small.toml"
    ));
    assert_eq!(q.slug, "test-survey");
    assert_eq!(q.min_group_size, 5);
    assert_eq!(q.sections.len(), 3);
    let questions: Vec<_> = q.sections.iter().flat_map(|s| &s.questions).collect();
    assert_eq!(questions.len(), 6);
    assert!(questions.iter().any(|question| question.show_if.is_some()));
}
