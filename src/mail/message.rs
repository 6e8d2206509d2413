//! Invitation and reminder messages, rendered from `templates/mail/<kind>/`: a subject, a
//! plain-text body and an HTML body (escaped). Names and titles are single-line, so nothing
//! a person or a questionnaire supplies can add a header.

use askama::Template;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MailKind {
    Invitation,
    Reminder,
}

impl MailKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Invitation => "invitation",
            Self::Reminder => "reminder",
        }
    }
}

/// What every message says.
#[derive(Debug, Clone)]
pub struct MailContext<'a> {
    pub name: Option<String>,
    pub survey_title: String,
    pub closes_on: Option<String>,
    pub link: &'a str,
    pub opt_out_link: &'a str,
    /// The review team's contact (name, email), single-line.
    pub contact: Option<(String, String)>,
}

impl<'a> MailContext<'a> {
    pub fn new(
        name: Option<&str>,
        survey_title: &str,
        closes_on: Option<chrono::NaiveDate>,
        link: &'a str,
        opt_out_link: &'a str,
    ) -> Self {
        Self {
            name: name.map(single_line).filter(|n| !n.is_empty()),
            survey_title: single_line(survey_title),
            closes_on: closes_on.map(|day| day.format("%-d %B %Y").to_string()),
            link,
            opt_out_link,
            contact: None,
        }
    }

    /// Names the review team to contact with questions.
    pub fn with_contact(mut self, contact: Option<&crate::questionnaire::Contact>) -> Self {
        self.contact = contact.map(|c| (single_line(&c.name), single_line(&c.email)));
        self
    }
}

pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// Control characters (CR, LF, tabs…) become spaces; runs of spaces collapse.
pub fn single_line(value: &str) -> String {
    value
        .split(|c: char| c.is_control() || c.is_whitespace())
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

#[derive(Template)]
#[template(path = "mail/invitation/subject.txt", escape = "none")]
struct InvitationSubject<'a> {
    m: &'a MailContext<'a>,
}

#[derive(Template)]
#[template(path = "mail/invitation/body.txt", escape = "none")]
struct InvitationText<'a> {
    m: &'a MailContext<'a>,
}

#[derive(Template)]
#[template(path = "mail/invitation/body.html", escape = "html")]
struct InvitationHtml<'a> {
    m: &'a MailContext<'a>,
}

#[derive(Template)]
#[template(path = "mail/reminder/subject.txt", escape = "none")]
struct ReminderSubject<'a> {
    m: &'a MailContext<'a>,
}

#[derive(Template)]
#[template(path = "mail/reminder/body.txt", escape = "none")]
struct ReminderText<'a> {
    m: &'a MailContext<'a>,
}

#[derive(Template)]
#[template(path = "mail/reminder/body.html", escape = "html")]
struct ReminderHtml<'a> {
    m: &'a MailContext<'a>,
}

fn rendered(
    subject: impl Template,
    text: impl Template,
    html: impl Template,
) -> Result<Rendered, askama::Error> {
    Ok(Rendered {
        subject: single_line(&subject.render()?),
        text: text.render()?,
        html: html.render()?,
    })
}

pub fn render(kind: MailKind, m: &MailContext<'_>) -> Result<Rendered, askama::Error> {
    match kind {
        MailKind::Invitation => rendered(
            InvitationSubject { m },
            InvitationText { m },
            InvitationHtml { m },
        ),
        MailKind::Reminder => rendered(
            ReminderSubject { m },
            ReminderText { m },
            ReminderHtml { m },
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_titles_cannot_add_headers_or_markup() {
        let ctx = MailContext::new(
            Some("Eve\r\nBcc: victim@example.org"),
            "Survey <script>alert(1)</script>\r\nX-Evil: 1",
            chrono::NaiveDate::from_ymd_opt(2026, 12, 24),
            "http://example.org/i/abc",
            "http://example.org/o/abc",
        );
        let mail = render(MailKind::Invitation, &ctx).expect("renders");
        assert!(!mail.subject.contains('\n') && !mail.subject.contains('\r'));
        assert!(mail.text.contains("Dear Eve Bcc: victim@example.org,"));
        assert!(!mail.html.contains("<script>"));
        assert!(mail.html.contains("&#60;script&#62;") || mail.html.contains("&lt;script&gt;"));
        assert!(mail.text.contains("24 December 2026"));
        assert!(mail.text.contains("http://example.org/i/abc"));
        assert!(mail.html.contains("http://example.org/o/abc"));
    }
}
