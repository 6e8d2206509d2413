//! What a new respondent on the open link reads when no new draft may be started now
//! (`respond::draft_bounds`).

pub const BUSY_HEADING: &str = "You cannot start this survey just now";
pub const ADDRESS_BOUND: &str = "Many people have started this survey from your network in the last hour, so new starts from it are paused for a while.";
pub const SURVEY_BOUND: &str =
    "This survey is holding as many unfinished responses as it can, so it cannot take new ones for a while.";
pub const NOTHING_LOST: &str = "Nothing has been lost: anyone who has already started can carry on from the same browser, and their answers are kept.";
