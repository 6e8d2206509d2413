//! Which field a review-team form error is about, so that the error summary links to it
//! and the field shows the message beside it with `aria-invalid` (as the respondent pages
//! do). Each message in `messages::accounts` and `messages::invitations` names one field.

use crate::messages::accounts as acc;
use crate::messages::invitations as inv;

/// The id of the field a message is about, or "" when it is about the whole form.
pub fn field_for(message: &str) -> &'static str {
    match message {
        acc::SIGN_IN_FAILED | acc::EMAIL_INVALID | acc::EMAIL_TAKEN => "email",
        acc::PASSWORD_TOO_SHORT
        | acc::PASSWORD_TOO_LONG
        | acc::PASSWORD_COMMON
        | acc::PASSWORD_HAS_EMAIL => "password",
        acc::PASSWORDS_DIFFER => "password_again",
        acc::CURRENT_PASSWORD_WRONG => "current_password",
        acc::ROLE_INVALID => "new-role-viewer",
        acc::CODE_WRONG => "code",
        acc::SETTINGS_DATE_INVALID => "opens_on-day",
        acc::SETTINGS_NUMBER_INVALID => "first_after_days",
        inv::LIST_MISSING => "invitees-file",
        _ => "",
    }
}

/// A page with a form error: the template calls `self.error_field()`.
pub trait FormErrorField {
    fn error_text(&self) -> Option<&str>;

    fn error_field(&self) -> &'static str {
        self.error_text().map_or("", field_for)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_their_fields() {
        assert_eq!(field_for(acc::PASSWORDS_DIFFER), "password_again");
        assert_eq!(field_for(acc::CODE_WRONG), "code");
        assert_eq!(field_for("Something else"), "");
    }
}
