//! Property tests of disclosure control: over random response sets, no published table lets
//! a group below the minimum group size be recovered by subtracting published figures.

use candour::db::tallies::TallyRow;
use candour::questionnaire::{parse_questionnaire, AnswerValue, Answers, Questionnaire};
use candour::report::results::{compute, Results};
use candour::report::tally;
use candour::respond::submission::response_row;
use chrono::NaiveDate;
use proptest::prelude::*;

fn questionnaire(groups: usize, k: u32) -> Questionnaire {
    let options: Vec<String> = (0..groups).map(|i| format!("\"g{i}\"")).collect();
    parse_questionnaire(&format!(
        r#"
slug = "props"
title = "Props"
introduction = "I"
privacy_notice = "P"
min_group_size = {k}
[[sections]]
key = "one"
title = "One"
[[sections.questions]]
key = "agency"
type = "single"
text = "Agency?"
options = [{}]
breakdown = true
[[sections.questions]]
key = "statement"
type = "likert"
scale = "agreement"
text = "Statement"
[[sections.questions]]
key = "training"
type = "multi"
text = "Training"
options = ["a", "b", "c"]
"#,
        options.join(", ")
    ))
    .expect("a valid questionnaire")
}

const POINTS: [&str; 6] = [
    "strongly-disagree",
    "disagree",
    "neither",
    "agree",
    "strongly-agree",
    "dont-know",
];

/// (group or none, statement point or none, training choices as bits)
type Spec = (Option<usize>, Option<usize>, u8);

fn results(q: &Questionnaire, specs: &[Spec]) -> Results {
    let day = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
    let rows: Vec<_> = specs
        .iter()
        .map(|(group, point, training)| {
            let mut answers = Answers::new();
            if let Some(g) = group {
                answers.insert("agency".into(), AnswerValue::Choice(format!("g{g}")));
            }
            if let Some(p) = point {
                answers.insert("statement".into(), AnswerValue::Choice(POINTS[*p].into()));
            }
            let chosen: Vec<String> = ["a", "b", "c"]
                .iter()
                .enumerate()
                .filter(|(i, _)| training & (1 << i) != 0)
                .map(|(_, v)| v.to_string())
                .collect();
            if !chosen.is_empty() {
                answers.insert("training".into(), AnswerValue::Choices(chosen));
            }
            response_row(1, &answers, day)
        })
        .collect();
    let tallies: Vec<TallyRow> =
        tally::for_stored(q, 1, rows.iter().map(|row| row.answers.as_str()))
            .expect("stored answers decode")
            .into_iter()
            .map(|(key, count)| TallyRow {
                by_question: key.by_question,
                by_value: key.by_value,
                question_key: key.question_key,
                value: key.value,
                count,
            })
            .collect();
    compute(q, Some("agency"), &tallies).expect("agency is a breakdown")
}

/// A published total, the published group figures, and the true figures of every group:
/// what subtraction recovers must be the total of two or more groups, together at least k.
fn check_table(total: Option<u64>, published: &[Option<u64>], truth: &[u64], k: u64, what: &str) {
    for (figure, true_figure) in published.iter().zip(truth) {
        if let Some(figure) = figure {
            assert_eq!(figure, true_figure, "{what}: published figures are true");
        }
    }
    let Some(total) = total else {
        assert!(
            published.iter().all(Option::is_none),
            "{what}: groups hidden with the total"
        );
        return;
    };
    let hidden: Vec<usize> = (0..published.len())
        .filter(|&i| published[i].is_none())
        .collect();
    let residual = total - published.iter().flatten().sum::<u64>();
    assert_eq!(
        residual,
        hidden.iter().map(|&i| truth[i]).sum::<u64>(),
        "{what}"
    );
    if !hidden.is_empty() {
        assert!(
            hidden.len() >= 2,
            "{what}: a single hidden group {hidden:?} would be recovered"
        );
        assert!(residual >= k, "{what}: hidden groups hold {residual} < {k}");
    }
}

