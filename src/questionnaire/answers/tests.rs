use super::*;
use crate::questionnaire::parse::parse_questionnaire;
use serde_json::json;

const SURVEY: &str = r#"
slug = "answers-test"
title = "Answers test"

[[sections]]
key = "about"
title = "About you"
[[sections.questions]]
key = "agency"
type = "single"
text = "Which organisation do you work for?"
options = ["council", "police", "health"]
required = true
[[sections.questions]]
key = "roles"
type = "multi"
text = "Your roles"
options = ["manager", "practitioner", "admin", "other"]
max_choices = 2

[[sections]]
key = "police"
title = "Police"
[[sections.questions]]
key = "joint-visits"
type = "single"
text = "Do you do joint visits?"
options = ["yes", "no"]
required = true
show_if = { question = "agency", any_of = ["police"] }

[[sections]]
key = "practice"
title = "Practice"
[[sections.questions]]
key = "statement"
type = "likert"
text = "I understand the thresholds."
required = true
[[sections.questions]]
key = "why-not"
type = "text"
text = "Why not?"
show_if = { question = "joint-visits", any_of = ["no"] }
[[sections.questions]]
key = "caseload"
type = "number"
text = "Caseload"
min = 0
max = 60
required = true
[[sections.questions]]
key = "hours"
type = "number"
text = "Hours"
min = 0.5
max = 80
integer = false
[[sections.questions]]
key = "comment"
type = "text"
text = "Comment"
max_length = 10
[[sections.questions]]
key = "team"
type = "text"
text = "Which team do you manage?"
show_if = { question = "roles", any_of = ["manager"] }
"#;

fn survey() -> Questionnaire {
    match parse_questionnaire(SURVEY) {
        Ok(q) => q,
        Err(problems) => panic!("{problems}"),
    }
}

fn choice(value: &str) -> AnswerValue {
    AnswerValue::Choice(value.to_string())
}

fn choices(values: &[&str]) -> AnswerValue {
    AnswerValue::Choices(values.iter().map(|v| v.to_string()).collect())
}

fn text(value: &str) -> AnswerValue {
    AnswerValue::Text(value.to_string())
}

fn answers(pairs: &[(&str, AnswerValue)]) -> Answers {
    pairs
        .iter()
        .map(|(key, value)| (key.to_string(), value.clone()))
        .collect()
}

fn fields(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(name, value)| (name.to_string(), value.to_string()))
        .collect()
}

fn problem(question: &str, message: &str) -> Problem {
    Problem::new(question, message)
}

fn is_visible(q: &Questionnaire, key: &str, given: &Answers) -> bool {
    visible(q, q.question(key).unwrap(), given)
}

#[test]
fn questions_without_conditions_are_always_visible() {
    let q = survey();
    assert!(is_visible(&q, "agency", &Answers::new()));
    assert!(is_visible(&q, "statement", &Answers::new()));
}

#[test]
fn show_if_chains_resolve() {
    let q = survey();
    // agency hides joint-visits; joint-visits controls why-not.
    let council = answers(&[
        ("agency", choice("council")),
        ("joint-visits", choice("no")),
    ]);
    assert!(!is_visible(&q, "joint-visits", &council));
    assert!(
        !is_visible(&q, "why-not", &council),
        "a stale answer must not show why-not"
    );

    let police_no = answers(&[("agency", choice("police")), ("joint-visits", choice("no"))]);
    assert!(is_visible(&q, "joint-visits", &police_no));
    assert!(is_visible(&q, "why-not", &police_no));

    let police_yes = answers(&[
        ("agency", choice("police")),
        ("joint-visits", choice("yes")),
    ]);
    assert!(!is_visible(&q, "why-not", &police_yes));

    assert!(!is_visible(&q, "joint-visits", &Answers::new()));
}

#[test]
fn multi_answers_show_when_any_value_matches() {
    let q = survey();
    let manager = answers(&[("roles", choices(&["manager", "admin"]))]);
    assert!(is_visible(&q, "team", &manager));
    let admin = answers(&[("roles", choices(&["admin"]))]);
    assert!(!is_visible(&q, "team", &admin));
}

