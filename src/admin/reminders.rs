//! "Send reminders now" asks first: a page that says how many people would be reminded,
//! with the button that queues them (`POST …/reminders/send` with `confirm=yes`).

use actix_web::{web, HttpResponse};
use askama::Template;

use crate::error::AppError;
use crate::invite;
use crate::web::{render, AppState};

use super::auth::{AdminError, RequireAdmin};
use super::views::Chrome;

/// The field of `POST …/reminders/send` that confirms the count was seen.
pub const CONFIRM_FIELD: &str = "confirm";

#[derive(Template)]
#[template(path = "admin/reminders_confirm.html")]
struct ConfirmPage {
    chrome: Chrome,
    slug: String,
    /// `None`: the survey is not taking responses, so no reminder can go.
    count: Option<usize>,
}

pub fn confirm_href(slug: &str) -> String {
    format!("/admin/surveys/{slug}/reminders/confirm")
}

pub async fn confirm_page(
    state: web::Data<AppState>,
    who: RequireAdmin,
    slug: web::Path<String>,
) -> Result<HttpResponse, AdminError> {
    let slug = slug.into_inner();
    let today = chrono::Utc::now().date_naive();
    let target = slug.clone();
    let count = state
        .db
        .run(
            move |conn| match invite::count_reminders(conn, &target, today) {
                Ok(count) => Ok(Some(count)),
                Err(AppError::SurveyNotOpen) => Ok(None),
                Err(other) => Err(other),
            },
        )
        .await?;
    Ok(render(
        HttpResponse::Ok(),
        &ConfirmPage {
            chrome: Chrome::new(&who.0, "surveys"),
            slug,
            count,
        },
    ))
}
