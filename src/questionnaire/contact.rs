//! The questionnaire file's `[contact]` table: the review team's name and email, which
//! invitations, reminders, the privacy notice and the error pages give to respondents.
//!
//! ```toml
//! [contact]
//! name = "The peer review team"
//! email = "peer-review@example.org"
//! ```

use toml::Table;

use super::definition::{Contact, Questionnaire};
use super::parse::{Fields, Problems};
use crate::messages::validation::import as msg;

const MAX_CHARS: usize = 200;

/// Reads `[contact]`; `None` (with the problems recorded) when it is not right.
pub(super) fn read_contact(table: &Table, problems: &mut Problems) -> Option<Contact> {
    let mut fields = Fields::new(table, "contact");
    let name = fields.required_string("name", problems);
    let email = fields.required_string("email", problems);
    fields.report_unread(problems);
    let mut ok = name.is_some() && email.is_some();
    for (field, value) in [("name", &name), ("email", &email)] {
        let Some(value) = value else { continue };
        if value.chars().count() > MAX_CHARS || value.contains(|c: char| c.is_control()) {
            problems.add(fields.at(field), msg::CONTACT_TOO_LONG);
            ok = false;
        }
    }
    if email
        .as_deref()
        .is_some_and(|email| !looks_like_email(email))
    {
        problems.add(fields.at("email"), msg::INVALID_CONTACT_EMAIL);
        ok = false;
    }
    Some(Contact {
        name: name?.trim().to_owned(),
        email: email?.trim().to_owned(),
    })
    .filter(|_| ok)
}

/// One address: something before and after a single `@`, a dot in the domain, no spaces.
fn looks_like_email(text: &str) -> bool {
    let text = text.trim();
    let Some((local, domain)) = text.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains('@')
        && !text.contains(|c: char| c.is_whitespace() || c == ',' || c == '<' || c == '>')
}

/// The warning an import prints when the file names no contact.
pub fn warnings(questionnaire: &Questionnaire) -> Vec<&'static str> {
    match &questionnaire.contact {
        None => vec![msg::NO_CONTACT],
        Some(contact) if is_placeholder(&contact.email) => vec![msg::PLACEHOLDER_CONTACT],
        Some(_) => Vec::new(),
    }
}

/// The reserved example domains (RFC 2606), as in the shipped questionnaire's placeholder.
pub fn is_placeholder(email: &str) -> bool {
    let domain = email
        .rsplit('@')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    ["example.org", "example.com", "example.net"]
        .iter()
        .any(|example| domain == *example || domain.ends_with(&format!(".{example}")))
}

#[cfg(test)]
mod tests {
    use super::looks_like_email;

    #[test]
    fn emails() {
        assert!(looks_like_email("review-team@example.org"));
        for bad in [
            "",
            "team",
            "@example.org",
            "a@b",
            "a@b.",
            "a b@c.org",
            "a@b.org, c@d.org",
        ] {
            assert!(!looks_like_email(bad), "{bad}");
        }
    }
}
