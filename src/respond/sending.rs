//! The end of the open-link journey: the check-your-answers page, sending the response to
//! the writer, and the confirmation page.

use actix_web::{web, HttpRequest, HttpResponse};

use crate::error::AppError;
use crate::messages;
use crate::questionnaire::{self, Answers};
use crate::survey::LiveSurvey;
use crate::web::{render, see_other, AppState};

use super::draft::{self, Owner};
use super::pages::{form_fields, page_href, visit, with_draft};
use super::submission::sealed_row;
use super::views::{check_sections, error_links, CheckPage, DonePage};
use super::writer::{Claim, ResponseWriter, Submission, WriteError};

fn check_page<'a>(
    survey: &'a LiveSurvey,
    answers: &Answers,
    problems: &[questionnaire::Problem],
) -> CheckPage<'a> {
    let q = &survey.questionnaire;
    let visible = questionnaire::visible_sections(q, answers);
    let sections = check_sections(q, &survey.slug, &visible, answers);
    let mut errors = error_links(q, problems);
    for (error, problem) in errors.iter_mut().zip(problems) {
        if let Some(index) = q.section_of(&problem.question) {
            error.href = format!(
                "/s/{}/page/{}#q-{}",
                survey.slug,
                index + 1,
                problem.question
            );
        }
    }
    CheckPage {
        survey_title: &q.title,
        slug: &survey.slug,
        sections,
        errors,
        back_href: visible
            .last()
            .map(|&i| page_href(&survey.slug, i))
            .unwrap_or_else(|| format!("/s/{}", survey.slug)),
    }
}

pub(super) async fn check(
    state: web::Data<AppState>,
    slug: web::Path<String>,
    req: HttpRequest,
) -> Result<HttpResponse, AppError> {
    let (survey, draft) = match with_draft(&state, slug.into_inner(), &req, true).await? {
        Ok(found) => found,
        Err(instead) => return Ok(instead),
    };
    let problems = questionnaire::check_complete(&survey.questionnaire, &draft.answers);
    Ok(render(
        HttpResponse::Ok(),
        &check_page(&survey, &draft.answers, &problems),
    ))
}

pub(super) async fn submit(
    state: web::Data<AppState>,
    writer: web::Data<ResponseWriter>,
    slug: web::Path<String>,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, AppError> {
    form_fields(&state, &req, payload).await?;
    let today = state.today();
    let (survey, mut draft) = match with_draft(&state, slug.into_inner(), &req, true).await? {
        Ok(found) => found,
        Err(instead) => return Ok(instead),
    };
    questionnaire::prune_hidden(&survey.questionnaire, &mut draft.answers);
    let problems = questionnaire::check_complete(&survey.questionnaire, &draft.answers);
    if !problems.is_empty() {
        return Ok(render(
            HttpResponse::UnprocessableEntity(),
            &check_page(&survey, &draft.answers, &problems),
        ));
    }
    let claim = match draft.owner {
        Owner::Open { id_hash, .. } => Claim::Draft(id_hash),
        Owner::Invited { invitation_id, .. } => Claim::Invitation {
            invitation_id,
            survey_id: survey.id,
        },
    };
    let submission = Submission {
        row: sealed_row(&state.seal, survey.id, &draft.answers),
        day: today,
        claim,
    };
    match writer.submit(submission).await {
        // A second click on "Send" finds the draft gone (or the invitation completed):
        // the response is already stored.
        Ok(()) | Err(WriteError::AlreadySubmitted | WriteError::KeyReused) => {}
        Err(other) => return Err(other.into()),
    }
    let mut response = see_other(format!("/s/{}/done", survey.slug));
    for cookie in draft::expired_cookies(&survey.slug, state.secure_cookies()) {
        response
            .add_removal_cookie(&cookie)
            .map_err(|_| AppError::BadRequest(messages::BAD_REQUEST))?;
    }
    Ok(response)
}

pub(super) async fn done(
    state: web::Data<AppState>,
    slug: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let visit = visit(&state, slug.into_inner(), None).await?;
    Ok(render(
        HttpResponse::Ok(),
        &DonePage {
            survey_title: &visit.survey.questionnaire.title,
        },
    ))
}
