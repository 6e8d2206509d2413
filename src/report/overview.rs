//! The facts above the summary and on the report's title page: responses, the survey's
//! dates, response rates overall and by invitee group (as `report::response_rates` publishes them,
//! hidden groups hidden) and the suppression notes. Plain lines of text, so the page and the
//! Word report say the same.

use crate::messages::findings as msg;
use crate::messages::report as report_msg;
use crate::questionnaire::Questionnaire;
use crate::report::response_rates::ResponseRates;

use super::results::Results;
use super::stats;

#[derive(Debug, Clone)]
pub struct Overview {
    pub title: String,
    pub responses: String,
    pub dates: String,
    /// The overall response rate, when anyone was invited.
    pub rate: Option<String>,
    /// (group, rate) per invitee group.
    pub groups: Vec<(String, String)>,
    /// How many were invited (for the method section).
    pub invited: u64,
    /// The suppression rule and the survey's other notes.
    pub notes: Vec<String>,
}

fn share(completed: u64, invited: u64) -> Option<f64> {
    (invited > 0).then(|| stats::round(completed as f64 * 100.0 / invited as f64, 1))
}

pub fn overview(q: &Questionnaire, results: &Results, rates: &ResponseRates) -> Overview {
    let day = |d: Option<chrono::NaiveDate>| d.map(|d| d.format("%-d %B %Y").to_string());
    let overall = rates.overall;
    let rate = (overall.invited > 0).then(|| {
        msg::rate(
            overall.completed,
            overall.invited,
            share(overall.completed, overall.invited),
        )
    });
    let groups = rates
        .groups
        .iter()
        .map(|g| {
            let name = g.group.clone().unwrap_or_else(|| msg::NO_GROUP.to_owned());
            let line = match g.counts {
                Some(c) => msg::rate(c.completed, c.invited, share(c.completed, c.invited)),
                None => msg::rate_hidden(g.invited),
            };
            (name, line)
        })
        .collect();
    let mut notes = vec![report_msg::suppression_rule(results.min_group_size)];
    if results.suppressed {
        notes.insert(
            0,
            report_msg::survey_below_threshold(results.min_group_size),
        );
    }
    if let Some(channels) = &results.channels {
        notes.push(report_msg::channels(
            channels.invitations,
            channels.open_link,
        ));
    }
    if !results.comments_allowed {
        notes.push(report_msg::comments_below_threshold(
            results.comments_threshold,
        ));
    }
    Overview {
        title: q.title.clone(),
        responses: msg::responses(results.responses),
        dates: msg::dates(day(q.opens_on).as_deref(), day(q.closes_on).as_deref()),
        rate,
        groups,
        invited: overall.invited,
        notes,
    }
}
