//! The resolved questionnaire: what a valid TOML file turns into, and what the rest of
//! the application works with (rendering pages, validating answers, reporting results).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Questionnaire {
    pub slug: String,
    pub title: String,
    pub introduction: String,
    pub privacy_notice: String,
    /// Whom respondents contact with questions: named in invitations, reminders, the privacy
    /// notice and the pages that send people to the review team. Optional (a warning on import).
    #[serde(default)]
    pub contact: Option<Contact>,
    pub opens_on: Option<NaiveDate>,
    pub closes_on: Option<NaiveDate>,
    pub min_group_size: u32,
    pub comments_threshold: u32,
    /// Whether the survey accepts anonymous responses through its open link.
    pub open_link: bool,
    pub reminders: ReminderPolicy,
    pub sections: Vec<Section>,
}

/// The review team's contact, as the questionnaire file's `[contact]` table gives it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Contact {
    pub name: String,
    pub email: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ReminderPolicy {
    pub first_after_days: u32,
    pub every_days: u32,
    pub max: u32,
    /// Stored definitions from before this setting read as `NonRespondents`.
    #[serde(default)]
    pub audience: ReminderAudience,
}

/// Who reminders go to. `Everyone` (every invitee not opted out or unreachable, worded for
/// those who already answered) keeps mail logs and the mail folder from saying who responded.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum ReminderAudience {
    #[default]
    NonRespondents,
    Everyone,
}

impl ReminderAudience {
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "non-respondents" => Some(Self::NonRespondents),
            "everyone" => Some(Self::Everyone),
            _ => None,
        }
    }
}

