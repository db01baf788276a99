//! Rollback signals: health samples of one participant in one environment,
//! checked against seed 001's rollback criteria (the golden signals).
//!
//! How the seed's words are read:
//!
//! - **Sustained** ("p95 > 1.5 s for 5 consecutive minutes", "saturation >
//!   80 % sustained 10 minutes"): every sample from some moment up to the
//!   latest one is above the threshold, that moment is at least the window
//!   before `now`, no two neighbouring samples are more than [`MAX_GAP`]
//!   apart, and the latest sample is at most [`MAX_GAP`] old. One sample at
//!   or below the threshold starts the count again.
//! - **Averaged** ("error rate > 2 % over 5 minutes", "burn rate > 2× over
//!   10 min / 1 h"): the mean of the samples in `[now − window, now]` is
//!   above the threshold, and those samples cover the window: none of the
//!   window's start, its end (`now`) or two neighbouring samples is more than
//!   [`MAX_GAP`] apart.
//! - **Burn rate** is multi-window: it breaches only when both the 10-minute
//!   and the 1-hour averages are above 2.
//!
//! Thresholds are strict: a value equal to the threshold is healthy.
//! Samples dated after `now` and values that are not finite numbers are left
//! out, as if they had not been reported.

use super::EnvironmentPolicy;
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;

/// The longest stretch without a sample that still counts as watched.
pub const MAX_GAP: Duration = Duration::minutes(2);

pub const P95_LATENCY_MS_LIMIT: f64 = 1500.0;
pub const P95_LATENCY_WINDOW: Duration = Duration::minutes(5);
pub const ERROR_RATE_PCT_LIMIT: f64 = 2.0;
pub const ERROR_RATE_WINDOW: Duration = Duration::minutes(5);
pub const SATURATION_PCT_LIMIT: f64 = 80.0;
pub const SATURATION_WINDOW: Duration = Duration::minutes(10);
pub const BURN_RATE_LIMIT: f64 = 2.0;
pub const BURN_RATE_SHORT_WINDOW: Duration = Duration::minutes(10);
pub const BURN_RATE_LONG_WINDOW: Duration = Duration::hours(1);

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Metric {
    P95LatencyMs,
    ErrorRatePct,
    SaturationPct,
    /// The SLO error budget's burn rate (1 = spending it exactly on time).
    BurnRate,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown health metric {0:?}; expected p95_latency_ms, error_rate_pct, saturation_pct or burn_rate")]
pub struct UnknownMetric(pub String);

impl Metric {
    pub const ALL: [Metric; 4] = [
        Self::P95LatencyMs,
        Self::ErrorRatePct,
        Self::SaturationPct,
        Self::BurnRate,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::P95LatencyMs => "p95_latency_ms",
            Self::ErrorRatePct => "error_rate_pct",
            Self::SaturationPct => "saturation_pct",
            Self::BurnRate => "burn_rate",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, UnknownMetric> {
        Self::ALL
            .into_iter()
            .find(|m| m.as_str() == raw)
            .ok_or_else(|| UnknownMetric(raw.to_owned()))
    }
}

impl fmt::Display for Metric {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Sample {
    pub at: DateTime<Utc>,
    pub metric: Metric,
    pub value: f64,
}

/// One of seed 001's rollback criteria.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Criterion {
    P95Latency,
    ErrorRate,
    Saturation,
    BurnRate,
}

impl Criterion {
    /// The name the breach records store (`p95_latency`, `error_rate`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::P95Latency => "p95_latency",
            Self::ErrorRate => "error_rate",
            Self::Saturation => "saturation",
            Self::BurnRate => "burn_rate",
        }
    }
}

impl fmt::Display for Criterion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::P95Latency => "p95 latency > 1.5 s for 5 consecutive minutes",
            Self::ErrorRate => "error rate > 2 % over 5 minutes",
            Self::Saturation => "saturation > 80 % sustained 10 minutes",
            Self::BurnRate => "SLO burn rate > 2× over 10 minutes and 1 hour",
        })
    }
}

/// A criterion that holds now.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Breach {
    pub criterion: Criterion,
    /// For a sustained criterion, the first sample of the run above the
    /// threshold; for an averaged one, the start of the (longest) window.
    pub since: DateTime<Utc>,
    /// `p95 latency above 1.5 s for 6 min (peak 2.3 s)`.
    pub detail: String,
}

/// What to do about breaches in one environment: roll back, and whether
/// Trainyard starts it by itself (the environment's `auto_rollback`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RollbackRecommendation {
    pub breaches: Vec<Breach>,
    pub automatic: bool,
}

impl RollbackRecommendation {
    /// The reason recorded with the rollback: every breach's detail.
    pub fn reason(&self) -> String {
        let details: Vec<&str> = self.breaches.iter().map(|b| b.detail.as_str()).collect();
        details.join("; ")
    }
}

