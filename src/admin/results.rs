//! The results page and downloads of the review team area: results (page, CSV, XLSX, JSON)
//! for viewers and admins, anonymised responses (CSV, XLSX) for admins only. Every download
//! is recorded in the audit log by `report::downloads`, every view of the page here.

use std::io::Read;

use actix_web::body::SizedStream;
use actix_web::http::header::{self, ContentDisposition, DispositionParam, DispositionType};
use actix_web::{web, HttpResponse};
use futures_util::Stream;
use serde::Deserialize;

use crate::audit;
use crate::error::AppError;
use crate::report;
use crate::report::downloads::{self, Body, Download, What};
use crate::report::export::Format;
use crate::report::page::results_page;
use crate::report::summary::Sort;
use crate::report::summary_view::{summary_view, SummaryPage};
use crate::report::ReportError;
use crate::report::{overview, summary};
use crate::web::{render, AppState};

use super::auth::{AdminError, RequireAdmin, SignedIn};
use super::views::{Chrome, Link, ResultsFrame};

/// Bytes read from a download's temporary file per chunk sent.
const CHUNK: usize = 64 * 1024;

/// `?breakdown=KEY` (empty: none), for responses `?with_text=1`, for the summary of
/// statements `?sort=agree|gap`.
#[derive(Debug, Default, Deserialize)]
pub struct DownloadQuery {
    breakdown: Option<String>,
    with_text: Option<String>,
    sort: Option<String>,
}

impl DownloadQuery {
    pub fn breakdown(&self) -> Option<String> {
        self.breakdown
            .as_deref()
            .map(str::trim)
            .filter(|key| !key.is_empty())
            .map(str::to_owned)
    }

    pub fn sort(&self) -> Sort {
        Sort::from_query(self.sort.as_deref())
    }

    pub fn with_text(&self) -> bool {
        matches!(self.with_text.as_deref(), Some("1" | "true" | "on" | "yes"))
    }
}

/// The format named by a file extension in an address, if `what` is offered in it.
pub fn format_for(extension: &str, what: &What) -> Option<Format> {
    let format = match extension {
        "csv" => Format::Csv,
        "xlsx" => Format::Xlsx,
        "json" => Format::Json,
        "docx" => Format::Docx,
        _ => return None,
    };
    what.offers(format).then_some(format)
}

/// `results.docx` is the Word report; every other `results.EXT` the figures themselves.
pub fn results_or_report(extension: &str, breakdown: Option<String>) -> What {
    if extension == "docx" {
        What::Report { breakdown }
    } else {
        What::Results { breakdown }
    }
}

/// Sends a download: as an attachment with its file name, or inline (the API's JSON).
/// A temporary file is streamed in chunks read off the async workers.
pub fn send(download: Download, attachment: bool) -> HttpResponse {
    let mut response = HttpResponse::Ok();
    response
        .insert_header((header::CONTENT_TYPE, download.format.content_type()))
        .insert_header((header::CACHE_CONTROL, "no-store"));
    if attachment {
        response.insert_header(ContentDisposition {
            disposition: DispositionType::Attachment,
            parameters: vec![DispositionParam::Filename(download.filename)],
        });
    }
    match download.body {
        Body::Memory(bytes) => response.body(bytes),
        Body::File(file, length) => response.body(SizedStream::new(length, chunks(file))),
    }
}

fn chunks(file: std::fs::File) -> impl Stream<Item = Result<web::Bytes, std::io::Error>> {
    futures_util::stream::try_unfold(file, |mut file| async move {
        let (file, chunk) = web::block(move || {
            let mut chunk = Vec::with_capacity(CHUNK);
            (&mut file).take(CHUNK as u64).read_to_end(&mut chunk)?;
            Ok::<_, std::io::Error>((file, chunk))
        })
        .await
        .map_err(std::io::Error::other)??;
        Ok((!chunk.is_empty()).then(|| (web::Bytes::from(chunk), file)))
    })
}

fn query_suffix(pairs: &[(&str, &str)]) -> String {
    let query: String = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish();
    if query.is_empty() {
        query
    } else {
        format!("?{query}")
    }
}

/// Which results view is read, for the audit log and what it needs.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Viewed {
    ResultsPage,
    Summary,
}

