//! Seed 003's four success metrics, each with its target, the counts
//! behind it, its trend and the items it was counted from.

use super::stats::{percent, round1};
use super::{DeploymentFact, MetricFacts, MetricWindow};
use crate::models::metrics::{Point, SuccessItem, SuccessKey, SuccessMetric};
use chrono::{DateTime, NaiveDate, Utc};
use std::collections::BTreeMap;

/// The cadence target: deploys on the cadence's days, of all deploys.
pub const ON_CADENCE_TARGET: f64 = 70.0;
/// At most this many postponements a month.
pub const POSTPONEMENTS_TARGET: f64 = 1.0;
/// A metric lists at most this many items, newest first; its counts are
/// always over all of them.
pub const MAX_ITEMS: usize = 200;

pub fn success_metrics(window: &MetricWindow, facts: &MetricFacts) -> Vec<SuccessMetric> {
    vec![
        on_cadence(window, facts),
        unscheduled_pages(window, facts),
        postponements(window, facts),
        reviews_citing_a_tag(window, facts),
    ]
}

fn on_cadence(window: &MetricWindow, facts: &MetricFacts) -> SuccessMetric {
    let deploys: Vec<(&DeploymentFact, bool)> = facts
        .deployments
        .iter()
        .zip(facts.on_cadence.iter().copied())
        .filter(|(d, _)| d.succeeded())
        .collect();
    let counted = deploys.iter().filter(|(_, on)| *on).count();
    let value = percent(counted, deploys.len());
    let trend = ratio_trend(window, deploys.iter().map(|(d, on)| (d.at, *on)));
    let items = deploys
        .iter()
        .map(|(d, on)| SuccessItem {
            at: d.at,
            label: d.label(),
            link: Some(format!("/services/{}", d.service)),
            counted: *on,
            note: format!(
                "{}, {}",
                if *on { "on cadence" } else { "off cadence" },
                d.matched.as_str()
            ),
        })
        .collect();
    SuccessMetric {
        key: SuccessKey::OnCadence,
        goal: "Predictable cadence".into(),
        label: "Deploys on the cadence's days, of all deploys".into(),
        unit: "%".into(),
        value,
        target: format!("≥ {ON_CADENCE_TARGET} %"),
        met: value.map(|v| v >= ON_CADENCE_TARGET),
        counted: count(counted),
        of: Some(count(deploys.len())),
        categories: Vec::new(),
        trend,
        items: newest(items),
    }
}

fn unscheduled_pages(window: &MetricWindow, facts: &MetricFacts) -> SuccessMetric {
    let pages: Vec<_> = facts
        .incidents
        .iter()
        .filter(|i| !i.unscheduled_deploys.is_empty())
        .collect();
    let items = pages
        .iter()
        .map(|i| SuccessItem {
            at: i.started_at,
            label: i.title.clone(),
            link: None,
            counted: true,
            note: format!("after {}", i.unscheduled_deploys.join(", ")),
        })
        .collect();
    SuccessMetric {
        key: SuccessKey::UnscheduledPages,
        goal: "Reduced surprise deploys".into(),
        label: "Pages for unscheduled deploys (hotfixes excluded)".into(),
        unit: "pages".into(),
        value: Some(pages.len() as f64),
        target: "0".into(),
        met: Some(pages.is_empty()),
        counted: count(pages.len()),
        of: None,
        categories: Vec::new(),
        trend: count_trend(window, pages.iter().map(|i| i.started_at)),
        items: newest(items),
    }
}