#[test]
fn visible_sections_skip_wholly_hidden_pages() {
    let q = survey();
    let council = answers(&[("agency", choice("council"))]);
    assert_eq!(visible_sections(&q, &council), [0, 2]);
    let police = answers(&[("agency", choice("police"))]);
    assert_eq!(visible_sections(&q, &police), [0, 1, 2]);
}

#[test]
fn prune_removes_hidden_answers_along_chains() {
    let q = survey();
    let mut given = answers(&[
        ("agency", choice("council")),
        ("joint-visits", choice("no")),
        ("why-not", text("No time")),
        ("roles", choices(&["admin"])),
        ("team", text("Blue team")),
        ("statement", choice("agree")),
        ("retired-question", text("x")),
    ]);
    prune_hidden(&q, &mut given);
    assert_eq!(
        given,
        answers(&[
            ("agency", choice("council")),
            ("roles", choices(&["admin"])),
            ("statement", choice("agree")),
        ])
    );

    let mut kept = answers(&[
        ("agency", choice("police")),
        ("joint-visits", choice("no")),
        ("why-not", text("No time")),
    ]);
    let before = kept.clone();
    prune_hidden(&q, &mut kept);
    assert_eq!(kept, before);
}

#[test]
fn form_single_and_multi() {
    let q = survey();
    let parsed = parse_section_form(
        &q,
        0,
        &fields(&[
            ("_csrf", "token"),
            ("agency", "police"),
            ("roles", "admin"),
            ("roles", "manager"),
            ("roles", "admin"),
            ("_action", "continue"),
        ]),
        &Answers::new(),
    );
    assert_eq!(
        parsed,
        Ok(answers(&[
            ("agency", choice("police")),
            ("roles", choices(&["manager", "admin"])),
        ]))
    );

    let optional_left_empty =
        parse_section_form(&q, 0, &fields(&[("agency", "council")]), &Answers::new());
    assert_eq!(
        optional_left_empty,
        Ok(answers(&[("agency", choice("council"))]))
    );
}

#[test]
fn form_problems_in_question_order() {
    let q = survey();
    let parsed = parse_section_form(
        &q,
        0,
        &fields(&[
            ("colour", "blue"),
            ("roles", "manager"),
            ("roles", "admin"),
            ("roles", "other"),
            ("statement", "agree"),
        ]),
        &Answers::new(),
    );
    assert_eq!(
        parsed,
        Err(vec![
            problem("agency", msg::SELECT_ONE),
            problem("roles", "Select at most 2 options"),
            problem("colour", msg::UNKNOWN_QUESTION),
            problem("statement", msg::NOT_ON_THIS_PAGE),
        ])
    );

    let tampered = parse_section_form(
        &q,
        0,
        &fields(&[("agency", "fire"), ("roles", "chief")]),
        &Answers::new(),
    );
    assert_eq!(
        tampered,
        Err(vec![
            problem("agency", &msg::not_an_option_value("fire")),
            problem("roles", &msg::not_an_option_value("chief")),
        ])
    );

    let twice = parse_section_form(
        &q,
        0,
        &fields(&[("agency", "police"), ("agency", "health")]),
        &Answers::new(),
    );
    assert_eq!(twice, Err(vec![problem("agency", msg::SELECT_ONLY_ONE)]));

    let blank = parse_section_form(&q, 0, &fields(&[("agency", "")]), &Answers::new());
    assert_eq!(blank, Err(vec![problem("agency", msg::SELECT_ONE)]));
}

#[test]
fn form_visibility_comes_from_earlier_answers() {
    let q = survey();
    let council = answers(&[("agency", choice("council"))]);
    assert_eq!(parse_section_form(&q, 1, &[], &council), Ok(Answers::new()));
    assert_eq!(
        parse_section_form(&q, 1, &fields(&[("joint-visits", "yes")]), &council),
        Err(vec![problem("joint-visits", msg::NOT_ASKED)])
    );
    assert_eq!(
        parse_section_form(&q, 1, &fields(&[("joint-visits", "")]), &council),
        Ok(Answers::new())
    );

    let police = answers(&[("agency", choice("police"))]);
    assert_eq!(
        parse_section_form(&q, 1, &[], &police),
        Err(vec![problem("joint-visits", msg::SELECT_ONE)])
    );
    assert_eq!(
        parse_section_form(&q, 1, &fields(&[("joint-visits", "no")]), &police),
        Ok(answers(&[("joint-visits", choice("no"))]))
    );
}

