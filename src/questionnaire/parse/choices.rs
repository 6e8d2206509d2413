//! Scales and answer options: the file's own scales, the built-in ones, option values.

use super::*;

/// Scales defined in the file, by name; `None` when the definition has problems (already
/// reported), so that questions using it are not reported again.
pub(super) type FileScales = BTreeMap<String, Option<Scale>>;

pub(super) fn read_scales(table: &Table, problems: &mut Problems) -> FileScales {
    table
        .iter()
        .map(|(name, value)| {
            let location = format!("scales.{name}");
            let scale = read_scale(name, value, &location, problems);
            (name.clone(), scale)
        })
        .collect()
}

pub(super) fn read_scale(
    name: &str,
    value: &Value,
    location: &str,
    problems: &mut Problems,
) -> Option<Scale> {
    let name_ok = check_scale_name(name, location, problems);
    let Value::Table(table) = value else {
        problems.add(location, msg::NOT_TABLE);
        return None;
    };
    let mut fields = Fields::new(table, location);
    let points = fields
        .required_array("points", problems)
        .and_then(|items| read_scale_points(items, &fields.at("points"), problems));
    let dont_know = fields
        .take("dont_know")
        .map(|value| read_choice(value, &fields.at("dont_know"), problems));
    fields.report_unread(problems);
    let points = points?;
    let dont_know = match dont_know {
        None => None,
        Some(Some(choice)) => Some(choice),
        Some(None) => return None,
    };
    let values = points
        .iter()
        .chain(dont_know.as_ref())
        .map(|c| c.value.as_str());
    let unique = check_unique("values", values, location, problems);
    (unique && name_ok).then(|| Scale {
        name: name.to_string(),
        points,
        dont_know,
    })
}

pub(super) fn check_scale_name(name: &str, location: &str, problems: &mut Problems) -> bool {
    if BUILTIN_SCALES.contains(&name) {
        problems.add(location, msg::scale_name_is_builtin(name));
        false
    } else if !is_key(name) {
        problems.add(location, msg::INVALID_KEY);
        false
    } else {
        true
    }
}

pub(super) fn read_scale_points(
    items: &[Value],
    location: &str,
    problems: &mut Problems,
) -> Option<Vec<Choice>> {
    if !SCALE_POINTS.contains(&items.len()) {
        problems.add(
            location,
            msg::scale_points_count(*SCALE_POINTS.start(), *SCALE_POINTS.end()),
        );
        return None;
    }
    read_choices(items, location, problems)
}

/// Reads each element as a choice; `None` if any has a problem.
pub(super) fn read_choices(
    items: &[Value],
    location: &str,
    problems: &mut Problems,
) -> Option<Vec<Choice>> {
    let choices: Vec<Option<Choice>> = items
        .iter()
        .enumerate()
        .map(|(index, item)| read_choice(item, &format!("{location}[{}]", index + 1), problems))
        .collect();
    choices.into_iter().collect()
}

/// `"Police"` (the value is the label) or `{ value = "police", label = "Police" }`.
pub(super) fn read_choice(
    value: &Value,
    location: &str,
    problems: &mut Problems,
) -> Option<Choice> {
    match value {
        Value::String(text) => check_option_value(text, location, problems).then(|| Choice {
            value: text.clone(),
            label: text.clone(),
        }),
        Value::Table(table) => read_choice_table(table, location, problems),
        _ => {
            problems.add(location, msg::NOT_CHOICE);
            None
        }
    }
}

pub(super) fn read_choice_table(
    table: &Table,
    location: &str,
    problems: &mut Problems,
) -> Option<Choice> {
    let mut fields = Fields::new(table, location);
    let value = if fields.table.contains_key("value") {
        fields
            .string("value", problems)
            .filter(|value| check_option_value(value, &fields.at("value"), problems))
    } else {
        problems.add(fields.at("value"), msg::REQUIRED);
        None
    };
    let label = fields.required_string("label", problems);
    fields.report_unread(problems);
    Some(Choice {
        value: value?,
        label: label?,
    })
}

pub(super) fn check_option_value(value: &str, location: &str, problems: &mut Problems) -> bool {
    let problem = if value.is_empty() {
        Some(msg::EMPTY.to_string())
    } else if value.chars().count() > MAX_OPTION_VALUE_CHARS {
        Some(msg::option_value_too_long(MAX_OPTION_VALUE_CHARS))
    } else if value.trim() != value {
        Some(msg::OPTION_VALUE_SPACES.to_string())
    } else {
        None
    };
    match problem {
        Some(message) => {
            problems.add(location, message);
            false
        }
        None => true,
    }
}

/// Reports each value that appears more than once; true when all are unique.
pub(super) fn check_unique<'v>(
    what: &str,
    values: impl Iterator<Item = &'v str>,
    location: &str,
    problems: &mut Problems,
) -> bool {
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for value in values {
        match counts.iter_mut().find(|(seen, _)| *seen == value) {
            Some((_, count)) => *count += 1,
            None => counts.push((value, 1)),
        }
    }
    let mut unique = true;
    for (value, count) in counts.into_iter().filter(|(_, count)| *count > 1) {
        problems.add(location, msg::duplicate_values(what, value, count));
        unique = false;
    }
    unique
}
