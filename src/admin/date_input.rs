//! The GOV.UK date input on the review team's forms: a date shown as day, month and year
//! fields (`NAME-day`, `NAME-month`, `NAME-year`), read back as one `YYYY-MM-DD` value. A
//! form that posts the single `NAME` field (scripts, older pages) still works.

use chrono::{Datelike, NaiveDate};

use super::forms::{field, Fields};

/// (day, month, year) for the three fields; empty when there is no date.
pub fn parts(date: Option<NaiveDate>) -> (String, String, String) {
    date.map(|d| {
        (
            d.day().to_string(),
            d.month().to_string(),
            d.year().to_string(),
        )
    })
    .unwrap_or_default()
}

/// `Some("YYYY-MM-DD")` (or `Some("")` when all three are empty) when the form has the
/// three fields; `None` when it posted the single field. Bad parts give a value that
/// does not parse, so the caller reports the usual date error.
pub fn joined(fields: &Fields, name: &str) -> Option<String> {
    let part = |suffix: &str| {
        let key = format!("{name}-{suffix}");
        fields
            .iter()
            .any(|(n, _)| *n == key)
            .then(|| field(fields, &key).trim().to_owned())
    };
    let (day, month, year) = (part("day")?, part("month")?, part("year")?);
    if day.is_empty() && month.is_empty() && year.is_empty() {
        return Some(String::new());
    }
    let number = |text: &str| text.parse::<u32>().ok();
    Some(match (number(&day), number(&month), number(&year)) {
        (Some(d), Some(m), Some(y)) if year.len() == 4 => format!("{y:04}-{m:02}-{d:02}"),
        _ => format!("{year}-{month}-{day}-invalid"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(pairs: &[(&str, &str)]) -> Fields {
        pairs
            .iter()
            .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn joins_the_three_fields() {
        let f = fields(&[("d-day", "3"), ("d-month", "12"), ("d-year", "2026")]);
        assert_eq!(joined(&f, "d").as_deref(), Some("2026-12-03"));
        let empty = fields(&[("d-day", ""), ("d-month", ""), ("d-year", "")]);
        assert_eq!(joined(&empty, "d").as_deref(), Some(""));
        assert_eq!(joined(&fields(&[("d", "2026-01-01")]), "d"), None);
        let bad = fields(&[("d-day", "x"), ("d-month", "1"), ("d-year", "2026")]);
        assert!(joined(&bad, "d").is_some_and(|v| v.ends_with("invalid")));
        let parts = parts(NaiveDate::from_ymd_opt(2026, 2, 9));
        assert_eq!(parts, ("9".to_owned(), "2".to_owned(), "2026".to_owned()));
    }
}
