//! The questionnaire's own fields, its sections, their introductions and their questions.

use super::*;

pub(super) fn read_questionnaire(table: &Table, problems: &mut Problems) -> Option<Questionnaire> {
    let mut fields = Fields::new(table, "");
    let slug = fields.required_string("slug", problems);
    if let Some(slug) = &slug {
        if !is_slug(slug) {
            problems.add("slug", msg::INVALID_SLUG);
        }
    }
    let title = fields.required_string("title", problems);
    let introduction = fields.string("introduction", problems).unwrap_or_default();
    let privacy_notice = fields
        .string("privacy_notice", problems)
        .unwrap_or_default();
    let opens_on = fields.date("opens_on", problems);
    let closes_on = fields.date("closes_on", problems);
    if let (Some(opens), Some(closes)) = (opens_on, closes_on) {
        if closes < opens {
            problems.add("closes_on", msg::closes_before_opens(opens));
        }
    }
    let min_group_size = fields.integer("min_group_size", 5, 2..=1000, problems);
    let comments_threshold = fields.integer("comments_threshold", 10, 1..=100_000, problems);
    let open_link = fields.bool("open_link", true, problems);
    let reminders = fields
        .table("reminders", problems)
        .map(|table| read_reminders(table, problems))
        .unwrap_or_default();
    let scales = fields
        .table("scales", problems)
        .map(|table| read_scales(table, problems))
        .unwrap_or_default();
    let contact = fields
        .table("contact", problems)
        .and_then(|table| crate::questionnaire::contact::read_contact(table, problems));
    let sections = fields.required_array("sections", problems);
    fields.report_unread(problems);
    let sections = read_sections(sections?, &scales, problems)?;
    Some(Questionnaire {
        slug: slug?,
        title: title?,
        introduction,
        privacy_notice,
        contact,
        opens_on,
        closes_on,
        min_group_size,
        comments_threshold,
        open_link,
        reminders,
        sections,
    })
}

pub(super) fn read_reminders(table: &Table, problems: &mut Problems) -> ReminderPolicy {
    let defaults = ReminderPolicy::default();
    let mut fields = Fields::new(table, "reminders");
    let policy = ReminderPolicy {
        first_after_days: fields.integer(
            "first_after_days",
            defaults.first_after_days,
            1..=365,
            problems,
        ),
        every_days: fields.integer("every_days", defaults.every_days, 1..=365, problems),
        max: fields.integer("max", defaults.max, 0..=365, problems),
        audience: match fields.string("audience", problems) {
            None => defaults.audience,
            Some(raw) => ReminderAudience::parse(&raw).unwrap_or_else(|| {
                problems.add("reminders.audience", msg::NOT_AUDIENCE);
                defaults.audience
            }),
        },
    };
    fields.report_unread(problems);
    policy
}

/// What later checks need to know about a question, even one with problems of its own.
pub(super) struct QuestionInfo {
    pub(super) section: usize,
    pub(super) location: String,
    pub(super) type_name: Option<&'static str>,
    /// Option values, when the question was read without problems (empty for text and number).
    pub(super) values: Option<Vec<String>>,
}

/// A `show_if` to check once every question is known.
pub(super) struct Condition {
    pub(super) location: String,
    pub(super) section: usize,
    pub(super) show_if: ShowIf,
}

pub(super) struct Context<'a> {
    pub(super) scales: &'a FileScales,
    pub(super) section_keys: HashMap<String, String>,
    pub(super) questions: HashMap<String, QuestionInfo>,
    pub(super) conditions: Vec<Condition>,
}

pub(super) fn read_sections(
    items: &[Value],
    scales: &FileScales,
    problems: &mut Problems,
) -> Option<Vec<Section>> {
    if items.is_empty() {
        problems.add("sections", msg::NO_SECTIONS);
        return None;
    }
    let mut context = Context {
        scales,
        section_keys: HashMap::new(),
        questions: HashMap::new(),
        conditions: Vec::new(),
    };
    let sections: Vec<Option<Section>> = items
        .iter()
        .enumerate()
        .map(|(index, item)| read_section(index, item, &mut context, problems))
        .collect();
    check_conditions(&context, problems);
    sections.into_iter().collect()
}

pub(super) fn read_section(
    index: usize,
    value: &Value,
    context: &mut Context<'_>,
    problems: &mut Problems,
) -> Option<Section> {
    let base = format!("sections[{}]", index + 1);
    let Value::Table(table) = value else {
        problems.add(base, msg::NOT_TABLE);
        return None;
    };
    let location = labelled(base.clone(), table);
    let mut fields = Fields::new(table, location.clone());
    let key = fields.required_string("key", problems);
    let key = key.filter(|key| check_key(key, &fields.at("key"), problems));
    if let Some(key) = &key {
        if let Some(first) = context.section_keys.get(key) {
            problems.add(fields.at("key"), msg::duplicate_key(key, first));
        } else {
            context.section_keys.insert(key.clone(), location.clone());
        }
    }
    let title = fields.required_string("title", problems);
    let introduction = fields.optional_text("introduction", problems);
    let intro_parts = fields
        .array("intro_parts", problems)
        .map(|items| read_intro_parts(index, &fields.at("intro_parts"), items, context, problems))
        .unwrap_or_default();
    let questions = fields.required_array("questions", problems);
    fields.report_unread(problems);
    let questions = read_questions(
        index,
        &base,
        questions?,
        &fields.at("questions"),
        context,
        problems,
    )?;
    Some(Section {
        key: key?,
        title: title?,
        introduction,
        intro_parts,
        questions,
    })
}

