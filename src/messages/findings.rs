//! Words of the summary of statements and the Word report that are not in a template.

pub const NO_GROUP: &str = "No group";
pub const AGREE: &str = "agree";
pub const DISAGREE: &str = "disagree";
pub const ANSWERED: &str = "answered";
pub const REVERSE_MARK: &str = "Reverse-worded: agreeing is unfavourable";
pub const STATEMENT: &str = "Statement";
pub const SUMMARY_TITLE: &str = "Summary of statements";
pub const METHOD_TITLE: &str = "How the survey was run";
pub const COMMENTS_TITLE: &str = "Comments";
pub const COMMENTS_ORDER: &str =
    "Comments are from the whole survey, never by group, in random order, as written.";
pub const CHART_NONE: &str = "No chart: too few answers, or the figures are hidden.";
pub const SUMMARY_EXPLAINED: &str = "Each cell gives the share who agree (agree or strongly \
    agree), the share who disagree (disagree or strongly disagree) and how many answered. The \
    shares leave out \"don't know\". The colour of a cell follows how favourable the answers \
    are: blue for favourable, orange for unfavourable, grey between; the figures themselves are \
    always in the cell. Statements worded so that agreeing is unfavourable are marked and \
    coloured the other way round.";

pub const FACT_DATES: &str = "Dates";
pub const FACT_RESPONSES: &str = "Responses";
pub const FACT_BREAKDOWN: &str = "Groups compared by";
pub const FACTS_CAPTION: &str = "The survey at a glance";
pub const REPORT_ABOUT: &str = "This report was produced by Candour from the survey's published \
    results: the same figures as the results page and its downloads, with the same figures \
    hidden to protect anonymity. Edit it freely; the headings, captions and tables use Word's \
    own styles, so a team's template restyles it.";
pub const REPORT_SUBTITLE: &str = "Staff and partner survey: findings";
pub const RESPONSE_RATE: &str = "Response rate";
pub const GROUP: &str = "Invitee group";
pub const RATES_CAPTION: &str = "Response rate by invitee group";
pub const SUMMARY_CAPTION: &str = "Agreement with each statement, by theme";
pub const NO_STATEMENTS: &str = "There are no agreement statements to summarise yet.";

pub fn chart_caption(question: &str) -> String {
    format!("Answers to \"{question}\"")
}

pub fn table_caption(question: &str) -> String {
    format!("Answers to \"{question}\", counts and percentages")
}

pub fn comments_heading(question: &str) -> String {
    format!("Comments: {question}")
}

pub fn comments_some(shown: usize, total: u64) -> String {
    format!(
        "{shown} of {total} comments, chosen at random. An admin can download them all with \
         the responses (free-text answers included)."
    )
}

pub const SORT_QUESTIONNAIRE: &str = "In questionnaire order";
pub const SORT_AGREE: &str = "Least favourable first";
pub const SORT_GAP: &str = "Widest gap between groups first";

/// "62.5%".
pub fn percent(value: f64) -> String {
    format!("{value}%")
}

/// The main figure of a summary cell.
pub fn agree_cell(agree: f64) -> String {
    format!("{} {AGREE}", percent(agree))
}

/// The rest of a summary cell.
pub fn detail_cell(disagree: f64, answered: u64) -> String {
    format!("{} {DISAGREE}, {answered} {ANSWERED}", percent(disagree))
}

/// The report's cells give each figure its own line.
pub fn disagree_line(disagree: f64) -> String {
    format!("{} {DISAGREE}", percent(disagree))
}

pub fn answered_line(answered: u64) -> String {
    format!("{answered} {ANSWERED}")
}

/// A hidden cell or group.
pub fn suppressed() -> String {
    super::report::SUPPRESSED.to_owned()
}

/// A cell with too few substantive answers for shares.
pub fn too_few(answered: Option<u64>) -> String {
    match answered {
        Some(n) if n > 0 => format!("{} ({n} {ANSWERED})", super::report::TOO_FEW_ANSWERS),
        _ => super::report::TOO_FEW_ANSWERS.to_owned(),
    }
}

pub fn dates(opens_on: Option<&str>, closes_on: Option<&str>) -> String {
    match (opens_on, closes_on) {
        (Some(from), Some(to)) => format!("Open from {from} to {to}"),
        (Some(from), None) => format!("Open from {from}, with no closing date"),
        (None, Some(to)) => format!("Open until {to}"),
        (None, None) => "No opening or closing date set".to_owned(),
    }
}

pub fn responses(responses: u64) -> String {
    match responses {
        1 => "1 response".to_owned(),
        n => format!("{n} responses"),
    }
}

pub fn rate(completed: u64, invited: u64, percent_done: Option<f64>) -> String {
    match percent_done {
        Some(p) => format!(
            "{completed} of {invited} invited responded ({})",
            percent(p)
        ),
        None => format!("{completed} of {invited} invited responded"),
    }
}

pub fn rate_hidden(invited: u64) -> String {
    format!(
        "{invited} invited; how many responded is hidden (fewer than the minimum group size \
         responded, or did not)"
    )
}

/// Alternative text of a chart: what it shows and every figure in it.
pub fn chart_alt(question: &str, figures: &str) -> String {
    format!("Bar chart of answers to \"{question}\". {figures}")
}

/// The method section, in plain words.
pub fn method(min_group_size: u32, comments_threshold: u32, invited: u64) -> Vec<String> {
    let k = min_group_size;
    vec![
        if invited > 0 {
            format!(
                "The questionnaire went to {invited} people by personal invitation links sent \
                 by email; each link could be used for one response. Reminders went only to \
                 those who had not yet responded."
            )
        } else {
            "The questionnaire was offered through a link shared with staff.".to_owned()
        },
        "Answers are anonymous. A response is stored without a name, email address, device \
         details or time of day, and nothing links it to the invitation it came through. \
         Responses appear in the results only in batches, so that the order of responses \
         says nothing about who sent them."
            .to_owned(),
        format!(
            "No figure is published about fewer than {k} people. A group smaller than that is \
             shown as \"suppressed\", and so is any other group from which a hidden one could \
             be worked out by adding or subtracting. Shares and scores need at least {k} \
             answers other than \"don't know\"; otherwise they read \"too few answers\"."
        ),
        format!(
            "Written comments are shown only for the whole survey, never by group, once at \
             least {comments_threshold} people have responded, and in random order."
        ),
    ]
}
