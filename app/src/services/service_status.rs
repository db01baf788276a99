//! Services' deployed status (`/api/v1/services/{name}/status`); while a train
//! executes, a service's progress moves its participant, in dependency order.

use crate::domain::access::{Action, Resource};
use crate::domain::change::{Change, ServiceReport, TrainRef};
use crate::domain::participant::{Health, Phase, ServiceState, Unknown};
use crate::domain::release_order::waits_for;
use crate::error::AppError;
use crate::models::train::{ServiceStatus, ServiceStatusUpdate};
use crate::services::access::authorize;
use crate::services::access::authorize_read;
use crate::services::actor::Actor;
use crate::services::changes;
use chrono::{DateTime, Utc};
use sqlx::{PgConnection, PgPool};

pub async fn service_status(
    pool: &PgPool,
    actor: &Actor,
    name: &str,
) -> Result<ServiceStatus, AppError> {
    authorize_read(actor)?;
    read_service_status(pool, name).await
}

async fn read_service_status(pool: &PgPool, name: &str) -> Result<ServiceStatus, AppError> {
    let row = sqlx::query!(
        r#"SELECT s.name, s.status, s.deployed_version, s.health_status,
                  coalesce(array_agg(d.name ORDER BY d.name) FILTER (WHERE d.name IS NOT NULL), '{}') AS "depends_on!"
           FROM service s
           LEFT JOIN service_dependency sd ON sd.service_id = s.service_id
           LEFT JOIN service d ON d.service_id = sd.depends_on_service_id
           WHERE s.name = $1 GROUP BY s.service_id"#,
        name
    )
    .fetch_optional(pool)
    .await?
    .ok_or_else(|| AppError::NotFound(format!("service {name:?}")))?;
    Ok(ServiceStatus {
        name: row.name,
        status: row.status,
        version: row.deployed_version,
        health_status: row.health_status,
        depends_on: row.depends_on,
    })
}

#[tracing::instrument(skip(pool, update))]
pub async fn update_service_status(
    pool: &PgPool,
    actor: &Actor,
    name: &str,
    update: ServiceStatusUpdate,
    now: DateTime<Utc>,
) -> Result<ServiceStatus, AppError> {
    authorize(
        actor,
        Action::ReportServiceStatus,
        &Resource::Service(name.to_owned()),
    )?;
    let (state, health) = parse_update(&update)?;
    let mut tx = crate::services::audit::begin_write(pool).await?;
    let (service_id, before) = lock_service(&mut tx, name).await?;
    let trains = move_participants(&mut tx, name, service_id, state, now).await?;
    store_service_status(&mut tx, service_id, state, &update, health, now).await?;
    let change = Change::ServiceStatusReported {
        service: name.to_owned(),
        status: state,
        version: update.version.clone(),
        health_status: update.health_status.clone(),
        before,
        trains,
    };
    changes::record(&mut tx, actor, change, now).await?;
    tx.commit().await?;
    read_service_status(pool, name).await
}

/// The reported state and health, each a known value.
fn parse_update(update: &ServiceStatusUpdate) -> Result<(ServiceState, Option<Health>), AppError> {
    let bad = |e: Unknown| AppError::Unprocessable {
        field: Some(e.field.into()),
        message: e.to_string(),
    };
    let state = ServiceState::parse(&update.status).map_err(bad)?;
    let health = update
        .health_status
        .as_deref()
        .map(Health::parse)
        .transpose()
        .map_err(bad)?;
    Ok((state, health))
}

/// Locks the service's row; its id and what it reported before.
async fn lock_service(tx: &mut PgConnection, name: &str) -> Result<(i64, ServiceReport), AppError> {
    let before = sqlx::query!(
        "SELECT service_id, status, deployed_version, health_status
         FROM service WHERE name = $1 FOR NO KEY UPDATE",
        name
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| AppError::NotFound(format!("service {name:?}")))?;
    let report = ServiceReport {
        status: before.status,
        version: before.deployed_version,
        health_status: before.health_status,
    };
    Ok((before.service_id, report))
}

/// Participants of executing trains follow the service, in release order:
/// a service is not released before those it depends on. The trains moved.
async fn move_participants(
    tx: &mut PgConnection,
    name: &str,
    service_id: i64,
    state: ServiceState,
    now: DateTime<Utc>,
) -> Result<Vec<TrainRef>, AppError> {
    let in_flight = sqlx::query!(
        "SELECT t.train_id, t.name FROM participant p JOIN train t USING (train_id)
         WHERE p.service_id = $1 AND t.state = 'executing' FOR NO KEY UPDATE OF t",
        service_id
    )
    .fetch_all(&mut *tx)
    .await?;
    for train in &in_flight {
        let order = sqlx::query!(
            "SELECT s.name, p.status FROM participant p JOIN service s USING (service_id)
             WHERE p.train_id = $1 ORDER BY p.release_position, s.name",
            train.train_id
        )
        .fetch_all(&mut *tx)
        .await?;
        let released: Vec<(&str, bool)> = order
            .iter()
            .map(|r| {
                (
                    r.name.as_str(),
                    Phase::parse(&r.status).is_some_and(Phase::is_released),
                )
            })
            .collect();
        if state.releases() {
            if let Some(first) = waits_for(&released, name) {
                return Err(AppError::Conflict(format!(
                    "{name} cannot be released yet in train {}: {first} comes first in dependency order",
                    train.name
                )));
            }
        }
        sqlx::query!(
            "UPDATE participant SET status = $3, updated_at = $4 WHERE train_id = $1 AND service_id = $2",
            train.train_id,
            service_id,
            state.phase().as_str(),
            now
        )
        .execute(&mut *tx)
        .await?;
    }
    Ok(in_flight
        .iter()
        .map(|t| TrainRef::new(t.train_id, t.name.clone()))
        .collect())
}

/// Writes the service's new status; an absent version or health keeps the
/// one it had.
async fn store_service_status(
    tx: &mut PgConnection,
    service_id: i64,
    state: ServiceState,
    update: &ServiceStatusUpdate,
    health: Option<Health>,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    sqlx::query!(
        "UPDATE service SET status = $2, deployed_version = coalesce($3, deployed_version),
                            health_status = coalesce($4, health_status), updated_at = $5
         WHERE service_id = $1",
        service_id,
        state.as_str(),
        update.version,
        health.map(Health::as_str),
        now
    )
    .execute(&mut *tx)
    .await?;
    Ok(())
}
