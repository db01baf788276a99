use super::*;
use crate::domain::promotion::fixtures::{policy, t};
use proptest::prelude::*;

fn secs(s: i64) -> DateTime<Utc> {
    t(0) + Duration::seconds(s)
}

fn sample(metric: Metric, at: DateTime<Utc>, value: f64) -> Sample {
    Sample { at, metric, value }
}

/// One sample a minute from `from` to `to` (minutes, inclusive), all `value`.
fn every_minute(metric: Metric, from: i64, to: i64, value: f64) -> Vec<Sample> {
    (from..=to).map(|m| sample(metric, t(m), value)).collect()
}

fn criteria(samples: &[Sample], now: DateTime<Utc>) -> Vec<Criterion> {
    breaches(samples, now)
        .into_iter()
        .map(|b| b.criterion)
        .collect()
}

#[test]
fn p95_latency_breaches_after_five_full_minutes_above_one_and_a_half_seconds() {
    let mut samples = every_minute(Metric::P95LatencyMs, 0, 5, 1800.0);
    samples[2].value = 2300.0;
    let found = breaches(&samples, t(5));
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].criterion, Criterion::P95Latency);
    assert_eq!(found[0].since, t(0));
    assert_eq!(
        found[0].detail,
        "p95 latency above 1.5 s for 5 min (peak 2.3 s)"
    );
}

#[test]
fn four_minutes_fifty_nine_of_high_latency_is_not_yet_a_breach() {
    let mut samples = every_minute(Metric::P95LatencyMs, 0, 4, 1800.0);
    samples.push(sample(Metric::P95LatencyMs, secs(299), 1800.0));
    assert!(breaches(&samples, secs(299)).is_empty());
    samples.push(sample(Metric::P95LatencyMs, secs(300), 1800.0));
    assert_eq!(criteria(&samples, secs(300)), [Criterion::P95Latency]);
}

#[test]
fn a_single_dip_below_the_threshold_starts_the_count_again() {
    let mut samples = every_minute(Metric::P95LatencyMs, 0, 9, 1800.0);
    samples[3].value = 1400.0;
    assert!(
        breaches(&samples[..8], t(7)).is_empty(),
        "4 minutes since the dip"
    );
    let found = breaches(&samples, t(9));
    assert_eq!(found[0].since, t(4));
    assert_eq!(
        found[0].detail,
        "p95 latency above 1.5 s for 5 min (peak 1.8 s)"
    );
}

#[test]
fn exactly_at_the_threshold_is_healthy() {
    let samples = every_minute(Metric::P95LatencyMs, 0, 10, 1500.0);
    assert!(breaches(&samples, t(10)).is_empty());
}

#[test]
fn a_gap_in_the_samples_or_stale_samples_prove_nothing() {
    let mut gap = every_minute(Metric::P95LatencyMs, 0, 2, 1800.0);
    gap.extend(every_minute(Metric::P95LatencyMs, 5, 7, 1800.0));
    assert!(
        breaches(&gap, t(7)).is_empty(),
        "3 minutes without a sample"
    );

    let stale = every_minute(Metric::P95LatencyMs, 0, 6, 1800.0);
    assert!(
        !breaches(&stale, t(8)).is_empty(),
        "2 minutes old still counts"
    );
    assert!(breaches(&stale, t(8) + Duration::seconds(1)).is_empty());
}

#[test]
fn samples_from_the_future_and_non_numbers_are_left_out() {
    let mut samples = every_minute(Metric::P95LatencyMs, 0, 5, 1800.0);
    samples.push(sample(Metric::P95LatencyMs, t(6), 100.0));
    samples[4].value = f64::NAN;
    assert_eq!(criteria(&samples, t(5)), [Criterion::P95Latency]);
}

#[test]
fn the_error_rate_breaches_on_its_five_minute_average() {
    let mut samples = every_minute(Metric::ErrorRatePct, 0, 5, 1.0);
    samples[5].value = 9.0;
    let found = breaches(&samples, t(5));
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].criterion, Criterion::ErrorRate);
    assert_eq!(found[0].since, t(0));
    assert_eq!(
        found[0].detail,
        "error rate 2.33 % averaged over the last 5 min (above 2 %)"
    );
    samples[5].value = 7.0;
    assert!(
        breaches(&samples, t(5)).is_empty(),
        "an average of exactly 2 %"
    );
}

#[test]
fn an_error_rate_needs_samples_spanning_the_window() {
    let late_start = every_minute(Metric::ErrorRatePct, 3, 5, 10.0);
    assert!(breaches(&late_start, t(5)).is_empty());
    let near_start = every_minute(Metric::ErrorRatePct, 2, 5, 10.0);
    assert_eq!(criteria(&near_start, t(5)), [Criterion::ErrorRate]);
}

