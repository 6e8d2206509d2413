//! What the review team area says, when not in a template.

pub const PASSWORD_TOO_SHORT: &str = "Enter a password of at least 15 characters";
pub const PASSWORD_TOO_LONG: &str = "Enter a password of at most 128 characters";
pub const PASSWORD_COMMON: &str =
    "That password is on a list of commonly used passwords; choose another";
pub const PASSWORD_HAS_EMAIL: &str = "The password must not contain your email address";
pub const PASSWORDS_DIFFER: &str = "The two passwords are not the same";
pub const CURRENT_PASSWORD_WRONG: &str = "Your current password is not right";
pub const EMAIL_INVALID: &str = "Enter an email address, like name@example.org";
pub const EMAIL_TAKEN: &str = "There is already an account with that email address";
pub const ROLE_INVALID: &str = "Choose admin or viewer";
pub const NO_SUCH_ACCOUNT: &str = "there is no active account with that email address";
pub const LAST_ADMIN: &str = "This is the only active admin account: add another admin first";
pub const SIGN_IN_FAILED: &str = "The email address or password is not right";
/// The audit detail of the first refused sign-in from an address in a window.
pub const REFUSALS_AUDITED_ONCE: &str =
    "too many recent failures; further refusals from this address in this window are not recorded one by one";
pub fn sign_in_limited(window_minutes: u32) -> String {
    format!(
        "There have been too many failed attempts to sign in. Wait {}, then try again.",
        duration(window_minutes)
    )
}
pub const CODE_WRONG: &str = "The code is not right, or it has already been used";
pub const SETUP_LINK_DEAD: &str =
    "This set-up link has been used or has expired. Ask whoever runs the service for a new one, or sign in.";
pub const SESSION_ENDED: &str = "You have been signed out";
pub fn session_ended_detail(idle_minutes: u32, absolute_minutes: u32) -> String {
    format!(
        "You were signed out because you had not used the review team pages for {}, or because you signed in more than {} ago. If you were sending a form, it was not saved: sign in again and repeat it.",
        duration(idle_minutes),
        duration(absolute_minutes)
    )
}

/// "1 minute", "30 minutes", "1 hour", "12 hours", "90 minutes".
pub fn duration(minutes: u32) -> String {
    match minutes {
        1 => "1 minute".to_owned(),
        60 => "1 hour".to_owned(),
        m if m % 60 == 0 => format!("{} hours", m / 60),
        m => format!("{m} minutes"),
    }
}
pub const FORBIDDEN: &str = "You cannot do that";
pub const FORBIDDEN_DETAIL: &str =
    "Your account can see surveys but not change them. Ask an admin if you need to.";
pub const API_TOKEN_REQUIRED: &str = "a valid API token is required";
pub const CSRF_FAILED: &str = "That form could not be accepted";
pub const CSRF_FAILED_DETAIL: &str = "The form was old or came from another site, so nothing was changed. Go back, reload the page and try again.";
pub const SETTINGS_DATE_INVALID: &str = "Enter dates as YYYY-MM-DD, or leave them empty";
pub const SETTINGS_NUMBER_INVALID: &str = "Enter the reminder settings as whole numbers";
pub const UPLOAD_MISSING: &str = "Choose a questionnaire file (.toml) to upload";
pub const UPLOAD_NOT_UTF8: &str = "The file is not a text file (UTF-8)";

pub const SIGNED_OUT: &str = "You have signed out.";

pub const ACCOUNT_CREATED: &str =
    "Account created. Sign in with the email address and password you \
     just chose; you will then set up an authenticator app.";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_naturally() {
        assert_eq!(duration(1), "1 minute");
        assert_eq!(duration(15), "15 minutes");
        assert_eq!(duration(60), "1 hour");
        assert_eq!(duration(720), "12 hours");
        assert_eq!(duration(90), "90 minutes");
        assert!(session_ended_detail(30, 720)
            .contains("for 30 minutes, or because you signed in more than 12 hours ago"));
    }
}
