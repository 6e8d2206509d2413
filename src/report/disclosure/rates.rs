//! Response rates by invitee group. A group's completed count (and with it its opt-outs and
//! undeliverable mail) is shown only when both those who completed and those who did not
//! are at least k, or nobody is invited: otherwise an admin who adds never-mailed invitees
//! to a group of one would learn whether that one person responded. The overall figures
//! are always shown (the results page's response count gives them anyway), so the groups
//! not shown, taken together, must pass the same test, or the smallest shown group is
//! hidden too until they do.

/// Invited and completed in one group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rate {
    pub invited: u64,
    pub completed: u64,
}

fn passes(rate: Rate, k: u64) -> bool {
    rate.invited == 0
        || (rate.completed >= k && rate.invited - rate.completed.min(rate.invited) >= k)
}

/// Which groups' completed counts may be shown.
pub fn shown_groups(groups: &[Rate], min_group_size: u32) -> Vec<bool> {
    let k = u64::from(min_group_size);
    let mut shown: Vec<bool> = groups.iter().map(|&g| passes(g, k)).collect();
    loop {
        let hidden = groups
            .iter()
            .zip(&shown)
            .filter(|(g, &s)| !s && g.invited > 0)
            .fold(
                Rate {
                    invited: 0,
                    completed: 0,
                },
                |sum, (g, _)| Rate {
                    invited: sum.invited + g.invited,
                    completed: sum.completed + g.completed,
                },
            );
        let everyone = shown.iter().zip(groups).all(|(&s, g)| !s || g.invited == 0);
        if hidden.invited == 0 || passes(hidden, k) || everyone {
            return shown;
        }
        let next = (0..groups.len())
            .filter(|&i| shown[i] && groups[i].invited > 0)
            .min_by_key(|&i| (groups[i].invited, i));
        match next {
            Some(i) => shown[i] = false,
            None => return shown,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rate(invited: u64, completed: u64) -> Rate {
        Rate { invited, completed }
    }

    #[test]
    fn one_of_five_is_hidden_and_so_is_its_complement() {
        let shown = shown_groups(&[rate(5, 1), rate(20, 10), rate(30, 12)], 5);
        assert_eq!(shown, [false, false, true]);
    }

    #[test]
    fn everyone_responding_hides_the_group() {
        assert_eq!(
            shown_groups(&[rate(10, 10), rate(20, 10), rate(40, 20)], 5),
            [false, false, true]
        );
    }

    #[test]
    fn empty_groups_are_shown() {
        assert_eq!(shown_groups(&[rate(0, 0), rate(20, 10)], 5), [true, true]);
    }
}
