//! Seed 002's monitoring, as rules: what each health metric is measured
//! in and the rollback threshold it is judged against, which metrics are
//! health and which performance, how a window of samples is cut into
//! points a chart can draw, and how far along a train is.

use super::gates::{CellStatus, GateMatrix};
use super::promotion::{
    Criterion, Metric, BURN_RATE_LIMIT, ERROR_RATE_PCT_LIMIT, P95_LATENCY_MS_LIMIT,
    SATURATION_PCT_LIMIT,
};
use chrono::Duration;
use serde::{Deserialize, Serialize};

/// Seed 002's two service views: health (errors, saturation, the SLO's
/// burn rate) and performance (latency).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum View {
    Health,
    Performance,
}

impl View {
    pub fn metrics(self) -> &'static [Metric] {
        match self {
            Self::Health => &[
                Metric::ErrorRatePct,
                Metric::SaturationPct,
                Metric::BurnRate,
            ],
            Self::Performance => &[Metric::P95LatencyMs],
        }
    }
}

/// What a metric is measured in, and the threshold seed 001's rollback
/// criteria judge it by (above it is a breach once the window holds).
pub fn unit(metric: Metric) -> &'static str {
    match metric {
        Metric::P95LatencyMs => "ms",
        Metric::ErrorRatePct | Metric::SaturationPct => "%",
        Metric::BurnRate => "×",
    }
}

pub fn threshold(metric: Metric) -> f64 {
    match metric {
        Metric::P95LatencyMs => P95_LATENCY_MS_LIMIT,
        Metric::ErrorRatePct => ERROR_RATE_PCT_LIMIT,
        Metric::SaturationPct => SATURATION_PCT_LIMIT,
        Metric::BurnRate => BURN_RATE_LIMIT,
    }
}

/// The rollback criterion a metric is judged by.
pub fn criterion(metric: Metric) -> Criterion {
    match metric {
        Metric::P95LatencyMs => Criterion::P95Latency,
        Metric::ErrorRatePct => Criterion::ErrorRate,
        Metric::SaturationPct => Criterion::Saturation,
        Metric::BurnRate => Criterion::BurnRate,
    }
}

/// The most points a series has: a window is cut into buckets of equal
/// width, each drawn as its worst (highest) sample, so a spike shows
/// whatever the window's length.
pub const MAX_POINTS: i64 = 240;

/// How many hours a series covers by default, and at most (30 days).
pub const DEFAULT_HOURS: u32 = 24;
pub const MAX_HOURS: u32 = 720;

/// The window asked for, in hours: 1 to 720, 24 when not said.
pub fn window_hours(asked: Option<u32>) -> Result<u32, String> {
    match asked {
        None => Ok(DEFAULT_HOURS),
        Some(h) if (1..=MAX_HOURS).contains(&h) => Ok(h),
        Some(h) => Err(format!("hours is 1 to {MAX_HOURS} (30 days), not {h}")),
    }
}

/// The width of one point's bucket for a window of `hours`: at least a
/// minute, so that at most [`MAX_POINTS`] points cover the window.
pub fn bucket(hours: u32) -> Duration {
    let seconds = i64::from(hours) * 3600 / MAX_POINTS;
    Duration::seconds(seconds.max(60))
}

/// How far along something is: `done` of `total`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Progress {
    pub done: usize,
    pub total: usize,
    /// `done` of `total` in percent; 100 when there is nothing to do.
    pub percent: f64,
}

impl Progress {
    pub fn new(done: usize, total: usize) -> Self {
        let percent = if total == 0 {
            100.0
        } else {
            (done as f64 * 1000.0 / total as f64).round() / 10.0
        };
        Self {
            done,
            total,
            percent,
        }
    }
}

/// The gate cells that passed, of those that apply.
pub fn gate_progress(matrix: &GateMatrix) -> Progress {
    let cells = matrix
        .cells
        .iter()
        .flatten()
        .filter(|c| c.status != CellStatus::NotApplicable);
    let (passed, total) = cells.fold((0, 0), |(p, t), c| {
        (p + usize::from(c.status == CellStatus::Passed), t + 1)
    });
    Progress::new(passed, total)
}

/// Participants free to release: each of the services it depends on within
/// the train is released already. `participants` are (service, released,
/// the train's services it depends on).
pub fn dependency_progress(participants: &[(String, bool, Vec<String>)]) -> Progress {
    let released = |name: &str| {
        participants
            .iter()
            .any(|(service, done, _)| service == name && *done)
    };
    let free = participants
        .iter()
        .filter(|(_, _, deps)| deps.iter().all(|d| released(d)))
        .count();
    Progress::new(free, participants.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_window_is_one_to_thirty_days_and_at_most_240_points() {
        assert_eq!(window_hours(None), Ok(24));
        assert_eq!(window_hours(Some(720)), Ok(720));
        assert!(window_hours(Some(0)).is_err());
        assert!(window_hours(Some(721)).unwrap_err().contains("720"));
        assert_eq!(bucket(1), Duration::minutes(1), "never under a minute");
        assert_eq!(bucket(24), Duration::seconds(360));
        for hours in [1, 24, 168, 720] {
            let points = i64::from(hours) * 3600 / bucket(hours).num_seconds();
            assert!(points <= MAX_POINTS, "{hours} h: {points} points");
        }
    }

    #[test]
    fn each_metric_has_its_view_unit_and_seed_001_threshold() {
        assert_eq!(View::Performance.metrics(), [Metric::P95LatencyMs]);
        assert_eq!(View::Health.metrics().len(), 3);
        assert_eq!(threshold(Metric::P95LatencyMs), 1500.0);
        assert_eq!(threshold(Metric::ErrorRatePct), 2.0);
        assert_eq!(unit(Metric::BurnRate), "×");
    }

    #[test]
    fn a_criterion_is_named_as_breach_records_store_it() {
        for metric in Metric::ALL {
            let c = criterion(metric);
            assert_eq!(serde_json::to_value(c).unwrap(), c.as_str());
        }
    }

    #[test]
    fn progress_is_a_share_in_percent_and_nothing_to_do_is_done() {
        assert_eq!(Progress::new(1, 3).percent, 33.3);
        assert_eq!(Progress::new(0, 0).percent, 100.0);
    }

    #[test]
    fn a_participant_is_free_once_what_it_depends_on_is_released() {
        let p = |s: &str, done, deps: &[&str]| {
            (
                s.to_owned(),
                done,
                deps.iter().map(|d| d.to_string()).collect(),
            )
        };
        let train = [
            p("curve", true, &[]),
            p("backtesting", false, &["curve"]),
            p("scenario", false, &["curve", "backtesting"]),
        ];
        assert_eq!(dependency_progress(&train), Progress::new(2, 3));
    }
}
