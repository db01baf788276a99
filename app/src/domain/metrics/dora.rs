//! The four DORA measures as series: deployment frequency, lead time for
//! changes, change failure rate and time to restore service.

use super::stats::{hours, median, percent, round1};
use super::success::count_trend;
use super::{DeploymentFact, MetricFacts, MetricWindow};
use crate::domain::deployment::MatchKind;
use crate::models::metrics::{DoraMetric, DoraSeries, Point};
use chrono::{DateTime, NaiveDate, Utc};
use std::collections::{BTreeMap, HashSet};

/// Which deploys and incidents DORA looks at: the named environment's, or
/// all production environments'.
#[derive(Clone, Copy, Debug)]
pub struct DoraScope<'a> {
    pub environment: Option<&'a str>,
}

impl DoraScope<'_> {
    fn holds(&self, environment: &str, production: bool) -> bool {
        match self.environment {
            Some(named) => named == environment,
            None => production,
        }
    }
}

pub fn dora_series(
    metric: DoraMetric,
    window: &MetricWindow,
    facts: &MetricFacts,
    scope: DoraScope<'_>,
) -> DoraSeries {
    // A rollback's redeploy undoes a deployment rather than delivering
    // one: it restores service (time to restore sees it) but is neither a
    // deployment counted for frequency, lead time or failure rate.
    let deploys: Vec<&DeploymentFact> = facts
        .deployments
        .iter()
        .filter(|d| d.matched != MatchKind::Rollback)
        .filter(|d| scope.holds(&d.environment, d.production))
        .collect();
    let (points, overall, counted, of) = match metric {
        DoraMetric::DeploymentFrequency => frequency(window, &deploys),
        DoraMetric::LeadTimeForChanges => lead_time(window, &deploys),
        DoraMetric::ChangeFailureRate => failure_rate(window, &deploys),
        DoraMetric::TimeToRestoreService => time_to_restore(window, facts, &deploys, scope),
    };
    DoraSeries {
        metric,
        unit: metric.unit().into(),
        window: *window,
        points,
        overall,
        counted,
        of,
    }
}

type Measured = (Vec<Point>, Option<f64>, u32, u32);

fn n(count: usize) -> u32 {
    u32::try_from(count).unwrap_or(u32::MAX)
}

/// Successful deploys per bucket; overall, per day.
fn frequency(window: &MetricWindow, deploys: &[&DeploymentFact]) -> Measured {
    let good: Vec<_> = deploys.iter().filter(|d| d.succeeded()).collect();
    let per_day = round1(good.len() as f64 / f64::from(window.days));
    (
        count_trend(window, good.iter().map(|d| d.at)),
        Some(per_day),
        n(good.len()),
        window.days,
    )
}

/// From each change's commit to the successful deploy that shipped it, in
/// hours: the median per bucket and over the window.
fn lead_time(window: &MetricWindow, deploys: &[&DeploymentFact]) -> Measured {
    let shipments = first_shipments(deploys);
    let timed: Vec<(DateTime<Utc>, f64)> = shipments
        .iter()
        .flat_map(|d| {
            d.commits
                .iter()
                .filter(|c| **c <= d.at)
                .map(|c| (d.at, hours(*c, d.at)))
        })
        .collect();
    let shipped = shipments.iter().filter(|d| !d.commits.is_empty()).count();
    (
        median_trend(window, &timed),
        median(timed.iter().map(|t| t.1).collect()),
        n(timed.len()),
        n(shipped),
    )
}

/// The good deploys that first shipped their train's changes to their
/// service, oldest first: deploying a train again (to a second production
/// environment, or after a rollback, in the window or after it shipped
/// before the window) delivers no change a second time.
fn first_shipments<'a>(deploys: &[&'a DeploymentFact]) -> Vec<&'a DeploymentFact> {
    let mut good: Vec<&DeploymentFact> = deploys
        .iter()
        .copied()
        .filter(|d| d.succeeded() && !d.shipped_before)
        .collect();
    good.sort_by_key(|d| d.at);
    let mut shipped = HashSet::new();
    good.retain(|d| {
        d.train
            .as_deref()
            .is_none_or(|train| shipped.insert((train, d.service.as_str())))
    });
    good
}

/// Failed changes of finished deploys, in percent.
fn failure_rate(window: &MetricWindow, deploys: &[&DeploymentFact]) -> Measured {
    let finished: Vec<_> = deploys.iter().filter(|d| d.finished()).collect();
    let failed = finished.iter().filter(|d| d.failure.is_some()).count();
    let mut tally: BTreeMap<NaiveDate, (usize, usize)> = BTreeMap::new();
    for d in &finished {
        let t = tally.entry(window.bucket_of(d.at)).or_default();
        t.0 += usize::from(d.failure.is_some());
        t.1 += 1;
    }
    let points = window
        .buckets()
        .into_iter()
        .map(|date| Point {
            date,
            value: tally.get(&date).and_then(|(f, of)| percent(*f, *of)),
        })
        .collect();
    (
        points,
        percent(failed, finished.len()),
        n(failed),
        n(finished.len()),
    )
}

/// From an incident's start to its resolution, and from a failed deploy to
/// the next good one of that service there, in hours.
fn time_to_restore(
    window: &MetricWindow,
    facts: &MetricFacts,
    deploys: &[&DeploymentFact],
    scope: DoraScope<'_>,
) -> Measured {
    let incidents: Vec<_> = facts
        .incidents
        .iter()
        .filter(|i| scope.holds(&i.environment, i.production))
        .collect();
    let failed: Vec<_> = deploys
        .iter()
        .filter(|d| d.status == crate::domain::deployment::DeploymentStatus::Failed)
        .collect();
    let restores: Vec<(DateTime<Utc>, f64)> = incidents
        .iter()
        .filter_map(|i| Some((i.started_at, hours(i.started_at, i.resolved_at?))))
        .chain(
            failed
                .iter()
                .filter_map(|d| Some((d.at, hours(d.at, d.recovered_at?)))),
        )
        .collect();
    (
        median_trend(window, &restores),
        median(restores.iter().map(|r| r.1).collect()),
        n(restores.len()),
        n(incidents.len() + failed.len()),
    )
}

fn median_trend(window: &MetricWindow, timed: &[(DateTime<Utc>, f64)]) -> Vec<Point> {
    let mut tally: BTreeMap<NaiveDate, Vec<f64>> = BTreeMap::new();
    for (at, value) in timed {
        tally.entry(window.bucket_of(*at)).or_default().push(*value);
    }
    window
        .buckets()
        .into_iter()
        .map(|date| Point {
            date,
            value: tally.remove(&date).and_then(median),
        })
        .collect()
}
