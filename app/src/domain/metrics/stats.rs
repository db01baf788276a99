//! Small statistics over measurements.

/// The median of `values` (the mean of the middle two for an even count);
/// none of nothing.
pub fn median(mut values: Vec<f64>) -> Option<f64> {
    values.retain(|v| v.is_finite());
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    Some(if values.len().is_multiple_of(2) {
        (values[mid - 1] + values[mid]) / 2.0
    } else {
        values[mid]
    })
}

/// `part` of `whole` in percent, rounded to a tenth; none of nothing.
pub fn percent(part: usize, whole: usize) -> Option<f64> {
    (whole > 0).then(|| round1(part as f64 * 100.0 / whole as f64))
}

/// Rounded to one decimal, as the pages show it.
pub fn round1(value: f64) -> f64 {
    (value * 10.0).round() / 10.0
}

/// Hours between two instants, to a hundredth.
pub fn hours(from: chrono::DateTime<chrono::Utc>, to: chrono::DateTime<chrono::Utc>) -> f64 {
    ((to - from).num_seconds() as f64 / 36.0).round() / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medians_of_odd_and_even_counts() {
        assert_eq!(median(vec![5.0, 1.0, 3.0]), Some(3.0));
        assert_eq!(median(vec![4.0, 1.0, 3.0, 2.0]), Some(2.5));
        assert_eq!(median(vec![]), None);
        assert_eq!(median(vec![f64::NAN]), None);
    }

    #[test]
    fn percentages_round_to_a_tenth_and_nothing_is_not_zero() {
        assert_eq!(percent(2, 3), Some(66.7));
        assert_eq!(percent(0, 4), Some(0.0));
        assert_eq!(percent(0, 0), None);
    }
}
