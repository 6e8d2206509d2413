//! `show_if`: read with each question, checked once every question is known.

use super::*;

pub(super) fn read_show_if(
    table: &Table,
    location: &str,
    problems: &mut Problems,
) -> Option<ShowIf> {
    let mut fields = Fields::new(table, location);
    let question = fields.required_string("question", problems);
    let any_of = fields
        .required_array("any_of", problems)
        .and_then(|items| read_any_of(items, &fields.at("any_of"), problems));
    fields.report_unread(problems);
    Some(ShowIf {
        question: question?,
        any_of: any_of?,
    })
}

pub(super) fn read_any_of(
    items: &[Value],
    location: &str,
    problems: &mut Problems,
) -> Option<Vec<String>> {
    if items.is_empty() {
        problems.add(location, msg::SHOW_IF_NO_VALUES);
        return None;
    }
    let values: Vec<Option<String>> = items
        .iter()
        .enumerate()
        .map(|(index, item)| match item {
            Value::String(value) => Some(value.clone()),
            _ => {
                problems.add(format!("{location}[{}]", index + 1), msg::NOT_STRING);
                None
            }
        })
        .collect();
    values.into_iter().collect()
}

pub(super) fn check_conditions(context: &Context<'_>, problems: &mut Problems) {
    for condition in &context.conditions {
        check_condition(condition, &context.questions, problems);
    }
}

pub(super) fn check_condition(
    condition: &Condition,
    questions: &HashMap<String, QuestionInfo>,
    problems: &mut Problems,
) {
    let ShowIf {
        question: key,
        any_of,
    } = &condition.show_if;
    let at = |field: &str| format!("{}.show_if.{field}", condition.location);
    let Some(target) = questions.get(key) else {
        problems.add(at("question"), msg::show_if_unknown_question(key));
        return;
    };
    if target.section >= condition.section {
        let same_section = target.section == condition.section;
        problems.add(at("question"), msg::show_if_not_earlier(key, same_section));
        return;
    }
    if let Some(type_name) = target.type_name {
        if !matches!(type_name, "single" | "multi" | "likert") {
            problems.add(at("question"), msg::show_if_wrong_type(key, type_name));
            return;
        }
    }
    let Some(values) = &target.values else {
        return;
    };
    for (index, value) in any_of.iter().enumerate() {
        if !values.contains(value) {
            problems.add(
                at(&format!("any_of[{}]", index + 1)),
                msg::show_if_not_an_option(value, key),
            );
        }
    }
}
