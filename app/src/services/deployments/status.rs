//! A deployment's status moving on (`PATCH /api/v1/deployments/{id}`, or
//! the same pipeline run reporting again), and what a success puts in
//! place.

use super::read::load;
use crate::domain::access::{Action, Resource};
use crate::domain::change::{Change, DeploymentChange, DeploymentRef, TrainRef};
use crate::domain::deployment::DeploymentStatus;
use crate::error::{bad_field as bad, AppError};
use crate::models::deployment::{DeploymentUpdate, DeploymentView};
use crate::services::access::authorize;
use crate::services::actor::Actor;
use crate::services::audit::begin_write;
use crate::services::changes;
use crate::services::promotions::{settle_promotions, FinishedDeploy};
use crate::services::trains::settle_rollbacks;
use chrono::{DateTime, Utc};
use sqlx::{PgConnection, PgPool};

#[tracing::instrument(skip_all, fields(actor = %actor.name, id))]
pub async fn update_deployment(
    pool: &PgPool,
    actor: &Actor,
    id: i64,
    update: &DeploymentUpdate,
    now: DateTime<Utc>,
) -> Result<DeploymentView, AppError> {
    let mut tx = begin_write(pool).await?;
    sqlx::query_scalar!(
        "SELECT deployment_id FROM deployment WHERE deployment_id = $1 FOR UPDATE",
        id
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| AppError::NotFound(format!("deployment {id}")))?;
    let current = load(&mut tx, id).await?;
    authorize(
        actor,
        Action::ReportDeployment,
        &Resource::Service(current.service.clone()),
    )?;
    if let (Some(start), Some(end)) = (update.started_at.or(current.started_at), update.finished_at)
    {
        if end < start {
            return Err(bad("finished_at", "a deployment finishes after it starts"));
        }
    }
    let times = (update.started_at, update.finished_at);
    move_status(&mut tx, actor, &current, update.status, times, now).await?;
    let view = load(&mut tx, id).await?;
    tx.commit().await?;
    Ok(view)
}

/// Moves `current` to `next` if it may (a repeat is no move and records
/// nothing), with its audit record, and puts a success in place. The
/// caller holds the deployment's row lock.
pub(super) async fn move_status(
    tx: &mut PgConnection,
    actor: &Actor,
    current: &DeploymentView,
    next: DeploymentStatus,
    (started_at, finished_at): (Option<DateTime<Utc>>, Option<DateTime<Utc>>),
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    current
        .status
        .may_become(next)
        .map_err(|m| bad("status", m))?;
    if next == current.status {
        return Ok(());
    }
    let finished_at = finished_at.or_else(|| next.is_final().then_some(now));
    let train_id = sqlx::query_scalar!(
        "UPDATE deployment
         SET status = $2, started_at = COALESCE($3, started_at),
             finished_at = COALESCE($4, finished_at), updated_at = $5
         WHERE deployment_id = $1
         RETURNING train_id",
        current.id,
        next.as_str(),
        started_at,
        finished_at,
        now
    )
    .fetch_one(&mut *tx)
    .await?;
    let change = Change::Deployment {
        deployment: DeploymentRef {
            id: current.id,
            service: current.service.clone(),
            version: current.version.clone(),
            environment: current.environment.clone(),
        },
        train: train_id
            .zip(current.train.clone())
            .map(|(id, name)| TrainRef::new(id, name)),
        change: DeploymentChange::StatusChanged {
            from: current.status,
            to: next,
        },
    };
    changes::record(tx, actor, change, now).await?;
    if next == DeploymentStatus::Succeeded {
        put_in_place(tx, current.id, finished_at.unwrap_or(now)).await?;
    }
    if next.is_final() {
        let deploy = FinishedDeploy {
            service: &current.service,
            version: &current.version,
            environment: &current.environment,
        };
        settle_rollbacks(tx, actor, &deploy, now).await?;
        settle_promotions(tx, actor, deploy, now).await?;
    }
    Ok(())
}

/// What runs in the deployment's environment: its version, from its
/// train (none for a rollback's redeploy: the version came from before the
/// train), since `at`, unless a later deployment is in place already (the
/// reports of two pipelines may arrive out of order).
pub(super) async fn put_in_place(
    tx: &mut PgConnection,
    id: i64,
    at: DateTime<Utc>,
) -> Result<(), AppError> {
    sqlx::query!(
        "INSERT INTO environment_release (environment, service_id, version, train_id,
                                          deployed_at, deployment_id)
         SELECT e.name, d.service_id, d.version,
                CASE WHEN d.matched = 'rollback' THEN NULL ELSE d.train_id END, $2, d.deployment_id
         FROM deployment d JOIN environment e USING (environment_id)
         WHERE d.deployment_id = $1
         ON CONFLICT (environment, service_id) DO UPDATE
         SET version = EXCLUDED.version, train_id = EXCLUDED.train_id,
             deployed_at = EXCLUDED.deployed_at, deployment_id = EXCLUDED.deployment_id
         WHERE environment_release.deployed_at <= EXCLUDED.deployed_at",
        id,
        at
    )
    .execute(&mut *tx)
    .await?;
    Ok(())
}
