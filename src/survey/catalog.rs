use crate::db::SurveyId;
use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use chrono::NaiveDate;

use crate::db::surveys::{self, SurveyStatus};
use crate::db::{DbConnection, DbError};
use crate::error::AppError;
use crate::questionnaire::Questionnaire;

/// A survey as a respondent request sees it: status read fresh from the database on every
/// request (several instances may share it), questions from a cache keyed by revision.
#[derive(Debug, Clone)]
pub struct LiveSurvey {
    pub id: SurveyId,
    pub slug: String,
    pub status: SurveyStatus,
    pub questionnaire: Arc<Questionnaire>,
}

impl LiveSurvey {
    /// Whether a response may be accepted now, or the refusal: see [`super::admits`].
    pub fn admits(&self, today: NaiveDate, invited: bool) -> Result<(), AppError> {
        super::admits(self.status, &self.questionnaire, today, invited)
    }
}

/// A parsed questionnaire and the survey revision it was parsed from.
type Revisioned = (i32, Arc<Questionnaire>);

/// Parsed questionnaires by survey id, reused while their revision is unchanged.
#[derive(Clone, Default)]
pub struct Catalog {
    parsed: Arc<RwLock<HashMap<SurveyId, Revisioned>>>,
}

impl Catalog {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn live(&self, conn: &mut DbConnection, slug: &str) -> Result<Option<LiveSurvey>, DbError> {
        match surveys::head_by_slug(conn, slug)? {
            Some(head) => self.with_questionnaire(conn, head).map(Some),
            None => Ok(None),
        }
    }

    /// Completes a survey head read elsewhere (for example together with a draft).
    pub fn with_questionnaire(
        &self,
        conn: &mut DbConnection,
        head: surveys::SurveyHead,
    ) -> Result<LiveSurvey, DbError> {
        let questionnaire = match self.cached(head.id, head.revision) {
            Some(q) => q,
            None => {
                let row = surveys::find_by_id(conn, head.id)?
                    .ok_or(DbError::Query(diesel::result::Error::NotFound))?;
                let parsed = Arc::new(row.questionnaire()?);
                if let Ok(mut cache) = self.parsed.write() {
                    cache.insert(row.id, (row.revision, parsed.clone()));
                }
                parsed
            }
        };
        Ok(LiveSurvey {
            id: head.id,
            status: head.status(),
            slug: head.slug,
            questionnaire,
        })
    }

    fn cached(&self, id: SurveyId, revision: i32) -> Option<Arc<Questionnaire>> {
        let cache = self.parsed.read().ok()?;
        cache
            .get(&id)
            .filter(|(cached_revision, _)| *cached_revision == revision)
            .map(|(_, q)| q.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn survey(status: SurveyStatus, opens: Option<&str>, closes: Option<&str>) -> LiveSurvey {
        let source = crate::survey::SHIPPED_QUESTIONNAIRE;
        let mut questionnaire = crate::questionnaire::parse_questionnaire(source).unwrap();
        questionnaire.opens_on = opens.map(|d| d.parse().unwrap());
        questionnaire.closes_on = closes.map(|d| d.parse().unwrap());
        LiveSurvey {
            id: SurveyId(1),
            slug: questionnaire.slug.clone(),
            status,
            questionnaire: Arc::new(questionnaire),
        }
    }

    #[test]
    fn responses_only_while_open_and_within_the_dates() {
        let day = |d: &str| d.parse::<NaiveDate>().unwrap();
        let open = survey(SurveyStatus::Open, Some("2026-12-01"), Some("2026-12-14"));
        assert!(open.admits(day("2026-11-30"), true).is_err());
        assert!(open.admits(day("2026-12-01"), true).is_ok());
        assert!(open.admits(day("2026-12-14"), true).is_ok());
        assert!(open.admits(day("2026-12-15"), true).is_err());
        assert!(survey(SurveyStatus::Open, None, None)
            .admits(day("2030-01-01"), true)
            .is_ok());
        assert!(survey(SurveyStatus::Draft, None, None)
            .admits(day("2026-12-01"), true)
            .is_err());
        assert!(survey(SurveyStatus::Closed, None, None)
            .admits(day("2026-12-01"), true)
            .is_err());
    }
}