/// `[[sections.intro_parts]]`: `text`, and an optional `show_if` checked like a question's.
pub(super) fn read_intro_parts(
    section: usize,
    location: &str,
    items: &[Value],
    context: &mut Context<'_>,
    problems: &mut Problems,
) -> Vec<IntroPart> {
    let mut parts = Vec::new();
    for (index, item) in items.iter().enumerate() {
        let base = format!("{location}[{}]", index + 1);
        let Value::Table(table) = item else {
            problems.add(base, msg::NOT_TABLE);
            continue;
        };
        let mut fields = Fields::new(table, base.clone());
        let text = fields.required_string("text", problems);
        let show_if = fields
            .table("show_if", problems)
            .and_then(|table| read_show_if(table, &fields.at("show_if"), problems));
        fields.report_unread(problems);
        if let Some(show_if) = &show_if {
            context.conditions.push(Condition {
                location: base,
                section,
                show_if: show_if.clone(),
            });
        }
        if let Some(text) = text {
            parts.push(IntroPart { text, show_if });
        }
    }
    parts
}

pub(super) fn read_questions(
    section: usize,
    section_base: &str,
    items: &[Value],
    location: &str,
    context: &mut Context<'_>,
    problems: &mut Problems,
) -> Option<Vec<Question>> {
    if items.is_empty() {
        problems.add(location, msg::NO_QUESTIONS);
        return None;
    }
    let questions: Vec<Option<Question>> = items
        .iter()
        .enumerate()
        .map(|(index, item)| {
            let base = format!("{section_base}.questions[{}]", index + 1);
            read_question(section, base, item, context, problems)
        })
        .collect();
    questions.into_iter().collect()
}

pub(super) fn check_key(key: &str, location: &str, problems: &mut Problems) -> bool {
    let valid = is_key(key);
    if !valid {
        problems.add(location, msg::INVALID_KEY);
    }
    valid
}

#[derive(Clone, Copy, PartialEq)]
pub(super) enum QuestionType {
    Single,
    Multi,
    Likert,
    Text,
    Number,
}

impl QuestionType {
    fn from_name(name: &str) -> Option<Self> {
        match name {
            "single" => Some(QuestionType::Single),
            "multi" => Some(QuestionType::Multi),
            "likert" => Some(QuestionType::Likert),
            "text" => Some(QuestionType::Text),
            "number" => Some(QuestionType::Number),
            _ => None,
        }
    }

    fn name(self) -> &'static str {
        match self {
            QuestionType::Single => "single",
            QuestionType::Multi => "multi",
            QuestionType::Likert => "likert",
            QuestionType::Text => "text",
            QuestionType::Number => "number",
        }
    }
}

pub(super) fn read_question(
    section: usize,
    base: String,
    value: &Value,
    context: &mut Context<'_>,
    problems: &mut Problems,
) -> Option<Question> {
    let Value::Table(table) = value else {
        problems.add(base, msg::NOT_TABLE);
        return None;
    };
    let location = labelled(base, table);
    let mut fields = Fields::new(table, location.clone());
    let key = fields
        .required_string("key", problems)
        .filter(|key| check_key(key, &fields.at("key"), problems));
    let question_type = read_question_type(&mut fields, problems);
    let text = fields.required_string("text", problems);
    let hint = fields.optional_text("hint", problems);
    let required = fields.bool("required", false, problems);
    let breakdown = fields.bool("breakdown", false, problems);
    if breakdown && question_type.is_some_and(|t| t != QuestionType::Single) {
        problems.add(fields.at("breakdown"), msg::BREAKDOWN_NOT_SINGLE);
    }
    let show_if = fields
        .table("show_if", problems)
        .and_then(|table| read_show_if(table, &fields.at("show_if"), problems));
    let reverse =
        question_type == Some(QuestionType::Likert) && fields.bool("reverse", false, problems);
    let kind = question_type.and_then(|t| read_kind(t, &mut fields, context.scales, problems));
    report_unread_question_fields(&fields, question_type, problems);

    if let Some(key) = &key {
        register_question(
            key,
            section,
            &location,
            question_type,
            kind.as_ref(),
            context,
            problems,
        );
        if let Some(show_if) = &show_if {
            context.conditions.push(Condition {
                location: location.clone(),
                section,
                show_if: show_if.clone(),
            });
        }
    }
    Some(Question {
        key: key?,
        text: text?,
        hint,
        required,
        breakdown,
        show_if,
        kind: kind?,
        reverse,
    })
}

