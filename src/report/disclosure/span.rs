//! What adding and subtracting published figures can pin down.
//!
//! Responses fall into atoms: one per combination of breakdown answers (or, for a
//! cross-tabulation, one per cell). Every published figure is a sum over a set of atoms, so
//! by adding and subtracting figures a reader can compute the figures of any set whose
//! indicator is a linear combination of the published sets' indicators. `find_small` finds
//! such a set holding 1..k−1 responses, if there is one; `in_span` says whether a given set
//! can be computed.
//!
//! Atoms that every published set treats alike (in the same sets) are merged into blocks:
//! no combination can separate them. A combination is then fixed by its coefficients at the
//! pivot blocks of the sets' reduced row echelon form, so the search only enumerates subsets
//! of small pivot blocks whose sizes add up to less than k: a few hundred to a few thousand
//! subsets for realistic questionnaires. Large blocks are pivots first, which keeps small
//! pivots few.

use std::collections::HashMap;

const EPS: f64 = 1e-7;

/// Subsets tried before giving up: then the smallest small pivot block is reported, which
/// errs towards hiding more.
const BUDGET: usize = 200_000;

struct Blocks {
    /// Atoms of each block.
    atoms: Vec<Vec<usize>>,
    sizes: Vec<u64>,
    /// Block of each atom; `None` for an empty atom.
    of_atom: Vec<Option<usize>>,
    /// Reduced rows, each with its pivot block.
    rows: Vec<(usize, Vec<f64>)>,
}

impl Blocks {
    fn new(sizes: &[u64], sets: &[&[bool]], k: u64) -> Self {
        let mut by_signature: HashMap<Vec<bool>, usize> = HashMap::new();
        let mut atoms: Vec<Vec<usize>> = Vec::new();
        let mut block_sizes: Vec<u64> = Vec::new();
        let mut of_atom = vec![None; sizes.len()];
        for (atom, &size) in sizes.iter().enumerate() {
            if size == 0 {
                continue;
            }
            let signature: Vec<bool> = sets.iter().map(|set| set[atom]).collect();
            let block = *by_signature.entry(signature).or_insert_with(|| {
                atoms.push(Vec::new());
                block_sizes.push(0);
                atoms.len() - 1
            });
            atoms[block].push(atom);
            block_sizes[block] += size;
            of_atom[atom] = Some(block);
        }
        // Large blocks first, so they become pivots before small ones.
        let mut order: Vec<usize> = (0..atoms.len()).collect();
        order.sort_by_key(|&b| (block_sizes[b] < k, block_sizes[b], b));
        let mut rank = vec![0; order.len()];
        for (position, &b) in order.iter().enumerate() {
            rank[b] = position;
        }
        let atoms: Vec<Vec<usize>> = order.iter().map(|&b| atoms[b].clone()).collect();
        let sizes: Vec<u64> = order.iter().map(|&b| block_sizes[b]).collect();
        let of_atom: Vec<Option<usize>> = of_atom.iter().map(|b| b.map(|b| rank[b])).collect();
        let matrix: Vec<Vec<f64>> = sets
            .iter()
            .map(|set| {
                let mut row = vec![0.0; atoms.len()];
                for (block, members) in atoms.iter().enumerate() {
                    if set[members[0]] {
                        row[block] = 1.0;
                    }
                }
                row
            })
            .collect();
        let rows = reduce(matrix, atoms.len());
        Blocks {
            atoms,
            sizes,
            of_atom,
            rows,
        }
    }

    /// The combination of reduced rows that equals `target` at the pivots; `target` is in
    /// the span exactly when that combination equals it everywhere.
    fn in_span(&self, target: &[f64]) -> bool {
        let mut sum = vec![0.0; target.len()];
        for (pivot, row) in &self.rows {
            let coefficient = target[*pivot];
            if coefficient.abs() > EPS {
                for (s, r) in sum.iter_mut().zip(row) {
                    *s += coefficient * r;
                }
            }
        }
        sum.iter().zip(target).all(|(s, t)| (s - t).abs() < EPS)
    }
}

/// Gauss–Jordan elimination; returns the non-zero reduced rows with their pivot columns.
fn reduce(mut rows: Vec<Vec<f64>>, columns: usize) -> Vec<(usize, Vec<f64>)> {
    let mut pivots = Vec::new();
    let mut next = 0;
    for column in 0..columns {
        if next == rows.len() {
            break;
        }
        let Some(best) = (next..rows.len())
            .filter(|&r| rows[r][column].abs() > EPS)
            .max_by(|&a, &b| rows[a][column].abs().total_cmp(&rows[b][column].abs()))
        else {
            continue;
        };
        rows.swap(next, best);
        let lead = rows[next][column];
        for value in rows[next].iter_mut() {
            *value /= lead;
        }
        let pivot_row = rows[next].clone();
        for (r, row) in rows.iter_mut().enumerate() {
            if r != next && row[column].abs() > EPS {
                let factor = row[column];
                for (value, p) in row.iter_mut().zip(&pivot_row) {
                    *value -= factor * p;
                }
            }
        }
        pivots.push(column);
        next += 1;
    }
    rows.truncate(next);
    pivots.into_iter().zip(rows).collect()
}