impl Default for ReminderPolicy {
    fn default() -> Self {
        ReminderPolicy {
            first_after_days: 7,
            every_days: 7,
            max: 2,
            audience: ReminderAudience::NonRespondents,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Section {
    pub key: String,
    pub title: String,
    pub introduction: Option<String>,
    /// Introduction paragraphs shown only when their `show_if` holds (after `introduction`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub intro_parts: Vec<IntroPart>,
    pub questions: Vec<Question>,
}

/// `[[sections.intro_parts]]`: a paragraph of a section's introduction, shown to everyone or
/// only when an earlier answer matches (the same `show_if` as questions).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct IntroPart {
    pub text: String,
    pub show_if: Option<ShowIf>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Question {
    pub key: String,
    pub text: String,
    pub hint: Option<String>,
    pub required: bool,
    /// Results may be split by the answers to this question (single questions only).
    pub breakdown: bool,
    pub show_if: Option<ShowIf>,
    pub kind: QuestionKind,
    /// A Likert statement worded so that agreeing (or "always") is unfavourable: summaries
    /// read it the other way round. How results are read, not what respondents see, so it
    /// may change after the survey has opened.
    #[serde(default)]
    pub reverse: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub enum QuestionKind {
    Single {
        options: Vec<Choice>,
    },
    Multi {
        options: Vec<Choice>,
        max_choices: Option<u32>,
    },
    Likert {
        scale: Scale,
    },
    Text {
        long: bool,
        max_length: u32,
    },
    Number {
        min: Option<f64>,
        max: Option<f64>,
        integer: bool,
    },
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Choice {
    pub value: String,
    pub label: String,
}

/// A Likert scale: points ordered from most negative to most positive, and an optional
/// "don't know" answer that is outside the scale.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Scale {
    pub name: String,
    pub points: Vec<Choice>,
    pub dont_know: Option<Choice>,
}

/// Show a question only when the answer to `question` (in an earlier section) is one of
/// `any_of`; for a multi question, when any of its chosen values is.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ShowIf {
    pub question: String,
    pub any_of: Vec<String>,
}

impl Questionnaire {
    /// Whether `today` comes before the opening day (never, without one).
    pub fn before_opening(&self, today: NaiveDate) -> bool {
        self.opens_on.is_some_and(|day| today < day)
    }

    /// Whether the closing day has passed by `today` (never, without one): the closing day
    /// itself still counts as open.
    pub fn past_closing(&self, today: NaiveDate) -> bool {
        self.closes_on.is_some_and(|day| today > day)
    }

    pub fn question(&self, key: &str) -> Option<&Question> {
        self.questions().find(|question| question.key == key)
    }

    /// Index of the section that holds the question `key`.
    pub fn section_of(&self, key: &str) -> Option<usize> {
        self.sections
            .iter()
            .position(|section| section.questions.iter().any(|q| q.key == key))
    }

    /// Every question, in order.
    pub fn questions(&self) -> impl Iterator<Item = &Question> {
        self.sections
            .iter()
            .flat_map(|section| section.questions.iter())
    }

    /// True when both have the same sections (by key) holding the same questions: keys,
    /// types, wording, options, scales, conditions, `required` and `breakdown` all equal.
    /// Titles, introductions, hints, the privacy notice, dates, thresholds and reminders
    /// may differ.
    pub fn same_questions(&self, other: &Questionnaire) -> bool {
        self.sections.len() == other.sections.len()
            && self
                .sections
                .iter()
                .zip(&other.sections)
                .all(|(mine, theirs)| mine.same_questions(theirs))
    }
}

impl Section {
    fn same_questions(&self, other: &Section) -> bool {
        self.key == other.key
            && self.questions.len() == other.questions.len()
            && self
                .questions
                .iter()
                .zip(&other.questions)
                .all(|(mine, theirs)| mine.same_question(theirs))
    }
}

impl Question {
    /// The question's possible values in display order: the options of a single or multi
    /// question; a Likert scale's points then its "don't know"; nothing for text and number.
    pub fn choices(&self) -> Vec<&Choice> {
        self.each_choice().collect()
    }

    /// As `choices`, without collecting them (lookups run once per exported cell).
    fn each_choice(
        &self,
    ) -> std::iter::Chain<std::slice::Iter<'_, Choice>, std::option::IntoIter<&Choice>> {
        match &self.kind {
            QuestionKind::Single { options } | QuestionKind::Multi { options, .. } => {
                options.iter().chain(None)
            }
            QuestionKind::Likert { scale } => scale.points.iter().chain(scale.dont_know.as_ref()),
            QuestionKind::Text { .. } | QuestionKind::Number { .. } => [].iter().chain(None),
        }
    }

    /// The choice with this value, if the question has one.
    pub fn choice(&self, value: &str) -> Option<&Choice> {
        self.each_choice().find(|choice| choice.value == value)
    }

    /// The label shown for a value of a single, multi or Likert question.
    pub fn label_for(&self, value: &str) -> Option<&str> {
        self.choice(value).map(|choice| choice.label.as_str())
    }

    pub fn type_name(&self) -> &'static str {
        self.kind.type_name()
    }

    /// Single, multi and Likert questions: answered by choosing option values.
    pub fn has_choices(&self) -> bool {
        matches!(
            self.kind,
            QuestionKind::Single { .. } | QuestionKind::Multi { .. } | QuestionKind::Likert { .. }
        )
    }

    fn same_question(&self, other: &Question) -> bool {
        self.key == other.key
            && self.text == other.text
            && self.required == other.required
            && self.breakdown == other.breakdown
            && self.show_if == other.show_if
            && self.kind == other.kind
    }
}

impl QuestionKind {
    /// The name used for the type in questionnaire files.
    pub fn type_name(&self) -> &'static str {
        match self {
            QuestionKind::Single { .. } => "single",
            QuestionKind::Multi { .. } => "multi",
            QuestionKind::Likert { .. } => "likert",
            QuestionKind::Text { .. } => "text",
            QuestionKind::Number { .. } => "number",
        }
    }
}

impl Scale {
    /// Points then "don't know".
    pub fn choices(&self) -> impl Iterator<Item = &Choice> {
        self.points.iter().chain(self.dont_know.as_ref())
    }

    fn position(&self, value: &str) -> Option<usize> {
        self.points.iter().position(|point| point.value == value)
    }

    /// 0 for the first point up to 100 for the last, evenly spaced; `None` for
    /// "don't know" and for values not on the scale.
    pub fn score(&self, value: &str) -> Option<f64> {
        let position = self.position(value)?;
        let steps = self
            .points
            .len()
            .checked_sub(1)
            .filter(|&steps| steps > 0)?;
        Some(position as f64 * 100.0 / steps as f64)
    }

