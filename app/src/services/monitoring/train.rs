//! `GET /api/v1/monitoring/release-trains/{name}`: progress, each
//! service's status and health, gate and dependency progress, and what
//! stands in the way. Four queries besides the train's status, however
//! long its history.

use crate::domain::monitoring::{dependency_progress, gate_progress, Progress};
use crate::domain::TrainState;
use crate::error::AppError;
use crate::models::monitoring::{BreachView, ServiceMonitoring, TrainMonitoring};
use crate::services::access::authorize_read;
use crate::services::actor::Actor;
use crate::services::trains::facts_of;
use chrono::{DateTime, Utc};
use sqlx::PgPool;
use std::collections::HashMap;

pub async fn train_monitoring(
    pool: &PgPool,
    actor: &Actor,
    name: &str,
    now: DateTime<Utc>,
) -> Result<TrainMonitoring, AppError> {
    authorize_read(actor)?;
    let mut conn = pool.acquire().await?;
    let status = facts_of(&mut conn, name).await?.status()?;
    let services: Vec<String> = status
        .participants
        .iter()
        .map(|p| p.service.clone())
        .collect();
    let health: HashMap<String, String> = sqlx::query!(
        "SELECT name, health_status FROM service WHERE name = ANY($1)",
        &services
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|r| (r.name, r.health_status))
    .collect();
    let mut depends: HashMap<String, Vec<String>> = HashMap::new();
    for row in sqlx::query!(
        "SELECT s.name AS service, d.name AS dependency
         FROM service_dependency sd
         JOIN service s ON s.service_id = sd.service_id
         JOIN service d ON d.service_id = sd.depends_on_service_id
         WHERE s.name = ANY($1) AND d.name = ANY($1)",
        &services
    )
    .fetch_all(&mut *conn)
    .await?
    {
        depends.entry(row.service).or_default().push(row.dependency);
    }
    let mut breaches: HashMap<String, Vec<BreachView>> = HashMap::new();
    for row in sqlx::query!(
        "SELECT s.name AS service, b.environment, b.criterion, b.since, b.detected_at, b.detail,
                b.outcome, t.name AS train
         FROM health_breach b
         JOIN train t USING (train_id)
         JOIN service s ON s.service_id = b.service_id
         WHERE t.name = $1
         ORDER BY b.detected_at, b.health_breach_id",
        name
    )
    .fetch_all(&mut *conn)
    .await?
    {
        let view = BreachView {
            environment: row.environment,
            criterion: row.criterion,
            since: row.since,
            detected_at: row.detected_at,
            detail: row.detail,
            outcome: row.outcome,
            train: row.train,
        };
        breaches.entry(row.service).or_default().push(view);
    }
    let released = status
        .participants
        .iter()
        .filter(|p| p.status.is_released())
        .count();
    let dependencies = dependency_progress(
        &status
            .participants
            .iter()
            .map(|p| {
                let deps = depends.get(&p.service).cloned().unwrap_or_default();
                (p.service.clone(), p.status.is_released(), deps)
            })
            .collect::<Vec<_>>(),
    );
    let mut issues: Vec<String> = Vec::new();
    if matches!(status.state, TrainState::Paused | TrainState::Failed) {
        if let Some(reason) = &status.status_reason {
            issues.push(format!("{}: {reason}", status.state.as_str()));
        }
    }
    issues.extend(
        status
            .blockers
            .iter()
            .map(|b| format!("gate {} for {}: {}", b.gate, b.participant, b.detail)),
    );
    let services = status
        .participants
        .iter()
        .map(|p| {
            let held = breaches.remove(&p.service).unwrap_or_default();
            issues.extend(
                held.iter()
                    .map(|b| format!("{} in {}: {}", p.service, b.environment, b.detail)),
            );
            ServiceMonitoring {
                service: p.service.clone(),
                status: p.status,
                target_version: p.target_version.clone(),
                health_status: health.get(&p.service).cloned(),
                breaches: held,
            }
        })
        .collect();
    Ok(TrainMonitoring {
        name: status.name.clone(),
        state: status.state,
        progress: Progress::new(released, status.participants.len()),
        services,
        gates: gate_progress(&status.gates),
        dependencies,
        issues,
        generated_at: now,
    })
}
