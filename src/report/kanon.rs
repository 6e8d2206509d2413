//! k-anonymity for response-level downloads: every combination of breakdown answers that
//! appears in a row must be shared by at least k rows (k = the survey's minimum group size).
//!
//! Algorithm (local suppression, greedy, deterministic): count the rows of each combination
//! (a GROUP BY-like first pass). While some published combination has fewer than k rows,
//! choose the breakdown column with the most distinct values among those small combinations
//! (ties: the earlier column) and replace that column's value by "suppressed" in the small
//! combinations only, merging combinations that become equal. When the small combinations
//! are suppressed in every column and still fewer than k, the smallest other combination is
//! suppressed entirely too, until the fully suppressed combination holds at least k rows.
//! "Not answered" is a value like any other. The plan maps each original combination to
//! what is published; rows are then streamed through it.

use std::collections::{BTreeMap, HashMap};

/// A combination of breakdown answers ("" for not answered), in breakdown-question order.
pub type Combination = Vec<String>;
/// What is published for a combination: `None` where the value is suppressed.
pub type Published = Vec<Option<String>>;

#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    map: HashMap<Combination, Published>,
}

impl Plan {
    pub fn publish(&self, combination: &Combination) -> Published {
        self.published(combination)
            .cloned()
            .unwrap_or_else(|| vec![None; combination.len()])
    }

    /// As `publish` without copying; `None` for a combination the plan was not made for,
    /// of which nothing is published.
    pub fn published(&self, combination: &Combination) -> Option<&Published> {
        self.map.get(combination)
    }
}

/// The plan for these combination counts; `None` when there are fewer than k rows in all.
pub fn plan(counts: &HashMap<Combination, u64>, min_group_size: u32) -> Option<Plan> {
    let k = u64::from(min_group_size);
    let total: u64 = counts.values().sum();
    if total < k {
        return None;
    }
    let mut map: HashMap<Combination, Published> = counts
        .keys()
        .map(|c| (c.clone(), c.iter().cloned().map(Some).collect()))
        .collect();
    let width = counts.keys().next().map_or(0, Vec::len);
    loop {
        let mut published: BTreeMap<&Published, u64> = BTreeMap::new();
        for (original, n) in counts {
            *published.entry(&map[original]).or_insert(0) += n;
        }
        let small: Vec<Published> = published
            .iter()
            .filter(|(_, &n)| n < k)
            .map(|(p, _)| (*p).clone())
            .collect();
        if small.is_empty() {
            return Some(Plan { map });
        }
        let distinct = |column: usize| -> usize {
            let mut values: Vec<&String> =
                small.iter().filter_map(|p| p[column].as_ref()).collect();
            values.sort();
            values.dedup();
            values.len()
        };
        let best = (0..width)
            .map(|column| (distinct(column), column))
            .filter(|(n, _)| *n > 0)
            .max_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
        match best {
            Some((_, column)) => {
                for published in map.values_mut() {
                    if small.contains(published) {
                        published[column] = None;
                    }
                }
            }
            None => {
                // Only the fully suppressed combination is small: fold in the smallest other.
                let smallest = published
                    .iter()
                    .filter(|(p, _)| p.iter().any(Option::is_some))
                    .min_by_key(|(_, &n)| n)
                    .map(|(p, _)| (*p).clone())?;
                for published in map.values_mut() {
                    if *published == smallest {
                        *published = vec![None; width];
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(rows: &[(&[&str], u64)]) -> HashMap<Combination, u64> {
        rows.iter()
            .map(|(c, n)| (c.iter().map(|s| s.to_string()).collect(), *n))
            .collect()
    }

    fn check(counts: &HashMap<Combination, u64>, plan: &Plan, k: u64) {
        let mut published: HashMap<Published, u64> = HashMap::new();
        for (c, n) in counts {
            *published.entry(plan.publish(c)).or_insert(0) += n;
        }
        assert!(published.values().all(|&n| n >= k), "{published:?}");
    }

    #[test]
    fn small_combinations_lose_the_most_varied_column() {
        let c = counts(&[
            (&["council", "manager"], 10),
            (&["police", "manager"], 2),
            (&["health", "manager"], 3),
            (&["council", "worker"], 7),
        ]);
        let plan = plan(&c, 5).unwrap();
        check(&c, &plan, 5);
        let s = |v: &str| Some(v.to_string());
        assert_eq!(
            plan.publish(&vec!["council".into(), "manager".into()]),
            [s("council"), s("manager")]
        );
        assert_eq!(
            plan.publish(&vec!["police".into(), "manager".into()]),
            [None, s("manager")]
        );
        assert_eq!(
            plan.publish(&vec!["health".into(), "manager".into()]),
            [None, s("manager")]
        );
    }

    #[test]
    fn a_lone_small_remainder_takes_the_smallest_other_combination() {
        let c = counts(&[(&["a", "x"], 2), (&["b", "y"], 6), (&["c", "z"], 9)]);
        let plan = plan(&c, 5).unwrap();
        check(&c, &plan, 5);
        assert_eq!(plan.publish(&vec!["a".into(), "x".into()]), [None, None]);
        assert_eq!(plan.publish(&vec!["b".into(), "y".into()]), [None, None]);
        assert!(plan
            .publish(&vec!["c".into(), "z".into()])
            .iter()
            .all(Option::is_some));
    }

    #[test]
    fn too_few_rows_in_all_publish_nothing() {
        assert_eq!(plan(&counts(&[(&["a"], 4)]), 5), None);
    }
}