fn spec() -> impl Strategy<Value = Spec> {
    (
        prop::option::weighted(0.9, 0usize..5),
        prop::option::weighted(0.8, 0usize..6),
        0u8..8,
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn no_small_group_can_be_recovered_by_subtraction(
        groups in 2usize..6,
        k in 2u32..8,
        specs in prop::collection::vec(spec(), 0..60),
    ) {
        let specs: Vec<Spec> = specs
            .into_iter()
            .map(|(g, p, t)| (g.map(|g| g % groups), p, t))
            .collect();
        let q = questionnaire(groups, k);
        let results = results(&q, &specs);
        let k64 = u64::from(k);
        let n = specs.len() as u64;
        // Groups: each option, then "not answered".
        let member = |i: usize, s: &Spec| if i < groups { s.0 == Some(i) } else { s.0.is_none() };
        let truth = |f: &dyn Fn(&Spec) -> bool| -> Vec<u64> {
            (0..=groups).map(|i| specs.iter().filter(|s| member(i, s) && f(s)).count() as u64).collect()
        };
        prop_assert_eq!(results.suppressed, n < k64);
        let sizes: Vec<Option<u64>> = results.columns[1..].iter().map(|c| c.responses).collect();
        check_table(results.columns[0].responses, &sizes, &truth(&|_| true), k64, "responses");

        for question in results.sections.iter().flat_map(|s| &s.questions) {
            let cells = &question.cells;
            let answered = |c: usize| cells[c].figures().map(|f| f.answered);
            let published: Vec<Option<u64>> = (1..cells.len()).map(answered).collect();
            let answers_it: Box<dyn Fn(&Spec) -> bool> = match question.key.as_str() {
                "agency" => Box::new(|s: &Spec| s.0.is_some()),
                "statement" => Box::new(|s: &Spec| s.1.is_some()),
                _ => Box::new(|s: &Spec| s.2 != 0),
            };
            let true_answered = truth(&*answers_it);
            check_table(answered(0), &published, &true_answered, k64, &question.key);
            for cell in cells.iter().filter_map(|c| c.figures()) {
                prop_assert!(cell.answered >= k64, "a published base below k");
            }
            // Option counts: what subtraction recovers is the hidden groups' total.
            if let Some(overall) = cells[0].figures() {
                for (o, option) in overall.options.iter().enumerate() {
                    let published: u64 = cells[1..].iter().filter_map(|c| c.figures()).map(|f| f.options[o].count).sum();
                    let hidden_base: u64 = (1..cells.len()).filter(|&c| cells[c].figures().is_none()).map(|c| true_answered[c - 1]).sum();
                    prop_assert!(option.count >= published);
                    prop_assert!(hidden_base == 0 || hidden_base >= k64);
                }
            }
        }
        // Themes only average published scores.
        for section in &results.sections {
            for (c, theme) in section.themes.iter().enumerate() {
                let published = section.questions.iter().filter(|q| q.kind == "likert").any(|q| q.cells[c].figures().and_then(|f| f.score).is_some());
                prop_assert_eq!(theme.is_some(), published);
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn every_published_combination_of_breakdown_answers_has_k_rows(
        k in 2u32..8,
        rows in prop::collection::vec((0u8..4, 0u8..3, 0u8..3), 0..80),
    ) {
        use candour::report::kanon;
        use std::collections::HashMap;
        let mut counts: HashMap<Vec<String>, u64> = HashMap::new();
        for (a, b, c) in &rows {
            let combination = [a, b, c].iter().map(|v| if **v == 0 { String::new() } else { v.to_string() }).collect();
            *counts.entry(combination).or_insert(0) += 1;
        }
        match kanon::plan(&counts, k) {
            None => prop_assert!((rows.len() as u64) < u64::from(k)),
            Some(plan) => {
                let mut published: HashMap<Vec<Option<String>>, u64> = HashMap::new();
                for (combination, n) in &counts {
                    let shown = plan.publish(combination);
                    for (value, original) in shown.iter().zip(combination) {
                        if let Some(value) = value {
                            prop_assert_eq!(value, original, "values are kept or suppressed, never changed");
                        }
                    }
                    *published.entry(shown).or_insert(0) += n;
                }
                prop_assert!(published.values().all(|&n| n >= u64::from(k)), "{:?}", published);
            }
        }
    }
}
