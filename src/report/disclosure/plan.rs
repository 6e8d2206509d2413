//! The plan: for one survey, from how many responses give each combination of breakdown
//! answers, everything that may be published, decided at once for every breakdown, so that
//! no page, download or answer can be combined with another to narrow anything to fewer than
//! k responses. Computed per request from the tallies; its cost depends on the number of
//! combinations, not of responses.

use std::collections::{HashMap, HashSet};

use super::choose::publishable;
use crate::questionnaire::{Question, Questionnaire};

/// Whether a figure about a set of responses is published, and its size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Publish {
    /// Published; 0 for an empty group, which is shown as empty.
    Shown(u64),
    Hidden,
}

impl Publish {
    pub fn count(self) -> Option<u64> {
        match self {
            Publish::Shown(n) => Some(n),
            Publish::Hidden => None,
        }
    }
}

/// A column of results: the whole survey, or a group of a breakdown question.
pub type Column<'a> = Option<(&'a str, &'a str)>;

#[derive(Debug, Clone)]
pub struct Plan {
    k: u64,
    total: u64,
    suppressed: bool,
    keys: Vec<String>,
    /// Per breakdown question: its choices' values, then "" (not answered), then any other
    /// value found in the responses.
    values: Vec<Vec<String>>,
    /// (breakdown, value index) → size and whether published.
    groups: HashMap<(usize, usize), (u64, bool)>,
    /// (breakdown, value, other breakdown, its value) → size and whether published; both
    /// orders are stored.
    cells: HashMap<(usize, usize, usize, usize), (u64, bool)>,
    /// (question, column) whose figures are withheld because the question is shown only to
    /// some breakdown groups and its figures there would single out a small set.
    hidden_questions: HashSet<(String, Option<(usize, usize)>)>,
}

impl Plan {
    /// The plan for questionnaire `q` given how many responses give each combination of
    /// answers to its breakdown questions (in questionnaire order; "" for not answered).
    pub fn new(q: &Questionnaire, combinations: &[(Vec<String>, u64)]) -> Plan {
        let breakdowns: Vec<&Question> = q.questions().filter(|x| x.breakdown).collect();
        let keys: Vec<String> = breakdowns.iter().map(|x| x.key.clone()).collect();
        let mut values: Vec<Vec<String>> = breakdowns
            .iter()
            .map(|x| {
                x.choices()
                    .iter()
                    .map(|c| c.value.clone())
                    .chain(std::iter::once(String::new()))
                    .collect()
            })
            .collect();
        let mut atoms: Vec<Vec<usize>> = Vec::new();
        let mut sizes: Vec<u64> = Vec::new();
        for (combination, n) in combinations {
            if combination.len() != keys.len() || *n == 0 {
                continue;
            }
            let atom = combination
                .iter()
                .enumerate()
                .map(
                    |(b, value)| match values[b].iter().position(|v| v == value) {
                        Some(i) => i,
                        None => {
                            values[b].push(value.clone());
                            values[b].len() - 1
                        }
                    },
                )
                .collect();
            atoms.push(atom);
            sizes.push(*n);
        }
        let k = u64::from(q.min_group_size);
        let total: u64 = sizes.iter().sum();
        let mut plan = Plan {
            k,
            total,
            suppressed: total < k,
            keys,
            values,
            groups: HashMap::new(),
            cells: HashMap::new(),
            hidden_questions: HashSet::new(),
        };
        plan.choose_groups(&atoms, &sizes);
        plan.choose_cells(&atoms, &sizes);
        plan.choose_cells_jointly(&atoms, &sizes);
        plan.choose_questions(q, &atoms, &sizes);
        plan
    }

    fn group_set(atoms: &[Vec<usize>], b: usize, i: usize) -> Vec<bool> {
        atoms.iter().map(|atom| atom[b] == i).collect()
    }

    fn all_groups(&self) -> Vec<(usize, usize)> {
        (0..self.keys.len())
            .flat_map(|b| (0..self.values[b].len()).map(move |i| (b, i)))
            .collect()
    }

    fn choose_groups(&mut self, atoms: &[Vec<usize>], sizes: &[u64]) {
        let groups = self.all_groups();
        let sets: Vec<Vec<bool>> = groups
            .iter()
            .map(|&(b, i)| Self::group_set(atoms, b, i))
            .collect();
        let whole = vec![true; atoms.len()];
        let candidates: Vec<(&[bool], bool)> = sets
            .iter()
            .map(|s| (s.as_slice(), !self.suppressed))
            .collect();
        let shown = if self.suppressed {
            vec![false; groups.len()]
        } else {
            publishable(sizes, &[&whole], &candidates, self.k)
        };
        for ((&(b, i), set), shown) in groups.iter().zip(&sets).zip(shown) {
            let n = size_of(set, sizes);
            self.groups.insert((b, i), (n, shown && !self.suppressed));
        }
    }

