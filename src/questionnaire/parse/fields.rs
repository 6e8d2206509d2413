//! One TOML table's fields, read once each; the rest are reported as unknown.

use super::*;

/// The fields of one TOML table, tracking which have been read so that the rest can be
/// reported as unknown.
pub(in crate::questionnaire) struct Fields<'a> {
    pub(super) table: &'a Table,
    pub(super) location: String,
    pub(super) read: Vec<&'a str>,
}

impl<'a> Fields<'a> {
    pub(in crate::questionnaire) fn new(table: &'a Table, location: impl Into<String>) -> Self {
        Fields {
            table,
            location: location.into(),
            read: Vec::new(),
        }
    }

    pub(in crate::questionnaire) fn at(&self, name: &str) -> String {
        if self.location.is_empty() {
            name.to_string()
        } else {
            format!("{}.{name}", self.location)
        }
    }

    pub(in crate::questionnaire) fn take(&mut self, name: &str) -> Option<&'a Value> {
        let (key, value) = self.table.get_key_value(name)?;
        self.read.push(key.as_str());
        Some(value)
    }

    pub(in crate::questionnaire) fn unread(&self) -> impl Iterator<Item = &'a str> + '_ {
        self.table
            .keys()
            .map(String::as_str)
            .filter(|name| !self.read.contains(name))
    }

    pub(in crate::questionnaire) fn report_unread(&self, problems: &mut Problems) {
        for name in self.unread() {
            problems.add(self.at(name), msg::UNKNOWN_FIELD);
        }
    }

    pub(in crate::questionnaire) fn string(
        &mut self,
        name: &str,
        problems: &mut Problems,
    ) -> Option<String> {
        match self.take(name)? {
            Value::String(text) => Some(text.clone()),
            _ => {
                problems.add(self.at(name), msg::NOT_STRING);
                None
            }
        }
    }

    /// A string that must be present and not blank.
    pub(in crate::questionnaire) fn required_string(
        &mut self,
        name: &str,
        problems: &mut Problems,
    ) -> Option<String> {
        if !self.table.contains_key(name) {
            problems.add(self.at(name), msg::REQUIRED);
            return None;
        }
        let text = self.string(name, problems)?;
        if text.trim().is_empty() {
            problems.add(self.at(name), msg::EMPTY);
            return None;
        }
        Some(text)
    }

    /// An optional string; blank counts as absent.
    pub(in crate::questionnaire) fn optional_text(
        &mut self,
        name: &str,
        problems: &mut Problems,
    ) -> Option<String> {
        self.string(name, problems)
            .filter(|text| !text.trim().is_empty())
    }

    pub(in crate::questionnaire) fn bool(
        &mut self,
        name: &str,
        default: bool,
        problems: &mut Problems,
    ) -> bool {
        match self.take(name) {
            None => default,
            Some(Value::Boolean(value)) => *value,
            Some(_) => {
                problems.add(self.at(name), msg::NOT_BOOL);
                default
            }
        }
    }

    pub(in crate::questionnaire) fn optional_integer(
        &mut self,
        name: &str,
        range: RangeInclusive<i64>,
        problems: &mut Problems,
    ) -> Option<u32> {
        let Value::Integer(value) = self.take(name)? else {
            problems.add(self.at(name), msg::NOT_INTEGER);
            return None;
        };
        match u32::try_from(*value) {
            Ok(value) if range.contains(&i64::from(value)) => Some(value),
            _ => {
                problems.add(self.at(name), msg::out_of_range(range.start(), range.end()));
                None
            }
        }
    }

    pub(in crate::questionnaire) fn integer(
        &mut self,
        name: &str,
        default: u32,
        range: RangeInclusive<i64>,
        problems: &mut Problems,
    ) -> u32 {
        self.optional_integer(name, range, problems)
            .unwrap_or(default)
    }

    pub(in crate::questionnaire) fn number(
        &mut self,
        name: &str,
        problems: &mut Problems,
    ) -> Option<f64> {
        let number = match self.take(name)? {
            Value::Integer(value) => *value as f64,
            Value::Float(value) => *value,
            _ => {
                problems.add(self.at(name), msg::NOT_NUMBER);
                return None;
            }
        };
        if !number.is_finite() {
            problems.add(self.at(name), msg::NOT_FINITE);
            return None;
        }
        Some(number)
    }

    pub(in crate::questionnaire) fn date(
        &mut self,
        name: &str,
        problems: &mut Problems,
    ) -> Option<NaiveDate> {
        let Value::Datetime(datetime) = self.take(name)? else {
            problems.add(self.at(name), msg::NOT_DATE);
            return None;
        };
        let date = match (datetime.date, datetime.time, datetime.offset) {
            (Some(date), None, None) => date,
            (Some(_), _, _) => {
                problems.add(self.at(name), msg::DATE_WITH_TIME);
                return None;
            }
            (None, _, _) => {
                problems.add(self.at(name), msg::NOT_DATE);
                return None;
            }
        };
        let converted = NaiveDate::from_ymd_opt(
            i32::from(date.year),
            u32::from(date.month),
            u32::from(date.day),
        );
        if converted.is_none() {
            problems.add(self.at(name), msg::NOT_DATE);
        }
        converted
    }

    pub(in crate::questionnaire) fn table(
        &mut self,
        name: &str,
        problems: &mut Problems,
    ) -> Option<&'a Table> {
        match self.take(name)? {
            Value::Table(table) => Some(table),
            _ => {
                problems.add(self.at(name), msg::NOT_TABLE);
                None
            }
        }
    }

    pub(in crate::questionnaire) fn array(
        &mut self,
        name: &str,
        problems: &mut Problems,
    ) -> Option<&'a Vec<Value>> {
        match self.take(name)? {
            Value::Array(items) => Some(items),
            _ => {
                problems.add(self.at(name), msg::NOT_ARRAY);
                None
            }
        }
    }

    pub(in crate::questionnaire) fn required_array(
        &mut self,
        name: &str,
        problems: &mut Problems,
    ) -> Option<&'a Vec<Value>> {
        if !self.table.contains_key(name) {
            problems.add(self.at(name), msg::REQUIRED);
            return None;
        }
        self.array(name, problems)
    }
}

pub(super) fn is_slug(text: &str) -> bool {
    let bytes = text.as_bytes();
    (3..=64).contains(&bytes.len())
        && bytes.iter().all(|&b| is_key_byte(b))
        && bytes.first() != Some(&b'-')
        && bytes.last() != Some(&b'-')
}

pub(super) fn is_key(text: &str) -> bool {
    let bytes = text.as_bytes();
    (1..=63).contains(&bytes.len())
        && bytes.iter().all(|&b| is_key_byte(b))
        && bytes.first() != Some(&b'-')
}

pub(super) fn is_key_byte(byte: u8) -> bool {
    byte.is_ascii_lowercase() || byte.is_ascii_digit() || byte == b'-'
}