fn practice_page(extra: &[(&str, &str)]) -> Result<Answers, Vec<Problem>> {
    let q = survey();
    let mut page = vec![("statement", "agree"), ("caseload", "12")];
    for (name, value) in extra {
        page.retain(|(existing, _)| existing != name);
        page.push((name, value));
    }
    parse_section_form(&q, 2, &fields(&page), &Answers::new())
}

#[test]
fn short_text_is_one_line_without_control_characters() {
    for hostile in ["hello\r\nyou", "a\tb", "\u{0}=1"] {
        let parsed = practice_page(&[("comment", hostile)]);
        let problems = parsed.expect_err(hostile);
        assert_eq!(problems[0].question, "comment");
    }
}

#[test]
fn form_likert_text_and_numbers() {
    let parsed = practice_page(&[
        ("statement", "dont-know"),
        ("caseload", " 12 "),
        ("hours", "7.5"),
        ("comment", "  hello you "),
        ("team", ""),
    ]);
    assert_eq!(
        parsed,
        Ok(answers(&[
            ("statement", choice("dont-know")),
            ("caseload", AnswerValue::Number(12.0)),
            ("hours", AnswerValue::Number(7.5)),
            ("comment", text("hello you")),
        ]))
    );
}

#[test]
fn form_blank_text_and_number_are_unanswered() {
    assert_eq!(
        practice_page(&[("comment", "   "), ("hours", " ")]),
        Ok(answers(&[
            ("statement", choice("agree")),
            ("caseload", AnswerValue::Number(12.0)),
        ]))
    );
    assert_eq!(
        practice_page(&[("caseload", ""), ("statement", "")]),
        Err(vec![
            problem("statement", msg::SELECT_ONE),
            problem("caseload", msg::ENTER_A_NUMBER),
        ])
    );
}

#[test]
fn form_number_problems() {
    let cases = [
        ("caseload", "12.5", msg::ENTER_WHOLE_NUMBER.to_string()),
        ("caseload", "1,000", msg::NUMBER_WITHOUT_COMMAS.to_string()),
        ("caseload", "twelve", msg::ENTER_A_NUMBER.to_string()),
        ("caseload", "1e1", msg::ENTER_A_NUMBER.to_string()),
        ("caseload", "inf", msg::ENTER_A_NUMBER.to_string()),
        ("caseload", "NaN", msg::ENTER_A_NUMBER.to_string()),
        (
            "caseload",
            "61",
            "Enter a whole number between 0 and 60".to_string(),
        ),
        (
            "caseload",
            "-1",
            "Enter a whole number between 0 and 60".to_string(),
        ),
        (
            "hours",
            "0.25",
            "Enter a number between 0.5 and 80".to_string(),
        ),
    ];
    for (key, value, expected) in cases {
        assert_eq!(
            practice_page(&[(key, value)]),
            Err(vec![problem(key, &expected)]),
            "{key} = {value:?}"
        );
    }
}

#[test]
fn form_text_and_likert_problems() {
    assert_eq!(
        practice_page(&[("comment", "eleven char")]),
        Err(vec![problem(
            "comment",
            "Your answer must be 10 characters or fewer"
        )])
    );
    assert!(
        practice_page(&[("comment", "éééééééééé")]).is_ok(),
        "characters, not bytes"
    );
    assert_eq!(
        practice_page(&[("statement", "agreed")]),
        Err(vec![problem(
            "statement",
            &msg::not_an_option_value("agreed")
        )])
    );
    let mut twice = fields(&[("statement", "agree"), ("caseload", "1")]);
    twice.extend(fields(&[("comment", "a"), ("comment", "b")]));
    assert_eq!(
        parse_section_form(&survey(), 2, &twice, &Answers::new()),
        Err(vec![problem("comment", msg::ANSWERED_TWICE)])
    );
}

