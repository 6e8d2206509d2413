//! Choosing what to publish: start from every candidate set that holds at least k responses,
//! then, while adding and subtracting the published sets' figures pins down a set of 1..k−1
//! responses, stop publishing one more candidate. The one chosen is the smallest whose
//! removal breaks that computation (so the smaller of two groups that differ by a few
//! people is the one hidden); failing that, the smallest that touches the small set.

use super::span;

/// Whether each candidate set may be published beside the `fixed` sets (always published).
/// `sizes` are the atoms' sizes; a candidate is a set of atoms and whether it may be shown
/// at all (for example, a cross-tabulation cell of two hidden groups is shown nowhere).
/// Empty candidates are returned as published: they hold nobody and add nothing.
pub fn publishable(
    sizes: &[u64],
    fixed: &[&[bool]],
    candidates: &[(&[bool], bool)],
    k: u64,
) -> Vec<bool> {
    let size_of = |set: &[bool]| -> u64 {
        set.iter()
            .zip(sizes)
            .filter(|(&member, _)| member)
            .map(|(_, &n)| n)
            .sum()
    };
    let candidate_sizes: Vec<u64> = candidates.iter().map(|(set, _)| size_of(set)).collect();
    let mut shown: Vec<bool> = candidates
        .iter()
        .zip(&candidate_sizes)
        .map(|((_, eligible), &n)| n == 0 || (*eligible && n >= k))
        .collect();
    loop {
        let family = |without: Option<usize>| -> Vec<&[bool]> {
            fixed
                .iter()
                .copied()
                .chain(
                    candidates
                        .iter()
                        .enumerate()
                        .filter(|(i, _)| shown[*i] && candidate_sizes[*i] > 0)
                        .filter(|(i, _)| Some(*i) != without)
                        .map(|(_, (set, _))| *set),
                )
                .collect()
        };
        let Some(small) = span::find_small(sizes, &family(None), k) else {
            return shown;
        };
        let mut target = vec![false; sizes.len()];
        for &atom in &small {
            target[atom] = true;
        }
        let mut order: Vec<usize> = (0..candidates.len())
            .filter(|&i| shown[i] && candidate_sizes[i] > 0)
            .collect();
        order.sort_by_key(|&i| (candidate_sizes[i], i));
        let breaks = order
            .iter()
            .copied()
            .find(|&i| !span::in_span(sizes, &family(Some(i)), &target));
        let touches = || {
            order
                .iter()
                .copied()
                .find(|&i| small.iter().any(|&atom| candidates[i].0[atom]))
        };
        match breaks.or_else(touches).or_else(|| order.first().copied()) {
            Some(i) => shown[i] = false,
            // Only the fixed sets are left: the caller withholds everything then.
            None => return shown,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(members: &[usize], n: usize) -> Vec<bool> {
        (0..n).map(|a| members.contains(&a)).collect()
    }

    #[test]
    fn of_two_groups_that_differ_by_one_the_smaller_is_hidden() {
        // council 9 (all frontline), police 1 (frontline), voluntary 6, health 1, education 1
        // (managers); by role frontline 10, manager 8.
        let sizes = [9, 1, 6, 1, 1];
        let whole = set(&[0, 1, 2, 3, 4], 5);
        let council = set(&[0], 5);
        let police = set(&[1], 5);
        let voluntary = set(&[2], 5);
        let health = set(&[3], 5);
        let education = set(&[4], 5);
        let frontline = set(&[0, 1], 5);
        let manager = set(&[2, 3, 4], 5);
        let candidates: Vec<(&[bool], bool)> = vec![
            (&council, true),
            (&police, true),
            (&voluntary, true),
            (&health, true),
            (&education, true),
            (&frontline, true),
            (&manager, true),
        ];
        let shown = publishable(&sizes, &[&whole], &candidates, 5);
        assert!(!shown[0], "council differs from frontline by one");
        assert!(!shown[1] && !shown[3] && !shown[4]);
        let published: Vec<&[bool]> = std::iter::once(whole.as_slice())
            .chain(
                candidates
                    .iter()
                    .zip(&shown)
                    .filter(|(_, &s)| s)
                    .map(|((set, _), _)| *set),
            )
            .collect();
        assert_eq!(span::find_small(&sizes, &published, 5), None);
    }

    #[test]
    fn empty_groups_hide_nothing() {
        // frontline 10, manager 8, not answered 0.
        let sizes = [10, 8];
        let whole = set(&[0, 1], 2);
        let frontline = set(&[0], 2);
        let manager = set(&[1], 2);
        let none = set(&[], 2);
        let candidates: Vec<(&[bool], bool)> =
            vec![(&frontline, true), (&manager, true), (&none, true)];
        assert_eq!(
            publishable(&sizes, &[&whole], &candidates, 5),
            [true, true, true]
        );
    }
}
