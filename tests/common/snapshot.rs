//! Snapshots of what people receive (mail, pages), with the parts that change from run to
//! run (tokens, dates, ports, CSRF values, message ids, MIME boundaries) replaced, so one
//! snapshot holds on every run and on both backends.

use super::Received;

/// The replacements made in every snapshot, in order: (pattern, replacement).
const FILTERS: &[(&str, &str)] = &[
    // Personal links: a 64-character token; an opt-out link names its invitation and a tag.
    (r"/i/[A-Za-z0-9_-]{64}", "/i/[token]"),
    (r"/o/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+", "/o/[opt-out]"),
    (r"(127\.0\.0\.1|localhost):[0-9]+", "$1:[port]"),
    (
        r#"name="_csrf" value="[^"]*""#,
        r#"name="_csrf" value="[csrf]""#,
    ),
    (r#"nonce="[^"]*""#, r#"nonce="[nonce]""#),
    (r"(?m)^Date: .*$", "Date: [date]"),
    (r"(?m)^Message-ID: .*$", "Message-ID: [message-id]"),
    (r#"boundary="[^"]*""#, r#"boundary="[boundary]""#),
    (
        r"(?m)^--[A-Za-z0-9'()+_,./:=?-]{20,}?(--)?$",
        "--[boundary]$1",
    ),
];

/// Insta settings for the harness's snapshots: named snapshots in `tests/snapshots/`
/// without the test's module in their name (so a test on SQLite and the same test on
/// PostgreSQL compare with one file), and the filters above.
pub fn snapshot_settings() -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    for (pattern, replacement) in FILTERS {
        settings.add_filter(pattern, *replacement);
    }
    settings
}

/// A message as its reader's mail program would show its source: line ends as `\n`, and
/// quoted-printable soft line breaks undone (they fall where a token's length puts them).
pub fn mail_text(message: &Received) -> String {
    message.data.replace("=\r\n", "").replace("\r\n", "\n")
}
