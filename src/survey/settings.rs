//! Changing a survey's dates, reminder policy and open link from the review team pages.
//! The change is made to the stored TOML (keeping its comments and layout) and imported
//! again, so the file and the definition never disagree and frozen questions stay frozen.

use chrono::{NaiveDate, NaiveDateTime};
use toml_edit::{value, DocumentMut, Item};

use crate::db::surveys;
use crate::db::DbConnection;
use crate::error::AppError;
use crate::questionnaire::{ReminderAudience, ReminderPolicy};

use super::lifecycle::import;

#[derive(Debug, Clone)]
pub struct SettingsChange {
    pub opens_on: Option<NaiveDate>,
    pub closes_on: Option<NaiveDate>,
    pub reminders: ReminderPolicy,
    pub open_link: bool,
}

/// The questionnaire source with the settings replaced.
pub fn apply_to_source(source: &str, change: &SettingsChange) -> Result<String, AppError> {
    let mut doc: DocumentMut = source
        .parse()
        .map_err(|_| AppError::Internal("the stored questionnaire is not valid TOML".to_owned()))?;
    for (key, day) in [
        ("opens_on", change.opens_on),
        ("closes_on", change.closes_on),
    ] {
        match day {
            Some(day) => {
                let date: toml_edit::Datetime = day
                    .format("%Y-%m-%d")
                    .to_string()
                    .parse()
                    .map_err(|_| AppError::BadRequest(crate::messages::BAD_REQUEST))?;
                doc[key] = value(date);
            }
            None => {
                doc.remove(key);
            }
        }
    }
    doc["open_link"] = value(change.open_link);
    if !doc.contains_table("reminders") {
        doc["reminders"] = Item::Table(toml_edit::Table::new());
    }
    let reminders = &mut doc["reminders"];
    reminders["first_after_days"] = value(i64::from(change.reminders.first_after_days));
    reminders["every_days"] = value(i64::from(change.reminders.every_days));
    reminders["max"] = value(i64::from(change.reminders.max));
    reminders["audience"] = value(match change.reminders.audience {
        ReminderAudience::NonRespondents => "non-respondents",
        ReminderAudience::Everyone => "everyone",
    });
    Ok(doc.to_string())
}

/// Applies the change to a stored survey (checked like any import).
pub fn change_settings(
    conn: &mut DbConnection,
    slug: &str,
    change: &SettingsChange,
    now: NaiveDateTime,
) -> Result<(), AppError> {
    let survey = surveys::find_by_slug(conn, slug)?.ok_or(AppError::SurveyNotFound)?;
    let source = apply_to_source(&survey.source, change)?;
    import(conn, &source, now)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_are_written_into_the_source() {
        let source = crate::survey::SHIPPED_QUESTIONNAIRE;
        let change = SettingsChange {
            opens_on: NaiveDate::from_ymd_opt(2027, 1, 4),
            closes_on: None,
            reminders: ReminderPolicy {
                first_after_days: 2,
                every_days: 3,
                max: 4,
                audience: ReminderAudience::Everyone,
            },
            open_link: false,
        };
        let changed = apply_to_source(source, &change).unwrap();
        let parsed = crate::questionnaire::parse_questionnaire(&changed).unwrap();
        assert_eq!(parsed.opens_on, change.opens_on);
        assert_eq!(parsed.closes_on, None);
        assert_eq!(parsed.reminders, change.reminders);
        assert!(!parsed.open_link);
        let original = crate::questionnaire::parse_questionnaire(source).unwrap();
        assert!(original.same_questions(&parsed));
    }
}
