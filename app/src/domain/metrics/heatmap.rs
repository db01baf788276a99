//! Successful deploys per day by how they matched: what the calendar
//! heat-map draws.

use super::MetricFacts;
use crate::domain::deployment::MatchKind;
use crate::models::metrics::DeployDay;
use chrono::NaiveDate;
use std::collections::BTreeMap;

pub fn deploy_days(facts: &MetricFacts) -> Vec<DeployDay> {
    let mut days: BTreeMap<(NaiveDate, u8), (MatchKind, u32)> = BTreeMap::new();
    for d in facts.deployments.iter().filter(|d| d.succeeded()) {
        let order = MatchKind::ALL
            .iter()
            .position(|k| *k == d.matched)
            .unwrap_or_default();
        let entry = days
            .entry((d.at.date_naive(), u8::try_from(order).unwrap_or_default()))
            .or_insert((d.matched, 0));
        entry.1 += 1;
    }
    days.into_iter()
        .map(|((date, _), (matched, count))| DeployDay {
            date,
            matched,
            count,
        })
        .collect()
}
