//! Spreadsheet formula injection: a cell whose first visible character is `=`, `+`, `-` or
//! `@` may be run as a formula when a download is opened, so it gets a leading single quote,
//! which spreadsheets show as text. Leading spaces and control characters (tab, carriage
//! return, NUL, …) are looked past, since spreadsheets and import tools skip or strip them.

use std::borrow::Cow;

pub fn cell(text: &str) -> Cow<'_, str> {
    let visible = text.trim_start_matches(|c: char| c.is_whitespace() || c.is_control());
    let starts_formula = matches!(visible.chars().next(), Some('=' | '+' | '-' | '@'));
    let starts_control = text.chars().next().is_some_and(|c| c == '\t' || c == '\r');
    if starts_formula || starts_control {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
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
        for text in ["", "plain", "a=b", "'quoted", "1-2", " plain", "\n"] {
            assert_eq!(cell(text), text);
        }
    }

    #[test]
    fn the_guard_looks_past_leading_spaces_and_control_characters() {
        for text in [
            "\u{0}=1+1",
            " =1+1",
            "\n\n@cmd",
            "\u{7}\u{1b}-2",
            "\u{a0}+1",
            "\r\n=A1",
        ] {
            assert_eq!(cell(text), format!("'{text}"), "{text:?}");
        }
    }
}
