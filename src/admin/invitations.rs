//! The survey page's invitations part: uploading an invitee list (the same import as
//! `candour invite import`), sending invitations and reminders now, and response rates
//! with responses per day. Counts only: nothing here says who has or hasn't responded.

use crate::db::SurveyId;
use crate::invite::reach::{reach, Reach};
use actix_multipart::Multipart;
use actix_web::{web, HttpRequest, HttpResponse};

use crate::audit;
use crate::db::{invitations as invitation_rows, outbox, submission_days};
use crate::error::AppError;
use crate::invite::{self, InviteImportError, Links, ReminderScope};
use crate::messages::invitations as msg;
use crate::report::response_rates::{Counts, ResponseRates};
use crate::web::AppState;

use super::auth::{AdminError, RequireAdmin, SignedIn};
use super::forms::{self, see_other};
use super::surveys::{read_checked_upload, survey_page_with, uploaded_file, Done, Feedback};
use super::views::{DayLine, InvitationsPanel, RateFigures, RateLine};

/// Rates, responses per day and the unsent count for the survey page.
pub(super) async fn panel(
    state: &AppState,
    survey_id: SurveyId,
    min_group_size: u32,
    problems: Vec<String>,
) -> Result<InvitationsPanel, AppError> {
    let (rates, per_day, unsent, unconfirmed) = state
        .db
        .run(move |conn| -> Result<_, AppError> {
            Ok((
                crate::report::response_rates::response_rates(conn, survey_id, min_group_size)?,
                submission_days::per_day(conn, survey_id)?,
                invitation_rows::count_unsent(conn, survey_id)?,
                outbox::count_unconfirmed(conn, survey_id)?,
            ))
        })
        .await?;
    let ResponseRates { overall, groups } = rates;
    Ok(InvitationsPanel {
        overall: rate_line(String::new(), overall.invited, Some(overall)),
        groups: groups
            .into_iter()
            .map(|g| rate_line(g.group.unwrap_or_default(), g.invited, g.counts))
            .collect(),
        min_group_size,
        days: day_lines(&per_day),
        unsent,
        unconfirmed: msg::unconfirmed_mail(unconfirmed),
        problems,
        file_transport: (state.settings.mail.transport == crate::config::MailTransport::File)
            .then_some(crate::messages::FILE_TRANSPORT_PAGE),
    })
}

fn rate_line(label: String, invited: u64, counts: Option<Counts>) -> RateLine {
    RateLine {
        label,
        invited,
        figures: counts.map(|c| RateFigures {
            completed: c.completed,
            opted_out: c.opted_out,
            undeliverable: c.undeliverable,
            percent: (c.completed * 100).checked_div(c.invited).unwrap_or(0),
        }),
    }
}

/// Every day from the first response to the last, quiet days included, so the bars read
/// as a time line.
fn day_lines(per_day: &[(chrono::NaiveDate, i64)]) -> Vec<DayLine> {
    let (Some((first, _)), Some((last, _))) = (per_day.first(), per_day.last()) else {
        return Vec::new();
    };
    let busiest = per_day.iter().map(|(_, n)| *n).max().unwrap_or(1).max(1);
    first
        .iter_days()
        .take_while(|day| day <= last)
        .map(|day| {
            let responses = per_day
                .iter()
                .find(|(d, _)| *d == day)
                .map_or(0, |(_, n)| *n);
            DayLine {
                day: day.format("%Y-%m-%d").to_string(),
                responses,
                bar: responses * 100 / busiest,
            }
        })
        .collect()
}

/// Uploads an invitee list: every bad row is shown and nothing is imported, or all of it is.
pub async fn upload(
    state: web::Data<AppState>,
    req: HttpRequest,
    who: RequireAdmin,
    slug: web::Path<String>,
    form: Multipart,
) -> Result<HttpResponse, AdminError> {
    let who = who.0;
    let slug = slug.into_inner();
    let limit = state.settings.invitations.max_upload_bytes;
    let upload = read_checked_upload(&state, &req, &who, form, limit).await?;
    let Some(data) = uploaded_file(upload) else {
        return refused(&state, &who, slug, Feedback::error(msg::LIST_MISSING)).await;
    };
    let actor = who.account.email.clone();
    let target = slug.clone();
    let now = state.clock.now();
    let outcome = state
        .db
        .run(move |conn| -> Result<_, AppError> {
            match invite::import(conn, &target, &data) {
                Ok(summary) => {
                    let detail = format!(
                        "{target}: {} added, {} already on the list",
                        summary.added, summary.duplicates
                    );
                    audit::record(conn, now, &actor, "invitees.imported", &detail)?;
                    Ok(Ok(summary))
                }
                Err(InviteImportError::Rows { problems, .. }) => Ok(Err(problems)),
                Err(InviteImportError::App(error)) => Err(error),
            }
        })
        .await?;
    match outcome {
        Ok(summary) => Ok(see_other(format!(
            "/admin/surveys/{slug}{}",
            Done::imported(summary.added, summary.duplicates)
        ))),
        Err(problems) => {
            let feedback = Feedback {
                invitee_problems: problems
                    .0
                    .iter()
                    .map(|p| msg::row_problem(p.line, &p.reason))
                    .collect(),
                ..Feedback::default()
            };
            refused(&state, &who, slug, feedback).await
        }
    }
}

