//! When a survey takes part in the world: the one rule for whether a response may be
//! accepted now ([`admits`]), and, beside it and deliberately different, the rule for
//! whether invitations and reminders may be queued now ([`invites`]).
//!
//! The two differ in one way only: the opening day. Invitations may be queued before it
//! (the review team mails staff ahead of the fieldwork week; the link then shows "not
//! taking responses" until the opening day, because [`admits`] refuses), while responses
//! are accepted only from it. Neither takes anything after the closing day.

use chrono::NaiveDate;

use crate::db::surveys::SurveyStatus;
use crate::error::AppError;
use crate::questionnaire::Questionnaire;

/// Whether a response may be accepted now, or the refusal: [`AppError::SurveyNotOpen`]
/// unless the survey is open and `today` lies within its dates (both days included), then
/// [`AppError::OpenLinkOff`] when the respondent is not `invited` and the survey takes no
/// open-link responses. Every respondent page, the JSON API and anything else that takes
/// answers asks this.
pub fn admits(
    status: SurveyStatus,
    questionnaire: &Questionnaire,
    today: NaiveDate,
    invited: bool,
) -> Result<(), AppError> {
    if status != SurveyStatus::Open
        || questionnaire.before_opening(today)
        || questionnaire.past_closing(today)
    {
        return Err(AppError::SurveyNotOpen);
    }
    if !invited && !questionnaire.open_link {
        return Err(AppError::OpenLinkOff);
    }
    Ok(())
}

/// Whether invitation and reminder mail may be queued now, or the refusal
/// ([`AppError::SurveyNotOpen`]): the survey is open and its closing day has not passed.
/// Unlike [`admits`], the opening day does not matter: invitations may go out ahead of it.
pub fn invites(
    status: SurveyStatus,
    questionnaire: &Questionnaire,
    today: NaiveDate,
) -> Result<(), AppError> {
    if status != SurveyStatus::Open || questionnaire.past_closing(today) {
        return Err(AppError::SurveyNotOpen);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    /// The shipped questionnaire, open from 1 to 14 December 2026, with or without its open
    /// link.
    fn questionnaire(open_link: bool) -> Questionnaire {
        let mut q =
            crate::questionnaire::parse_questionnaire(super::super::SHIPPED_QUESTIONNAIRE).unwrap();
        q.opens_on = Some(day("2026-12-01"));
        q.closes_on = Some(day("2026-12-14"));
        q.open_link = open_link;
        q
    }

    fn refused_as_not_open(outcome: Result<(), AppError>) -> bool {
        matches!(outcome, Err(AppError::SurveyNotOpen))
    }

    #[test]
    fn responses_only_from_the_opening_day_to_the_closing_day() {
        let q = questionnaire(true);
        let open = SurveyStatus::Open;
        assert!(refused_as_not_open(admits(
            open,
            &q,
            day("2026-11-30"),
            true
        )));
        assert!(refused_as_not_open(admits(
            open,
            &q,
            day("2026-11-30"),
            false
        )));
        assert!(admits(open, &q, day("2026-12-01"), false).is_ok());
        assert!(admits(open, &q, day("2026-12-14"), false).is_ok());
        assert!(refused_as_not_open(admits(
            open,
            &q,
            day("2026-12-15"),
            true
        )));
        assert!(refused_as_not_open(admits(
            open,
            &q,
            day("2026-12-15"),
            false
        )));
    }

    #[test]
    fn without_dates_only_the_status_counts() {
        let mut q = questionnaire(true);
        q.opens_on = None;
        q.closes_on = None;
        assert!(admits(SurveyStatus::Open, &q, day("1999-01-01"), false).is_ok());
        assert!(admits(SurveyStatus::Open, &q, day("2099-01-01"), false).is_ok());
        for status in [SurveyStatus::Draft, SurveyStatus::Closed] {
            assert!(refused_as_not_open(admits(
                status,
                &q,
                day("2026-12-05"),
                true
            )));
        }
    }

    #[test]
    fn draft_and_closed_surveys_take_no_response_even_within_their_dates() {
        let q = questionnaire(true);
        for status in [SurveyStatus::Draft, SurveyStatus::Closed] {
            for invited in [true, false] {
                assert!(refused_as_not_open(admits(
                    status,
                    &q,
                    day("2026-12-05"),
                    invited
                )));
            }
        }
    }

    #[test]
    fn with_the_open_link_off_only_invited_respondents_are_admitted() {
        let q = questionnaire(false);
        let today = day("2026-12-05");
        assert!(admits(SurveyStatus::Open, &q, today, true).is_ok());
        assert!(matches!(
            admits(SurveyStatus::Open, &q, today, false),
            Err(AppError::OpenLinkOff)
        ));
        // A survey that is not open says so, whoever asks.
        assert!(refused_as_not_open(admits(
            SurveyStatus::Closed,
            &q,
            today,
            false
        )));
        assert!(refused_as_not_open(admits(
            SurveyStatus::Open,
            &q,
            day("2026-12-15"),
            false
        )));
    }

    #[test]
    fn invitations_may_go_out_before_the_opening_day_but_not_after_the_closing_day() {
        let q = questionnaire(false);
        let open = SurveyStatus::Open;
        assert!(invites(open, &q, day("2026-11-01")).is_ok());
        assert!(invites(open, &q, day("2026-12-14")).is_ok());
        assert!(refused_as_not_open(invites(open, &q, day("2026-12-15"))));
        for status in [SurveyStatus::Draft, SurveyStatus::Closed] {
            assert!(refused_as_not_open(invites(status, &q, day("2026-12-05"))));
        }
    }
}
