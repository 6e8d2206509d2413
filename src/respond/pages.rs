//! The respondent journey on the open link: intro and one section per page (the check page,
//! sending and the confirmation are in `sending`). Works without JavaScript; progress is kept server-side, from
//! the first saved answers on ("Start" stores nothing).

use actix_web::{web, HttpRequest, HttpResponse};
use chrono::NaiveDate;

use crate::error::AppError;
use crate::messages;
use crate::questionnaire::{self, Answers, Questionnaire};
use crate::secrets::Token;
use crate::survey::LiveSurvey;
use crate::web::body::{declared_too_large, has_media_type, read_limited};
use crate::web::{render, see_other, AppState};

use super::change::Returning;
use super::draft::{self, Draft, Found, Owner, Pass, Saved};
use super::draft_bounds::{self, Bound, DraftStarts};
use super::form::parse_form;
use super::views::{
    error_links, paragraphs, question_view, AlreadyRespondedPage, Entered, IntroPage, NotOpenPage,
    SectionPage,
};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/s/{slug}", web::get().to(intro))
        .route("/s/{slug}/start", web::post().to(start))
        .route(
            "/s/{slug}/start-again",
            web::get().to(super::restart::confirm_page),
        )
        .route("/s/{slug}/page/{number}", web::get().to(show_section))
        .route("/s/{slug}/page/{number}", web::post().to(save_section))
        .route("/s/{slug}/check", web::get().to(super::sending::check))
        .route("/s/{slug}/submit", web::post().to(super::sending::submit))
        .route("/s/{slug}/done", web::get().to(super::sending::done));
}

/// A survey and, when the respondent has one, their draft: one trip to the database.
pub(super) struct Visit {
    pub(super) survey: LiveSurvey,
    pub(super) draft: Option<Draft>,
    /// The respondent holds an invitation of this survey that has already responded.
    completed: bool,
}

impl Visit {
    fn invited(&self) -> bool {
        self.draft
            .as_ref()
            .is_some_and(|d| matches!(d.owner, Owner::Invited { .. }))
    }

    /// The page shown instead of the questionnaire, if any.
    pub(super) fn turned_away(&self, today: NaiveDate) -> Option<HttpResponse> {
        if self.completed {
            return Some(already_responded(&self.survey));
        }
        refusal(&self.survey, today, self.invited())
    }
}

pub(super) async fn visit(
    state: &AppState,
    slug: String,
    pass: Option<Pass>,
) -> Result<Visit, AppError> {
    let catalog = state.catalog.clone();
    let server_key = state.secret_key.clone();
    state
        .db
        .run(move |conn| {
            // The open link's common case in one query: the survey and the draft together.
            if let Some(Pass::Open(token)) = &pass {
                let id_hash = token.hash();
                let (head, stored) =
                    crate::db::drafts::survey_with_draft(conn, &slug, Some(&id_hash))?
                        .ok_or(AppError::SurveyNotFound)?;
                let survey = catalog.with_questionnaire(conn, head)?;
                let draft = draft::open_draft(survey.id, token, stored.as_deref())?;
                return Ok(Visit {
                    survey,
                    draft: Some(draft),
                    completed: false,
                });
            }
            let survey = catalog.live(conn, &slug)?.ok_or(AppError::SurveyNotFound)?;
            let found = draft::load(conn, pass.as_ref(), survey.id, &server_key)?;
            let completed = matches!(found, Found::Completed);
            Ok(Visit {
                survey,
                draft: found.draft(),
                completed,
            })
        })
        .await
}

/// A respondent with a draft in a survey that takes their answers, or the page to send
/// instead: the refusal, or the start page when there is no draft yet. An open-link draft
/// may not be stored yet (its first answers are not saved) unless `stored` asks for one.
pub(super) async fn with_draft(
    state: &AppState,
    slug: String,
    req: &HttpRequest,
    stored: bool,
) -> Result<Result<(LiveSurvey, Draft), HttpResponse>, AppError> {
    let visit = visit(state, slug, draft::pass_from(req, state)).await?;
    if let Some(refused) = visit.turned_away(state.today()) {
        return Ok(Err(refused));
    }
    Ok(match visit.draft {
        Some(draft) if !(stored && draft.is_unstored()) => Ok((visit.survey, draft)),
        _ => Err(see_other(format!("/s/{}", visit.survey.slug))),
    })
}

/// Every link of a completed invitation shows this, and accepts nothing.
pub fn already_responded(survey: &LiveSurvey) -> HttpResponse {
    render(
        HttpResponse::Ok(),
        &AlreadyRespondedPage {
            survey_title: &survey.questionnaire.title,
        },
    )
}

