//! `GET /api/v1/metrics/success` and `/metrics/dora/{metric}`.

use super::facts::{load, Names};
use crate::domain::metrics::dora::{dora_series, DoraScope};
use crate::domain::metrics::success::success_metrics;
use crate::domain::metrics::{MetricFacts, MetricWindow};
use crate::error::{bad_field, AppError};
use crate::models::metrics::{DeployDay, DoraMetric, DoraSeries, MetricsFilter, SuccessReport};
use crate::services::access::authorize_read;
use crate::services::actor::Actor;
use chrono::{DateTime, Utc};
use sqlx::PgPool;

/// The window a filter asks for, parsed; each refusal names its field.
pub(super) fn window_of(
    filter: &MetricsFilter,
    now: DateTime<Utc>,
) -> Result<MetricWindow, AppError> {
    MetricWindow::parse(
        filter.from.as_deref(),
        filter.days,
        filter.interval.as_deref(),
        now.date_naive(),
    )
    .map_err(|(field, message)| bad_field(field, message))
}

/// Checks the filter and reads the window's facts: five queries.
pub(super) async fn facts_of(
    pool: &PgPool,
    filter: &MetricsFilter,
    now: DateTime<Utc>,
) -> Result<(MetricWindow, Names, MetricFacts), AppError> {
    let window = window_of(filter, now)?;
    let mut conn = pool.acquire().await?;
    let names = Names::load(&mut conn).await?;
    names.check(filter)?;
    let facts = load(&mut conn, &window, filter).await?;
    Ok((window, names, facts))
}

pub(super) fn scope(filter: &MetricsFilter) -> DoraScope<'_> {
    DoraScope {
        environment: filter.environment.as_deref(),
    }
}

pub async fn success(
    pool: &PgPool,
    actor: &Actor,
    filter: &MetricsFilter,
    now: DateTime<Utc>,
) -> Result<SuccessReport, AppError> {
    authorize_read(actor)?;
    let (window, _, facts) = facts_of(pool, filter, now).await?;
    Ok(SuccessReport {
        window,
        track: filter.track.clone(),
        metrics: success_metrics(&window, &facts),
    })
}

/// The window's successful deploys per day and kind: the heat-map's data.
pub async fn deploy_days(
    pool: &PgPool,
    actor: &Actor,
    filter: &MetricsFilter,
    now: DateTime<Utc>,
) -> Result<Vec<DeployDay>, AppError> {
    authorize_read(actor)?;
    let (_, _, facts) = facts_of(pool, filter, now).await?;
    Ok(crate::domain::metrics::heatmap::deploy_days(&facts))
}

pub async fn dora(
    pool: &PgPool,
    actor: &Actor,
    metric: &str,
    filter: &MetricsFilter,
    now: DateTime<Utc>,
) -> Result<DoraSeries, AppError> {
    authorize_read(actor)?;
    let metric = DoraMetric::parse(metric).ok_or_else(|| {
        let names: Vec<_> = DoraMetric::ALL.iter().map(|m| m.as_str()).collect();
        AppError::NotFound(format!(
            "the DORA metric {metric:?} (there are {})",
            names.join(", ")
        ))
    })?;
    let (window, _, facts) = facts_of(pool, filter, now).await?;
    Ok(dora_series(metric, &window, &facts, scope(filter)))
}
