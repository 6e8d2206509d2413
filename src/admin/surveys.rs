//! Survey administration: the list, importing a questionnaire file, the survey page,
//! previews, opening and closing, and dates, reminders and the open link.

use actix_multipart::Multipart;
use actix_web::{web, HttpRequest, HttpResponse, HttpResponseBuilder};
use futures_util::StreamExt;

use crate::audit;
use crate::db::{responses, surveys};
use crate::error::AppError;
use crate::messages::invitations as invitation_msg;
use crate::messages::{self, accounts as msg};
use crate::questionnaire::{ReminderAudience, ReminderPolicy};
use crate::respond::views::{paragraphs, question_view, Entered};
use crate::survey::{self, ImportOutcome, LiveSurvey, SettingsChange};
use crate::web::{render, AppState};

use super::auth::{check_csrf, AdminError, RequireAdmin, SignedIn, CSRF_FIELD};
use super::forms::{self, field, see_other};
use super::invitations;
use super::views::{
    Chrome, PreviewIntroPage, PreviewIntroPart, PreviewSectionPage, SurveyLine, SurveyPage,
    SurveysPage,
};

pub async fn home(_who: SignedIn) -> HttpResponse {
    see_other("/admin/surveys")
}

async fn survey_lines(state: &AppState) -> Result<Vec<SurveyLine>, AppError> {
    state
        .db
        .run(|conn| -> Result<_, AppError> {
            let counts = responses::counts_by_survey(conn)?;
            Ok(surveys::list(conn)?
                .into_iter()
                .map(|row| SurveyLine {
                    responses: counts.get(&row.id).copied().unwrap_or(0),
                    slug: row.slug,
                    title: row.title,
                    status: row.status,
                })
                .collect())
        })
        .await
}

pub async fn list(state: web::Data<AppState>, who: SignedIn) -> Result<HttpResponse, AdminError> {
    let surveys = survey_lines(&state).await?;
    Ok(render(
        HttpResponse::Ok(),
        &SurveysPage {
            chrome: Chrome::new(&who, "surveys"),
            surveys,
            notice: None,
            problems: Vec::new(),
        },
    ))
}

/// Reads the upload form: every field's text, within the body limit.
async fn read_upload(
    mut form: Multipart,
    limit: usize,
) -> Result<Vec<(String, Vec<u8>)>, AppError> {
    let mut fields = Vec::new();
    let mut total = 0usize;
    while let Some(item) = form.next().await {
        let mut part = item.map_err(|_| AppError::BadRequest(crate::messages::BAD_REQUEST))?;
        let name = part.name().unwrap_or_default().to_owned();
        let mut bytes = Vec::new();
        while let Some(chunk) = part.next().await {
            let chunk = chunk.map_err(|_| AppError::BadRequest(crate::messages::BAD_REQUEST))?;
            total += chunk.len();
            if total > limit {
                return Err(AppError::PayloadTooLarge);
            }
            bytes.extend_from_slice(&chunk);
        }
        fields.push((name, bytes));
    }
    Ok(fields)
}

/// Reads an upload form within `limit` bytes and checks its CSRF token.
pub(super) async fn read_checked_upload(
    state: &AppState,
    req: &HttpRequest,
    who: &SignedIn,
    form: Multipart,
    limit: usize,
) -> Result<Vec<(String, Vec<u8>)>, AdminError> {
    let upload = read_upload(form, limit).await?;
    let csrf: Vec<(String, String)> = upload
        .iter()
        .filter(|(name, _)| name == CSRF_FIELD)
        .map(|(name, bytes)| (name.clone(), String::from_utf8_lossy(bytes).into_owned()))
        .collect();
    check_csrf(req, state, &who.session, &csrf)?;
    Ok(upload)
}

/// The non-empty `file` field of an upload, if any.
pub(super) fn uploaded_file(upload: Vec<(String, Vec<u8>)>) -> Option<Vec<u8>> {
    upload
        .into_iter()
        .find(|(name, bytes)| name == "file" && !bytes.is_empty())
        .map(|(_, bytes)| bytes)
}