/// The page shown instead of the questionnaire when the survey takes no responses here.
/// Invited respondents may answer surveys whose open link is off.
fn refusal(survey: &LiveSurvey, today: NaiveDate, invited: bool) -> Option<HttpResponse> {
    let (heading, message) = match survey.admits(today, invited) {
        Ok(()) => return None,
        Err(AppError::OpenLinkOff) => (messages::SURVEY_NOT_OPEN, messages::OPEN_LINK_OFF),
        Err(_) => (
            messages::SURVEY_NOT_OPEN,
            "This survey is not taking responses at the moment. If you think it should be, contact the review team who sent you the link.",
        ),
    };
    Some(render(
        HttpResponse::Ok(),
        &NotOpenPage {
            survey_title: &survey.questionnaire.title,
            heading,
            message,
        },
    ))
}

pub(super) fn page_href(slug: &str, index: usize) -> String {
    format!("/s/{slug}/page/{}", index + 1)
}

fn check_href(slug: &str) -> String {
    format!("/s/{slug}/check")
}

/// Where a respondent with these answers picks up: the first section not yet answered.
pub(super) fn resume_href(questionnaire: &Questionnaire, slug: &str, answers: &Answers) -> String {
    questionnaire::visible_sections(questionnaire, answers)
        .into_iter()
        .find(|&index| {
            let section = &questionnaire.sections[index];
            !section
                .questions
                .iter()
                .any(|q| answers.contains_key(&q.key))
        })
        .map(|index| page_href(slug, index))
        .unwrap_or_else(|| check_href(slug))
}

async fn intro(
    state: web::Data<AppState>,
    slug: web::Path<String>,
    req: HttpRequest,
) -> Result<HttpResponse, AppError> {
    let visit = visit(&state, slug.into_inner(), draft::pass_from(&req, &state)).await?;
    if let Some(refused) = visit.turned_away(state.today()) {
        return Ok(refused);
    }
    let q = &visit.survey.questionnaire;
    let invited = visit.invited();
    let continue_href = visit
        .draft
        .as_ref()
        .filter(|d| !(d.is_unstored() || invited && d.answers.is_empty()))
        .map(|d| resume_href(q, &visit.survey.slug, &d.answers));
    let start_again_href = super::restart::href(&visit.survey.slug);
    Ok(render(
        HttpResponse::Ok(),
        &IntroPage {
            title: &q.title,
            slug: &visit.survey.slug,
            introduction: paragraphs(&q.introduction),
            privacy: paragraphs(&q.privacy_notice),
            contact: q.contact.as_ref(),
            continue_href,
            start_again_href,
            closes_on: q.closes_on.map(|day| day.format("%-d %B %Y").to_string()),
        },
    ))
}

/// "Start": stores nothing. On the open link it hands out a fresh random id in a cookie (the
/// draft is stored with its first answers), unless the bounds on new drafts are reached; then
/// the page says so. "Start again" (confirmed) deletes the answers so far.
async fn start(
    state: web::Data<AppState>,
    starts: web::Data<DraftStarts>,
    slug: web::Path<String>,
    req: HttpRequest,
    body: web::Bytes,
) -> Result<HttpResponse, AppError> {
    let slug = slug.into_inner();
    let confirmed = super::restart::confirmed(&body);
    let pass = draft::pass_from(&req, &state);
    let catalog = state.catalog.clone();
    let server_key = state.secret_key.clone();
    let today = state.today();
    let max_per_survey = i64::from(state.settings.server.drafts_per_survey);
    let started = state
        .db
        .run(move |conn| -> Result<_, AppError> {
            let survey = catalog.live(conn, &slug)?.ok_or(AppError::SurveyNotFound)?;
            let found = draft::load(conn, pass.as_ref(), survey.id, &server_key)?;
            if matches!(found, Found::Completed) {
                return Ok((survey, Started::Completed));
            }
            let draft = found.draft();
            let invited = draft
                .as_ref()
                .is_some_and(|d| matches!(d.owner, Owner::Invited { .. }));
            if refusal(&survey, today, invited).is_some() {
                return Ok((survey, Started::Refused));
            }
            // Starting again forgets the answers so far, once the respondent has confirmed.
            if draft.as_ref().is_some_and(|d| !d.answers.is_empty()) && !confirmed {
                return Ok((survey, Started::Unconfirmed));
            }
            if let Some(draft) = &draft {
                draft::discard(conn, draft)?;
            }
            if invited {
                return Ok((survey, Started::Invited));
            }
            // Said before anyone answers; the bound is kept when the first answers are saved.
            if crate::db::drafts::count_for_survey(conn, survey.id)? >= max_per_survey {
                return Ok((survey, Started::Full));
            }
            Ok((survey, Started::Open))
        })
        .await?;
    let (survey, started) = started;
    let first = questionnaire::visible_sections(&survey.questionnaire, &Answers::new())
        .first()
        .map(|&index| page_href(&survey.slug, index))
        .unwrap_or_else(|| check_href(&survey.slug));
    match started {
        Started::Completed => Ok(already_responded(&survey)),
        Started::Refused => Ok(refusal(&survey, today, false)
            .unwrap_or_else(|| see_other(format!("/s/{}", survey.slug)))),
        Started::Unconfirmed => Ok(see_other(super::restart::href(&survey.slug))),
        Started::Invited => Ok(see_other(first)),
        Started::Full => Ok(draft_bounds::refused_page(
            &survey,
            Bound::Survey {
                retry_after: draft_bounds::SURVEY_FULL_RETRY_SECONDS,
            },
        )),
        Started::Open => {
            if let Err(bound) = starts.check(client_address(&req, &state), state.clock.now()) {
                return Ok(draft_bounds::refused_page(&survey, bound));
            }
            let mut response = see_other(first);
            response
                .add_cookie(&draft::cookie(
                    &survey.slug,
                    &Token::generate(),
                    state.secure_cookies(),
                ))
                .map_err(|_| AppError::BadRequest(messages::BAD_REQUEST))?;
            Ok(response)
        }
    }
}

