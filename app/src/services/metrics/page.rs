//! `/metrics`: the seed 003 table with sparklines, the four DORA charts and
//! the deploy heat-maps, from one read of the window's facts.

use super::charts::{bars, heatmap, line};
use super::report::{facts_of, scope};
use crate::domain::deployment::MatchKind;
use crate::domain::metrics::dora::dora_series;
use crate::domain::metrics::heatmap::deploy_days;
use crate::domain::metrics::success::success_metrics;
use crate::error::AppError;
use crate::models::metrics::{
    DeployDay, DoraMetric, Heatmap, MetricsFilter, MetricsPage, SuccessReport,
};
use crate::services::access::authorize_read;
use crate::services::actor::Actor;
use chrono::{DateTime, Utc};
use sqlx::PgPool;

pub async fn metrics_page(
    pool: &PgPool,
    actor: &Actor,
    filter: MetricsFilter,
    now: DateTime<Utc>,
) -> Result<MetricsPage, AppError> {
    authorize_read(actor)?;
    let (window, names, facts) = facts_of(pool, &filter, now).await?;
    let metrics = success_metrics(&window, &facts);
    let sparklines = metrics
        .iter()
        .map(|m| line(&m.trend, (140, 32), false))
        .collect();
    let dora = DoraMetric::ALL
        .into_iter()
        .map(|metric| {
            let series = dora_series(metric, &window, &facts, scope(&filter));
            let svg = match metric {
                DoraMetric::DeploymentFrequency => bars(&series.points),
                _ => line(&series.points, (560, 200), true),
            };
            (series, svg)
        })
        .collect();
    let days = deploy_days(&facts);
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
    Ok(MetricsPage {
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
    })
}