/// A recommendation when anything breaches; `None` when all is well.
pub fn recommend(
    policy: &EnvironmentPolicy,
    breaches: Vec<Breach>,
) -> Option<RollbackRecommendation> {
    if breaches.is_empty() {
        return None;
    }
    Some(RollbackRecommendation {
        breaches,
        automatic: policy.auto_rollback,
    })
}

/// Seed 001's criteria that hold at `now`, in the order the seed lists them.
/// `samples` are one participant's in one environment, in any order.
pub fn breaches(samples: &[Sample], now: DateTime<Utc>) -> Vec<Breach> {
    let series = |metric| {
        let mut s: Vec<&Sample> = samples
            .iter()
            .filter(|s| s.metric == metric && s.at <= now && s.value.is_finite())
            .collect();
        s.sort_by_key(|s| s.at);
        s
    };
    let mut out = Vec::new();

    let latency = series(Metric::P95LatencyMs);
    if let Some(run) = sustained(&latency, P95_LATENCY_MS_LIMIT, P95_LATENCY_WINDOW, now) {
        out.push(Breach {
            criterion: Criterion::P95Latency,
            since: run.since,
            detail: format!(
                "p95 latency above 1.5 s for {} (peak {} s)",
                minutes(now - run.since),
                number(run.peak / 1000.0)
            ),
        });
    }

    let errors = series(Metric::ErrorRatePct);
    if let Some(mean) =
        average(&errors, ERROR_RATE_WINDOW, now).filter(|m| *m > ERROR_RATE_PCT_LIMIT)
    {
        out.push(Breach {
            criterion: Criterion::ErrorRate,
            since: now - ERROR_RATE_WINDOW,
            detail: format!(
                "error rate {} % averaged over the last {} (above 2 %)",
                number(mean),
                minutes(ERROR_RATE_WINDOW)
            ),
        });
    }

    let saturation = series(Metric::SaturationPct);
    if let Some(run) = sustained(&saturation, SATURATION_PCT_LIMIT, SATURATION_WINDOW, now) {
        out.push(Breach {
            criterion: Criterion::Saturation,
            since: run.since,
            detail: format!(
                "saturation above 80 % for {} (peak {} %)",
                minutes(now - run.since),
                number(run.peak)
            ),
        });
    }

    let burn = series(Metric::BurnRate);
    let short = average(&burn, BURN_RATE_SHORT_WINDOW, now);
    let long = average(&burn, BURN_RATE_LONG_WINDOW, now);
    if let (Some(short), Some(long)) = (short, long) {
        if short > BURN_RATE_LIMIT && long > BURN_RATE_LIMIT {
            out.push(Breach {
                criterion: Criterion::BurnRate,
                since: now - BURN_RATE_LONG_WINDOW,
                detail: format!(
                    "SLO burn rate {}× over the last 10 min and {}× over the last hour (above 2×)",
                    number(short),
                    number(long)
                ),
            });
        }
    }
    out
}

struct Run {
    since: DateTime<Utc>,
    peak: f64,
}

/// The run of samples above `limit` that ends at the latest sample, if it
/// has lasted `window` by `now`.
fn sustained(series: &[&Sample], limit: f64, window: Duration, now: DateTime<Utc>) -> Option<Run> {
    let last = series.last()?;
    if last.value <= limit || now - last.at > MAX_GAP {
        return None;
    }
    let mut first = series.len() - 1;
    while first > 0 {
        let (before, this) = (series[first - 1], series[first]);
        if before.value <= limit || this.at - before.at > MAX_GAP {
            break;
        }
        first -= 1;
    }
    let run = &series[first..];
    let since = run[0].at;
    (now - since >= window).then(|| Run {
        since,
        peak: run.iter().map(|s| s.value).fold(f64::MIN, f64::max),
    })
}

/// The mean over `[now − window, now]`, if the samples cover the window.
fn average(series: &[&Sample], window: Duration, now: DateTime<Utc>) -> Option<f64> {
    let start = now - window;
    let inside: Vec<&Sample> = series.iter().copied().filter(|s| s.at >= start).collect();
    let (first, last) = (inside.first()?, inside.last()?);
    let gaps_ok = inside.windows(2).all(|w| w[1].at - w[0].at <= MAX_GAP);
    if first.at - start > MAX_GAP || now - last.at > MAX_GAP || !gaps_ok {
        return None;
    }
    // The count is small (minutes of samples), so the cast loses nothing.
    Some(inside.iter().map(|s| s.value).sum::<f64>() / inside.len() as f64)
}

/// `6 min`, `5 min 30 s`.
fn minutes(d: Duration) -> String {
    let secs = d.num_seconds().max(0);
    match (secs / 60, secs % 60) {
        (m, 0) => format!("{m} min"),
        (m, s) => format!("{m} min {s} s"),
    }
}

/// At most two decimals, without trailing zeros: `2.3`, `93`, `1.55`.
fn number(v: f64) -> String {
    let s = format!("{v:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_owned()
}

#[cfg(test)]
#[path = "health_tests.rs"]
mod tests;
