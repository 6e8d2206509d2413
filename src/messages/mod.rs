//! Every user-facing string that is not in a template.

pub mod accounts;
pub mod drafts;
pub mod findings;
pub mod idempotency;
pub mod invitations;
pub mod report;
pub mod validation;

pub const NOT_FOUND: &str = "Page not found";
pub const NOT_FOUND_DETAIL: &str =
    "If you typed the web address, check it is correct. If you used a link, it may have expired.";
pub const SURVEY_NOT_FOUND: &str = "There is no survey at this address";
pub const INVITATION_NOT_FOUND: &str = "This invitation link is not valid";
pub const INVITATION_NOT_FOUND_DETAIL: &str =
    "Check that you copied the whole link from your email. If it still does not work, contact the review team named at the end of that email.";
pub const INVITATION_NOT_FOUND_JSON: &str = "no invitation has that token";
pub const SURVEY_NOT_OPEN: &str = "This survey is not open";
pub const SURVEY_NOT_OPEN_JSON: &str = "the survey is not open for responses";
pub const OPEN_LINK_OFF: &str =
    "This survey only accepts responses through personal invitation links";
pub const BAD_REQUEST: &str = "Something was wrong with that request";
pub const CHANGE_REFUSED: &str = "That change is not possible";
pub const API_NOT_FOUND: &str = "not found";
pub const API_SURVEY_NOT_FOUND: &str = "survey not found";
pub const API_INTERNAL: &str = "internal error";
pub const PAYLOAD_TOO_LARGE: &str = "the request body is too large";
pub const UNSUPPORTED_MEDIA_TYPE: &str = "send the body as application/json in UTF-8";
pub const MALFORMED_JSON: &str = "the body is not valid JSON of the expected shape";

pub fn duplicate_json_key(key: &str) -> String {
    format!("the key {key:?} appears twice in one object; send each key once")
}
/// The preview's note under a question that not everyone sees.
pub fn preview_question_condition(question: &str, asked: &str, any_of: &str) -> String {
    format!(
        "“{question}” is shown only to respondents whose answer to “{asked}” is one of: {any_of}"
    )
}

/// The preview's note under an introduction paragraph that not everyone reads.
pub fn preview_intro_condition(asked: &str, any_of: &str) -> String {
    format!("The paragraph above is shown only to respondents whose answer to “{asked}” is one of: {any_of}")
}

pub const INVALID_UTF8: &str = "the request is not valid UTF-8";
pub const INVALID_ANSWERS: &str = "some answers are not valid";
pub const ALREADY_SUBMITTED: &str = "this response has already been submitted";
pub const BUSY: &str = "the service is busy; please try again in a moment";
pub const INTERNAL: &str = "Sorry, something went wrong on our side";
pub const INTERNAL_DETAIL: &str =
    "Your answers so far are saved. Please try again in a few minutes.";
pub const SESSION_EXPIRED: &str =
    "Your answers could not be found. This can happen if you waited a long time or cleared your cookies. Please start again.";
/// Start-up refusal: no domain to derive a From address from (one line).
pub const FROM_ADDRESS_NEEDED: &str = "is still the default candour@localhost, and server.public_url is an IP address to derive no domain from: set mail.from (CANDOUR_MAIL__FROM) to an address people can reply to";
pub const ERROR_SUMMARY_TITLE: &str = "There is a problem";

pub fn questions_frozen(slug: &str) -> String {
    format!(
        "survey \"{slug}\" has been opened, so its questions are frozen and this file changes \
         them; import it under a new slug instead"
    )
}

pub fn thresholds_lowered(slug: &str) -> String {
    format!(
        "survey \"{slug}\" has been opened, so min_group_size and comments_threshold may only \
         be raised, not lowered"
    )
}

pub const NO_SUCH_SURVEY: &str = "no survey has that slug";

/// `NO_SUCH_SURVEY` with the slugs there are (one line).
pub fn no_such_survey_among(slugs: &[String]) -> String {
    if slugs.is_empty() {
        format!(
            "{NO_SUCH_SURVEY}; there are no surveys yet (candour survey import FILE.toml adds one)"
        )
    } else {
        format!("{NO_SUCH_SURVEY}; the surveys are: {}", slugs.join(", "))
    }
}

/// One line of an error summary: the question, then what to do.
pub fn summary_item(question: &str, problem: &str) -> String {
    format!("{question} – {problem}")
}
pub const SURVEY_NOT_ACCEPTING: &str =
    "the survey is not open (or is past its closing day), so no mail was queued";

/// Said at start-up and on the survey page while mail goes to files.
pub const FILE_TRANSPORT: &str = "mail is written as files (mail.transport = \"file\"): that folder holds every personal invitation link, so use it only to try the service locally";

/// The same on the survey page, where invitations are sent.
pub const FILE_TRANSPORT_PAGE: &str = "Mail is written as files on the server (mail.transport = \"file\"), not sent: that folder holds every personal invitation link, so use this only to try the service out.";

/// Why results lag behind submissions (the results page and `survey status`).
pub fn waiting_responses(waiting: i64, k: u32) -> String {
    format!(
        "{waiting} responses are waiting: results are updated in groups of at least {k}, so \
         that no single answer can be seen by comparing one day's results with the next"
    )
}
