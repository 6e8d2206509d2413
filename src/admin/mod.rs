//! The review team area: sign-in with a second factor, the first-run set-up page, survey
//! administration, accounts and the audit log. Every page here needs a full sign-in
//! except the sign-in and set-up pages themselves.

mod accounts;
pub mod api;
mod audit_page;
pub mod auth;
mod date_input;
pub mod error;
mod form_errors;
mod forms;
mod invitations;
mod reminders;
mod results;
mod signin;
mod survey_tasks;
mod surveys;
pub mod views;

use actix_web::web;

pub use auth::{check_csrf, BearerAccount, RequireAdmin, SignedIn, CSRF_FIELD};

/// Who may use a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    Anyone,
    /// Password given, second factor still owed.
    Partly,
    /// Fully signed in, viewer or admin.
    SignedIn,
    Admin,
}

/// Every route of the review team area; tests walk this table (headers on every route,
/// every admin POST refused to a viewer). Keep it in step with `routes`.
pub const ROUTES: &[(&str, &str, Access)] = &[
    ("GET", "/setup", Access::Anyone),
    ("POST", "/setup", Access::Anyone),
    ("GET", "/admin/signin", Access::Anyone),
    ("POST", "/admin/signin", Access::Anyone),
    ("GET", "/admin/2fa", Access::Partly),
    ("POST", "/admin/2fa", Access::Partly),
    ("GET", "/admin/2fa/enrol", Access::Partly),
    ("POST", "/admin/2fa/enrol", Access::Partly),
    ("POST", "/admin/signout", Access::SignedIn),
    ("GET", "/admin", Access::SignedIn),
    ("GET", "/admin/", Access::SignedIn),
    ("GET", "/admin/surveys", Access::SignedIn),
    ("POST", "/admin/surveys/import", Access::Admin),
    ("GET", "/admin/surveys/{slug}", Access::SignedIn),
    ("GET", "/admin/surveys/{slug}/preview", Access::SignedIn),
    (
        "GET",
        "/admin/surveys/{slug}/preview/{number}",
        Access::SignedIn,
    ),
    ("GET", "/admin/surveys/{slug}/results", Access::SignedIn),
    ("GET", "/admin/surveys/{slug}/summary", Access::SignedIn),
    ("GET", "/admin/surveys/{slug}/results.csv", Access::SignedIn),
    (
        "GET",
        "/admin/surveys/{slug}/results.xlsx",
        Access::SignedIn,
    ),
    (
        "GET",
        "/admin/surveys/{slug}/results.json",
        Access::SignedIn,
    ),
    (
        "GET",
        "/admin/surveys/{slug}/results.docx",
        Access::SignedIn,
    ),
    ("GET", "/admin/surveys/{slug}/responses.csv", Access::Admin),
    ("GET", "/admin/surveys/{slug}/responses.xlsx", Access::Admin),
    ("POST", "/admin/surveys/{slug}/open", Access::Admin),
    ("POST", "/admin/surveys/{slug}/close", Access::Admin),
    ("POST", "/admin/surveys/{slug}/settings", Access::Admin),
    ("POST", "/admin/surveys/{slug}/invitees", Access::Admin),
    (
        "POST",
        "/admin/surveys/{slug}/invitations/send",
        Access::Admin,
    ),
    (
        "GET",
        "/admin/surveys/{slug}/reminders/confirm",
        Access::Admin,
    ),
    (
        "POST",
        "/admin/surveys/{slug}/reminders/send",
        Access::Admin,
    ),
    ("GET", "/admin/accounts", Access::Admin),
    ("POST", "/admin/accounts", Access::Admin),
    ("POST", "/admin/accounts/{id}/role", Access::Admin),
    ("POST", "/admin/accounts/{id}/status", Access::Admin),
    ("POST", "/admin/accounts/{id}/reset-2fa", Access::Admin),
    ("GET", "/admin/password", Access::SignedIn),
    ("POST", "/admin/password", Access::SignedIn),
    ("GET", "/admin/audit", Access::Admin),
];

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/setup", web::get().to(signin::setup_form))
        .route("/setup", web::post().to(signin::setup))
        .route("/admin/signin", web::get().to(signin::sign_in_form))
        .route("/admin/signin", web::post().to(signin::sign_in))
        .route("/admin/2fa", web::get().to(signin::second_factor_form))
        .route("/admin/2fa", web::post().to(signin::second_factor))
        .route("/admin/2fa/enrol", web::get().to(signin::enrol_form))
        .route("/admin/2fa/enrol", web::post().to(signin::enrol))
        .route("/admin/signout", web::post().to(signin::sign_out))
        .route("/admin", web::get().to(surveys::home))
        .route("/admin/", web::get().to(surveys::home))
        .route("/admin/surveys", web::get().to(surveys::list))
        .route("/admin/surveys/import", web::post().to(surveys::import))
        .route("/admin/surveys/{slug}", web::get().to(surveys::show))
        .route(
            "/admin/surveys/{slug}/preview",
            web::get().to(surveys::preview_intro),
        )
        .route(
            "/admin/surveys/{slug}/preview/{number}",
            web::get().to(surveys::preview_section),
        )
        .route(
            "/admin/surveys/{slug}/results",
            web::get().to(results::page),
        )
        .route(
            "/admin/surveys/{slug}/summary",
            web::get().to(results::summary_page),
        )
        .route(
            "/admin/surveys/{slug}/results.{format}",
            web::get().to(results::results_download),
        )
        .route(
            "/admin/surveys/{slug}/responses.{format}",
            web::get().to(results::responses_download),
        )
        .route(
            "/admin/surveys/{slug}/{change:open|close}",
            web::post().to(surveys::change_status),
        )
        .route(
            "/admin/surveys/{slug}/settings",
            web::post().to(surveys::settings),
        )
        .route(
            "/admin/surveys/{slug}/invitees",
            web::post().to(invitations::upload),
        )
        .route(
            "/admin/surveys/{slug}/reminders/confirm",
            web::get().to(reminders::confirm_page),
        )
        .route(
            "/admin/surveys/{slug}/{mailing:invitations|reminders}/send",
            web::post().to(invitations::queue),
        )
        .route("/admin/accounts", web::get().to(accounts::list))
        .route("/admin/accounts", web::post().to(accounts::add))
        .route(
            "/admin/accounts/{id}/role",
            web::post().to(accounts::change_role),
        )
        .route(
            "/admin/accounts/{id}/status",
            web::post().to(accounts::change_status),
        )
        .route(
            "/admin/accounts/{id}/reset-2fa",
            web::post().to(accounts::reset_second_factor),
        )
        .route("/admin/password", web::get().to(accounts::password_form))
        .route("/admin/password", web::post().to(accounts::change_password))
        .route("/admin/audit", web::get().to(audit_page::show))
        // Bearer-token routes, outside `ROUTES` (which is about signed-in pages).
        .configure(api::routes);
}
