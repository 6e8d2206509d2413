//! Summaries of numbers from a histogram (value, how many gave it), so they need no scan of
//! the answers: count, mean, median and quartiles.

use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NumberSummary {
    pub count: u64,
    /// `None` where withheld (too few numbers; see `disclosure::bases`).
    pub mean: Option<f64>,
    pub median: Option<f64>,
    pub lower_quartile: Option<f64>,
    pub upper_quartile: Option<f64>,
}

/// Rounds to `places` decimal places, for publishing.
pub fn round(value: f64, places: i32) -> f64 {
    let factor = 10f64.powi(places);
    (value * factor).round() / factor
}

/// The summary of a histogram; `None` when it is empty. Quartiles interpolate linearly
/// between ranks, as spreadsheets' QUARTILE.INC and PERCENTILE.INC do. Figures are rounded to
/// two decimal places.
pub fn summarise(histogram: &[(f64, u64)]) -> Option<NumberSummary> {
    let mut sorted: Vec<(f64, u64)> = histogram.iter().copied().filter(|(_, n)| *n > 0).collect();
    sorted.sort_by(|a, b| a.0.total_cmp(&b.0));
    let count: u64 = sorted.iter().map(|(_, n)| n).sum();
    if count == 0 {
        return None;
    }
    let sum: f64 = sorted.iter().map(|(v, n)| v * *n as f64).sum();
    let quantile = |p: f64| -> f64 {
        let position = (count - 1) as f64 * p;
        let below = position.floor() as u64;
        let fraction = position - below as f64;
        let lower = nth(&sorted, below);
        if fraction == 0.0 {
            lower
        } else {
            lower + (nth(&sorted, below + 1) - lower) * fraction
        }
    };
    Some(NumberSummary {
        count,
        mean: Some(round(sum / count as f64, 2)),
        median: Some(round(quantile(0.5), 2)),
        lower_quartile: Some(round(quantile(0.25), 2)),
        upper_quartile: Some(round(quantile(0.75), 2)),
    })
}

/// The value at rank `index` (from 0) of the expanded, sorted histogram.
fn nth(sorted: &[(f64, u64)], index: u64) -> f64 {
    let mut seen = 0;
    for &(value, n) in sorted {
        seen += n;
        if index < seen {
            return value;
        }
    }
    sorted.last().map_or(0.0, |(value, _)| *value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_matches_a_spreadsheet() {
        // 1, 2, 2, 3, 4, 10: QUARTILE.INC gives 2, 2.5, 3.75; mean 22/6.
        let summary = summarise(&[(10.0, 1), (2.0, 2), (1.0, 1), (3.0, 1), (4.0, 1)]).unwrap();
        assert_eq!(summary.count, 6);
        assert_eq!(summary.mean, Some(3.67));
        assert_eq!(summary.median, Some(2.5));
        assert_eq!(summary.lower_quartile, Some(2.0));
        assert_eq!(summary.upper_quartile, Some(3.75));
        let one = summarise(&[(7.0, 1)]).unwrap();
        assert_eq!(
            (one.median, one.lower_quartile, one.upper_quartile),
            (Some(7.0), Some(7.0), Some(7.0))
        );
        assert_eq!(summarise(&[]), None);
        assert_eq!(summarise(&[(1.0, 0)]), None);
    }
}
