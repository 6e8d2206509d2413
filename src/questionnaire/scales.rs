//! Built-in Likert scales, available to every questionnaire by name.

use super::definition::{Choice, Scale};

/// Names of the built-in scales, as used in `scale = "…"`.
pub const BUILTIN_SCALES: &[&str] = &["agreement", "frequency"];

const DONT_KNOW: (&str, &str) = ("dont-know", "Don't know");

/// The built-in scale with this name.
pub fn builtin(name: &str) -> Option<Scale> {
    match name {
        "agreement" => Some(agreement()),
        "frequency" => Some(frequency()),
        _ => None,
    }
}

/// Strongly disagree … Strongly agree, plus "Don't know".
pub fn agreement() -> Scale {
    scale(
        "agreement",
        &[
            ("strongly-disagree", "Strongly disagree"),
            ("disagree", "Disagree"),
            ("neither", "Neither agree nor disagree"),
            ("agree", "Agree"),
            ("strongly-agree", "Strongly agree"),
        ],
    )
}

/// Never … Always, plus "Don't know".
pub fn frequency() -> Scale {
    scale(
        "frequency",
        &[
            ("never", "Never"),
            ("rarely", "Rarely"),
            ("sometimes", "Sometimes"),
            ("often", "Often"),
            ("always", "Always"),
        ],
    )
}

fn scale(name: &str, points: &[(&str, &str)]) -> Scale {
    Scale {
        name: name.to_string(),
        points: points.iter().map(|&point| choice(point)).collect(),
        dont_know: Some(choice(DONT_KNOW)),
    }
}

fn choice((value, label): (&str, &str)) -> Choice {
    Choice {
        value: value.to_string(),
        label: label.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agreement_scale_matches_the_contract() {
        let scale = agreement();
        let values: Vec<&str> = scale.choices().map(|c| c.value.as_str()).collect();
        assert_eq!(
            values,
            [
                "strongly-disagree",
                "disagree",
                "neither",
                "agree",
                "strongly-agree",
                "dont-know"
            ]
        );
        let labels: Vec<&str> = scale.choices().map(|c| c.label.as_str()).collect();
        assert_eq!(
            labels,
            [
                "Strongly disagree",
                "Disagree",
                "Neither agree nor disagree",
                "Agree",
                "Strongly agree",
                "Don't know"
            ]
        );
    }

    #[test]
    fn every_builtin_is_found_by_name() {
        for name in BUILTIN_SCALES {
            assert_eq!(builtin(name).map(|s| s.name), Some(name.to_string()));
        }
        assert_eq!(builtin("frequency").map(|s| s.points.len()), Some(5));
        assert!(builtin("likelihood").is_none());
    }
}
