//! The HTTP edge: shared state, its own routes (health, assets), error pages, security headers
//! and request logs. The server assembles every route.

pub mod body;
mod client;
pub mod error;
mod health;
pub mod json;
mod logging;
mod referrer;

use std::sync::Arc;

use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::DefaultHeaders;
use actix_web::{web, HttpResponse, HttpResponseBuilder};
use askama::Template;
use chrono::NaiveDate;

use crate::accounts::setup::SetupLink;
use crate::accounts::PasswordHasher;
use crate::clock::Clock;
use crate::config::Settings;
use crate::db::Database;
use crate::release::ResponseSeal;
use crate::secrets::SecretKey;
use crate::survey::Catalog;

pub use client::client_address;
pub use error::{ApiError, ErrorPage};
pub use logging::RequestLog;
pub use referrer::referrer_policy;

/// Everything a handler may use; one per server, shared by every worker.
pub struct AppState {
    pub settings: Arc<Settings>,
    pub db: Database,
    pub catalog: Catalog,
    /// The time for sessions, sign-in limits and second factors; tests move it forward.
    pub clock: Clock,
    pub passwords: PasswordHasher,
    pub setup: SetupLink,
    /// The server's secret key (configured, or from the key file): encrypts second-factor
    /// secrets at rest and seals invited drafts' keys.
    pub secret_key: SecretKey,
    /// Seals submitted responses for the waiting room (derived from `secret_key`).
    pub seal: ResponseSeal,
}

impl AppState {
    /// Today, by the server's clock (submissions are counted per day; no finer time of a
    /// response is ever stored).
    pub fn today(&self) -> NaiveDate {
        self.clock.now().date()
    }

    pub fn secure_cookies(&self) -> bool {
        self.settings.is_https()
    }
}

/// The routes of the HTTP edge itself: health checks, assets, the home page and the
/// accessibility statement (the server adds the review team's and respondents' routes).
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/healthz", web::get().to(health::healthz))
        .route("/readyz", web::get().to(health::readyz))
        .route("/assets/candour.css", web::get().to(stylesheet))
        .route("/assets/character-count.js", web::get().to(character_count))
        .route("/", web::get().to(home))
        .route("/accessibility", web::get().to(accessibility));
}

/// Headers on every response: a strict CSP with no inline script or style, and no caching of
/// pages that may hold answers. The referrer policy depends on the page (`referrer_policy`).
pub fn security_headers(https: bool) -> DefaultHeaders {
    let headers = DefaultHeaders::new()
        .add((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .add((header::X_FRAME_OPTIONS, "DENY"))
        .add((
            header::CONTENT_SECURITY_POLICY,
            "default-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
        ))
        .add((header::CACHE_CONTROL, "no-store"));
    if https {
        headers.add((
            header::STRICT_TRANSPORT_SECURITY,
            "max-age=63072000; includeSubDomains",
        ))
    } else {
        headers
    }
}

/// Renders a page; a template that fails to render is a bug, shown as the error page.
pub fn render(mut status: HttpResponseBuilder, page: &impl Template) -> HttpResponse {
    match page.render() {
        Ok(html) => status
            .insert_header((
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/html; charset=utf-8"),
            ))
            .body(html),
        Err(error) => {
            tracing::error!(%error, "a page failed to render");
            HttpResponse::InternalServerError()
                .content_type("text/plain; charset=utf-8")
                .body(crate::messages::INTERNAL)
        }
    }
}

/// A 303 redirect: after a form is sent, and wherever a page sends the browser on.
pub fn see_other(location: impl Into<String>) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, location.into()))
        .finish()
}

async fn stylesheet() -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "text/css; charset=utf-8"))
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .body(include_str!("../../templates/assets/candour.css"))
}

/// Counts characters in long answers as people type: a progressive enhancement (the limit is
/// in the hint without it). Served from here because the CSP allows no inline script.
async fn character_count() -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "text/javascript; charset=utf-8"))
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .body(include_str!("../../templates/assets/character-count.js"))
}

/// The accessibility statement (its text is the template), linked from every page's footer.
#[derive(Template)]
#[template(path = "pages/accessibility.html")]
struct AccessibilityStatement;

async fn accessibility() -> HttpResponse {
    render(HttpResponse::Ok(), &AccessibilityStatement)
}

async fn home() -> HttpResponse {
    render(
        HttpResponse::Ok(),
        &ErrorPage {
            title: "Candour",
            detail: "To answer a survey, use the link you were sent.",
            code: None,
        },
    )
}

/// The respondents' page for an unknown address.
pub fn not_found_page() -> HttpResponse {
    render(
        HttpResponse::NotFound(),
        &ErrorPage {
            title: crate::messages::NOT_FOUND,
            detail: crate::messages::NOT_FOUND_DETAIL,
            code: Some(crate::error::ErrorCode::NotFound),
        },
    )
}