/// What "Start" led to.
enum Started {
    Completed,
    Refused,
    /// A draft with answers, and no confirmation that they may be deleted.
    Unconfirmed,
    Invited,
    /// The survey holds as many open-link drafts as it may.
    Full,
    Open,
}

/// The client's address, as the sign-in limits see it (behind trusted proxies too).
fn client_address(req: &HttpRequest, state: &AppState) -> Option<std::net::IpAddr> {
    crate::web::client_address(req, &state.settings.security.trusted_proxies)
}

fn section_index(questionnaire: &Questionnaire, number: usize) -> Result<usize, AppError> {
    number
        .checked_sub(1)
        .filter(|&index| index < questionnaire.sections.len())
        .ok_or(AppError::NotFound)
}

fn section_page<'a>(
    survey: &'a LiveSurvey,
    index: usize,
    answers: &Answers,
    entered: &Entered<'_>,
    problems: &[questionnaire::Problem],
    returning: Option<&Returning>,
) -> SectionPage<'a> {
    let q = &survey.questionnaire;
    let section = &q.sections[index];
    let visible = questionnaire::visible_sections(q, answers);
    let questions = section
        .questions
        .iter()
        .filter(|question| questionnaire::visible(q, question, answers))
        .map(|question| {
            let error = problems
                .iter()
                .find(|p| p.question == question.key)
                .map(|p| p.message.clone());
            question_view(question, entered, error)
        })
        .collect();
    SectionPage {
        survey_title: &q.title,
        section_title: &section.title,
        section_intro: section.introduction.as_deref(),
        intro_parts: section
            .intro_parts
            .iter()
            .filter(|part| {
                part.show_if
                    .as_ref()
                    .is_none_or(|show_if| questionnaire::condition_met(q, show_if, answers))
            })
            .map(|part| part.text.as_str())
            .collect(),
        position: visible
            .iter()
            .position(|&i| i == index)
            .map_or(1, |p| p + 1),
        total: visible.len().max(1),
        action: page_href(&survey.slug, index),
        questions,
        errors: error_links(q, problems),
        returning: returning.map(Returning::then),
    }
}

async fn show_section(
    state: web::Data<AppState>,
    path: web::Path<(String, usize)>,
    req: HttpRequest,
) -> Result<HttpResponse, AppError> {
    let (slug, number) = path.into_inner();
    let (survey, draft) = match with_draft(&state, slug, &req, false).await? {
        Ok(found) => found,
        Err(instead) => return Ok(instead),
    };
    let survey = &survey;
    let index = section_index(&survey.questionnaire, number)?;
    let visible = questionnaire::visible_sections(&survey.questionnaire, &draft.answers);
    if !visible.contains(&index) {
        return Ok(see_other(next_after(survey, &visible, index)));
    }
    Ok(render(
        HttpResponse::Ok(),
        &section_page(
            survey,
            index,
            &draft.answers,
            &Entered::Stored(&draft.answers),
            &[],
            Returning::from_query(req.query_string()).as_ref(),
        ),
    ))
}

