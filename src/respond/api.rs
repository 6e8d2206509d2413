//! `POST /api/v1/surveys/{slug}/responses`: a whole response in one request, through the
//! same validation and storage as the pages. An `Idempotency-Key` header makes a retry
//! answer the first result instead of storing the response twice (`super::idempotency`).

use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

use crate::db::{idempotency_keys, invitations};
use crate::error::AppError;
use crate::questionnaire;
use crate::secrets::Token;
use crate::web::body::{declared_too_large, read_limited};
use crate::web::json::{duplicate_key, is_utf8_json};
use crate::web::{ApiError, AppState};

use super::idempotency::{IdempotencyKey, KeyHasher};
use super::submission::sealed_row;
use super::writer::{Claim, ResponseWriter, Submission};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route(
        "/api/v1/surveys/{slug}/responses",
        web::post().to(submit_response),
    );
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ResponseBody {
    #[serde(default)]
    token: Option<String>,
    answers: serde_json::Map<String, serde_json::Value>,
}

async fn submit_response(
    state: web::Data<AppState>,
    writer: web::Data<ResponseWriter>,
    slug: web::Path<String>,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let limit = state.settings.server.max_body_bytes;
    let idempotency_key =
        IdempotencyKey::from_request(&req).map_err(|_| AppError::IdempotencyKeyMalformed)?;
    if !is_utf8_json(&req) {
        return Err(AppError::UnsupportedMediaType.into());
    }
    if declared_too_large(&req, limit) {
        return Err(AppError::PayloadTooLarge.into());
    }
    let body = read_limited(payload, limit).await?;
    if let Some(key) = duplicate_key(&body) {
        return Err(AppError::DuplicateKey(key).into());
    }
    let body: ResponseBody = serde_json::from_slice(&body).map_err(|_| AppError::MalformedJson)?;
    let token = match body.token.as_deref() {
        Some(raw) => Some(Token::parse(raw).ok_or(AppError::InvitationNotFound)?),
        None => None,
    };
    let slug = slug.into_inner();
    let catalog = state.catalog.clone();
    let hasher = KeyHasher::new(&state.secret_key);
    let fingerprint = idempotency_key
        .as_ref()
        .map(|key| (key.clone(), hasher.fingerprint(key, &body.answers)));
    let (survey, invitation, stored_key, first_use) = state
        .db
        .run(move |conn| -> Result<_, AppError> {
            let survey = catalog.live(conn, &slug)?.ok_or(AppError::SurveyNotFound)?;
            let invitation = match token {
                Some(token) => Some(
                    invitations::find_by_token(conn, &token.hash())?
                        .filter(|found| found.survey_id == survey.id)
                        .ok_or(AppError::InvitationNotFound)?,
                ),
                None => None,
            };
            // The key within its scope, and the fingerprint it was first used with, if it was.
            let stored_key = fingerprint.map(|(key, fingerprint)| {
                let invitation_id = invitation.as_ref().map(|i| &i.invitation_id);
                hasher.stored_key(&key, survey.id, invitation_id, fingerprint)
            });
            let first_use = match &stored_key {
                Some(stored) => idempotency_keys::fingerprints(conn, &[stored.key_hash.as_str()])?
                    .remove(&stored.key_hash),
                None => None,
            };
            Ok((survey, invitation, stored_key, first_use))
        })
        .await?;
    // A repeat: the first result (only stored responses leave their key behind).
    if let (Some(key), Some(first)) = (&stored_key, &first_use) {
        return if *first == key.fingerprint {
            Ok(stored())
        } else {
            Err(AppError::IdempotencyKeyReused.into())
        };
    }
    if invitation.as_ref().is_some_and(|found| found.completed) {
        return Err(AppError::AlreadySubmitted.into());
    }
    let today = state.today();
    survey.admits(today, invitation.is_some())?;
    let answers = questionnaire::validate_json_response(&survey.questionnaire, &body.answers)
        .map_err(AppError::InvalidAnswers)?;
    let claim = match invitation {
        Some(found) => Claim::Invitation {
            invitation_id: found.invitation_id,
            survey_id: survey.id,
        },
        None => Claim::Nothing,
    };
    let submission = Submission {
        row: sealed_row(&state.seal, survey.id, &answers),
        day: today,
        claim,
    };
    writer
        .submit_keyed(submission, stored_key)
        .await
        .map_err(AppError::from)?;
    Ok(stored())
}

/// The answer to a stored response, and to every repeat of its idempotency key.
fn stored() -> HttpResponse {
    HttpResponse::Created().json(serde_json::json!({ "status": "stored" }))
}
