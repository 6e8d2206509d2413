//! Surveys: the questionnaire as imported, its status and revision.

use crate::db::SurveyId;
use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::surveys;
use super::{DbConnection, DbError};
use crate::questionnaire::Questionnaire;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SurveyStatus {
    Draft,
    Open,
    Closed,
}

impl SurveyStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Open => "open",
            Self::Closed => "closed",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "draft" => Some(Self::Draft),
            "open" => Some(Self::Open),
            "closed" => Some(Self::Closed),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = surveys)]
pub struct SurveyRow {
    pub id: SurveyId,
    pub slug: String,
    pub title: String,
    pub status: String,
    pub source: String,
    pub definition: String,
    pub revision: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// What every respondent request needs: small, read on each request, never cached.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = surveys)]
pub struct SurveyHead {
    pub id: SurveyId,
    pub slug: String,
    pub status: String,
    pub revision: i32,
}

impl SurveyRow {
    pub fn status(&self) -> SurveyStatus {
        SurveyStatus::parse(&self.status).unwrap_or(SurveyStatus::Closed)
    }

    /// The resolved questionnaire, read back from `definition` (written by
    /// [`definition_json`]): the one place the stored definition is parsed.
    pub fn questionnaire(&self) -> Result<Questionnaire, DbError> {
        serde_json::from_str(&self.definition)
            .map_err(|e| DbError::Corrupt(format!("survey {}: {e}", self.slug)))
    }
}

/// A questionnaire as `surveys.definition` stores it (JSON of the resolved definition, read
/// back by [`SurveyRow::questionnaire`]).
pub fn definition_json(questionnaire: &Questionnaire) -> Result<String, DbError> {
    serde_json::to_string(questionnaire)
        .map_err(|e| DbError::Corrupt(format!("cannot serialise questionnaire: {e}")))
}

impl SurveyHead {
    pub fn status(&self) -> SurveyStatus {
        // An unknown status is treated as closed: never accept answers on a doubt.
        SurveyStatus::parse(&self.status).unwrap_or(SurveyStatus::Closed)
    }
}

#[derive(Debug, Insertable)]
#[diesel(table_name = surveys)]
pub struct NewSurvey<'a> {
    pub slug: &'a str,
    pub title: &'a str,
    pub status: &'a str,
    pub source: &'a str,
    pub definition: &'a str,
    pub revision: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, AsChangeset)]
#[diesel(table_name = surveys)]
pub struct DefinitionChange<'a> {
    pub title: &'a str,
    pub source: &'a str,
    pub definition: &'a str,
    pub revision: i32,
    pub updated_at: NaiveDateTime,
}

pub fn find_by_slug(conn: &mut DbConnection, slug: &str) -> QueryResult<Option<SurveyRow>> {
    surveys::table
        .filter(surveys::slug.eq(slug))
        .select(SurveyRow::as_select())
        .first(conn)
        .optional()
}

pub fn find_by_id(conn: &mut DbConnection, id: SurveyId) -> QueryResult<Option<SurveyRow>> {
    surveys::table
        .find(id)
        .select(SurveyRow::as_select())
        .first(conn)
        .optional()
}

pub fn head_by_slug(conn: &mut DbConnection, slug: &str) -> QueryResult<Option<SurveyHead>> {
    surveys::table
        .filter(surveys::slug.eq(slug))
        .select(SurveyHead::as_select())
        .first(conn)
        .optional()
}

pub fn list(conn: &mut DbConnection) -> QueryResult<Vec<SurveyRow>> {
    surveys::table
        .order(surveys::slug.asc())
        .select(SurveyRow::as_select())
        .load(conn)
}

pub fn count(conn: &mut DbConnection) -> QueryResult<i64> {
    surveys::table.count().get_result(conn)
}

pub fn insert(conn: &mut DbConnection, new: &NewSurvey<'_>) -> QueryResult<()> {
    diesel::insert_into(surveys::table)
        .values(new)
        .execute(conn)
        .map(drop)
}

pub fn change_definition(
    conn: &mut DbConnection,
    id: SurveyId,
    change: &DefinitionChange<'_>,
) -> QueryResult<()> {
    diesel::update(surveys::table.find(id))
        .set(change)
        .execute(conn)
        .map(drop)
}

pub fn set_status(
    conn: &mut DbConnection,
    id: SurveyId,
    status: SurveyStatus,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(surveys::table.find(id))
        .set((
            surveys::status.eq(status.as_str()),
            surveys::updated_at.eq(now),
        ))
        .execute(conn)
        .map(drop)
}
