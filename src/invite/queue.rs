//! Queuing invitations and reminders: each mints a fresh link token (only its hash is
//! kept) and writes the message to the outbox in the same transaction as the change.

use crate::db::InvitationId;
use chrono::{Days, NaiveDate, NaiveDateTime};

use crate::db::invitations::{self, Invitee, NewToken};
use crate::db::outbox::{self, MailStatus, NewMail};
use crate::db::surveys::{self, SurveyRow, SurveyStatus};
use crate::db::{write_transaction, DbConnection, DbError};
use crate::error::AppError;
use crate::invite::OptOutKey;
use crate::mail::message::{self, MailContext, MailKind};
use crate::questionnaire::{Questionnaire, ReminderAudience};
use crate::secrets::SecretKey;
use crate::secrets::{random_id, Token};
use crate::survey::invites;

/// Builds personal links from the public address; opt-out links carry no answer token.
#[derive(Debug, Clone)]
pub struct Links {
    base: String,
    opt_out: OptOutKey,
}

impl Links {
    pub fn new(public_url: &url::Url, key: &SecretKey) -> Self {
        Self {
            base: public_url.as_str().trim_end_matches('/').to_owned(),
            opt_out: OptOutKey::new(key),
        }
    }

    pub fn invitation(&self, token: &Token) -> String {
        format!("{}/i/{}", self.base, token.expose())
    }

    pub fn opt_out(&self, invitation_id: &InvitationId) -> String {
        format!("{}/o/{}", self.base, self.opt_out.segment(invitation_id))
    }
}

fn survey_with_questionnaire(
    conn: &mut DbConnection,
    slug: &str,
) -> Result<(SurveyRow, Questionnaire), AppError> {
    let survey = surveys::find_by_slug(conn, slug)?.ok_or(AppError::SurveyNotFound)?;
    let questionnaire = survey.questionnaire()?;
    Ok((survey, questionnaire))
}

/// Mail goes out in random order: were it sent in invitation-id order, people would tend to
/// answer in that order, and rows stored by id would hint at who answered early.
fn in_random_order(mut invitees: Vec<Invitee>) -> Vec<Invitee> {
    use rand::seq::SliceRandom;
    invitees.shuffle(&mut rand::rng());
    invitees
}

/// A token for the invitee and the message carrying it.
fn mint_and_render(
    kind: MailKind,
    links: &Links,
    survey: &SurveyRow,
    questionnaire: &Questionnaire,
    invitee: &Invitee,
    now: NaiveDateTime,
) -> Result<(NewToken, NewMail), AppError> {
    let token = Token::generate();
    let link = links.invitation(&token);
    let opt_out_link = links.opt_out(&invitee.id);
    let ctx = MailContext::new(
        invitee.name.as_deref(),
        &questionnaire.title,
        questionnaire.closes_on,
        &link,
        &opt_out_link,
    )
    .with_contact(questionnaire.contact.as_ref());
    let rendered =
        message::render(kind, &ctx).map_err(|e| DbError::Corrupt(format!("mail template: {e}")))?;
    Ok((
        NewToken {
            token_hash: token.hash(),
            invitation_id: invitee.id.clone(),
            survey_id: survey.id,
        },
        NewMail {
            id: random_id(),
            kind: kind.as_str().to_owned(),
            invitation_id: Some(invitee.id.clone()),
            recipient: invitee.email.clone(),
            recipient_name: ctx.name.clone(),
            subject: rendered.subject,
            body_text: Some(rendered.text),
            body_html: Some(rendered.html),
            status: MailStatus::Pending.as_str().to_owned(),
            attempts: 0,
            next_attempt_at: now,
            last_error: None,
            locked_by: None,
            locked_until: None,
        },
    ))
}

/// Mints a token for each invitee (in random order, so that storage order does not follow
/// who was mailed first), writes their mail to the outbox, and returns their ids. The caller
/// provides the transaction and records what it sent.
fn queue_mail(
    conn: &mut DbConnection,
    kind: MailKind,
    links: &Links,
    survey: &SurveyRow,
    questionnaire: &Questionnaire,
    invitees: Vec<Invitee>,
    now: NaiveDateTime,
) -> Result<Vec<InvitationId>, AppError> {
    let invitees = in_random_order(invitees);
    let mut tokens = Vec::with_capacity(invitees.len());
    let mut mails = Vec::with_capacity(invitees.len());
    for invitee in &invitees {
        let (token, mail) = mint_and_render(kind, links, survey, questionnaire, invitee, now)?;
        tokens.push(token);
        mails.push(mail);
    }
    invitations::insert_tokens(conn, &tokens)?;
    outbox::insert_all(conn, &mails)?;
    Ok(invitees.into_iter().map(|i| i.id).collect())
}

