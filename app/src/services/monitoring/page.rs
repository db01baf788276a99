//! The service page's read model: where it runs, its deployments, and its
//! series drawn as charts on the server.

use super::series::service_series;
use crate::domain::monitoring::View;
use crate::error::AppError;
use crate::models::monitoring::{BreachView, MetricChart, ServiceMonitorPage, ServiceSeries};
use crate::services::actor::Actor;
use crate::services::deployments::{list_deployments, running_matrix, DeploymentFilter};
use crate::services::read_cache::ReadCache;
use crate::services::train_views::line_chart;
use chrono::{DateTime, Utc};
use sqlx::PgPool;

pub async fn service_monitor_page(
    pool: &PgPool,
    reads: &ReadCache,
    actor: &Actor,
    service: &str,
    hours: Option<u32>,
    now: DateTime<Utc>,
) -> Result<ServiceMonitorPage, AppError> {
    let health = service_series(pool, actor, service, View::Health, hours, now).await?;
    let performance = service_series(pool, actor, service, View::Performance, hours, now).await?;
    let matrix = running_matrix(pool, reads, actor).await?;
    let row = matrix.rows.into_iter().find(|r| r.service == service);
    let running = matrix
        .environments
        .into_iter()
        .enumerate()
        .map(|(i, env)| {
            let cell = row.as_ref().and_then(|r| r.cells.get(i).cloned().flatten());
            (env, cell)
        })
        .collect();
    let filter = DeploymentFilter {
        service: Some(service.to_owned()),
        ..DeploymentFilter::default()
    };
    let deployments = list_deployments(pool, actor, &filter).await?;
    let hours = u32::try_from((health.to - health.from).num_hours()).unwrap_or_default();
    let mut breaches: Vec<BreachView> = Vec::new();
    let mut charts = Vec::new();
    for series in [health, performance] {
        let (found, drawn) = charts_of(series);
        breaches.extend(found);
        charts.extend(drawn);
    }
    breaches.sort_by_key(|b| std::cmp::Reverse(b.detected_at));
    Ok(ServiceMonitorPage {
        service: service.to_owned(),
        hours,
        running,
        deployments,
        charts,
        breaches,
    })
}

fn charts_of(series: ServiceSeries) -> (Vec<BreachView>, Vec<MetricChart>) {
    let mut breaches = Vec::new();
    let mut charts = Vec::new();
    for env in series.environments {
        breaches.extend(env.breaches);
        for m in env.metrics {
            let points: Vec<(DateTime<Utc>, f64)> =
                m.points.iter().map(|p| (p.date, p.value)).collect();
            charts.push(MetricChart {
                environment: env.environment.clone(),
                latest: points.last().map(|p| p.1),
                peak: points.iter().map(|p| p.1).reduce(f64::max),
                svg: line_chart(&points, Some(m.threshold)),
                metric: m.metric,
                criterion: m.criterion,
                unit: m.unit,
                threshold: m.threshold,
            });
        }
    }
    (breaches, charts)
}