pub async fn import(
    state: web::Data<AppState>,
    req: HttpRequest,
    who: RequireAdmin,
    form: Multipart,
) -> Result<HttpResponse, AdminError> {
    let who = who.0;
    let upload = read_checked_upload(
        &state,
        &req,
        &who,
        form,
        state.settings.server.max_body_bytes,
    )
    .await?;
    let file = uploaded_file(upload);
    let problems = match file.map(String::from_utf8) {
        None => vec![msg::UPLOAD_MISSING.to_owned()],
        Some(Err(_)) => vec![msg::UPLOAD_NOT_UTF8.to_owned()],
        Some(Ok(source)) => {
            let now = state.clock.now();
            let actor = who.account.email.clone();
            let imported = state
                .db
                .run(move |conn| -> Result<_, AppError> {
                    let result = survey::import(conn, &source, now);
                    if let Ok((questionnaire, outcome)) = &result {
                        let detail = match outcome {
                            ImportOutcome::Created => format!("{} (new draft)", questionnaire.slug),
                            ImportOutcome::Updated => {
                                format!("{} (new revision)", questionnaire.slug)
                            }
                        };
                        audit::record(conn, now, &actor, "survey.imported", &detail)?;
                    }
                    Ok(result)
                })
                .await?;
            match imported {
                Ok((questionnaire, _)) => {
                    return Ok(see_other(format!("/admin/surveys/{}", questionnaire.slug)))
                }
                Err(AppError::Import(problems)) => {
                    problems.0.iter().map(ToString::to_string).collect()
                }
                Err(AppError::Refused(reason)) => vec![reason],
                Err(other) => return Err(other.into()),
            }
        }
    };
    let surveys = survey_lines(&state).await?;
    Ok(render(
        HttpResponse::UnprocessableEntity(),
        &SurveysPage {
            chrome: Chrome::new(&who, "surveys"),
            surveys,
            notice: None,
            problems,
        },
    ))
}

async fn live(state: &AppState, slug: String) -> Result<LiveSurvey, AppError> {
    let catalog = state.catalog.clone();
    state
        .db
        .run(move |conn| catalog.live(conn, &slug)?.ok_or(AppError::SurveyNotFound))
        .await
}

async fn survey_page(
    state: &AppState,
    who: &SignedIn,
    slug: String,
    status: HttpResponseBuilder,
    error: Option<String>,
) -> Result<HttpResponse, AdminError> {
    let feedback = Feedback {
        error,
        ..Feedback::default()
    };
    survey_page_with(state, who, slug, status, feedback).await
}

/// What the survey page reports about the last thing done on it.
#[derive(Debug, Default)]
pub(super) struct Feedback {
    pub error: Option<String>,
    pub notice: Option<String>,
    /// Every bad row of a refused invitee list.
    pub invitee_problems: Vec<String>,
}

impl Feedback {
    pub fn error(text: &str) -> Self {
        Self {
            error: Some(text.to_owned()),
            ..Self::default()
        }
    }
}

pub(super) async fn survey_page_with(
    state: &AppState,
    who: &SignedIn,
    slug: String,
    status: HttpResponseBuilder,
    feedback: Feedback,
) -> Result<HttpResponse, AdminError> {
    let catalog = state.catalog.clone();
    let (survey, responses) = state
        .db
        .run(move |conn| -> Result<_, AppError> {
            let survey = catalog.live(conn, &slug)?.ok_or(AppError::SurveyNotFound)?;
            let responses = responses::count_for_survey(conn, survey.id)?;
            Ok((survey, responses))
        })
        .await?;
    let status_text = survey.status.as_str().to_owned();
    let q = &survey.questionnaire;
    let invitations = invitations::panel(
        state,
        survey.id,
        q.min_group_size,
        feedback.invitee_problems,
    )
    .await?;
    let day = |d: Option<chrono::NaiveDate>| d.map(|d| d.format("%Y-%m-%d").to_string());
    let tasks = super::survey_tasks::tasks(&super::survey_tasks::TaskFacts {
        slug: &survey.slug,
        status: &status_text,
        sections: q.sections.len(),
        on_list: invitations.overall.invited,
        unsent: invitations.unsent,
        max_reminders: q.reminders.max,
        responses,
    });
    Ok(render(
        status,
        &SurveyPage {
            chrome: Chrome::new(who, "surveys"),
            slug: survey.slug.clone(),
            title: q.title.clone(),
            status: status_text,
            responses,
            opens_on: day(q.opens_on).unwrap_or_default(),
            closes_on: day(q.closes_on).unwrap_or_default(),
            open_link: q.open_link,
            first_after_days: q.reminders.first_after_days,
            every_days: q.reminders.every_days,
            max_reminders: q.reminders.max,
            contact: q.contact.clone(),
            links_warning: match crate::invite::reach::reach(&state.settings.server.public_url) {
                crate::invite::reach::Reach::Fine => None,
                crate::invite::reach::Reach::Warn(text)
                | crate::invite::reach::Reach::Refuse(text) => Some(text),
            },
            reminders_to_everyone: q.reminders.audience == ReminderAudience::Everyone,
            sections: q
                .sections
                .iter()
                .enumerate()
                .map(|(i, s)| (i + 1, s.title.clone()))
                .collect(),
            notice: feedback.notice,
            error: feedback.error,
            invitations,
            tasks,
            opens_parts: super::date_input::parts(q.opens_on),
            closes_parts: super::date_input::parts(q.closes_on),
        },
    ))
}

