//! `/metrics`: the seed 003 table with sparklines, the four DORA charts and
//! the deploy heat-maps, from one read of the window's facts.

use super::charts::{bars, heatmap, line};
use super::facts::Names;
use super::report::{from_facts, scope};
use crate::domain::deployment::MatchKind;
use crate::domain::metrics::dora::dora_series;
use crate::domain::metrics::heatmap::deploy_days;
use crate::domain::metrics::success::success_metrics;
use crate::domain::metrics::{MetricFacts, MetricWindow};
use crate::error::AppError;
use crate::models::metrics::{
    DeployDay, DoraMetric, Heatmap, MetricsFilter, MetricsPage, SuccessReport,
};
use crate::services::access::authorize_read;
use crate::services::actor::Actor;
use crate::services::read_cache::ReadCache;
use chrono::{DateTime, Utc};
use sqlx::PgPool;

pub async fn metrics_page(
    pool: &PgPool,
    reads: &ReadCache,
    actor: &Actor,
    filter: MetricsFilter,
    now: DateTime<Utc>,
) -> Result<MetricsPage, AppError> {
    authorize_read(actor)?;
    from_facts(
        pool,
        reads,
        "page",
        &filter,
        now,
        |window, names, facts, filter| draw(*window, names, facts, filter),
    )
    .await
}

/// The page's tables and charts from the window's facts.
fn draw(
    window: MetricWindow,
    names: Names,
    facts: &MetricFacts,
    filter: MetricsFilter,
) -> MetricsPage {
    let metrics = success_metrics(&window, facts);
    let sparklines = metrics
        .iter()
        .map(|m| line(&m.trend, (140, 32), false))
        .collect();
    let dora = DoraMetric::ALL
        .into_iter()
        .map(|metric| {
            let series = dora_series(metric, &window, facts, scope(&filter));
            let svg = match metric {
                DoraMetric::DeploymentFrequency => bars(&series.points),
                _ => line(&series.points, (560, 200), true),
            };
            (series, svg)
        })
        .collect();
    let days = deploy_days(facts);
    let heatmaps = MatchKind::ALL
        .into_iter()
        .map(|kind| {
            let of_kind: Vec<&DeployDay> = days.iter().filter(|d| d.matched == kind).collect();
            Heatmap {
                matched: kind,
                total: of_kind.iter().map(|d| d.count).sum(),
                busiest: of_kind.iter().max_by_key(|d| d.count).map(|d| (*d).clone()),
                svg: heatmap(&days, kind, window.from, window.until()),
            }
        })
        .collect();
    MetricsPage {
        success: SuccessReport {
            window,
            track: filter.track.clone(),
            metrics,
        },
        sparklines,
        dora,
        heatmaps,
        tracks: names.tracks,
        services: names.services,
        environments: names.environments,
        filter,
    }
}
