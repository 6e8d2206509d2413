//! Disclosure control: the one place that decides which figures may be published. Every
//! output (pages, JSON, CSV, XLSX, the API and the CLI) takes its figures from `Results`,
//! which asks a `Plan` made here; response rates ask `rates`; row downloads use `kanon` and
//! `rows`.
//!
//! The rules, for a survey with minimum group size k (the README repeats them):
//! - while the whole survey has fewer than k responses, no figure is published at all;
//! - groups: a group of any breakdown is published only with at least k responses, and
//!   only while no set of 1..k−1 responses can be worked out by adding and subtracting the
//!   published groups of all breakdowns at once (the whole survey included; "frontline minus
//!   council", "total minus the groups shown"). Until that holds, more groups are hidden,
//!   the smaller first (`plan`, `choose`, `span`);
//! - counts of people: a breakdown question's own distribution, and every cross-tab between
//!   two breakdown questions, shows no count of 1..k−1, nor one that the shown counts and
//!   totals give back (complementary suppression on each table, then on all tables
//!   together: `plan::choose_cells`, `plan::choose_cells_jointly`).
//!   Counts of answers to ordinary questions stay visible;
//! - questions shown only to some breakdown groups (`show_if`) are published in a column only
//!   when those who could see them there cannot be narrowed to 1..k−1 responses the same way;
//! - empty groups are not small groups: shown as empty, they hide nothing else;
//! - bases: percentages and scores need k substantive answers, medians and quartiles 2k
//!   (`bases`);
//! - response rates: see `rates`;
//! - free-text answers only for the whole survey, never per group, and only when the survey
//!   has at least the comments threshold (and at least k) responses.

pub mod bases;
mod choose;
pub mod plan;
pub mod rates;
pub mod rows;
pub mod span;

pub use plan::{Column, Plan, Publish};

/// Whether the survey's overall figures must be withheld.
pub fn survey_suppressed(responses: u64, min_group_size: u32) -> bool {
    responses < u64::from(min_group_size)
}

/// Whether free-text answers may be listed.
pub fn comments_allowed(responses: u64, min_group_size: u32, comments_threshold: u32) -> bool {
    !survey_suppressed(responses, min_group_size) && responses >= u64::from(comments_threshold)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thresholds_for_the_survey_and_comments() {
        assert!(survey_suppressed(4, 5));
        assert!(!survey_suppressed(5, 5));
        assert!(!comments_allowed(9, 5, 10));
        assert!(comments_allowed(10, 5, 10));
        assert!(!comments_allowed(6, 8, 3));
    }
}