#[test]
fn form_for_a_missing_section_accepts_nothing() {
    let q = survey();
    assert_eq!(
        parse_section_form(&q, 9, &[], &Answers::new()),
        Ok(Answers::new())
    );
    assert_eq!(
        parse_section_form(&q, 9, &fields(&[("agency", "police")]), &Answers::new()),
        Err(vec![problem("agency", msg::NOT_ON_THIS_PAGE)])
    );
}

#[test]
fn parse_form_number_accepts_plain_decimals_only() {
    for (text, expected) in [
        ("12", 12.0),
        ("-3", -3.0),
        ("+4", 4.0),
        ("2.5", 2.5),
        (".5", 0.5),
        ("7.", 7.0),
    ] {
        assert_eq!(parse_form_number(text), Ok(expected), "{text}");
    }
    for text in [
        "", ".", "-", "1.2.3", "1e5", "0x10", "1 000", "--1", "infinity",
    ] {
        assert!(parse_form_number(text).is_err(), "{text}");
    }
}

fn json_map(value: serde_json::Value) -> serde_json::Map<String, serde_json::Value> {
    match value {
        serde_json::Value::Object(map) => map,
        other => panic!("not an object: {other}"),
    }
}

#[test]
fn json_answers_of_each_type() {
    let q = survey();
    let parsed = parse_json_answers(
        &q,
        &json_map(json!({
            "agency": "police",
            "roles": ["admin", "manager"],
            "joint-visits": "no",
            "statement": "strongly-agree",
            "why-not": "  Too far  ",
            "caseload": 12,
            "hours": 37.5,
            "comment": "",
            "team": null,
        })),
    );
    assert_eq!(
        parsed,
        Ok(answers(&[
            ("agency", choice("police")),
            ("roles", choices(&["manager", "admin"])),
            ("joint-visits", choice("no")),
            ("statement", choice("strongly-agree")),
            ("why-not", text("Too far")),
            ("caseload", AnswerValue::Number(12.0)),
            ("hours", AnswerValue::Number(37.5)),
        ]))
    );
}

#[test]
fn json_type_mismatches_and_bad_values() {
    let q = survey();
    let parsed = parse_json_answers(
        &q,
        &json_map(json!({
            "agency": 3,
            "roles": "manager",
            "statement": ["agree"],
            "caseload": "12",
            "hours": 0.1,
            "comment": 5,
            "nonsense": "x",
        })),
    );
    assert_eq!(
        parsed,
        Err(vec![
            problem("agency", msg::EXPECTED_OPTION_VALUE),
            problem("roles", msg::EXPECTED_OPTION_VALUES),
            problem("statement", msg::EXPECTED_OPTION_VALUE),
            problem("caseload", msg::EXPECTED_NUMBER),
            problem("hours", "Enter a number between 0.5 and 80"),
            problem("comment", msg::EXPECTED_STRING),
            problem("nonsense", msg::UNKNOWN_QUESTION),
        ])
    );

    let multi_cases = [
        (json!([]), msg::EMPTY_OPTION_VALUES.to_string()),
        (
            json!(["manager", "manager"]),
            msg::option_value_repeated("manager"),
        ),
        (
            json!(["manager", 2]),
            msg::EXPECTED_OPTION_VALUES.to_string(),
        ),
        (json!(["chief"]), msg::not_an_option_value("chief")),
        (
            json!(["manager", "admin", "other"]),
            "Select at most 2 options".to_string(),
        ),
    ];
    for (value, expected) in multi_cases {
        assert_eq!(
            parse_json_answers(&q, &json_map(json!({ "roles": value.clone() }))),
            Err(vec![problem("roles", &expected)]),
            "{value}"
        );
    }
    assert_eq!(
        parse_json_answers(&q, &json_map(json!({ "caseload": 2.5, "agency": "fire" }))),
        Err(vec![
            problem("agency", &msg::not_an_option_value("fire")),
            problem("caseload", msg::ENTER_WHOLE_NUMBER),
        ])
    );
}

