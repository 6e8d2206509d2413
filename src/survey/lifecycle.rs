use chrono::NaiveDateTime;

use crate::db::surveys::{self, DefinitionChange, NewSurvey, SurveyStatus};
use crate::db::{write_transaction, DbConnection};
use crate::error::AppError;
use crate::messages;
use crate::questionnaire::{self, Questionnaire};
use crate::release::{self, ReleaseError, ResponseSeal};

/// The questionnaire the project ships, imported as a draft into an empty database.
pub const SHIPPED_QUESTIONNAIRE: &str =
    include_str!("../../config/questionnaires/safeguarding-frontline.toml");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportOutcome {
    Created,
    Updated,
}

/// Checks a questionnaire file and stores it: a new survey as a draft, or a new revision of
/// an existing one. Once a survey has opened its questions are frozen: only wording around
/// them (title, introduction, privacy notice, dates, reminders) may change.
pub fn import(
    conn: &mut DbConnection,
    source: &str,
    now: NaiveDateTime,
) -> Result<(Questionnaire, ImportOutcome), AppError> {
    let questionnaire = questionnaire::parse_questionnaire(source)?;
    let definition = surveys::definition_json(&questionnaire)?;
    let outcome = write_transaction(conn, |conn| -> Result<ImportOutcome, AppError> {
        match surveys::find_by_slug(conn, &questionnaire.slug)? {
            None => {
                surveys::insert(
                    conn,
                    &NewSurvey {
                        slug: &questionnaire.slug,
                        title: &questionnaire.title,
                        status: SurveyStatus::Draft.as_str(),
                        source,
                        definition: &definition,
                        revision: 1,
                        created_at: now,
                        updated_at: now,
                    },
                )?;
                Ok(ImportOutcome::Created)
            }
            Some(existing) => {
                if existing.status() != SurveyStatus::Draft {
                    let stored = existing.questionnaire()?;
                    if !stored.same_questions(&questionnaire) {
                        return Err(AppError::Refused(messages::questions_frozen(
                            &existing.slug,
                        )));
                    }
                    // Responses were given under the published thresholds: never weaken them.
                    if questionnaire.min_group_size < stored.min_group_size
                        || questionnaire.comments_threshold < stored.comments_threshold
                    {
                        return Err(AppError::Refused(messages::thresholds_lowered(
                            &existing.slug,
                        )));
                    }
                }
                surveys::change_definition(
                    conn,
                    existing.id,
                    &DefinitionChange {
                        title: &questionnaire.title,
                        source,
                        definition: &definition,
                        revision: existing.revision + 1,
                        updated_at: now,
                    },
                )?;
                Ok(ImportOutcome::Updated)
            }
        }
    })?;
    Ok((questionnaire, outcome))
}

pub fn open(conn: &mut DbConnection, slug: &str, now: NaiveDateTime) -> Result<(), AppError> {
    change_status(conn, slug, SurveyStatus::Open, now)
}

/// Closes a survey and releases every response still waiting sealed (after the status
/// change, in a transaction of its own that touches no invitation). Returns how many were
/// released; 0 too when another instance was releasing them at that moment.
pub fn close(
    conn: &mut DbConnection,
    slug: &str,
    now: NaiveDateTime,
    seal: &ResponseSeal,
) -> Result<usize, AppError> {
    change_status(conn, slug, SurveyStatus::Closed, now)?;
    let survey = surveys::find_by_slug(conn, slug)?.ok_or(AppError::SurveyNotFound)?;
    match release::release_all(conn, seal, survey.id, now.date()) {
        Ok(released) => Ok(released),
        Err(ReleaseError::Raced(_)) => Ok(0),
        Err(ReleaseError::Db(error)) => Err(AppError::Db(error)),
        Err(unreadable @ ReleaseError::Unreadable(_)) => {
            Err(AppError::Refused(unreadable.to_string()))
        }
    }
}

fn change_status(
    conn: &mut DbConnection,
    slug: &str,
    status: SurveyStatus,
    now: NaiveDateTime,
) -> Result<(), AppError> {
    write_transaction(conn, |conn| {
        let survey = surveys::find_by_slug(conn, slug)?.ok_or(AppError::SurveyNotFound)?;
        surveys::set_status(conn, survey.id, status, now)?;
        Ok(())
    })
}

/// Imports the shipped questionnaire as a draft when the database has no survey yet.
/// Returns its slug when it did.
pub fn seed_shipped_questionnaire(
    conn: &mut DbConnection,
    now: NaiveDateTime,
) -> Result<Option<String>, AppError> {
    if surveys::count(conn)? > 0 {
        return Ok(None);
    }
    let (questionnaire, _) = import(conn, SHIPPED_QUESTIONNAIRE, now)?;
    Ok(Some(questionnaire.slug))
}
