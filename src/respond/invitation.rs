//! Invitation links. `GET /i/{token}` exchanges the link for a session cookie that names the
//! invitation (`invite_session`, not the token) and a redirect, so the token leaves the
//! address bar and is kept nowhere in the browser; `/o/{invitation id}.{tag}` opts the invitation out of
//! reminders (a confirmation page, then a POST) and can do nothing else.

use crate::db::InvitationId;
use actix_web::{web, HttpResponse};

use crate::db::{invitations, surveys};
use crate::error::AppError;
use crate::invite::OptOutKey;
use crate::messages;
use crate::secrets::Token;
use crate::web::{render, see_other, AppState};

use super::draft;
use super::views::{AlreadyRespondedPage, OptOutPage, OptedOutPage};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/i/{token}", web::get().to(follow_link))
        .route("/o/{token}", web::get().to(confirm_opt_out))
        .route("/o/{token}", web::post().to(opt_out));
}

/// The invitation a link names, with its survey's slug and title.
struct Linked {
    invitation_id: InvitationId,
    completed: bool,
    slug: String,
    title: String,
}

async fn linked(state: &AppState, raw: String) -> Result<(Token, Linked), AppError> {
    let token = Token::parse(&raw).ok_or(AppError::InvitationNotFound)?;
    let hash = token.hash();
    let linked = state
        .db
        .run(move |conn| -> Result<Option<Linked>, AppError> {
            let Some(found) = invitations::find_by_token(conn, &hash)? else {
                return Ok(None);
            };
            let survey = surveys::find_by_id(conn, found.survey_id)?;
            Ok(survey.map(|survey| Linked {
                invitation_id: found.invitation_id,
                completed: found.completed,
                slug: survey.slug,
                title: survey.title,
            }))
        })
        .await?
        .ok_or(AppError::InvitationNotFound)?;
    Ok((token, linked))
}

async fn follow_link(
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let (_, linked) = linked(&state, token.into_inner()).await?;
    if linked.completed {
        return Ok(render(
            HttpResponse::Ok(),
            &AlreadyRespondedPage {
                survey_title: &linked.title,
            },
        ));
    }
    // The cookie names the invitation; the token itself stays in the mail.
    let mut response = see_other(format!("/s/{}", linked.slug));
    response
        .add_cookie(&draft::invite_cookie(
            &state,
            &linked.slug,
            &linked.invitation_id,
        ))
        .map_err(|_| AppError::BadRequest(messages::BAD_REQUEST))?;
    Ok(response)
}

/// The invitation an opt-out link names: `/o/{invitation id}.{tag}`, or, for mail sent before
/// opt-out links had their own form, the invitation's answer token.
async fn opt_out_target(state: &AppState, raw: String) -> Result<Linked, AppError> {
    let Some(invitation_id) = OptOutKey::new(&state.secret_key).invitation(&raw) else {
        return linked(state, raw).await.map(|(_, linked)| linked);
    };
    state
        .db
        .run(move |conn| -> Result<Option<Linked>, AppError> {
            let Some(survey_id) = invitations::survey_of(conn, &invitation_id)? else {
                return Ok(None);
            };
            let survey = surveys::find_by_id(conn, survey_id)?;
            Ok(survey.map(|survey| Linked {
                invitation_id,
                completed: false,
                slug: survey.slug,
                title: survey.title,
            }))
        })
        .await?
        .ok_or(AppError::InvitationNotFound)
}

async fn confirm_opt_out(
    state: web::Data<AppState>,
    segment: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let segment = segment.into_inner();
    let linked = opt_out_target(&state, segment.clone()).await?;
    Ok(render(
        HttpResponse::Ok(),
        &OptOutPage {
            survey_title: &linked.title,
            action: format!("/o/{segment}"),
        },
    ))
}

async fn opt_out(
    state: web::Data<AppState>,
    segment: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let linked = opt_out_target(&state, segment.into_inner()).await?;
    let id = linked.invitation_id.clone();
    state
        .db
        .run(move |conn| invitations::opt_out(conn, &id).map_err(AppError::from))
        .await?;
    Ok(render(
        HttpResponse::Ok(),
        &OptedOutPage {
            survey_title: &linked.title,
        },
    ))
}
