//! Words used in results and downloads.

pub const WHOLE_SURVEY: &str = "All responses";
pub const NOT_ANSWERED: &str = "Not answered";
pub const SUPPRESSED: &str = "suppressed";
pub const TOO_FEW_ANSWERS: &str = "too few answers";
pub const ANSWERED: &str = "Answered";
pub const PERCENT_AGREE: &str = "% agree";
pub const SCORE: &str = "Score (0-100)";
pub const THEME_SCORE: &str = "Theme score (0-100)";
pub const RESPONSES: &str = "Responses";
pub const COUNT: &str = "Count";
pub const MEAN: &str = "Mean";
pub const MEDIAN: &str = "Median";
pub const LOWER_QUARTILE: &str = "Lower quartile";
pub const UPPER_QUARTILE: &str = "Upper quartile";
pub const COVER_SHEET: &str = "About";
pub const NOTES: &str = "Notes";

pub fn unknown_breakdown(key: &str) -> String {
    format!("\"{key}\" is not a question results can be broken down by")
}

pub fn too_few_for_rows(min_group_size: u32) -> String {
    format!(
        "the survey has fewer than {min_group_size} responses, so no response-level download \
         is possible"
    )
}

/// The rules, as the results page and every download state them.
pub fn suppression_rule(min_group_size: u32) -> String {
    let k = min_group_size;
    format!(
        "\"suppressed\" means hidden: the figure is about fewer than {k} people, or it would let \
         a hidden group be worked out by adding or subtracting other published figures (from \
         any breakdown, or the totals). The smaller group is the one hidden. A count of people \
         in a group, or in two groups at once, is never shown between 1 and {}. Groups with \
         nobody in them are shown as empty and hide nothing. Percentages, \"% agree\" and \
         scores need at least {k} answers other than \"don't know\", means {k} answers, \
         medians and quartiles {}; otherwise \"too few answers\".",
        k.saturating_sub(1),
        2 * k
    )
}

pub fn channels(invited: Option<u64>, open_link: Option<u64>) -> String {
    let shown = |n: Option<u64>| n.map_or_else(|| SUPPRESSED.to_owned(), |n| n.to_string());
    format!(
        "Through personal invitations: {}. Through the open link: {}. Anyone who has the open \
         link can add responses, including invented ones; where that matters, a survey should \
         be invitation-only (open_link = false).",
        shown(invited),
        shown(open_link)
    )
}

pub fn rows_rule(min_group_size: u32) -> String {
    format!(
        "Anonymised responses: rows in random order, no dates. Answers to the breakdown \
         questions read \"suppressed\" where fewer than {min_group_size} rows would share \
         them."
    )
}

pub const ROWS_HEADERS: &str =
    "The first row gives each question as respondents read it; the second \
     row gives its key, which stays the same when the wording changes (read the file from the \
     second row to join on keys).";

pub fn rows_blanked(questions: &[String]) -> String {
    format!(
        "Where a row's answer to a breakdown question reads \"suppressed\", its answers to the \
         questions shown only to some of that question's groups are left blank too, since they \
         would give it back: {}.",
        questions.join(", ")
    )
}

pub fn survey_below_threshold(min_group_size: u32) -> String {
    format!("Results appear once at least {min_group_size} people have responded.")
}

pub fn comments_below_threshold(comments_threshold: u32) -> String {
    format!(
        "Comments are listed once at least {comments_threshold} people have responded, and \
         never by group."
    )
}

pub const RESULTS_UNAVAILABLE: &str = "These results cannot be shown";
pub const DOWNLOAD_REFUSED: &str = "This download is not possible";
pub const API_ADMIN_ONLY: &str = "response-level downloads need an admin's API token";