#[test]
fn saturation_breaches_after_ten_sustained_minutes_above_eighty_percent() {
    let mut samples = every_minute(Metric::SaturationPct, 0, 9, 85.0);
    samples.push(sample(Metric::SaturationPct, secs(599), 93.0));
    assert!(breaches(&samples, secs(599)).is_empty());
    samples.push(sample(Metric::SaturationPct, t(10), 85.0));
    let found = breaches(&samples, t(10));
    assert_eq!(found[0].criterion, Criterion::Saturation);
    assert_eq!(
        found[0].detail,
        "saturation above 80 % for 10 min (peak 93 %)"
    );
}

#[test]
fn burn_rate_breaches_only_when_both_windows_burn_faster_than_twice() {
    let now = t(60);
    let mut both = every_minute(Metric::BurnRate, 0, 60, 2.5);
    both[55].value = 3.6;
    let found = breaches(&both, now);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].criterion, Criterion::BurnRate);
    assert_eq!(found[0].since, t(0));
    assert_eq!(
        found[0].detail,
        "SLO burn rate 2.6× over the last 10 min and 2.52× over the last hour (above 2×)"
    );

    let mut short_only = every_minute(Metric::BurnRate, 0, 49, 1.0);
    short_only.extend(every_minute(Metric::BurnRate, 50, 60, 3.0));
    assert!(breaches(&short_only, now).is_empty());

    let mut long_only = every_minute(Metric::BurnRate, 0, 49, 3.0);
    long_only.extend(every_minute(Metric::BurnRate, 50, 60, 1.0));
    assert!(breaches(&long_only, now).is_empty());

    let only_ten_minutes = every_minute(Metric::BurnRate, 50, 60, 5.0);
    assert!(
        breaches(&only_ten_minutes, now).is_empty(),
        "no hour of data"
    );
}

#[test]
fn several_criteria_are_reported_in_the_seeds_order() {
    let mut samples = every_minute(Metric::SaturationPct, 0, 10, 90.0);
    samples.extend(every_minute(Metric::P95LatencyMs, 0, 10, 1600.0));
    samples.extend(every_minute(Metric::ErrorRatePct, 0, 10, 3.0));
    assert_eq!(
        criteria(&samples, t(10)),
        [
            Criterion::P95Latency,
            Criterion::ErrorRate,
            Criterion::Saturation
        ]
    );
}

#[test]
fn a_breach_recommends_a_rollback_that_prod_starts_by_itself() {
    let samples = every_minute(Metric::P95LatencyMs, 0, 6, 1800.0);
    let found = breaches(&samples, t(6));
    let prod = recommend(&policy("prod"), found.clone()).unwrap();
    assert!(prod.automatic);
    assert_eq!(
        prod.reason(),
        "p95 latency above 1.5 s for 6 min (peak 1.8 s)"
    );
    assert!(!recommend(&policy("stage"), found).unwrap().automatic);
    assert_eq!(recommend(&policy("prod"), vec![]), None);
}

#[test]
fn metrics_parse_back_from_their_names_and_criteria_read_as_the_seed() {
    for m in Metric::ALL {
        assert_eq!(Metric::parse(m.as_str()), Ok(m));
    }
    assert!(Metric::parse("latency").is_err());
    assert_eq!(
        Criterion::P95Latency.to_string(),
        "p95 latency > 1.5 s for 5 consecutive minutes"
    );
}

#[test]
fn durations_with_seconds_read_as_minutes_and_seconds() {
    assert_eq!(minutes(Duration::seconds(330)), "5 min 30 s");
    assert_eq!(number(1.0), "1");
    assert_eq!(number(1.555), "1.55");
}

proptest! {
    #[test]
    fn a_sustained_breach_is_backed_by_samples_above_the_threshold_up_to_now(
        values in proptest::collection::vec(prop_oneof![1000.0..1500.0f64, 1500.1..3000.0f64], 1..20),
        now in 0i64..25,
    ) {
        let samples: Vec<Sample> = values
            .iter()
            .enumerate()
            .map(|(i, v)| sample(Metric::P95LatencyMs, t(i as i64), *v))
            .collect();
        for b in breaches(&samples, t(now)) {
            prop_assert!(t(now) - b.since >= Duration::minutes(5));
            let window: Vec<&Sample> = samples.iter().filter(|s| s.at >= b.since && s.at <= t(now)).collect();
            prop_assert!(window.iter().all(|s| s.value > 1500.0));
            prop_assert!(t(now) - window.last().unwrap().at <= MAX_GAP);
        }
    }
}
