//! Response rates without identities: counts overall and per invitee group. Which groups'
//! completed counts are shown is decided by `report::disclosure::rates` (both completed and
//! not completed at least k, with complementary suppression against the overall figures);
//! a hidden group shows only how many were invited. The admin page, `candour survey status`
//! and anything else that shows rates read them from here.

use crate::db::SurveyId;
use std::collections::BTreeMap;

use super::disclosure::rates::{shown_groups, Rate};
use crate::db::invitations::{self, RateRow};
use crate::db::DbConnection;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub invited: u64,
    pub completed: u64,
    pub opted_out: u64,
    pub undeliverable: u64,
}

impl Counts {
    fn add(&mut self, row: &RateRow) {
        self.invited += 1;
        self.completed += u64::from(row.completed);
        self.opted_out += u64::from(row.opted_out);
        self.undeliverable += u64::from(row.undeliverable);
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupRate {
    /// None for invitees imported without a group.
    pub group: Option<String>,
    pub invited: u64,
    /// None when the group is too small to show.
    pub counts: Option<Counts>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResponseRates {
    pub overall: Counts,
    pub groups: Vec<GroupRate>,
}

pub fn response_rates(
    conn: &mut DbConnection,
    survey_id: SurveyId,
    min_group_size: u32,
) -> diesel::QueryResult<ResponseRates> {
    Ok(summarise(
        &invitations::rate_rows(conn, survey_id)?,
        min_group_size,
    ))
}

pub fn summarise(rows: &[RateRow], min_group_size: u32) -> ResponseRates {
    let mut overall = Counts::default();
    let mut by_group: BTreeMap<Option<String>, Counts> = BTreeMap::new();
    for row in rows {
        overall.add(row);
        by_group
            .entry(row.invitee_group.clone())
            .or_default()
            .add(row);
    }
    let rates: Vec<Rate> = by_group
        .values()
        .map(|c| Rate {
            invited: c.invited,
            completed: c.completed,
        })
        .collect();
    let shown = shown_groups(&rates, min_group_size);
    let groups = by_group
        .into_iter()
        .zip(shown)
        .map(|((group, counts), shown)| GroupRate {
            invited: counts.invited,
            counts: shown.then_some(counts),
            group,
        })
        .collect();
    ResponseRates { overall, groups }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(group: &str, completed: bool) -> RateRow {
        RateRow {
            invitee_group: Some(group.to_owned()),
            completed,
            opted_out: false,
            undeliverable: false,
        }
    }

    #[test]
    fn small_groups_and_the_next_smallest_are_hidden() {
        let mut rows: Vec<RateRow> = (0..10).map(|i| row("council", i % 2 == 0)).collect();
        rows.extend((0..12).map(|i| row("health", i < 3)));
        rows.extend((0..2).map(|_| row("police", true)));
        let rates = summarise(&rows, 5);
        assert_eq!(rates.overall.invited, 24);
        assert_eq!(rates.overall.completed, 10);
        let shown: Vec<(&str, bool)> = rates
            .groups
            .iter()
            .map(|g| (g.group.as_deref().unwrap_or(""), g.counts.is_some()))
            .collect();
        assert_eq!(
            shown,
            vec![("council", true), ("health", false), ("police", false)]
        );
        // Police: invited 5, completed 1 is never shown, whatever else is.
        let mut rows: Vec<RateRow> = (0..20).map(|i| row("council", i % 2 == 0)).collect();
        rows.push(row("police", true));
        rows.extend((0..4).map(|_| row("police", false)));
        let one_of_five = summarise(&rows, 5);
        assert!(one_of_five.groups.iter().all(|g| g.counts.is_none()));
        assert_eq!(rates.groups[0].counts.map(|c| c.completed), Some(5));
    }
}
