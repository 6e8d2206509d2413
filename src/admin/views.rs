//! What the review team pages show: template structs.

use actix_web::HttpResponse;
use askama::Template;

use crate::error::ErrorCode;
use crate::web::error::status_for;
use crate::web::render;

use crate::respond::views::QuestionView;

/// The parts every signed-in page shares: who is signed in, the navigation, and the
/// CSRF token for the sign-out button.
pub struct Chrome {
    pub email: String,
    pub is_admin: bool,
    pub csrf: String,
    pub current: &'static str,
    pub idle_minutes: String,
}

impl Chrome {
    pub fn new(who: &super::auth::SignedIn, current: &'static str) -> Self {
        Self {
            email: who.account.email.clone(),
            is_admin: who.account.is_admin(),
            csrf: who.csrf(),
            current,
            idle_minutes: crate::messages::accounts::duration(who.idle_minutes),
        }
    }
}

#[derive(Template)]
#[template(path = "admin/session_ended.html")]
pub struct SessionEndedPage<'a> {
    pub title: &'a str,
    pub detail: &'a str,
}

/// An error in the review team's area: its header and footer, not the respondents'.
#[derive(Template)]
#[template(path = "admin/error.html")]
pub struct AdminErrorPage<'a> {
    pub title: &'a str,
    pub detail: &'a str,
    pub code: ErrorCode,
}

/// Renders the review team's error page for this code, with the code's status.
pub fn error_page(code: ErrorCode, title: &str, detail: &str) -> HttpResponse {
    render(
        HttpResponse::build(status_for(code)),
        &AdminErrorPage {
            title,
            detail,
            code,
        },
    )
}

#[derive(Template)]
#[template(path = "admin/signin.html")]
pub struct SignInPage<'a> {
    pub email: &'a str,
    pub error: Option<&'a str>,
    pub notice: Option<&'a str>,
}

#[derive(Template)]
#[template(path = "admin/setup.html")]
pub struct SetupPage<'a> {
    pub token: &'a str,
    pub email: &'a str,
    pub error: Option<&'a str>,
}

#[derive(Template)]
#[template(path = "admin/second_factor.html")]
pub struct SecondFactorPage<'a> {
    pub csrf: &'a str,
    pub error: Option<&'a str>,
}

#[derive(Template)]
#[template(path = "admin/enrol.html")]
pub struct EnrolPage<'a> {
    pub csrf: &'a str,
    pub qr_svg: &'a str,
    pub secret: &'a str,
    pub error: Option<&'a str>,
}

#[derive(Template)]
#[template(path = "admin/recovery_codes.html")]
pub struct RecoveryCodesPage {
    pub codes: Vec<String>,
}

pub struct SurveyLine {
    pub slug: String,
    pub title: String,
    pub status: String,
    pub responses: i64,
}

#[derive(Template)]
#[template(path = "admin/surveys.html")]
pub struct SurveysPage {
    pub chrome: Chrome,
    pub surveys: Vec<SurveyLine>,
    pub notice: Option<String>,
    pub problems: Vec<String>,
}

#[derive(Template)]
#[template(path = "admin/survey.html")]
pub struct SurveyPage {
    pub chrome: Chrome,
    pub slug: String,
    pub title: String,
    pub status: String,
    pub responses: i64,
    pub opens_on: String,
    pub closes_on: String,
    pub open_link: bool,
    pub first_after_days: u32,
    pub every_days: u32,
    pub max_reminders: u32,
    /// Whom respondents are told to contact; `None` shows a warning.
    pub contact: Option<crate::questionnaire::Contact>,
    /// Why links in mail would not reach people (from `server.public_url`), if they would not.
    pub links_warning: Option<String>,
    /// Reminders go to every invitee, answered or not (`[reminders] audience = "everyone"`).
    pub reminders_to_everyone: bool,
    pub sections: Vec<(usize, String)>,
    pub notice: Option<String>,
    pub error: Option<String>,
    pub invitations: InvitationsPanel,
    /// The task list at the top of the page.
    pub tasks: Vec<super::survey_tasks::Task>,
    /// The dates split for the GOV.UK date input: (day, month, year), empty when unset.
    pub opens_parts: (String, String, String),
    pub closes_parts: (String, String, String),
}

/// The survey page's invitations part: response rates (counts only, small groups hidden),
/// responses per day, and for admins the invitee upload and send buttons.
pub struct InvitationsPanel {
    pub overall: RateLine,
    pub groups: Vec<RateLine>,
    pub min_group_size: u32,
    pub days: Vec<DayLine>,
    /// Invitees not yet sent an invitation.
    pub unsent: i64,
    /// Said when some mail was taken by the server but never confirmed (maybe delivered).
    pub unconfirmed: Option<String>,
    /// Every bad row of a refused invitee list.
    pub problems: Vec<String>,
    /// Said when mail is written to files (which then hold every personal link).
    pub file_transport: Option<&'static str>,
}