    fn choose_cells(&mut self, atoms: &[Vec<usize>], sizes: &[u64]) {
        for b1 in 0..self.keys.len() {
            for b2 in b1 + 1..self.keys.len() {
                let (w1, w2) = (self.values[b1].len(), self.values[b2].len());
                let mut cell_sizes = vec![0u64; w1 * w2];
                for (atom, n) in atoms.iter().zip(sizes) {
                    cell_sizes[atom[b1] * w2 + atom[b2]] += n;
                }
                let whole = vec![true; w1 * w2];
                let mut fixed: Vec<Vec<bool>> = vec![whole];
                for i1 in 0..w1 {
                    if self.group_shown(b1, i1) {
                        fixed.push((0..w1 * w2).map(|c| c / w2 == i1).collect());
                    }
                }
                for i2 in 0..w2 {
                    if self.group_shown(b2, i2) {
                        fixed.push((0..w1 * w2).map(|c| c % w2 == i2).collect());
                    }
                }
                let singles: Vec<Vec<bool>> = (0..w1 * w2)
                    .map(|c| (0..w1 * w2).map(|d| d == c).collect())
                    .collect();
                let candidates: Vec<(&[bool], bool)> = singles
                    .iter()
                    .enumerate()
                    .map(|(c, s)| {
                        let eligible = self.group_shown(b1, c / w2) || self.group_shown(b2, c % w2);
                        (s.as_slice(), eligible)
                    })
                    .collect();
                let fixed_refs: Vec<&[bool]> = fixed.iter().map(Vec::as_slice).collect();
                let shown = if self.suppressed {
                    vec![false; candidates.len()]
                } else {
                    publishable(&cell_sizes, &fixed_refs, &candidates, self.k)
                };
                for (c, shown) in shown.into_iter().enumerate() {
                    let (i1, i2) = (c / w2, c % w2);
                    let entry = (cell_sizes[c], shown && candidates[c].1);
                    self.cells.insert((b1, i1, b2, i2), entry);
                    self.cells.insert((b2, i2, b1, i1), entry);
                }
            }
        }
    }

    /// Cross-tabs share cells' atoms when there are three or more breakdown questions:
    /// counts from several tables together might pin down a small set that no table does on
    /// its own. With every group and every cell shown so far as sets of atoms, hide cells
    /// (the smallest first) until no set of 1..k−1 can be worked out from all of them.
    fn choose_cells_jointly(&mut self, atoms: &[Vec<usize>], sizes: &[u64]) {
        if self.suppressed || self.keys.len() < 3 {
            return;
        }
        let whole = vec![true; atoms.len()];
        let mut fixed: Vec<Vec<bool>> = vec![whole];
        for (b, i) in self.all_groups() {
            if self.group_shown(b, i) {
                fixed.push(Self::group_set(atoms, b, i));
            }
        }
        let mut keys: Vec<(usize, usize, usize, usize)> = self
            .cells
            .iter()
            .filter(|(&(b1, _, b2, _), &(n, shown))| b1 < b2 && shown && n > 0)
            .map(|(&key, _)| key)
            .collect();
        keys.sort_unstable();
        let sets: Vec<Vec<bool>> = keys
            .iter()
            .map(|&(b1, i1, b2, i2)| atoms.iter().map(|a| a[b1] == i1 && a[b2] == i2).collect())
            .collect();
        let fixed_refs: Vec<&[bool]> = fixed.iter().map(Vec::as_slice).collect();
        let candidates: Vec<(&[bool], bool)> = sets.iter().map(|s| (s.as_slice(), true)).collect();
        let shown = publishable(sizes, &fixed_refs, &candidates, self.k);
        for (&(b1, i1, b2, i2), shown) in keys.iter().zip(shown) {
            if !shown {
                for key in [(b1, i1, b2, i2), (b2, i2, b1, i1)] {
                    if let Some(entry) = self.cells.get_mut(&key) {
                        entry.1 = false;
                    }
                }
            }
        }
    }

    /// The breakdown conditions under which a question is shown: (breakdown, allowed value
    /// indexes) for each `show_if` on a breakdown question, following chains of `show_if`.
    fn conditions(&self, q: &Questionnaire, question: &Question) -> Vec<(usize, Vec<usize>)> {
        let mut conditions = Vec::new();
        let mut seen = HashSet::new();
        let mut current = question;
        while let Some(show_if) = &current.show_if {
            if !seen.insert(show_if.question.clone()) {
                break;
            }
            if let Some(b) = self.keys.iter().position(|key| *key == show_if.question) {
                let allowed = show_if
                    .any_of
                    .iter()
                    .filter_map(|v| self.values[b].iter().position(|x| x == v))
                    .collect();
                conditions.push((b, allowed));
            }
            match q.question(&show_if.question) {
                Some(next) => current = next,
                None => break,
            }
        }
        conditions
    }

