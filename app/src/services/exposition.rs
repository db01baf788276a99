//! `GET /metrics.prom`: Trainyard's state in Prometheus' text format, for
//! teams that chart in Grafana. Six queries, however long the history.

use crate::domain::deployment::{DeploymentStatus, MatchKind};
use crate::domain::exposition::{render, Family, Kind};
use crate::domain::TrainState;
use crate::error::AppError;
use crate::services::access::authorize_read;
use crate::services::actor::Actor;
use sqlx::PgPool;
use std::collections::HashMap;

/// Promotion requests' states, as the table names them.
const REQUEST_STATES: [&str; 5] = ["open", "rejected", "promoted", "cancelled", "superseded"];

pub async fn exposition(pool: &PgPool, actor: &Actor) -> Result<String, AppError> {
    authorize_read(actor)?;
    let mut conn = pool.acquire().await?;
    let trains: HashMap<String, i64> =
        sqlx::query!(r#"SELECT state, count(*) AS "n!" FROM train GROUP BY state"#)
            .fetch_all(&mut *conn)
            .await?
            .into_iter()
            .map(|r| (r.state, r.n))
            .collect();
    let requests: HashMap<String, i64> =
        sqlx::query!(r#"SELECT state, count(*) AS "n!" FROM promotion_request GROUP BY state"#)
            .fetch_all(&mut *conn)
            .await?
            .into_iter()
            .map(|r| (r.state, r.n))
            .collect();
    let outbox = sqlx::query!(
        r#"SELECT (SELECT count(*) FROM webhook_event WHERE fanned_out_at IS NULL) AS "events!",
                  (SELECT count(*) FROM webhook_delivery WHERE status = 'pending') AS "deliveries!",
                  (SELECT count(*) FROM webhook_delivery WHERE status = 'failed') AS "failed!""#
    )
    .fetch_one(&mut *conn)
    .await?;
    let deployments = sqlx::query!(
        r#"SELECT e.name AS environment, d.status, d.matched, count(*) AS "n!"
           FROM deployment d JOIN environment e USING (environment_id)
           GROUP BY e.name, d.status, d.matched
           ORDER BY e.name, d.status, d.matched"#
    )
    .fetch_all(&mut *conn)
    .await?;
    let incidents = sqlx::query!(
        r#"SELECT count(*) FILTER (WHERE resolved_at IS NULL) AS "open!",
                  count(*) AS "all!" FROM incident"#
    )
    .fetch_one(&mut *conn)
    .await?;
    let count = |map: &HashMap<String, i64>, key: &str| map.get(key).copied().unwrap_or(0) as f64;
    let mut by_state = Family::new("trainyard_trains", "Trains by state.", Kind::Gauge);
    for state in TrainState::ALL {
        by_state = by_state.sample(
            vec![("state", state.as_str().to_owned())],
            count(&trains, state.as_str()),
        );
    }
    let mut promotions = Family::new(
        "trainyard_promotion_requests",
        "Promotion requests by state.",
        Kind::Gauge,
    );
    for state in REQUEST_STATES {
        promotions = promotions.sample(vec![("state", state.to_owned())], count(&requests, state));
    }
    let mut deploys = Family::new(
        "trainyard_deployments_total",
        "Deployments CD reported, by environment, status and match (scheduled, hotfix, unscheduled).",
        Kind::Counter,
    );
    for d in deployments {
        let known =
            DeploymentStatus::parse(&d.status).is_ok() && MatchKind::parse(&d.matched).is_some();
        if known {
            deploys = deploys.sample(
                vec![
                    ("environment", d.environment),
                    ("status", d.status),
                    ("matched", d.matched),
                ],
                d.n as f64,
            );
        }
    }
    Ok(render(&[
        by_state,
        promotions,
        Family::new(
            "trainyard_approvals_waiting",
            "Promotion requests open, waiting for their approvals and rules.",
            Kind::Gauge,
        )
        .sample(vec![], count(&requests, "open")),
        Family::new(
            "trainyard_outbox_backlog",
            "Outgoing webhook work not done yet: events not yet fanned out, deliveries pending.",
            Kind::Gauge,
        )
        .sample(vec![("part", "events".into())], outbox.events as f64)
        .sample(
            vec![("part", "deliveries".into())],
            outbox.deliveries as f64,
        ),
        Family::new(
            "trainyard_webhook_deliveries_failed",
            "Webhook deliveries that failed for good (their log says why).",
            Kind::Gauge,
        )
        .sample(vec![], outbox.failed as f64),
        deploys,
        Family::new(
            "trainyard_incidents",
            "Incidents reported, by whether resolved.",
            Kind::Gauge,
        )
        .sample(vec![("resolved", "false".into())], incidents.open as f64)
        .sample(
            vec![("resolved", "true".into())],
            (incidents.all - incidents.open) as f64,
        ),
    ]))
}
