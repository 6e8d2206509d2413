//! Over-suppression: the shipped questionnaire with realistic numbers (about 400 responses
//! across six organisations, four roles and four lengths of service) hides no group of 10
//! or more unless a rule requires it: for every such hidden group, publishing it as well
//! would let a set of 1..k−1 responses be worked out.

use candour::questionnaire::{parse_questionnaire, Questionnaire};
use candour::report::disclosure::{span, Plan};

fn shipped() -> Questionnaire {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/config/questionnaires/safeguarding-frontline.toml"
    ))
    .expect("the shipped questionnaire");
    parse_questionnaire(&text).expect("a valid questionnaire")
}

/// A small deterministic generator (no seed files, same numbers on every machine).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }

    fn pick<'a>(&mut self, weighted: &[(&'a str, f64)]) -> &'a str {
        let total: f64 = weighted.iter().map(|(_, w)| w).sum();
        let mut x = self.next() * total;
        for (value, w) in weighted {
            if x < *w {
                return value;
            }
            x -= w;
        }
        weighted[weighted.len() - 1].0
    }
}

/// About 400 responses: mostly council, a few dozen from each partner, roles and lengths of
/// service skewed as staff surveys are.
fn realistic(seed: u64, small_other: bool) -> Vec<(Vec<String>, u64)> {
    let agencies = [
        ("council", 210.0),
        ("police", 45.0),
        ("health", 60.0),
        ("education", 50.0),
        ("voluntary", 25.0),
        ("other", if small_other { 0.8 } else { 12.0 }),
    ];
    let roles = [
        ("frontline", 62.0),
        ("manager", 24.0),
        ("senior-manager", 7.0),
        ("other", 7.0),
    ];
    let lengths = [
        ("less-than-1", 15.0),
        ("1-to-2", 20.0),
        ("3-to-5", 30.0),
        ("more-than-5", 35.0),
    ];
    let mut rng = Lcg(seed);
    let mut counts: std::collections::BTreeMap<Vec<String>, u64> = Default::default();
    for _ in 0..400 {
        let combination = vec![
            rng.pick(&agencies).to_owned(),
            rng.pick(&roles).to_owned(),
            rng.pick(&lengths).to_owned(),
        ];
        *counts.entry(combination).or_insert(0) += 1;
    }
    counts.into_iter().collect()
}

/// How many cross-tab cells holding 5 or more are hidden (complementary suppression), of
/// how many cells; printed, for the record.
fn large_cells_hidden(plan: &Plan, combinations: &[(Vec<String>, u64)]) -> (usize, usize) {
    let keys = ["agency", "role-group", "length-of-service"];
    let values = |b: usize| -> Vec<String> {
        let mut v: Vec<String> = combinations.iter().map(|(c, _)| c[b].clone()).collect();
        v.sort();
        v.dedup();
        v
    };
    let (mut hidden, mut cells) = (0, 0);
    for b1 in 0..3 {
        for b2 in b1 + 1..3 {
            for v1 in values(b1) {
                for v2 in values(b2) {
                    let n: u64 = combinations
                        .iter()
                        .filter(|(c, _)| c[b1] == v1 && c[b2] == v2)
                        .map(|(_, n)| n)
                        .sum();
                    cells += 1;
                    let shown = plan.count(Some((keys[b1], &v1)), keys[b2], &v2).count();
                    if n >= 5 && shown.is_none() {
                        hidden += 1;
                    }
                }
            }
        }
    }
    (hidden, cells)
}

#[test]
fn realistic_numbers_hide_no_group_of_ten_or_more_without_a_rule() {
    let q = shipped();
    let k = u64::from(q.min_group_size);
    for seed in 1..=10 {
        // Every other seed, "another organisation" has only a handful of responses.
        let small_other = seed % 2 == 0;
        let combinations = realistic(seed, small_other);
        let started = std::time::Instant::now();
        let plan = Plan::new(&q, &combinations);
        eprintln!("seed {seed}: plan in {:?}", started.elapsed());
        let (hidden_cells, cells) = large_cells_hidden(&plan, &combinations);
        eprintln!("seed {seed}: {hidden_cells} of {cells} cross-tab cells of 5 or more hidden");
        let groups = plan.groups();
        let keys = ["agency", "role-group", "length-of-service"];
        let set = |key: &str, value: &str| -> Vec<bool> {
            let b = keys.iter().position(|k| *k == key).unwrap();
            combinations.iter().map(|(c, _)| c[b] == value).collect()
        };
        let sizes: Vec<u64> = combinations.iter().map(|(_, n)| *n).collect();
        let published: Vec<Vec<bool>> = std::iter::once(vec![true; combinations.len()])
            .chain(
                groups
                    .iter()
                    .filter(|(_, _, n, shown)| *shown && *n > 0)
                    .map(|(key, value, _, _)| set(key, value)),
            )
            .collect();
        let refs: Vec<&[bool]> = published.iter().map(Vec::as_slice).collect();
        assert_eq!(span::find_small(&sizes, &refs, k), None, "seed {seed}");
        for (key, value, n, shown) in &groups {
            if *shown || *n < 10 {
                continue;
            }
            // A rule requires it: publishing it too would single out 1..k−1 responses.
            let extra = set(key, value);
            let mut with: Vec<&[bool]> = refs.clone();
            with.push(&extra);
            assert!(
                span::find_small(&sizes, &with, k).is_some(),
                "seed {seed}: {key} = {value} ({n}) is hidden though no rule requires it; {groups:?}"
            );
        }
        // Without a small group, every group is shown; with one, only the next smallest of
        // its breakdown is hidden with it (the total minus the others would give it back).
        let hidden: Vec<String> = groups
            .iter()
            .filter(|(_, _, n, shown)| !shown && *n > 0)
            .map(|(key, value, n, _)| format!("{key}={value} ({n})"))
            .collect();
        let small: Vec<&(String, String, u64, bool)> = groups
            .iter()
            .filter(|(_, _, n, _)| (1..k).contains(n))
            .collect();
        eprintln!("seed {seed}: hidden {hidden:?}");
        if small.is_empty() {
            assert!(hidden.is_empty(), "seed {seed}: {hidden:?}");
        } else {
            assert!(hidden.len() <= 2 * small.len(), "seed {seed}: {hidden:?}");
        }
        // No "not answered" group exists for required questions, and empty groups are not
        // treated as small ones.
        assert!(groups
            .iter()
            .filter(|(_, value, _, _)| value.is_empty())
            .all(|(_, _, n, shown)| *n == 0 && *shown));
    }
}
