//! Property tests of disclosure control: for random surveys (three breakdown questions, one
//! of them required, a question shown only to one agency, random group sizes including 0
//! and 1), no combination of published figures isolates 1..k−1 responses. Every view is
//! computed (the whole survey and each breakdown) and all of them are combined, as a reader
//! fetching every page would.
//!
//! The oracle is independent of the engine: it enumerates every set of small atoms (a
//! combination of breakdown answers) holding 1..k−1 responses and asks whether its
//! indicator is in the span of the published sets (by comparing ranks).

use std::collections::HashMap;

use candour::db::tallies::TallyRow;
use candour::db::SurveyId;
use candour::questionnaire::{parse_questionnaire, AnswerValue, Answers, Questionnaire};
use candour::report::disclosure::rates::{shown_groups, Rate};
use candour::report::disclosure::rows::show_if_dependencies;
use candour::report::kanon;
use candour::report::results::{compute, Results};
use candour::report::tally;
use candour::respond::submission::response_row;
use chrono::NaiveDate;
use proptest::prelude::*;

const AGENCIES: usize = 3;
const ROLES: usize = 3;
const YEARS: usize = 2;

fn questionnaire(k: u32) -> Questionnaire {
    let options = |prefix: &str, n: usize| -> String {
        (0..n)
            .map(|i| format!("\"{prefix}{i}\""))
            .collect::<Vec<_>>()
            .join(", ")
    };
    parse_questionnaire(&format!(
        r#"
slug = "props"
title = "Props"
introduction = "I"
privacy_notice = "P"
min_group_size = {k}
[[sections]]
key = "about"
title = "About"
[[sections.questions]]
key = "agency"
type = "single"
text = "Agency?"
options = [{}]
breakdown = true
[[sections.questions]]
key = "role"
type = "single"
text = "Role?"
options = [{}]
breakdown = true
required = true
[[sections.questions]]
key = "years"
type = "single"
text = "Years?"
options = [{}]
breakdown = true
[[sections]]
key = "work"
title = "Work"
[[sections.questions]]
key = "statement"
type = "likert"
scale = "agreement"
text = "Statement"
[[sections.questions]]
key = "caseload"
type = "number"
text = "Caseload"
min = 0
max = 100
[[sections.questions]]
key = "a0-only"
type = "single"
text = "Only agency a0"
options = ["yes", "no"]
show_if = {{ question = "agency", any_of = ["a0"] }}
"#,
        options("a", AGENCIES),
        options("r", ROLES),
        options("y", YEARS),
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

/// One response: agency, role, years, statement point, the a0-only answer, caseload.
#[derive(Debug, Clone, Copy)]
struct Spec {
    agency: Option<usize>,
    role: usize,
    years: Option<usize>,
    point: Option<usize>,
    a0_only: Option<bool>,
    caseload: Option<u8>,
}

impl Spec {
    /// The breakdown answers as indexes, with the "not answered" value last.
    fn atom(&self) -> [usize; 3] {
        [
            self.agency.unwrap_or(AGENCIES),
            self.role,
            self.years.unwrap_or(YEARS),
        ]
    }
}

const KEYS: [&str; 3] = ["agency", "role", "years"];
const WIDTHS: [usize; 3] = [AGENCIES + 1, ROLES + 1, YEARS + 1];

fn value(b: usize, i: usize) -> String {
    let prefix = ["a", "r", "y"][b];
    if i + 1 == WIDTHS[b] {
        String::new()
    } else {
        format!("{prefix}{i}")
    }
}

fn tallies(q: &Questionnaire, specs: &[Spec]) -> Vec<TallyRow> {
    let day = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
    let rows: Vec<_> = specs
        .iter()
        .map(|s| {
            let mut answers = Answers::new();
            if let Some(a) = s.agency {
                answers.insert("agency".into(), AnswerValue::Choice(format!("a{a}")));
            }
            answers.insert("role".into(), AnswerValue::Choice(format!("r{}", s.role)));
            if let Some(y) = s.years {
                answers.insert("years".into(), AnswerValue::Choice(format!("y{y}")));
            }
            if let Some(p) = s.point {
                answers.insert("statement".into(), AnswerValue::Choice(POINTS[p].into()));
            }
            if let (Some(0), Some(yes)) = (s.agency, s.a0_only) {
                let v = if yes { "yes" } else { "no" };
                answers.insert("a0-only".into(), AnswerValue::Choice(v.into()));
            }
            if let Some(c) = s.caseload {
                answers.insert("caseload".into(), AnswerValue::Number(f64::from(c)));
            }
            response_row(SurveyId(1), &answers, day)
        })
        .collect();
    tally::for_stored(q, SurveyId(1), rows.iter().map(|row| row.answers.as_str()))
        .expect("stored answers decode")
        .into_iter()
        .map(|(key, count)| TallyRow {
            by_question: key.by_question,
            by_value: key.by_value,
            question_key: key.question_key,
            value: key.value,
            count,
        })
        .collect()
}

// ---- the oracle ----

fn rank(rows: &[Vec<f64>]) -> usize {
    let mut m: Vec<Vec<f64>> = rows.to_vec();
    let width = m.first().map_or(0, Vec::len);
    let mut rank = 0;
    for column in 0..width {
        let Some(pivot) = (rank..m.len()).find(|&r| m[r][column].abs() > 1e-9) else {
            continue;
        };
        m.swap(rank, pivot);
        let lead = m[rank][column];
        let top: Vec<f64> = m[rank].iter().map(|v| v / lead).collect();
        for (r, row) in m.iter_mut().enumerate() {
            if r != rank {
                let factor = row[column];
                for (v, t) in row.iter_mut().zip(&top) {
                    *v -= factor * t;
                }
            }
        }
        rank += 1;
    }
    rank
}

/// A set of atoms holding 1..k−1 responses whose indicator is a combination of `sets`.
fn small_in_span(sizes: &[u64], sets: &[Vec<bool>], k: u64) -> Option<Vec<usize>> {
    let live: Vec<usize> = (0..sizes.len()).filter(|&a| sizes[a] > 0).collect();
    let matrix: Vec<Vec<f64>> = sets
        .iter()
        .map(|s| live.iter().map(|&a| f64::from(u8::from(s[a]))).collect())
        .collect();
    let base = rank(&matrix);
    let small: Vec<usize> = (0..live.len()).filter(|&i| sizes[live[i]] < k).collect();
    let mut chosen = Vec::new();
    #[allow(clippy::too_many_arguments)]
    fn walk(
        from: usize,
        total: u64,
        chosen: &mut Vec<usize>,
        small: &[usize],
        live: &[usize],
        sizes: &[u64],
        matrix: &[Vec<f64>],
        base: usize,
        k: u64,
    ) -> Option<Vec<usize>> {
        for j in from..small.len() {
            let i = small[j];
            let with = total + sizes[live[i]];
            if with >= k {
                continue;
            }
            chosen.push(i);
            let target: Vec<f64> = (0..live.len())
                .map(|x| f64::from(u8::from(chosen.contains(&x))))
                .collect();
            let mut extended = matrix.to_vec();
            extended.push(target);
            if rank(&extended) == base {
                return Some(chosen.iter().map(|&x| live[x]).collect());
            }
            if let Some(found) = walk(j + 1, with, chosen, small, live, sizes, matrix, base, k) {
                return Some(found);
            }
            chosen.pop();
        }
        None
    }
    walk(0, 0, &mut chosen, &small, &live, sizes, &matrix, base, k)
}

// ---- the survey's atoms and sets ----

struct Atoms {
    keys: Vec<[usize; 3]>,
    sizes: Vec<u64>,
}

impl Atoms {
    fn new(specs: &[Spec]) -> Self {
        let mut keys = Vec::new();
        for a in 0..WIDTHS[0] {
            for r in 0..WIDTHS[1] {
                for y in 0..WIDTHS[2] {
                    keys.push([a, r, y]);
                }
            }
        }
        let mut counts: HashMap<[usize; 3], u64> = HashMap::new();
        for s in specs {
            *counts.entry(s.atom()).or_insert(0) += 1;
        }
        let sizes = keys
            .iter()
            .map(|k| counts.get(k).copied().unwrap_or(0))
            .collect();
        Atoms { keys, sizes }
    }

    fn set(&self, member: impl Fn(&[usize; 3]) -> bool) -> Vec<bool> {
        self.keys.iter().map(member).collect()
    }

    fn size(&self, set: &[bool]) -> u64 {
        set.iter()
            .zip(&self.sizes)
            .filter(|(&m, _)| m)
            .map(|(_, &n)| n)
            .sum()
    }
}

/// A published column: the view's breakdown and the group's value index, or the whole survey.
type ColumnOf = Option<(usize, usize)>;

fn column_set(atoms: &Atoms, column: ColumnOf) -> Vec<bool> {
    atoms.set(|key| column.is_none_or(|(b, i)| key[b] == i))
}

fn views(q: &Questionnaire, tallies: &[TallyRow]) -> Vec<(Option<usize>, Results)> {
    std::iter::once(None)
        .chain((0..3).map(Some))
        .map(|b| {
            let results = compute(q, b.map(|b| KEYS[b]), tallies).expect("a breakdown");
            (b, results)
        })
        .collect()
}

/// The columns of a view, each with its group.
fn columns(view: Option<usize>, results: &Results) -> Vec<ColumnOf> {
    results
        .columns
        .iter()
        .map(|c| {
            let b = view?;
            let group = c.group.as_deref()?;
            let i = (0..WIDTHS[b]).find(|&i| value(b, i) == group)?;
            Some((b, i))
        })
        .collect()
}

fn spec() -> impl Strategy<Value = Spec> {
    (
        prop::option::weighted(0.85, 0usize..AGENCIES),
        0usize..ROLES,
        prop::option::weighted(0.8, 0usize..YEARS),
        prop::option::weighted(0.8, 0usize..6),
        prop::option::of(any::<bool>()),
        prop::option::weighted(0.7, 0u8..40),
    )
        .prop_map(|(agency, role, years, point, a0_only, caseload)| Spec {
            agency,
            role,
            years,
            point,
            a0_only,
            caseload,
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(100))]

    #[test]
    fn no_combination_of_published_figures_isolates_fewer_than_k(
        k in 2u32..6,
        specs in prop::collection::vec(spec(), 0..45),
    ) {
        let q = questionnaire(k);
        let k64 = u64::from(k);
        let tallies = tallies(&q, &specs);
        let views = views(&q, &tallies);
        let atoms = Atoms::new(&specs);
        let whole = atoms.set(|_| true);
        let n = specs.len() as u64;

        // Groups: every published column of every view, true and 0 or ≥ k.
        let mut groups: Vec<Vec<bool>> = vec![whole.clone()];
        for (view, results) in &views {
            prop_assert_eq!(results.suppressed, n < k64);
            for (column, published) in columns(*view, results).iter().zip(&results.columns) {
                let set = column_set(&atoms, *column);
                if let Some(size) = published.responses {
                    prop_assert_eq!(size, atoms.size(&set), "published sizes are true");
                    prop_assert!(size == 0 || size >= k64, "a published group of {}", size);
                    groups.push(set);
                }
                if *view == Some(1) {
                    prop_assert!(published.group.as_deref() != Some(""), "no 'not answered' column for a required question");
                }
            }
        }
        if n >= k64 {
            let found = small_in_span(&atoms.sizes, &groups, k64);
            prop_assert!(found.is_none(), "groups give back atoms {:?}", found);
        }

        // Counts of people: every published group size, and every shown count of a breakdown
        // question's answers in any column (cross-tabs, distributions, "not answered").
        let mut counted: Vec<Vec<bool>> = groups.clone();
        // The a0-only question: the sets of those who could see it, in every shown column.
        let mut a0_sets: Vec<Vec<bool>> = Vec::new();
        for (view, results) in &views {
            let cols = columns(*view, results);
            for question in results.sections.iter().flat_map(|s| &s.questions) {
                for (c, cell) in question.cells.iter().enumerate() {
                    let Some(f) = cell.figures() else { continue };
                    let column = column_set(&atoms, cols[c]);
                    if let Some(b2) = KEYS.iter().position(|key| *key == question.key) {
                        for (i, option) in f.options.iter().enumerate() {
                            let set: Vec<bool> = atoms.keys.iter().zip(&column).map(|(key, &m)| m && key[b2] == i).collect();
                            if let Some(count) = option.count {
                                prop_assert_eq!(count, atoms.size(&set));
                                prop_assert!(count == 0 || count >= k64, "{} shows a count of {}", question.key, count);
                                counted.push(set);
                            }
                        }
                        if let Some(not_answered) = f.not_answered {
                            let set: Vec<bool> = atoms.keys.iter().zip(&column).map(|(key, &m)| m && key[b2] == WIDTHS[b2] - 1).collect();
                            prop_assert_eq!(not_answered, atoms.size(&set));
                            counted.push(set);
                        }
                    }
                    if question.key == "a0-only" {
                        a0_sets.push(atoms.keys.iter().zip(&column).map(|(key, &m)| m && key[0] == 0).collect());
                    }
                    // Bases.
                    let answered = f.answered.unwrap_or(0);
                    let substantive: u64 = f.options.iter().filter_map(|o| o.count).sum();
                    if f.options.iter().any(|o| o.percent.is_some()) {
                        prop_assert!(answered >= k64);
                    }
                    if f.score.is_some() || f.agree_percent.is_some() {
                        prop_assert!(substantive >= k64, "a score on {} substantive answers", substantive);
                    }
                    if let Some(numbers) = &f.numbers {
                        if numbers.median.is_some() {
                            prop_assert!(numbers.count >= 2 * k64);
                        }
                        if numbers.mean.is_some() {
                            prop_assert!(numbers.count >= k64);
                        }
                    }
                }
            }
        }
        // Each cross-tab with its margins on its own, then all of them together.
        for b1 in 0..3 {
            for b2 in b1 + 1..3 {
                let in_table: Vec<Vec<bool>> = counted
                    .iter()
                    .filter(|set| is_table_set(&atoms, set, b1, b2))
                    .cloned()
                    .collect();
                if n >= k64 {
                    let cells = cell_sizes(&atoms, b1, b2);
                    let sets: Vec<Vec<bool>> = in_table.iter().map(|s| to_cells(&atoms, s, b1, b2)).collect();
                    let found = small_in_span(&cells, &sets, k64);
                    prop_assert!(found.is_none(), "table {}×{} gives back cells {:?}", b1, b2, found);
                }
            }
        }
        // And all counts of people together, across tables.
        if n >= k64 {
            let found = small_in_span(&atoms.sizes, &counted, k64);
            prop_assert!(found.is_none(), "all counts together give back atoms {:?}", found);
        }
        if n >= k64 && !a0_sets.is_empty() {
            let found = small_in_span(&atoms.sizes, &a0_sets, k64);
            prop_assert!(found.is_none(), "the a0-only question gives back atoms {:?}", found);
        }
    }
}

/// Whether a set is a union of cells of the b1 × b2 table (depends on those answers only).
fn is_table_set(atoms: &Atoms, set: &[bool], b1: usize, b2: usize) -> bool {
    let mut by_cell: HashMap<(usize, usize), bool> = HashMap::new();
    for (key, &m) in atoms.keys.iter().zip(set) {
        let cell = (key[b1], key[b2]);
        if let Some(previous) = by_cell.insert(cell, m) {
            if previous != m {
                return false;
            }
        }
    }
    true
}

fn cell_sizes(atoms: &Atoms, b1: usize, b2: usize) -> Vec<u64> {
    let mut sizes = vec![0; WIDTHS[b1] * WIDTHS[b2]];
    for (key, &n) in atoms.keys.iter().zip(&atoms.sizes) {
        sizes[key[b1] * WIDTHS[b2] + key[b2]] += n;
    }
    sizes
}

fn to_cells(atoms: &Atoms, set: &[bool], b1: usize, b2: usize) -> Vec<bool> {
    let mut cells = vec![false; WIDTHS[b1] * WIDTHS[b2]];
    for (key, &m) in atoms.keys.iter().zip(set) {
        if m {
            cells[key[b1] * WIDTHS[b2] + key[b2]] = true;
        }
    }
    cells
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn response_rates_give_no_small_completed_or_not_completed_count(
        k in 2u32..8,
        groups in prop::collection::vec((0u64..30, 0u64..30), 1..6),
    ) {
        let rates: Vec<Rate> = groups.iter().map(|&(a, b)| Rate { invited: a.max(b), completed: a.min(b) }).collect();
        let shown = shown_groups(&rates, k);
        let k64 = u64::from(k);
        let passes = |r: Rate| r.invited == 0 || (r.completed >= k64 && r.invited - r.completed >= k64);
        for (rate, &s) in rates.iter().zip(&shown) {
            if s {
                prop_assert!(passes(*rate), "{:?} shown", rate);
            }
        }
        // The overall figures are shown: the hidden groups together are what they give back.
        let hidden = rates.iter().zip(&shown).filter(|(_, &s)| !s).fold(Rate { invited: 0, completed: 0 }, |sum, (r, _)| Rate {
            invited: sum.invited + r.invited,
            completed: sum.completed + r.completed,
        });
        let all_hidden = shown.iter().zip(&rates).all(|(&s, r)| !s || r.invited == 0);
        prop_assert!(hidden.invited == 0 || passes(hidden) || all_hidden, "hidden together {:?}", hidden);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn rows_are_k_anonymous_and_blank_what_gives_a_suppressed_agency_back(
        k in 2u32..8,
        specs in prop::collection::vec(spec(), 0..60),
    ) {
        let q = questionnaire(k);
        let breakdowns: Vec<_> = q.questions().filter(|x| x.breakdown).collect();
        let columns: Vec<_> = q.questions().collect();
        let depends = show_if_dependencies(&q, &columns, &breakdowns);
        let a0_only = columns.iter().position(|c| c.key == "a0-only").unwrap();
        prop_assert_eq!(&depends[a0_only], &vec![0usize]);
        let mut counts: HashMap<Vec<String>, u64> = HashMap::new();
        for s in &specs {
            let atom = s.atom();
            let combination = (0..3).map(|b| value(b, atom[b])).collect();
            *counts.entry(combination).or_insert(0) += 1;
        }
        match kanon::plan(&counts, k) {
            None => prop_assert!((specs.len() as u64) < u64::from(k)),
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