#[test]
fn validate_json_response_reports_everything_at_once() {
    let q = survey();
    let result = validate_json_response(
        &q,
        &json_map(json!({
            "zzz": 1,
            "roles": ["admin"],
            "team": "Blue",
            "statement": 4,
            "agency": "council",
            "joint-visits": "yes",
        })),
    );
    assert_eq!(
        result,
        Err(vec![
            problem("joint-visits", msg::NOT_ASKED),
            problem("statement", msg::EXPECTED_OPTION_VALUE),
            problem("caseload", msg::ENTER_A_NUMBER),
            problem("team", msg::NOT_ASKED),
            problem("zzz", msg::UNKNOWN_QUESTION),
        ])
    );

    let complete = validate_json_response(
        &q,
        &json_map(json!({ "agency": "council", "statement": "agree", "caseload": 0 })),
    );
    assert_eq!(
        complete,
        Ok(answers(&[
            ("agency", choice("council")),
            ("statement", choice("agree")),
            ("caseload", AnswerValue::Number(0.0)),
        ]))
    );
}

#[test]
fn check_complete_on_answers_built_page_by_page() {
    let q = survey();
    let complete = answers(&[
        ("agency", choice("police")),
        ("joint-visits", choice("no")),
        ("why-not", text("Distance")),
        ("statement", choice("neither")),
        ("caseload", AnswerValue::Number(20.0)),
    ]);
    assert_eq!(check_complete(&q, &complete), []);

    let incomplete = answers(&[
        ("agency", choice("police")),
        ("statement", text("agree")),
        ("team", text("Blue")),
        ("old", text("x")),
    ]);
    assert_eq!(
        check_complete(&q, &incomplete),
        [
            problem("joint-visits", msg::SELECT_ONE),
            problem("statement", msg::EXPECTED_OPTION_VALUE),
            problem("caseload", msg::ENTER_A_NUMBER),
            problem("team", msg::NOT_ASKED),
            problem("old", msg::UNKNOWN_QUESTION),
        ]
    );
}

#[test]
fn answers_round_trip_through_json() {
    let original = answers(&[
        ("agency", choice("police")),
        ("roles", choices(&["manager", "admin"])),
        ("comment", text("police")),
        ("empty-multi", choices(&[])),
        ("caseload", AnswerValue::Number(12.0)),
        ("hours", AnswerValue::Number(37.5)),
        ("tenth", AnswerValue::Number(0.1)),
        ("negative", AnswerValue::Number(-3.25)),
    ]);
    let stored = serde_json::to_string(&original).unwrap();
    let restored: Answers = serde_json::from_str(&stored).unwrap();
    assert_eq!(restored, original);
    // A choice and a text with the same content stay distinct.
    assert_eq!(restored["agency"], choice("police"));
    assert_eq!(restored["comment"], text("police"));
    assert_eq!(
        serde_json::to_value(&original).unwrap()["roles"],
        json!({ "choices": ["manager", "admin"] })
    );
    assert_eq!(
        serde_json::to_value(choice("agree")).unwrap(),
        json!({ "choice": "agree" })
    );
    assert_eq!(
        serde_json::to_value(AnswerValue::Number(1.5)).unwrap(),
        json!({ "number": 1.5 })
    );
}

#[test]
fn answers_in_the_api_shape() {
    assert_eq!(choice("agree").to_json(), json!("agree"));
    assert_eq!(choices(&["a", "b"]).to_json(), json!(["a", "b"]));
    assert_eq!(text("hi").to_json(), json!("hi"));
    assert_eq!(AnswerValue::Number(12.0).to_json(), json!(12));
    assert_eq!(AnswerValue::Number(2.5).to_json(), json!(2.5));
    assert_eq!(choices(&["a", "b"]).chosen(), ["a", "b"]);
    assert_eq!(choice("a").chosen(), ["a"]);
    assert!(text("a").chosen().is_empty());
}