fn postponements(window: &MetricWindow, facts: &MetricFacts) -> SuccessMetric {
    let all = &facts.postponements;
    let value = round1(all.len() as f64 / window.months());
    let mut categories: BTreeMap<&str, u32> = BTreeMap::new();
    for p in all {
        *categories.entry(p.category.as_str()).or_default() += 1;
    }
    let mut categories: Vec<(String, u32)> = categories
        .into_iter()
        .map(|(c, n)| (c.to_owned(), n))
        .collect();
    categories.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let items = all
        .iter()
        .map(|p| SuccessItem {
            at: p.at,
            label: p.train.clone(),
            link: Some(format!("/trains/{}", p.train)),
            counted: true,
            note: match &p.reason {
                Some(reason) => format!("{}: {reason}", p.category),
                None => p.category.clone(),
            },
        })
        .collect();
    SuccessMetric {
        key: SuccessKey::Postponements,
        goal: "Coordinated chain ops".into(),
        label: "Train postponements per month".into(),
        unit: "per month".into(),
        value: Some(value),
        target: format!("≤ {POSTPONEMENTS_TARGET} per month"),
        met: Some(value <= POSTPONEMENTS_TARGET),
        counted: count(all.len()),
        of: None,
        categories,
        trend: count_trend(window, all.iter().map(|p| p.at)),
        items: newest(items),
    }
}

fn reviews_citing_a_tag(window: &MetricWindow, facts: &MetricFacts) -> SuccessMetric {
    let reviews: Vec<_> = facts
        .incidents
        .iter()
        .filter(|i| i.review_url.is_some())
        .collect();
    let citing = |i: &crate::domain::metrics::IncidentFact| !i.cited_trains.is_empty();
    let counted = reviews.iter().filter(|i| citing(i)).count();
    let value = percent(counted, reviews.len());
    let items = reviews
        .iter()
        .map(|i| SuccessItem {
            at: i.started_at,
            label: i.title.clone(),
            link: i.review_url.clone(),
            counted: citing(i),
            note: if citing(i) {
                format!("cites {}", i.cited_trains.join(", "))
            } else if i.cited_tags.is_empty() {
                "cites no train".into()
            } else {
                format!("cites {}, which name no train", i.cited_tags.join(", "))
            },
        })
        .collect();
    SuccessMetric {
        key: SuccessKey::ReviewsCitingATag,
        goal: "PIR usability".into(),
        label: "Post-incident reviews that cite a train tag".into(),
        unit: "%".into(),
        value,
        target: "100 %".into(),
        met: value.map(|v| v >= 100.0),
        counted: count(counted),
        of: Some(count(reviews.len())),
        categories: Vec::new(),
        trend: ratio_trend(window, reviews.iter().map(|i| (i.started_at, citing(i)))),
        items: newest(items),
    }
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn newest(mut items: Vec<SuccessItem>) -> Vec<SuccessItem> {
    items.sort_by_key(|i| std::cmp::Reverse(i.at));
    items.truncate(MAX_ITEMS);
    items
}

/// Per bucket, the share of `(when, counts)` that count, in percent.
pub(super) fn ratio_trend(
    window: &MetricWindow,
    facts: impl Iterator<Item = (DateTime<Utc>, bool)>,
) -> Vec<Point> {
    let mut tally: BTreeMap<NaiveDate, (usize, usize)> = BTreeMap::new();
    for (at, counts) in facts {
        let t = tally.entry(window.bucket_of(at)).or_default();
        t.0 += usize::from(counts);
        t.1 += 1;
    }
    window
        .buckets()
        .into_iter()
        .map(|date| Point {
            date,
            value: tally.get(&date).and_then(|(n, of)| percent(*n, *of)),
        })
        .collect()
}

/// Per bucket, how many of `facts` fall in it (zero, not nothing, when
/// none do: a count is measured even when it is zero).
pub(super) fn count_trend(
    window: &MetricWindow,
    facts: impl Iterator<Item = DateTime<Utc>>,
) -> Vec<Point> {
    let mut tally: BTreeMap<NaiveDate, usize> = BTreeMap::new();
    for at in facts {
        *tally.entry(window.bucket_of(at)).or_default() += 1;
    }
    window
        .buckets()
        .into_iter()
        .map(|date| Point {
            date,
            value: Some(tally.get(&date).copied().unwrap_or_default() as f64),
        })
        .collect()
}