    /// Whether the value is one of the positive points: the top two on a scale of four or
    /// more points, otherwise the top one.
    pub fn is_agree(&self, value: &str) -> bool {
        let top = if self.points.len() >= 4 { 2 } else { 1 };
        self.position(value)
            .is_some_and(|position| position + top >= self.points.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::questionnaire::scales;

    fn choice(value: &str) -> Choice {
        Choice {
            value: value.to_string(),
            label: value.to_uppercase(),
        }
    }

    fn question(key: &str, kind: QuestionKind) -> Question {
        Question {
            key: key.to_string(),
            text: format!("Question {key}"),
            hint: None,
            required: false,
            breakdown: false,
            show_if: None,
            kind,
            reverse: false,
        }
    }

    fn sample() -> Questionnaire {
        Questionnaire {
            slug: "sample".to_string(),
            title: "Sample".to_string(),
            introduction: String::new(),
            privacy_notice: String::new(),
            contact: None,
            opens_on: None,
            closes_on: None,
            min_group_size: 5,
            comments_threshold: 10,
            open_link: true,
            reminders: ReminderPolicy::default(),
            sections: vec![
                Section {
                    key: "one".to_string(),
                    title: "One".to_string(),
                    introduction: None,
                    intro_parts: Vec::new(),
                    questions: vec![question(
                        "agency",
                        QuestionKind::Single {
                            options: vec![choice("council"), choice("police")],
                        },
                    )],
                },
                Section {
                    key: "two".to_string(),
                    title: "Two".to_string(),
                    introduction: None,
                    intro_parts: Vec::new(),
                    questions: vec![
                        question(
                            "thresholds",
                            QuestionKind::Likert {
                                scale: scales::agreement(),
                            },
                        ),
                        question(
                            "comment",
                            QuestionKind::Text {
                                long: true,
                                max_length: 5000,
                            },
                        ),
                    ],
                },
            ],
        }
    }

    #[test]
    fn finds_questions_and_their_sections() {
        let q = sample();
        assert_eq!(q.question("comment").map(|q| q.type_name()), Some("text"));
        assert_eq!(q.section_of("agency"), Some(0));
        assert_eq!(q.section_of("comment"), Some(1));
        assert_eq!(q.section_of("nope"), None);
        let keys: Vec<&str> = q.questions().map(|q| q.key.as_str()).collect();
        assert_eq!(keys, ["agency", "thresholds", "comment"]);
    }

    #[test]
    fn choices_of_each_kind() {
        let q = sample();
        let values = |key: &str| -> Vec<String> {
            q.question(key)
                .map(|q| q.choices().iter().map(|c| c.value.clone()).collect())
                .unwrap_or_default()
        };
        assert_eq!(values("agency"), ["council", "police"]);
        assert_eq!(
            values("thresholds"),
            [
                "strongly-disagree",
                "disagree",
                "neither",
                "agree",
                "strongly-agree",
                "dont-know"
            ]
        );
        assert!(values("comment").is_empty());
        let agency = q.question("agency").unwrap();
        assert_eq!(agency.label_for("police"), Some("POLICE"));
        assert_eq!(agency.label_for("fire"), None);
    }

    #[test]
    fn scale_scores_and_agreement() {
        let scale = scales::agreement();
        assert_eq!(scale.score("strongly-disagree"), Some(0.0));
        assert_eq!(scale.score("disagree"), Some(25.0));
        assert_eq!(scale.score("neither"), Some(50.0));
        assert_eq!(scale.score("strongly-agree"), Some(100.0));
        assert_eq!(scale.score("dont-know"), None);
        assert_eq!(scale.score("maybe"), None);
        assert!(scale.is_agree("agree"));
        assert!(scale.is_agree("strongly-agree"));
        assert!(!scale.is_agree("neither"));
        assert!(!scale.is_agree("dont-know"));

        let three = Scale {
            name: "three".to_string(),
            points: vec![choice("no"), choice("partly"), choice("yes")],
            dont_know: None,
        };
        assert!(three.is_agree("yes"));
        assert!(!three.is_agree("partly"));
        assert_eq!(three.score("partly"), Some(50.0));
    }

    #[test]
    fn same_questions_ignores_presentation_only() {
        let original = sample();
        let mut retitled = original.clone();
        retitled.title = "New title".to_string();
        retitled.introduction = "Hello".to_string();
        retitled.privacy_notice = "Private".to_string();
        retitled.opens_on = NaiveDate::from_ymd_opt(2026, 12, 1);
        retitled.reminders.max = 5;
        retitled.sections[0].title = "About you".to_string();
        retitled.sections[1].questions[0].hint = Some("Think about last month".to_string());
        assert!(original.same_questions(&retitled));

        let mut changed = original.clone();
        changed.sections[0].questions[0].kind = QuestionKind::Single {
            options: vec![choice("council"), choice("health")],
        };
        assert!(!original.same_questions(&changed));

        let mut rescaled = original.clone();
        rescaled.sections[1].questions[0].kind = QuestionKind::Likert {
            scale: scales::frequency(),
        };
        assert!(!original.same_questions(&rescaled));

        let mut conditional = original.clone();
        conditional.sections[1].questions[1].show_if = Some(ShowIf {
            question: "agency".to_string(),
            any_of: vec!["police".to_string()],
        });
        assert!(!original.same_questions(&conditional));

        let mut fewer = original.clone();
        fewer.sections[1].questions.pop();
        assert!(!original.same_questions(&fewer));
    }
}