/// A set of atoms holding 1..k−1 responses (by `sizes`) whose figures follow from those of
/// `sets` by adding and subtracting; `None` when there is none.
pub fn find_small(sizes: &[u64], sets: &[&[bool]], k: u64) -> Option<Vec<usize>> {
    if k <= 1 {
        return None;
    }
    let blocks = Blocks::new(sizes, sets, k);
    let mut small: Vec<&(usize, Vec<f64>)> = blocks
        .rows
        .iter()
        .filter(|(pivot, _)| blocks.sizes[*pivot] < k)
        .collect();
    small.sort_by_key(|(pivot, _)| blocks.sizes[*pivot]);
    let mut search = Search {
        blocks: &blocks,
        small: &small,
        k,
        tried: 0,
    };
    let width = blocks.atoms.len();
    let found = search.from(0, 0, &vec![0.0; width]).or_else(|| {
        // Over budget: err towards hiding more.
        (search.tried >= BUDGET)
            .then(|| small.first().map(|(pivot, _)| vec_of(width, *pivot)))
            .flatten()
    })?;
    let mut atoms: Vec<usize> = found
        .iter()
        .enumerate()
        .filter(|(_, &w)| w > 0.5)
        .flat_map(|(block, _)| blocks.atoms[block].iter().copied())
        .collect();
    atoms.sort_unstable();
    Some(atoms)
}

fn vec_of(width: usize, one: usize) -> Vec<f64> {
    let mut v = vec![0.0; width];
    v[one] = 1.0;
    v
}

struct Search<'a> {
    blocks: &'a Blocks,
    small: &'a [&'a (usize, Vec<f64>)],
    k: u64,
    tried: usize,
}

impl Search<'_> {
    fn from(&mut self, start: usize, members: u64, sum: &[f64]) -> Option<Vec<f64>> {
        for i in start..self.small.len() {
            let (pivot, row) = self.small[i];
            let with = members + self.blocks.sizes[*pivot];
            if with >= self.k {
                // Sorted by size: no later pivot fits either.
                return None;
            }
            self.tried += 1;
            if self.tried >= BUDGET {
                return None;
            }
            let next: Vec<f64> = sum.iter().zip(row).map(|(s, r)| s + r).collect();
            if let Some(size) = self.indicator_size(&next) {
                if (1..self.k).contains(&size) {
                    return Some(next);
                }
            }
            if let Some(found) = self.from(i + 1, with, &next) {
                return Some(found);
            }
        }
        None
    }

    /// The number of responses of the set `v` indicates; `None` unless `v` is 0/1.
    fn indicator_size(&self, v: &[f64]) -> Option<u64> {
        let mut size = 0;
        for (block, &value) in v.iter().enumerate() {
            if (value - 1.0).abs() < EPS {
                size += self.blocks.sizes[block];
            } else if value.abs() >= EPS {
                return None;
            }
        }
        Some(size)
    }
}

/// Whether the figures of the set `target` (over atoms) follow from those of `sets`.
pub fn in_span(sizes: &[u64], sets: &[&[bool]], target: &[bool]) -> bool {
    let blocks = Blocks::new(sizes, sets, u64::MAX);
    let mut vector = vec![0.0; blocks.atoms.len()];
    let mut seen = vec![None; blocks.atoms.len()];
    for (atom, block) in blocks.of_atom.iter().enumerate() {
        let Some(block) = *block else { continue };
        match seen[block] {
            None => {
                seen[block] = Some(target[atom]);
                if target[atom] {
                    vector[block] = 1.0;
                }
            }
            // The target splits a block no combination can split.
            Some(previous) if previous != target[atom] => return false,
            Some(_) => {}
        }
    }
    blocks.in_span(&vector)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(members: &[usize], n: usize) -> Vec<bool> {
        (0..n).map(|a| members.contains(&a)).collect()
    }

    #[test]
    fn a_difference_of_two_nested_groups_is_found() {
        // Atoms: council-frontline 9, police-frontline 1, voluntary-manager 6, health-manager 1,
        // education-manager 1.
        let sizes = [9, 1, 6, 1, 1];
        let whole = set(&[0, 1, 2, 3, 4], 5);
        let council = set(&[0], 5);
        let frontline = set(&[0, 1], 5);
        let manager = set(&[2, 3, 4], 5);
        let sets: Vec<&[bool]> = vec![&whole, &council, &frontline, &manager];
        assert_eq!(find_small(&sizes, &sets, 5), Some(vec![1]));
        let sets: Vec<&[bool]> = vec![&whole, &frontline, &manager];
        assert_eq!(find_small(&sizes, &sets, 5), None);
    }

    #[test]
    fn sums_of_several_groups_are_followed() {
        // frontline = council 9 + voluntary 6 + police 1; council and voluntary published.
        let sizes = [9, 6, 1, 20];
        let whole = set(&[0, 1, 2, 3], 4);
        let frontline = set(&[0, 1, 2], 4);
        let council = set(&[0], 4);
        let voluntary = set(&[1], 4);
        let sets: Vec<&[bool]> = vec![&whole, &frontline, &council, &voluntary];
        assert_eq!(find_small(&sizes, &sets, 5), Some(vec![2]));
        assert!(in_span(&sizes, &sets, &set(&[2], 4)));
        let sets: Vec<&[bool]> = vec![&whole, &frontline, &council];
        assert_eq!(find_small(&sizes, &sets, 5), None);
        assert!(!in_span(&sizes, &sets, &set(&[2], 4)));
    }

    #[test]
    fn two_small_atoms_that_only_come_together_are_a_set_of_two() {
        let sizes = [1, 1, 30];
        let whole = set(&[0, 1, 2], 3);
        let big = set(&[2], 3);
        let sets: Vec<&[bool]> = vec![&whole, &big];
        assert_eq!(find_small(&sizes, &sets, 5), Some(vec![0, 1]));
        assert_eq!(find_small(&sizes, &sets, 2), None);
    }

    #[test]
    fn empty_atoms_are_ignored() {
        let sizes = [0, 12, 30];
        let whole = set(&[0, 1, 2], 3);
        let empty = set(&[0], 3);
        let twelve = set(&[1], 3);
        let sets: Vec<&[bool]> = vec![&whole, &empty, &twelve];
        assert_eq!(find_small(&sizes, &sets, 5), None);
    }
}
