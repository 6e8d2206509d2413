//! Spreadsheet formula injection: a cell that starts with `=`, `+`, `-`, `@`, a tab or a
//! carriage return may be run as a formula when a download is opened, so it gets a leading
//! single quote, which spreadsheets show as text.

use std::borrow::Cow;

pub fn cell(text: &str) -> Cow<'_, str> {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => Cow::Owned(format!("'{text}")),
        _ => Cow::Borrowed(text),
    }
}

#[cfg(test)]
mod tests {
    use super::cell;

    #[test]
    fn formula_starts_are_quoted_and_the_rest_left_alone() {
        for text in ["=1+2", "+1", "-2", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(cell(text), format!("'{text}"));
        }
        for text in ["", "plain", "a=b", "'quoted", "1-2"] {
            assert_eq!(cell(text), text);
        }
    }
}