/// What a form that worked reports once it has redirected back to the survey page (POST,
/// redirect, GET), so that reloading the page does not do it again.
#[derive(Debug, Default, serde::Deserialize)]
pub(super) struct Done {
    done: Option<String>,
    count: Option<usize>,
    skipped: Option<usize>,
}

impl Done {
    pub fn imported(added: usize, skipped: usize) -> String {
        format!("?done=imported&count={added}&skipped={skipped}")
    }

    pub fn invitations(count: usize) -> String {
        format!("?done=invitations&count={count}")
    }

    pub fn reminders(count: usize) -> String {
        format!("?done=reminders&count={count}")
    }

    /// An address that is not one of ours shows no notice rather than an error.
    fn from_query(query: &str) -> Self {
        web::Query::<Self>::from_query(query)
            .map(web::Query::into_inner)
            .unwrap_or_default()
    }

    fn notice(&self) -> Option<String> {
        let count = self.count?;
        match self.done.as_deref()? {
            "imported" => Some(invitation_msg::imported(count, self.skipped.unwrap_or(0))),
            "invitations" => Some(invitation_msg::invitations_queued(count)),
            "reminders" => Some(invitation_msg::reminders_queued(count)),
            _ => None,
        }
    }
}

pub async fn show(
    state: web::Data<AppState>,
    req: HttpRequest,
    who: SignedIn,
    slug: web::Path<String>,
) -> Result<HttpResponse, AdminError> {
    let feedback = Feedback {
        notice: Done::from_query(req.query_string()).notice(),
        ..Feedback::default()
    };
    survey_page_with(
        &state,
        &who,
        slug.into_inner(),
        HttpResponse::Ok(),
        feedback,
    )
    .await
}

pub async fn preview_intro(
    state: web::Data<AppState>,
    who: SignedIn,
    slug: web::Path<String>,
) -> Result<HttpResponse, AdminError> {
    let survey = live(&state, slug.into_inner()).await?;
    let q = &survey.questionnaire;
    Ok(render(
        HttpResponse::Ok(),
        &PreviewIntroPage {
            chrome: Chrome::new(&who, "surveys"),
            slug: &survey.slug,
            title: &q.title,
            introduction: paragraphs(&q.introduction),
            privacy: paragraphs(&q.privacy_notice),
            contact: q.contact.as_ref(),
            first_href: format!("/admin/surveys/{}/preview/1", survey.slug),
        },
    ))
}

/// A section as respondents see it, with every question (including those shown only after
/// certain answers, which are listed) and nothing stored.
pub async fn preview_section(
    state: web::Data<AppState>,
    who: SignedIn,
    path: web::Path<(String, usize)>,
) -> Result<HttpResponse, AdminError> {
    let (slug, number) = path.into_inner();
    let survey = live(&state, slug).await?;
    let q = &survey.questionnaire;
    let index = number
        .checked_sub(1)
        .filter(|&i| i < q.sections.len())
        .ok_or(AppError::NotFound)?;
    let section = &q.sections[index];
    let empty = crate::questionnaire::Answers::new();
    let condition = |rule: &crate::questionnaire::ShowIf| {
        let asked = q
            .question(&rule.question)
            .map_or(rule.question.as_str(), |d| d.text.as_str());
        (asked.to_owned(), rule.any_of.join(", "))
    };
    let conditions = section
        .questions
        .iter()
        .filter_map(|question| {
            let (asked, any_of) = condition(question.show_if.as_ref()?);
            Some(messages::preview_question_condition(
                &question.text,
                &asked,
                &any_of,
            ))
        })
        .collect();
    let intro_parts = section
        .intro_parts
        .iter()
        .map(|part| PreviewIntroPart {
            text: &part.text,
            condition: part.show_if.as_ref().map(|rule| {
                let (asked, any_of) = condition(rule);
                messages::preview_intro_condition(&asked, &any_of)
            }),
        })
        .collect();
    let base = format!("/admin/surveys/{}/preview", survey.slug);
    Ok(render(
        HttpResponse::Ok(),
        &PreviewSectionPage {
            chrome: Chrome::new(&who, "surveys"),
            slug: &survey.slug,
            survey_title: &q.title,
            section_title: &section.title,
            section_intro: section.introduction.as_deref(),
            intro_parts,
            position: number,
            total: q.sections.len(),
            questions: section
                .questions
                .iter()
                .map(|question| question_view(question, &Entered::Stored(&empty), None))
                .collect(),
            conditions,
            previous_href: if index == 0 {
                base.clone()
            } else {
                format!("{base}/{index}")
            },
            next_href: (number < q.sections.len()).then(|| format!("{base}/{}", number + 1)),
        },
    ))
}

