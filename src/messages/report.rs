//! Words used in results and downloads.

pub const WHOLE_SURVEY: &str = "All responses";
pub const NOT_ANSWERED: &str = "Not answered";
pub const SUPPRESSED: &str = "suppressed";
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

pub fn unknown_breakdown(key: &str) -> String {
    format!("\"{key}\" is not a question results can be broken down by")
}

pub fn too_few_for_rows(min_group_size: u32) -> String {
    format!(
        "the survey has fewer than {min_group_size} responses, so no response-level download \
         is possible"
    )
}

pub fn suppression_rule(min_group_size: u32) -> String {
    format!(
        "Figures about fewer than {min_group_size} people are not shown. When one group is \
         hidden, the next smallest is hidden too, so the hidden figures cannot be worked out \
         from the totals."
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
pub const API_NOT_FOUND: &str = "not found";
pub const API_SURVEY_NOT_FOUND: &str = "survey not found";
pub const API_INTERNAL: &str = "internal error";