/// What the results page and the printable summary show, read in one trip to the database.
struct Loaded {
    survey: crate::survey::LiveSurvey,
    results: report::Results,
    rates: crate::report::response_rates::ResponseRates,
    /// The results page only.
    comments: Option<Vec<report::Comments>>,
    waiting: i64,
}

/// Reads a survey's published results, its response rates and (for the results page) its
/// comments and waiting count, and records the view in the audit log.
async fn load_viewed(
    state: &AppState,
    who: &SignedIn,
    slug: &str,
    by: Option<String>,
    viewed: Viewed,
) -> Result<Loaded, ReportError> {
    let catalog = state.catalog.clone();
    let wanted = slug.to_owned();
    let actor = who.account.email.clone();
    let now = state.clock.now();
    state
        .db
        .run(move |conn| -> Result<_, ReportError> {
            let survey = catalog
                .live(conn, &wanted)?
                .ok_or(ReportError::SurveyNotFound)?;
            let q = &survey.questionnaire;
            let results = report::results(conn, survey.id, q, by.as_deref())?;
            let rates =
                crate::report::response_rates::response_rates(conn, survey.id, q.min_group_size)?;
            let (comments, waiting, page) = match viewed {
                Viewed::ResultsPage => (
                    report::comments(conn, survey.id, q, &results)?,
                    crate::db::waiting::count_for_survey(conn, survey.id)?,
                    "results page",
                ),
                Viewed::Summary => (None, 0, "summary page"),
            };
            let by = by.map(|key| format!(", by {key}")).unwrap_or_default();
            audit::record(
                conn,
                now,
                &actor,
                "results.viewed",
                &format!("{wanted}: {page}{by}, by web"),
            )?;
            Ok(Loaded {
                survey,
                results,
                rates,
                comments,
                waiting,
            })
        })
        .await
}

pub async fn page(
    state: web::Data<AppState>,
    who: SignedIn,
    slug: web::Path<String>,
    query: web::Query<DownloadQuery>,
) -> Result<HttpResponse, AdminError> {
    let slug = slug.into_inner();
    let breakdown = query.breakdown();
    let loaded = load_viewed(&state, &who, &slug, breakdown.clone(), Viewed::ResultsPage).await;
    let Loaded {
        survey,
        results,
        rates,
        comments,
        waiting,
    } = loaded.map_err(AppError::from)?;
    let base = format!("/admin/surveys/{slug}");
    let by_pairs: Vec<(&str, &str)> = breakdown
        .as_deref()
        .map(|key| ("breakdown", key))
        .into_iter()
        .collect();
    let result_links = [
        ("csv", "Results as CSV"),
        ("xlsx", "Results as a spreadsheet (XLSX)"),
        ("json", "Results as JSON"),
    ]
    .into_iter()
    .map(|(extension, text)| Link {
        href: format!("{base}/results.{extension}{}", query_suffix(&by_pairs)),
        text: text.to_owned(),
    })
    .collect();
    let response_links = [
        ("csv", false, "Responses as CSV"),
        ("xlsx", false, "Responses as a spreadsheet (XLSX)"),
        ("csv", true, "Responses with free-text answers as CSV"),
        (
            "xlsx",
            true,
            "Responses with free-text answers as a spreadsheet (XLSX)",
        ),
    ]
    .into_iter()
    .map(|(extension, with_text, text)| Link {
        href: format!(
            "{base}/responses.{extension}{}",
            if with_text { "?with_text=1" } else { "" }
        ),
        text: text.to_owned(),
    })
    .collect();
    let q = &survey.questionnaire;
    let mut page = results_page(q, &results, comments, format!("{base}/results"));
    if waiting > 0 {
        page.notes.push(crate::messages::waiting_responses(
            waiting,
            q.min_group_size,
        ));
    }
    page.summary = Some(summary_view(
        &summary::summarise(q, &results),
        overview::overview(q, &results, &rates),
        query.sort(),
        &base,
        "results",
        breakdown.as_deref(),
    ));
    Ok(render(
        HttpResponse::Ok(),
        &ResultsFrame {
            chrome: Chrome::new(&who, "surveys"),
            slug,
            breakdown_text: results.breakdown.as_ref().map(|b| b.text.clone()),
            min_group_size: q.min_group_size,
            result_links,
            response_links,
            page,
        },
    ))
}