/// What `POST /admin/surveys/{slug}/{change}` does.
#[derive(Debug, Clone, Copy, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StatusChange {
    Open,
    Close,
}

/// Opens or closes a survey.
pub async fn change_status(
    state: web::Data<AppState>,
    req: HttpRequest,
    who: RequireAdmin,
    path: web::Path<(String, StatusChange)>,
    payload: web::Payload,
) -> Result<HttpResponse, AdminError> {
    let (slug, change) = path.into_inner();
    let who = who.0;
    forms::read_checked(&state, &req, &who.session, payload).await?;
    let now = state.clock.now();
    let actor = who.account.email.clone();
    let target = slug.clone();
    let seal = state.seal.clone();
    state
        .db
        .run(move |conn| -> Result<(), AppError> {
            let action = match change {
                StatusChange::Open => {
                    survey::open(conn, &target, now)?;
                    "survey.opened"
                }
                StatusChange::Close => {
                    survey::close(conn, &target, now, &seal)?;
                    "survey.closed"
                }
            };
            audit::record(conn, now, &actor, action, &target)?;
            Ok(())
        })
        .await?;
    Ok(see_other(format!("/admin/surveys/{slug}")))
}

fn parse_settings(fields: &forms::Fields) -> Result<SettingsChange, &'static str> {
    let day = |name| {
        // The GOV.UK date input's day, month and year fields, or one YYYY-MM-DD field.
        let joined = super::date_input::joined(fields, name);
        let raw = joined.as_deref().unwrap_or(field(fields, name)).trim();
        if raw.is_empty() {
            Ok(None)
        } else {
            chrono::NaiveDate::parse_from_str(raw, "%Y-%m-%d")
                .map(Some)
                .map_err(|_| msg::SETTINGS_DATE_INVALID)
        }
    };
    let number = |name| {
        field(fields, name)
            .trim()
            .parse::<u32>()
            .map_err(|_| msg::SETTINGS_NUMBER_INVALID)
    };
    Ok(SettingsChange {
        opens_on: day("opens_on")?,
        closes_on: day("closes_on")?,
        reminders: ReminderPolicy {
            first_after_days: number("first_after_days")?,
            every_days: number("every_days")?,
            max: number("max_reminders")?,
            audience: ReminderAudience::parse(field(fields, "reminder_audience"))
                .unwrap_or_default(),
        },
        open_link: field(fields, "open_link") == "on",
    })
}

pub async fn settings(
    state: web::Data<AppState>,
    req: HttpRequest,
    who: RequireAdmin,
    slug: web::Path<String>,
    payload: web::Payload,
) -> Result<HttpResponse, AdminError> {
    let who = who.0;
    let slug = slug.into_inner();
    let fields = forms::read_checked(&state, &req, &who.session, payload).await?;
    let change = match parse_settings(&fields) {
        Ok(change) => change,
        Err(error) => {
            return survey_page(
                &state,
                &who,
                slug,
                HttpResponse::UnprocessableEntity(),
                Some(error.to_owned()),
            )
            .await
        }
    };
    let now = state.clock.now();
    let actor = who.account.email.clone();
    let target = slug.clone();
    let outcome = state
        .db
        .run(move |conn| -> Result<_, AppError> {
            let result = survey::change_settings(conn, &target, &change, now);
            if result.is_ok() {
                let detail = format!(
                    "{target}: opens {:?}, closes {:?}, reminders {}/{}/{}, open link {}",
                    change.opens_on,
                    change.closes_on,
                    change.reminders.first_after_days,
                    change.reminders.every_days,
                    change.reminders.max,
                    if change.open_link { "on" } else { "off" }
                );
                audit::record(conn, now, &actor, "survey.settings-changed", &detail)?;
            }
            Ok(result)
        })
        .await?;
    match outcome {
        Ok(()) => Ok(see_other(format!("/admin/surveys/{slug}"))),
        Err(AppError::Import(problems)) => {
            survey_page(
                &state,
                &who,
                slug,
                HttpResponse::UnprocessableEntity(),
                Some(problems.to_string()),
            )
            .await
        }
        Err(AppError::Refused(reason)) => {
            survey_page(
                &state,
                &who,
                slug,
                HttpResponse::UnprocessableEntity(),
                Some(reason),
            )
            .await
        }
        Err(other) => Err(other.into()),
    }
}