    fn choose_questions(&mut self, q: &Questionnaire, atoms: &[Vec<usize>], sizes: &[u64]) {
        if self.suppressed {
            return;
        }
        let columns: Vec<Option<(usize, usize)>> = std::iter::once(None)
            .chain(
                self.all_groups()
                    .into_iter()
                    .filter(|&(b, i)| self.group_shown(b, i))
                    .map(Some),
            )
            .collect();
        let mut decided: HashMap<Vec<bool>, Vec<bool>> = HashMap::new();
        for question in q.questions() {
            let conditions = self.conditions(q, question);
            if conditions.is_empty() {
                continue;
            }
            let eligible: Vec<bool> = atoms
                .iter()
                .map(|atom| {
                    conditions
                        .iter()
                        .all(|(b, allowed)| allowed.contains(&atom[*b]))
                })
                .collect();
            let shown = decided.entry(eligible.clone()).or_insert_with(|| {
                let sets: Vec<Vec<bool>> = columns
                    .iter()
                    .map(|column| match column {
                        None => eligible.clone(),
                        Some((b, i)) => atoms
                            .iter()
                            .zip(&eligible)
                            .map(|(atom, &e)| e && atom[*b] == *i)
                            .collect(),
                    })
                    .collect();
                let candidates: Vec<(&[bool], bool)> =
                    sets.iter().map(|s| (s.as_slice(), true)).collect();
                publishable(sizes, &[], &candidates, self.k)
            });
            for (column, shown) in columns.iter().zip(shown.iter()) {
                if !shown {
                    self.hidden_questions
                        .insert((question.key.clone(), *column));
                }
            }
        }
    }

    fn group_shown(&self, b: usize, i: usize) -> bool {
        self.groups.get(&(b, i)).is_some_and(|(_, shown)| *shown)
    }

    fn index(&self, key: &str, value: &str) -> Option<(usize, usize)> {
        let b = self.keys.iter().position(|k| k == key)?;
        let i = self.values[b].iter().position(|v| v == value)?;
        Some((b, i))
    }

    pub fn min_group_size(&self) -> u64 {
        self.k
    }

    /// True while the survey has fewer than k responses: nothing is published.
    pub fn survey_suppressed(&self) -> bool {
        self.suppressed
    }

    pub fn total(&self) -> u64 {
        self.total
    }

    /// The group of responses answering `value` ("" for not answered) to breakdown `key`.
    pub fn group(&self, key: &str, value: &str) -> Publish {
        if self.suppressed {
            return Publish::Hidden;
        }
        match self.index(key, value) {
            Some((b, i)) => match self.groups.get(&(b, i)) {
                Some(&(n, true)) => Publish::Shown(n),
                Some(_) => Publish::Hidden,
                None => Publish::Shown(0),
            },
            // No response gives that value: an empty group.
            None if self.keys.iter().any(|k| k == key) => Publish::Shown(0),
            None => Publish::Hidden,
        }
    }

    /// Within `column`, how many answered `value` to breakdown question `key`.
    pub fn count(&self, column: Column<'_>, key: &str, value: &str) -> Publish {
        let Some((by, group)) = column else {
            return self.group(key, value);
        };
        if by == key {
            return match self.group(by, group) {
                Publish::Shown(n) => Publish::Shown(if group == value { n } else { 0 }),
                Publish::Hidden => Publish::Hidden,
            };
        }
        if self.suppressed {
            return Publish::Hidden;
        }
        match (self.index(by, group), self.index(key, value)) {
            (Some((b1, i1)), Some((b2, i2))) => match self.cells.get(&(b1, i1, b2, i2)) {
                Some(&(n, true)) => Publish::Shown(n),
                Some(_) => Publish::Hidden,
                None => Publish::Shown(0),
            },
            _ => Publish::Shown(0),
        }
    }

    /// Whether figures of `question` (not a breakdown question's own counts, which `count`
    /// decides) may be shown in `column`, given that the column itself is published.
    pub fn question_shown(&self, question: &str, column: Column<'_>) -> bool {
        let column = match column {
            None => None,
            Some((key, value)) => match self.index(key, value) {
                Some(index) => Some(index),
                None => return true,
            },
        };
        !self
            .hidden_questions
            .contains(&(question.to_owned(), column))
    }

    /// Every group (breakdown key, value, size, published), for checks and tests.
    pub fn groups(&self) -> Vec<(String, String, u64, bool)> {
        let mut out: Vec<_> = self
            .groups
            .iter()
            .map(|(&(b, i), &(n, shown))| {
                (self.keys[b].clone(), self.values[b][i].clone(), n, shown)
            })
            .collect();
        out.sort();
        out
    }
}

fn size_of(set: &[bool], sizes: &[u64]) -> u64 {
    set.iter()
        .zip(sizes)
        .filter(|(&member, _)| member)
        .map(|(_, &n)| n)
        .sum()
}
