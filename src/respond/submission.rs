//! Turning validated answers into what is stored: sealed for the waiting room when
//! submitted, or (for tools and tests that fill a database) an anonymous released row.

use crate::db::SurveyId;
use chrono::NaiveDate;

use crate::db::responses::NewResponse;
use crate::db::waiting::WaitingResponse;
use crate::questionnaire::{stored, Answers};
use crate::release::ResponseSeal;
use crate::secrets::random_id;

/// A submitted response, sealed for the waiting room: one AEAD, nothing else.
pub fn sealed_row(seal: &ResponseSeal, survey_id: SurveyId, answers: &Answers) -> WaitingResponse {
    seal.seal(survey_id, &stored::encode_response(answers))
}

/// A released response's row (a random id, the day, the answers), for tools and tests that
/// fill a database directly. Tallies are counted later, in bulk, from the stored answers
/// (`report::tally::fold_pending`), so nothing else is worked out here.
pub fn response_row(survey_id: SurveyId, answers: &Answers, today: NaiveDate) -> NewResponse {
    NewResponse {
        id: crate::db::ResponseId(random_id()),
        survey_id,
        submitted_on: today,
        answers: stored::encode_response(answers),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::questionnaire::AnswerValue;

    #[test]
    fn the_row_holds_a_random_id_the_day_and_the_answers_only() {
        let mut answers = Answers::new();
        answers.insert("agency".into(), AnswerValue::Choice("police".into()));
        answers.insert(
            "training".into(),
            AnswerValue::Choices(vec!["a".into(), "b".into()]),
        );
        answers.insert("caseload".into(), AnswerValue::Number(12.0));
        answers.insert("comment".into(), AnswerValue::Text("Fine".into()));
        let day = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
        let row = response_row(SurveyId(7), &answers, day);
        assert_eq!(row.submitted_on, day);
        assert_eq!(row.id.as_str().len(), 32);
        assert_ne!(row.id, response_row(SurveyId(7), &answers, day).id);
        let stored: serde_json::Value = serde_json::from_str(&row.answers).unwrap();
        assert_eq!(
            stored,
            serde_json::json!({"agency": "police", "training": ["a", "b"], "caseload": 12, "comment": "Fine"})
        );
    }
}