fn next_after(survey: &LiveSurvey, visible: &[usize], index: usize) -> String {
    visible
        .iter()
        .find(|&&i| i > index)
        .map(|&i| page_href(&survey.slug, i))
        .unwrap_or_else(|| check_href(&survey.slug))
}

fn previous_before(survey: &LiveSurvey, visible: &[usize], index: usize) -> String {
    visible
        .iter()
        .rev()
        .find(|&&i| i < index)
        .map(|&i| page_href(&survey.slug, i))
        .unwrap_or_else(|| format!("/s/{}", survey.slug))
}

pub(super) async fn form_fields(
    state: &AppState,
    req: &HttpRequest,
    payload: web::Payload,
) -> Result<Vec<(String, String)>, AppError> {
    let limit = state.settings.server.max_body_bytes;
    if declared_too_large(req, limit) {
        return Err(AppError::PayloadTooLarge);
    }
    if !has_media_type(req, "application/x-www-form-urlencoded") {
        return Err(AppError::UnsupportedMediaType);
    }
    let body = read_limited(payload, limit).await?;
    parse_form(&body).map_err(|_| AppError::BadRequest(messages::INVALID_UTF8))
}

async fn save_section(
    state: web::Data<AppState>,
    starts: web::Data<DraftStarts>,
    path: web::Path<(String, usize)>,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, AppError> {
    let (slug, number) = path.into_inner();
    let mut fields = form_fields(&state, &req, payload).await?;
    let going_back = take_action(&mut fields) == Some("back".to_owned());
    let returning = Returning::take_from(&mut fields);
    let today = state.today();
    let (survey, mut draft) = match with_draft(&state, slug, &req, false).await? {
        Ok(found) => found,
        Err(instead) => return Ok(instead),
    };
    let q = survey.questionnaire.clone();
    let index = section_index(&q, number)?;
    let visible = questionnaire::visible_sections(&q, &draft.answers);
    let parsed = questionnaire::parse_section_form(&q, index, &fields, &draft.answers);
    let section_answers = match parsed {
        Ok(answers) => answers,
        Err(_) if going_back && returning.is_some() => {
            return Ok(see_other(check_href(&survey.slug)))
        }
        Err(_) if going_back => return Ok(see_other(previous_before(&survey, &visible, index))),
        Err(problems) => {
            return Ok(render(
                HttpResponse::UnprocessableEntity(),
                &section_page(
                    &survey,
                    index,
                    &draft.answers,
                    &Entered::Raw(&fields),
                    &problems,
                    returning.as_ref(),
                ),
            ))
        }
    };
    let before = draft.answers.clone();
    for question in &q.sections[index].questions {
        draft.answers.remove(&question.key);
    }
    draft.answers.extend(section_answers);
    questionnaire::prune_hidden(&q, &mut draft.answers);
    let visible = questionnaire::visible_sections(&q, &draft.answers);
    let next = match &returning {
        // Changing an answer: back to the check page, after any questions it revealed.
        Some(returning) => match returning.next(&q, index, &before, &draft.answers) {
            Some((section, rest)) if !going_back => {
                format!("{}{}", page_href(&survey.slug, section), rest.query())
            }
            _ => check_href(&survey.slug),
        },
        None if going_back => previous_before(&survey, &visible, index),
        None => next_after(&survey, &visible, index),
    };
    // A new open-link draft counts against its address before it is stored.
    let reservation = match draft.is_unstored() {
        true => match starts.reserve(client_address(&req, &state), state.clock.now()) {
            Ok(reservation) => Some(reservation),
            Err(bound) => return Ok(draft_bounds::refused_page(&survey, bound)),
        },
        false => None,
    };
    let max_per_survey = state.settings.server.drafts_per_survey;
    let saved = state
        .db
        .run(move |conn| draft::save(conn, &draft, today, max_per_survey).map_err(AppError::from))
        .await?;
    match saved {
        Saved::Done => {
            if let Some(reservation) = reservation {
                reservation.keep();
            }
            Ok(see_other(next))
        }
        Saved::Gone => Ok(see_other(format!("/s/{}", survey.slug))),
        Saved::SurveyFull => Ok(draft_bounds::refused_page(
            &survey,
            Bound::Survey {
                retry_after: draft_bounds::SURVEY_FULL_RETRY_SECONDS,
            },
        )),
    }
}

/// Removes the button field; question keys cannot start with `_`, so it never clashes.
fn take_action(fields: &mut Vec<(String, String)>) -> Option<String> {
    let position = fields.iter().position(|(name, _)| name == "_action")?;
    Some(fields.remove(position).1)
}