pub(super) fn read_question_type(
    fields: &mut Fields<'_>,
    problems: &mut Problems,
) -> Option<QuestionType> {
    let name = fields.required_string("type", problems)?;
    let question_type = QuestionType::from_name(&name);
    if question_type.is_none() {
        problems.add(fields.at("type"), msg::unknown_type(&name));
    }
    question_type
}

pub(super) fn report_unread_question_fields(
    fields: &Fields<'_>,
    question_type: Option<QuestionType>,
    problems: &mut Problems,
) {
    for name in fields.unread() {
        if !TYPE_SPECIFIC_FIELDS.contains(&name) {
            problems.add(fields.at(name), msg::UNKNOWN_FIELD);
        } else if let Some(question_type) = question_type {
            problems.add(
                fields.at(name),
                msg::field_not_for_type(question_type.name()),
            );
        }
    }
}

pub(super) fn register_question(
    key: &str,
    section: usize,
    location: &str,
    question_type: Option<QuestionType>,
    kind: Option<&QuestionKind>,
    context: &mut Context<'_>,
    problems: &mut Problems,
) {
    if let Some(first) = context.questions.get(key) {
        problems.add(
            format!("{location}.key"),
            msg::duplicate_key(key, &first.location),
        );
        return;
    }
    let values = kind.map(question_values);
    context.questions.insert(
        key.to_string(),
        QuestionInfo {
            section,
            location: location.to_string(),
            type_name: question_type.map(QuestionType::name),
            values,
        },
    );
}

pub(super) fn question_values(kind: &QuestionKind) -> Vec<String> {
    match kind {
        QuestionKind::Single { options } | QuestionKind::Multi { options, .. } => {
            options.iter().map(|choice| choice.value.clone()).collect()
        }
        QuestionKind::Likert { scale } => {
            scale.choices().map(|choice| choice.value.clone()).collect()
        }
        QuestionKind::Text { .. } | QuestionKind::Number { .. } => Vec::new(),
    }
}

pub(super) fn read_kind(
    question_type: QuestionType,
    fields: &mut Fields<'_>,
    file_scales: &FileScales,
    problems: &mut Problems,
) -> Option<QuestionKind> {
    match question_type {
        QuestionType::Single => Some(QuestionKind::Single {
            options: read_options(fields, problems)?,
        }),
        QuestionType::Multi => read_multi(fields, problems),
        QuestionType::Likert => Some(QuestionKind::Likert {
            scale: read_scale_reference(fields, file_scales, problems)?,
        }),
        QuestionType::Text => Some(read_text(fields, problems)),
        QuestionType::Number => read_number(fields, problems),
    }
}

pub(super) fn read_options(
    fields: &mut Fields<'_>,
    problems: &mut Problems,
) -> Option<Vec<Choice>> {
    let items = fields.required_array("options", problems)?;
    let location = fields.at("options");
    let options = read_choices(items, &location, problems)?;
    if options.len() < 2 {
        problems.add(&location, msg::TOO_FEW_OPTIONS);
        return None;
    }
    let values = options.iter().map(|choice| choice.value.as_str());
    check_unique("option values", values, &location, problems).then_some(options)
}

pub(super) fn read_multi(fields: &mut Fields<'_>, problems: &mut Problems) -> Option<QuestionKind> {
    let options = read_options(fields, problems);
    let most = options
        .as_ref()
        .map_or(i64::from(u32::MAX), |options| options.len() as i64);
    let max_choices = fields.optional_integer("max_choices", 1..=most, problems);
    Some(QuestionKind::Multi {
        options: options?,
        max_choices,
    })
}

pub(super) fn read_scale_reference(
    fields: &mut Fields<'_>,
    file_scales: &FileScales,
    problems: &mut Problems,
) -> Option<Scale> {
    let name = match fields.take("scale") {
        None => DEFAULT_SCALE.to_string(),
        Some(Value::String(name)) => name.clone(),
        Some(_) => {
            problems.add(fields.at("scale"), msg::NOT_STRING);
            return None;
        }
    };
    if let Some(defined) = file_scales.get(&name) {
        return defined.clone();
    }
    let scale = scales::builtin(&name);
    if scale.is_none() {
        problems.add(
            fields.at("scale"),
            msg::unknown_scale(&name, BUILTIN_SCALES),
        );
    }
    scale
}

pub(super) fn read_text(fields: &mut Fields<'_>, problems: &mut Problems) -> QuestionKind {
    let long = fields.bool("long", false, problems);
    let default_length = if long {
        LONG_TEXT_DEFAULT_LENGTH
    } else {
        SHORT_TEXT_DEFAULT_LENGTH
    };
    let max_length = fields.integer("max_length", default_length, MAX_TEXT_LENGTH, problems);
    QuestionKind::Text { long, max_length }
}

pub(super) fn read_number(
    fields: &mut Fields<'_>,
    problems: &mut Problems,
) -> Option<QuestionKind> {
    let min = fields.number("min", problems);
    let max = fields.number("max", problems);
    let integer = fields.bool("integer", true, problems);
    if let (Some(min), Some(max)) = (min, max) {
        if min > max {
            problems.add(fields.at("min"), msg::MIN_ABOVE_MAX);
            return None;
        }
    }
    Some(QuestionKind::Number { min, max, integer })
}