/// The survey page again, saying why the form was refused.
async fn refused(
    state: &AppState,
    who: &SignedIn,
    slug: String,
    feedback: Feedback,
) -> Result<HttpResponse, AdminError> {
    survey_page_with(
        state,
        who,
        slug,
        HttpResponse::UnprocessableEntity(),
        feedback,
    )
    .await
}

/// What `POST /admin/surveys/{slug}/{mailing}/send` queues.
#[derive(Debug, Clone, Copy, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mailing {
    Invitations,
    Reminders,
}

/// Queues the invitation of every invitee not yet sent one, or a reminder now for every
/// invitation still eligible (as `candour invite send` and `candour remind`).
pub async fn queue(
    state: web::Data<AppState>,
    req: HttpRequest,
    who: RequireAdmin,
    path: web::Path<(String, Mailing)>,
    payload: web::Payload,
) -> Result<HttpResponse, AdminError> {
    let (slug, mailing) = path.into_inner();
    let who = who.0;
    let fields = forms::read_checked(&state, &req, &who.session, payload).await?;
    // Reminders go only once the count has been seen and confirmed.
    if matches!(mailing, Mailing::Reminders)
        && forms::field(&fields, super::reminders::CONFIRM_FIELD) != "yes"
    {
        return Ok(see_other(super::reminders::confirm_href(&slug)));
    }
    if let Reach::Refuse(reason) = reach(&state.settings.server.public_url) {
        return refused(&state, &who, slug, Feedback::error(&reason)).await;
    }
    let links = Links::new(&state.settings.server.public_url, &state.secret_key);
    let now = state.clock.now();
    let actor = who.account.email.clone();
    let target = slug.clone();
    let outcome = state
        .db
        .run(move |conn| -> Result<_, AppError> {
            let (queued, action) = match mailing {
                Mailing::Invitations => (
                    invite::queue_invitations(conn, &links, &target, now),
                    "invitations.queued",
                ),
                Mailing::Reminders => (
                    invite::queue_reminders(conn, &links, &target, now, ReminderScope::AllEligible),
                    "reminders.queued",
                ),
            };
            match queued {
                Ok(count) => {
                    audit::record(
                        conn,
                        now,
                        &actor,
                        action,
                        &format!("{target}: {count} queued"),
                    )?;
                    Ok(Some(count))
                }
                Err(AppError::SurveyNotOpen) => Ok(None),
                Err(other) => Err(other),
            }
        })
        .await?;
    let Some(count) = outcome else {
        return refused(&state, &who, slug, Feedback::error(msg::NOT_OPEN)).await;
    };
    let done = match mailing {
        Mailing::Invitations => Done::invitations(count),
        Mailing::Reminders => Done::reminders(count),
    };
    Ok(see_other(format!("/admin/surveys/{slug}{done}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    #[test]
    fn quiet_days_are_filled_and_bars_are_relative_to_the_busiest() {
        let day = |d| NaiveDate::from_ymd_opt(2026, 3, d).expect("a date");
        let lines = day_lines(&[(day(1), 4), (day(3), 2)]);
        let shown: Vec<(&str, i64, i64)> = lines
            .iter()
            .map(|l| (l.day.as_str(), l.responses, l.bar))
            .collect();
        assert_eq!(
            shown,
            vec![
                ("2026-03-01", 4, 100),
                ("2026-03-02", 0, 0),
                ("2026-03-03", 2, 50)
            ]
        );
        assert!(day_lines(&[]).is_empty());
    }

    #[test]
    fn the_rate_is_a_whole_percentage_and_hidden_groups_have_no_figures() {
        let counts = Counts {
            invited: 3,
            completed: 2,
            opted_out: 1,
            undeliverable: 0,
        };
        let line = rate_line("police".to_owned(), 3, Some(counts));
        assert_eq!(line.figures.map(|f| f.percent), Some(66));
        assert!(rate_line("health".to_owned(), 2, None).figures.is_none());
        let empty = rate_line(String::new(), 0, Some(Counts::default()));
        assert_eq!(empty.figures.map(|f| f.percent), Some(0));
    }
}
