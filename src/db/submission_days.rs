//! Submissions per survey and day, counted as they arrive: the admin page's "responses per
//! day" comes from here, never from response rows (which carry no date finer than their
//! release batch).

use crate::db::SurveyId;
use chrono::NaiveDate;
use diesel::prelude::*;

use super::schema::submission_days;
use super::DbConnection;

/// Adds `count` submissions to the survey's day; the caller provides the transaction.
pub fn add(
    conn: &mut DbConnection,
    survey_id: SurveyId,
    day: NaiveDate,
    count: i32,
) -> QueryResult<()> {
    let updated = diesel::update(
        submission_days::table
            .filter(submission_days::survey_id.eq(survey_id))
            .filter(submission_days::day.eq(day)),
    )
    .set(submission_days::submissions.eq(submission_days::submissions + count))
    .execute(conn)?;
    if updated == 0 {
        diesel::insert_into(submission_days::table)
            .values((
                submission_days::survey_id.eq(survey_id),
                submission_days::day.eq(day),
                submission_days::submissions.eq(count),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Submissions on each day, earliest first; days without any are absent.
pub fn per_day(conn: &mut DbConnection, survey_id: SurveyId) -> QueryResult<Vec<(NaiveDate, i64)>> {
    submission_days::table
        .filter(submission_days::survey_id.eq(survey_id))
        .order(submission_days::day.asc())
        .select((submission_days::day, submission_days::submissions))
        .load::<(NaiveDate, i32)>(conn)
        .map(|rows| rows.into_iter().map(|(d, n)| (d, i64::from(n))).collect())
}
