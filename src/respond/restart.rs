//! "Start again": a page that says what will be lost and asks to confirm, before the
//! draft is deleted (the deletion itself is `POST /s/{slug}/start` with `_confirm=yes`).

use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;

use crate::error::AppError;
use crate::web::{render, see_other, AppState};

use super::draft;
use super::pages::{resume_href, visit};

/// The hidden field that confirms deleting a draft with answers.
pub const CONFIRM_FIELD: &str = "_confirm";

#[derive(Template)]
#[template(path = "respond/start_again.html")]
struct StartAgainPage<'a> {
    survey_title: &'a str,
    slug: &'a str,
    answered: usize,
    continue_href: String,
}

pub fn href(slug: &str) -> String {
    format!("/s/{slug}/start-again")
}

/// Whether a posted "Start" form confirms deleting the answers so far.
pub fn confirmed(body: &[u8]) -> bool {
    super::form::parse_form(body)
        .map(|fields| {
            fields
                .iter()
                .any(|(name, value)| name == CONFIRM_FIELD && value == "yes")
        })
        .unwrap_or(false)
}

pub async fn confirm_page(
    state: web::Data<AppState>,
    slug: web::Path<String>,
    req: HttpRequest,
) -> Result<HttpResponse, AppError> {
    let visit = visit(&state, slug.into_inner(), draft::pass_from(&req, &state)).await?;
    if let Some(refused) = visit.turned_away(state.today()) {
        return Ok(refused);
    }
    let slug = &visit.survey.slug;
    let Some(draft) = visit.draft.as_ref().filter(|d| !d.answers.is_empty()) else {
        // Nothing to lose: the start page starts afresh.
        return Ok(see_other(format!("/s/{slug}")));
    };
    let q = &visit.survey.questionnaire;
    Ok(render(
        HttpResponse::Ok(),
        &StartAgainPage {
            survey_title: &q.title,
            slug,
            answered: draft.answers.len(),
            continue_href: resume_href(q, slug, &draft.answers),
        },
    ))
}