/// The summary of statements on its own, for printing (`?breakdown=KEY&sort=…`).
pub async fn summary_page(
    state: web::Data<AppState>,
    who: SignedIn,
    slug: web::Path<String>,
    query: web::Query<DownloadQuery>,
) -> Result<HttpResponse, AdminError> {
    let slug = slug.into_inner();
    let breakdown = query.breakdown();
    let loaded = load_viewed(&state, &who, &slug, breakdown.clone(), Viewed::Summary).await;
    let Loaded {
        survey,
        results,
        rates,
        ..
    } = loaded.map_err(AppError::from)?;
    let q = &survey.questionnaire;
    let base = format!("/admin/surveys/{slug}");
    let by_pairs: Vec<(&str, &str)> = breakdown
        .as_deref()
        .map(|key| ("breakdown", key))
        .into_iter()
        .collect();
    Ok(render(
        HttpResponse::Ok(),
        &SummaryPage {
            title: results.title.clone(),
            back_href: format!("{base}/results{}", query_suffix(&by_pairs)),
            summary: summary_view(
                &summary::summarise(q, &results),
                overview::overview(q, &results, &rates),
                query.sort(),
                &base,
                "summary",
                breakdown.as_deref(),
            ),
        },
    ))
}

/// Prepares a download on the blocking pool; `via` ("web", "API") goes into the audit log.
pub(super) async fn download(
    state: &AppState,
    actor: String,
    slug: String,
    what: What,
    format: Format,
    via: &'static str,
) -> Result<Download, ReportError> {
    let catalog = state.catalog.clone();
    let now = state.clock.now();
    state
        .db
        .run(move |conn| downloads::prepare(conn, &catalog, &slug, &what, format, &actor, via, now))
        .await
}

pub async fn results_download(
    state: web::Data<AppState>,
    who: SignedIn,
    path: web::Path<(String, String)>,
    query: web::Query<DownloadQuery>,
) -> Result<HttpResponse, AdminError> {
    let (slug, extension) = path.into_inner();
    let what = results_or_report(&extension, query.breakdown());
    let format = format_for(&extension, &what).ok_or(AppError::NotFound)?;
    match download(&state, who.account.email.clone(), slug, what, format, "web").await {
        Ok(download) => Ok(send(download, true)),
        Err(error) => Err(AppError::from(error).into()),
    }
}

pub async fn responses_download(
    state: web::Data<AppState>,
    who: RequireAdmin,
    path: web::Path<(String, String)>,
    query: web::Query<DownloadQuery>,
) -> Result<HttpResponse, AdminError> {
    let (slug, extension) = path.into_inner();
    let what = What::Responses {
        with_text: query.with_text(),
    };
    let format = format_for(&extension, &what).ok_or(AppError::NotFound)?;
    match download(
        &state,
        who.0.account.email.clone(),
        slug,
        what,
        format,
        "web",
    )
    .await
    {
        Ok(download) => Ok(send(download, true)),
        Err(error) => Err(AppError::from(error).into()),
    }
}

#[cfg(test)]
mod tests {
    use std::io::{Seek, SeekFrom, Write};

    use futures_util::StreamExt;

    use super::*;

    #[actix_web::test]
    async fn a_file_is_streamed_whole_in_bounded_chunks() {
        let content: Vec<u8> = (0..(3 * CHUNK + 123)).map(|i| (i % 251) as u8).collect();
        let mut file = tempfile::tempfile().unwrap();
        file.write_all(&content).unwrap();
        file.seek(SeekFrom::Start(0)).unwrap();
        let pieces: Vec<web::Bytes> = chunks(file).map(|piece| piece.unwrap()).collect().await;
        assert_eq!(pieces.len(), 4);
        assert!(pieces.iter().all(|piece| piece.len() <= CHUNK));
        assert_eq!(pieces.concat(), content);
    }

    #[test]
    fn formats_are_offered_per_download() {
        let results = What::Results { breakdown: None };
        let responses = What::Responses { with_text: false };
        assert_eq!(format_for("json", &results), Some(Format::Json));
        assert_eq!(format_for("json", &responses), None);
        assert_eq!(format_for("xlsx", &responses), Some(Format::Xlsx));
        assert_eq!(format_for("pdf", &results), None);
    }
}