/// One row of the response-rate table; the figures other than `invited` are None when the
/// group is too small to show.
pub struct RateLine {
    pub label: String,
    pub invited: u64,
    pub figures: Option<RateFigures>,
}

pub struct RateFigures {
    pub completed: u64,
    pub opted_out: u64,
    pub undeliverable: u64,
    /// Completed as a whole percentage of invited: the text and the bar's length.
    pub percent: u64,
}

pub struct DayLine {
    pub day: String,
    pub responses: i64,
    /// Length of the decorative bar, 0 to 100, relative to the busiest day.
    pub bar: i64,
}

#[derive(Template)]
#[template(path = "admin/preview_intro.html")]
pub struct PreviewIntroPage<'a> {
    pub chrome: Chrome,
    pub slug: &'a str,
    pub title: &'a str,
    pub introduction: Vec<&'a str>,
    pub privacy: Vec<&'a str>,
    pub contact: Option<&'a crate::questionnaire::Contact>,
    pub first_href: String,
}

#[derive(Template)]
#[template(path = "admin/preview_section.html")]
pub struct PreviewSectionPage<'a> {
    pub chrome: Chrome,
    pub slug: &'a str,
    pub survey_title: &'a str,
    pub section_title: &'a str,
    pub section_intro: Option<&'a str>,
    pub intro_parts: Vec<PreviewIntroPart<'a>>,
    pub position: usize,
    pub total: usize,
    pub questions: Vec<QuestionView>,
    pub conditions: Vec<String>,
    pub previous_href: String,
    pub next_href: Option<String>,
}

/// A paragraph of a section's introduction in the preview, with who reads it when not everyone.
pub struct PreviewIntroPart<'a> {
    pub text: &'a str,
    pub condition: Option<String>,
}

pub struct AccountLine {
    pub id: crate::db::UserId,
    pub email: String,
    pub role: crate::db::Role,
    pub disabled: bool,
    pub enrolled: bool,
    pub is_self: bool,
}

#[derive(Template)]
#[template(path = "admin/accounts.html")]
pub struct AccountsPage {
    pub chrome: Chrome,
    pub accounts: Vec<AccountLine>,
    pub notice: Option<String>,
    pub error: Option<String>,
    pub new_email: String,
}

#[derive(Template)]
#[template(path = "admin/password.html")]
pub struct PasswordPage {
    pub chrome: Chrome,
    pub error: Option<String>,
    pub notice: Option<String>,
}

pub struct AuditLine {
    pub at: String,
    pub actor: String,
    pub action: String,
    pub detail: String,
}

#[derive(Template)]
#[template(path = "admin/audit.html")]
pub struct AuditPage {
    pub chrome: Chrome,
    pub entries: Vec<AuditLine>,
}

pub struct Link {
    pub href: String,
    pub text: String,
}

/// The results page in the review team's frame. The results themselves are the report's
/// `ResultsPage`, reached through `Deref` so the shared `report/results_body.html` reads its
/// fields by the same names here as in the report's own template.
#[derive(Template)]
#[template(path = "admin/results.html")]
pub struct ResultsFrame {
    pub chrome: Chrome,
    pub slug: String,
    pub breakdown_text: Option<String>,
    pub min_group_size: u32,
    pub result_links: Vec<Link>,
    pub response_links: Vec<Link>,
    pub page: crate::report::page::ResultsPage,
}

impl std::ops::Deref for ResultsFrame {
    type Target = crate::report::page::ResultsPage;

    fn deref(&self) -> &Self::Target {
        &self.page
    }
}

use super::form_errors::FormErrorField;

impl FormErrorField for SignInPage<'_> {
    fn error_text(&self) -> Option<&str> {
        self.error
    }
}
impl FormErrorField for SetupPage<'_> {
    fn error_text(&self) -> Option<&str> {
        self.error
    }
}
impl FormErrorField for SecondFactorPage<'_> {
    fn error_text(&self) -> Option<&str> {
        self.error
    }
}
impl FormErrorField for EnrolPage<'_> {
    fn error_text(&self) -> Option<&str> {
        self.error
    }
}
impl FormErrorField for AccountsPage {
    fn error_text(&self) -> Option<&str> {
        self.error.as_deref()
    }
}
impl FormErrorField for PasswordPage {
    fn error_text(&self) -> Option<&str> {
        self.error.as_deref()
    }
}
impl FormErrorField for SurveyPage {
    fn error_text(&self) -> Option<&str> {
        self.error.as_deref()
    }
}

/// An authenticator key as people copy it: groups of four ("ABCD EFGH …"); apps ignore
/// the spaces.
pub fn in_fours(key: &str) -> String {
    key.as_bytes()
        .chunks(4)
        .map(|chunk| String::from_utf8_lossy(chunk).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    #[test]
    fn keys_are_grouped_in_fours() {
        assert_eq!(super::in_fours("ABCDEFGHIJ"), "ABCD EFGH IJ");
        assert_eq!(super::in_fours(""), "");
    }
}
