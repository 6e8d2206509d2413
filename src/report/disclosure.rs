//! Disclosure control: the one place that decides which figures may be published. Every
//! output (pages, JSON, CSV, XLSX, the CLI) takes its figures from `Results`, which applies
//! these rules; row-level downloads use `kanon` over the same threshold.
//!
//! The rules, for a survey with minimum group size k:
//! - while the whole survey has fewer than k responses, no figure is published at all;
//! - in a breakdown, a group with fewer than k responses is suppressed (primary
//!   suppression), and so is a group whose base for a question (those in it who answered)
//!   is below k, for that question;
//! - secondary suppression: while any group is suppressed and either only one is, or the
//!   suppressed groups together hold fewer than k, the smallest remaining group is suppressed
//!   too. "Overall minus the published groups" then only ever gives the total of two or more
//!   groups holding at least k people together: no single small group can be recovered, and
//!   the recovered union is itself as large as a publishable group. The "not answered" group
//!   counts as a group here like any other;
//! - free-text answers only for the whole survey, never per group, and only when the survey
//!   has at least the comments threshold (and at least k) responses.

/// Whether the survey's overall figures must be withheld.
pub fn survey_suppressed(responses: u64, min_group_size: u32) -> bool {
    responses < u64::from(min_group_size)
}

/// Whether free-text answers may be listed.
pub fn comments_allowed(responses: u64, min_group_size: u32, comments_threshold: u32) -> bool {
    !survey_suppressed(responses, min_group_size) && responses >= u64::from(comments_threshold)
}

/// Which groups of a breakdown to suppress, given each group's base (its responses, or those
/// in it who answered a question) and the groups already suppressed for another reason.
pub fn suppress_groups(bases: &[u64], already: &[bool], min_group_size: u32) -> Vec<bool> {
    let k = u64::from(min_group_size);
    let mut suppressed: Vec<bool> = bases
        .iter()
        .enumerate()
        .map(|(i, &base)| base < k || already.get(i).copied().unwrap_or(false))
        .collect();
    loop {
        let count = suppressed.iter().filter(|&&s| s).count();
        let total: u64 = bases
            .iter()
            .zip(&suppressed)
            .filter(|(_, &s)| s)
            .map(|(&base, _)| base)
            .sum();
        if count == 0 || (count >= 2 && total >= k) {
            break;
        }
        let next = bases
            .iter()
            .enumerate()
            .filter(|(i, _)| !suppressed[*i])
            .min_by_key(|(_, &base)| base)
            .map(|(i, _)| i);
        match next {
            Some(i) => suppressed[i] = true,
            None => break,
        }
    }
    suppressed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_group_of_four_and_the_next_smallest_are_suppressed() {
        assert_eq!(
            suppress_groups(&[20, 4, 9, 30], &[], 5),
            [false, true, true, false]
        );
    }

    #[test]
    fn two_small_groups_together_below_the_threshold_take_a_third() {
        assert_eq!(
            suppress_groups(&[2, 2, 8, 30], &[], 5),
            [true, true, true, false]
        );
        assert_eq!(
            suppress_groups(&[3, 4, 8, 30], &[], 5),
            [true, true, false, false]
        );
    }

    #[test]
    fn empty_groups_count_as_small() {
        assert_eq!(suppress_groups(&[0, 12, 30], &[], 5), [true, true, false]);
        assert_eq!(suppress_groups(&[12, 30], &[], 5), [false, false]);
    }

    #[test]
    fn groups_suppressed_already_stay_suppressed() {
        assert_eq!(
            suppress_groups(&[10, 10, 20], &[true, false, false], 5),
            [true, true, false]
        );
    }

    #[test]
    fn thresholds_for_the_survey_and_comments() {
        assert!(survey_suppressed(4, 5));
        assert!(!survey_suppressed(5, 5));
        assert!(!comments_allowed(9, 5, 10));
        assert!(comments_allowed(10, 5, 10));
        assert!(!comments_allowed(6, 8, 3));
    }
}