/// `candour invite send`: queues the invitation mail of every invitee not yet sent one.
pub fn queue_invitations(
    conn: &mut DbConnection,
    links: &Links,
    slug: &str,
    now: NaiveDateTime,
) -> Result<usize, AppError> {
    write_transaction(conn, |conn| {
        let (survey, questionnaire) = survey_with_questionnaire(conn, slug)?;
        invites(survey.status(), &questionnaire, now.date())?;
        let invitees = invitations::unsent(conn, survey.id)?;
        let ids = queue_mail(
            conn,
            MailKind::Invitation,
            links,
            &survey,
            &questionnaire,
            invitees,
            now,
        )?;
        let first = now.date() + Days::new(questionnaire.reminders.first_after_days.into());
        invitations::mark_sent(conn, &ids, first)?;
        Ok(ids.len())
    })
}

/// Which invitations a reminder run covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReminderScope {
    /// The scheduler: only invitations whose next reminder is due today or earlier.
    Due,
    /// `candour remind`: every eligible invitation, now.
    AllEligible,
}

/// Queues reminders for invitations that are sent, not opted out, not undeliverable, under
/// the questionnaire's maximum and (unless its reminders go to everyone) not completed;
/// never after the survey closes.
pub fn queue_reminders(
    conn: &mut DbConnection,
    links: &Links,
    slug: &str,
    now: NaiveDateTime,
    scope: ReminderScope,
) -> Result<usize, AppError> {
    let today = now.date();
    write_transaction(conn, |conn| {
        let (survey, questionnaire) = survey_with_questionnaire(conn, slug)?;
        invites(survey.status(), &questionnaire, today)?;
        let policy = &questionnaire.reminders;
        let max = i32::try_from(policy.max).unwrap_or(i32::MAX);
        let due_by = match scope {
            ReminderScope::Due => Some(today),
            ReminderScope::AllEligible => None,
        };
        let everyone = policy.audience == ReminderAudience::Everyone;
        let invitees = invitations::reminder_candidates(conn, survey.id, max, due_by, everyone)?;
        let ids = queue_mail(
            conn,
            MailKind::Reminder,
            links,
            &survey,
            &questionnaire,
            invitees,
            now,
        )?;
        let next = today + Days::new(policy.every_days.into());
        invitations::record_reminders(conn, &ids, next)?;
        Ok(ids.len())
    })
}

/// How many people "Send reminders now" (or `candour remind`) would remind today, changing
/// nothing: 0 when the survey is not taking responses.
pub fn count_reminders(
    conn: &mut DbConnection,
    slug: &str,
    today: NaiveDate,
) -> Result<usize, AppError> {
    write_transaction(conn, |conn| {
        let (survey, questionnaire) = survey_with_questionnaire(conn, slug)?;
        invites(survey.status(), &questionnaire, today)?;
        let max = i32::try_from(questionnaire.reminders.max).unwrap_or(i32::MAX);
        let everyone = questionnaire.reminders.audience == ReminderAudience::Everyone;
        Ok(invitations::reminder_candidates(conn, survey.id, max, None, everyone)?.len())
    })
}

/// The scheduler's pass: due reminders for every survey taking responses. Returns how many
/// were queued.
pub fn queue_due_reminders(
    conn: &mut DbConnection,
    links: &Links,
    now: NaiveDateTime,
) -> Result<usize, AppError> {
    let mut queued = 0;
    for survey in surveys::list(conn)? {
        // Only a pre-filter, sparing a write transaction per draft or closed survey; the
        // rule is `survey::invites`, asked again by `queue_reminders`.
        if survey.status() != SurveyStatus::Open {
            continue;
        }
        match queue_reminders(conn, links, &survey.slug, now, ReminderScope::Due) {
            Ok(count) => queued += count,
            Err(AppError::SurveyNotOpen) => {}
            Err(other) => return Err(other),
        }
    }
    Ok(queued)
}
