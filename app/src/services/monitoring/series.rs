//! `GET /api/v1/monitoring/health/{service}` and `…/performance/{service}`:
//! the samples reported for a service as series per environment and
//! metric, each point its bucket's worst value, with the rollback
//! threshold, and the criteria that held in the window. Three queries,
//! and at most 240 points a series, however many samples there are.

use crate::domain::monitoring::{bucket, criterion, threshold, unit, window_hours, View};
use crate::domain::promotion::Metric;
use crate::error::{bad_field as bad, AppError};
use crate::models::monitoring::{
    BreachView, EnvironmentSeries, MetricSeries, SeriesPoint, ServiceSeries,
};
use crate::services::access::authorize_read;
use crate::services::actor::Actor;
use chrono::{DateTime, Duration, Utc};
use sqlx::PgPool;

/// How many breaches a series lists per environment at most, newest first.
const BREACHES_SHOWN: i64 = 50;

pub async fn service_series(
    pool: &PgPool,
    actor: &Actor,
    service: &str,
    view: View,
    hours: Option<u32>,
    now: DateTime<Utc>,
) -> Result<ServiceSeries, AppError> {
    authorize_read(actor)?;
    let hours = window_hours(hours).map_err(|m| bad("hours", m))?;
    let (from, width) = (now - Duration::hours(i64::from(hours)), bucket(hours));
    let mut conn = pool.acquire().await?;
    let service_id = sqlx::query_scalar!("SELECT service_id FROM service WHERE name = $1", service)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("service {service:?}")))?;
    let metrics: Vec<String> = view
        .metrics()
        .iter()
        .map(|m| m.as_str().to_owned())
        .collect();
    let points = sqlx::query!(
        r#"SELECT h.environment, h.metric,
                  date_bin($4::bigint * interval '1 second', h.at, $2) AS "bucket!",
                  max(h.value) AS "value!"
           FROM health_sample h
           LEFT JOIN environment e ON e.name = h.environment
           WHERE h.service_id = $1 AND h.at >= $2 AND h.at <= $3 AND h.metric = ANY($5)
             AND h.value = h.value AND h.value NOT IN ('Infinity', '-Infinity')
           GROUP BY h.environment, e.position, h.metric, 3
           ORDER BY e.position NULLS LAST, h.environment, h.metric, 3"#,
        service_id,
        from,
        now,
        width.num_seconds(),
        &metrics
    )
    .fetch_all(&mut *conn)
    .await?;
    let breaches = sqlx::query!(
        "SELECT b.environment, b.criterion, b.since, b.detected_at, b.detail, b.outcome,
                t.name AS train
         FROM health_breach b JOIN train t USING (train_id)
         WHERE b.service_id = $1 AND b.detected_at >= $2
         ORDER BY b.detected_at DESC, b.health_breach_id DESC
         LIMIT $3",
        service_id,
        from,
        BREACHES_SHOWN
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut environments: Vec<EnvironmentSeries> = Vec::new();
    for p in points {
        let Ok(metric) = Metric::parse(&p.metric) else {
            continue;
        };
        if environments
            .last()
            .is_none_or(|e| e.environment != p.environment)
        {
            environments.push(EnvironmentSeries {
                environment: p.environment.clone(),
                metrics: Vec::new(),
                breaches: Vec::new(),
            });
        }
        let env = environments.last_mut().expect("pushed above");
        if env.metrics.last().is_none_or(|m| m.metric != p.metric) {
            env.metrics.push(MetricSeries {
                metric: p.metric.clone(),
                unit: unit(metric).to_owned(),
                threshold: threshold(metric),
                criterion: criterion(metric).to_string(),
                points: Vec::new(),
            });
        }
        let series = env.metrics.last_mut().expect("pushed above");
        series.points.push(SeriesPoint {
            date: p.bucket,
            value: p.value,
        });
    }
    let wanted: Vec<&str> = view
        .metrics()
        .iter()
        .map(|m| criterion(*m).as_str())
        .collect();
    for b in breaches
        .into_iter()
        .filter(|b| wanted.contains(&b.criterion.as_str()))
    {
        let view = BreachView {
            environment: b.environment.clone(),
            criterion: b.criterion,
            since: b.since,
            detected_at: b.detected_at,
            detail: b.detail,
            outcome: b.outcome,
            train: b.train,
        };
        match environments
            .iter_mut()
            .find(|e| e.environment == b.environment)
        {
            Some(env) => env.breaches.push(view),
            None => environments.push(EnvironmentSeries {
                environment: b.environment,
                metrics: Vec::new(),
                breaches: vec![view],
            }),
        }
    }
    Ok(ServiceSeries {
        service: service.to_owned(),
        view,
        from,
        to: now,
        bucket_seconds: width.num_seconds(),
        environments,
    })
}
