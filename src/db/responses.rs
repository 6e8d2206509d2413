//! Released responses: anonymous rows (a random id, the release day shared by the whole
//! batch, the answers), written only by a release (`crate::release`) in batches of at least k.

use crate::db::{ResponseId, SurveyId};
use chrono::NaiveDate;
use diesel::prelude::*;

use super::schema::responses;
use super::DbConnection;

/// Rows per multi-row INSERT: SQLite allows 32,766 bound values per statement and
/// PostgreSQL 65,535; a response row carries four.
const ROWS_PER_STATEMENT: usize = 5_000;

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = responses)]
pub struct NewResponse {
    pub id: ResponseId,
    pub survey_id: SurveyId,
    pub submitted_on: NaiveDate,
    /// `{"question-key": value}` with values as the JSON API takes them.
    pub answers: String,
}

/// A stored response as read back for exports and checks.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = responses)]
pub struct StoredResponse {
    pub id: ResponseId,
    pub answers: String,
}

/// Inserts several responses; the caller provides the transaction.
pub fn insert_all(conn: &mut DbConnection, rows: &[NewResponse]) -> QueryResult<()> {
    // Multi-row INSERTs on each backend's own connection type (MultiConnection does not
    // offer batch inserts on SQLite).
    macro_rules! insert_in_chunks {
        ($conn:expr) => {{
            for chunk in rows.chunks(ROWS_PER_STATEMENT) {
                diesel::insert_into(responses::table)
                    .values(chunk)
                    .execute($conn)?;
            }
        }};
    }
    match conn {
        DbConnection::Postgres(pg) => insert_in_chunks!(pg),
        DbConnection::Sqlite(lite) => insert_in_chunks!(lite),
    }
    Ok(())
}

/// Responses per survey, in one query (surveys without responses are absent).
pub fn counts_by_survey(
    conn: &mut DbConnection,
) -> QueryResult<std::collections::HashMap<SurveyId, i64>> {
    responses::table
        .group_by(responses::survey_id)
        .select((responses::survey_id, diesel::dsl::count_star()))
        .load::<(SurveyId, i64)>(conn)
        .map(|rows| rows.into_iter().collect())
}

pub fn count_for_survey(conn: &mut DbConnection, survey_id: SurveyId) -> QueryResult<i64> {
    responses::table
        .filter(responses::survey_id.eq(survey_id))
        .count()
        .get_result(conn)
}

/// A survey's responses read a page at a time in random-id order (never submission order),
/// each page after the last id of the one before (keyset paging: memory stays flat however
/// many responses there are).
///
/// On SQLite the table is `WITHOUT ROWID` and its rows (over a kilobyte of answers) spill
/// into overflow pages, so reaching each row through `responses_by_survey` costs a seek
/// whose key comparisons read whole rows, overflow pages included; walking the table itself
/// in id order and passing over other surveys' rows reads each page once instead, and is
/// the faster way unless the survey holds only a small part of the table (measured with
/// 100,000 responses: twice as fast for the whole table, faster still when the survey is a
/// twentieth of the table, slower when it is a hundredth).
/// PostgreSQL always reads through the index.
#[derive(Debug, Clone, Copy)]
pub struct SurveyPages {
    survey_id: SurveyId,
    walk_table: bool,
}

/// On SQLite, the table is walked when the survey holds at least 1/WALK_SHARE of it.
const WALK_SHARE: i64 = 16;

impl SurveyPages {
    pub fn new(conn: &mut DbConnection, survey_id: SurveyId) -> QueryResult<Self> {
        let walk_table = match conn {
            DbConnection::Postgres(_) => false,
            DbConnection::Sqlite(_) => {
                let all: i64 = responses::table.count().get_result(conn)?;
                count_for_survey(conn, survey_id)? * WALK_SHARE >= all
            }
        };
        Ok(Self {
            survey_id,
            walk_table,
        })
    }

    /// Reads through the survey's index: for a few pages only, where counting the table to
    /// choose would cost more than it saves.
    pub fn by_index(survey_id: SurveyId) -> Self {
        Self {
            survey_id,
            walk_table: false,
        }
    }

    /// The next page: up to `limit` responses with ids after `after`.
    pub fn after(
        &self,
        conn: &mut DbConnection,
        after: Option<&ResponseId>,
        limit: i64,
    ) -> QueryResult<Vec<StoredResponse>> {
        let mut query = responses::table
            .order(responses::id.asc())
            .select(StoredResponse::as_select())
            .limit(limit)
            .into_boxed();
        query = if self.walk_table {
            // `survey_id + 0` is no column, so SQLite cannot pick the index for it.
            query.filter((responses::survey_id + 0).eq(self.survey_id))
        } else {
            query.filter(responses::survey_id.eq(self.survey_id))
        };
        if let Some(after) = after {
            query = query.filter(responses::id.gt(after));
        }
        query.load(conn)
    }
}
