//! Questionnaires the tests import.

/// A small questionnaire covering every question type and a show_if rule.
pub const SMALL_QUESTIONNAIRE: &str = r#"
slug = "test-survey"
title = "Test survey"
introduction = "Tell us what you think."
privacy_notice = "Your answers are anonymous."
min_group_size = 5

[[sections]]
key = "about-you"
title = "About you"
[[sections.questions]]
key = "agency"
type = "single"
text = "Which organisation do you work for?"
options = [{ value = "council", label = "Council" }, { value = "police", label = "Police" }, "Health"]
required = true
breakdown = true

[[sections]]
key = "work"
title = "Your work"
[[sections.questions]]
key = "thresholds"
type = "likert"
scale = "agreement"
text = "I understand the thresholds."
required = true
[[sections.questions]]
key = "training"
type = "multi"
text = "Which training have you attended?"
options = ["Neglect", "Exploitation", "Domestic abuse"]
max_choices = 2
[[sections.questions]]
key = "caseload"
type = "number"
text = "How many children are allocated to you?"
min = 0
max = 60
integer = true
show_if = { question = "agency", any_of = ["council"] }
[[sections.questions]]
key = "comment"
type = "text"
text = "Anything else?"
long = true
max_length = 200

[[sections]]
key = "police"
title = "Police"
[[sections.questions]]
key = "joint-visits"
type = "single"
text = "Do you do joint visits?"
options = ["Yes", "No"]
show_if = { question = "agency", any_of = ["police"] }
"#;
