//! `GET /api/v1/metrics/success` and `/metrics/dora/{metric}`: computed
//! once per change for everyone who asks for the same window and filter.

use super::facts::{load, Names};
use crate::domain::metrics::dora::{dora_series, DoraScope};
use crate::domain::metrics::success::success_metrics;
use crate::domain::metrics::{MetricFacts, MetricWindow};
use crate::error::{bad_field, AppError};
use crate::models::metrics::{DeployDay, DoraMetric, DoraSeries, MetricsFilter, SuccessReport};
use crate::services::access::authorize_read;
use crate::services::actor::Actor;
use crate::services::read_cache::ReadCache;
use chrono::{DateTime, Utc};
use sqlx::PgPool;
use std::fmt::Debug;

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

/// `compute`'s answer over the facts of `filter`'s window, shared by every
/// reader (see [`ReadCache::read_for_everyone`]) under `what`, the window
/// and the filter: what it depends on besides the data. A filter that is
/// refused is refused before anything is kept.
pub(super) async fn from_facts<T, C>(
    pool: &PgPool,
    reads: &ReadCache,
    what: impl Debug,
    filter: &MetricsFilter,
    now: DateTime<Utc>,
    compute: C,
) -> Result<T, AppError>
where
    T: Clone + Send + Sync + 'static,
    C: FnOnce(&MetricWindow, Names, &MetricFacts, MetricsFilter) -> T + Send + 'static,
{
    let window = window_of(filter, now)?;
    let key = format!("metrics {what:?} {window:?} {filter:?}");
    let (pool, filter) = (pool.clone(), filter.clone());
    reads
        .read_for_everyone(&key, move || async move {
            let (window, names, facts) = facts_of(&pool, &filter, now).await?;
            Ok(compute(&window, names, &facts, filter))
        })
        .await
}

pub(super) fn scope(filter: &MetricsFilter) -> DoraScope<'_> {
    DoraScope {
        environment: filter.environment.as_deref(),
    }
}

pub async fn success(
    pool: &PgPool,
    reads: &ReadCache,
    actor: &Actor,
    filter: &MetricsFilter,
    now: DateTime<Utc>,
) -> Result<SuccessReport, AppError> {
    authorize_read(actor)?;
    from_facts(
        pool,
        reads,
        "success",
        filter,
        now,
        |window, _, facts, filter| SuccessReport {
            window: *window,
            track: filter.track,
            metrics: success_metrics(window, facts),
        },
    )
    .await
}

/// The window's successful deploys per day and kind: the heat-map's data.
pub async fn deploy_days(
    pool: &PgPool,
    reads: &ReadCache,
    actor: &Actor,
    filter: &MetricsFilter,
    now: DateTime<Utc>,
) -> Result<Vec<DeployDay>, AppError> {
    authorize_read(actor)?;
    from_facts(pool, reads, "deploys", filter, now, |_, _, facts, _| {
        crate::domain::metrics::heatmap::deploy_days(facts)
    })
    .await
}

pub async fn dora(
    pool: &PgPool,
    reads: &ReadCache,
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
    from_facts(
        pool,
        reads,
        metric,
        filter,
        now,
        move |window, _, facts, filter| dora_series(metric, window, facts, scope(&filter)),
    )
    .await
}
