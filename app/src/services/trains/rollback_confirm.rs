//! Rollbacks into environments whose deploys CD confirms: each step waits
//! for CD's report of the service's redeploy there (read in the report's
//! own transaction), and the rollback is completed when none waits any
//! more. A person may record the rest as done by force; the scheduler marks
//! one stuck when its track's timeout passes first (see `rollback_timeout`).

use super::load::TrainRow;
use super::rollback::last_rollback;
use crate::domain::change::{Change, TrainRef};
use crate::domain::deployment::DeploymentStatus;
use crate::domain::rollback_progress::{self as progress, Redeploy, RollbackOutcome};
use crate::error::{AppError, ResultExt};
use crate::models::train::{RollbackPlan, RollbackStep};
use crate::services::actor::Actor;
use crate::services::changes;
use crate::services::promotions::FinishedDeploy;
use chrono::{DateTime, Duration, Utc};
use sqlx::PgConnection;

/// A rollback whose redeploys CD has yet to confirm.
pub(super) const IN_PROGRESS: &str = "in_progress";
/// Seed 002's `validation.rollback_timeout`, for a train without a track.
const DEFAULT_TIMEOUT_SECONDS: i64 = 600;

/// The environments this rollback concerns (`environment`, or wherever the
/// train's release runs) whose deploys CD confirms: there each step waits
/// for CD's redeploy.
pub(super) async fn confirmed_environments(
    tx: &mut PgConnection,
    train_id: i64,
    environment: Option<&str>,
) -> Result<Vec<String>, AppError> {
    Ok(sqlx::query_scalar!(
        "SELECT e.name FROM environment e
         WHERE (e.policy ->> 'confirmed_by_cd')::boolean IS TRUE
           AND ($2::text IS NULL OR e.name = $2)
           AND EXISTS (SELECT 1 FROM train_environment te
                       WHERE te.train_id = $1 AND te.environment = e.name
                         AND te.rolled_back_at IS NULL)
         ORDER BY e.position, e.name",
        train_id,
        environment
    )
    .fetch_all(&mut *tx)
    .await?)
}

/// How long CD has to confirm a rollback's redeploys: the train's track's
/// `rollback_timeout` (seed 002's, 10 minutes unless the track says
/// otherwise; the same for a train without a track).
pub(super) async fn rollback_timeout(
    tx: &mut PgConnection,
    train_id: i64,
) -> Result<Duration, AppError> {
    let seconds = sqlx::query_scalar!(
        r#"SELECT extract(epoch FROM tr.rollback_timeout)::bigint AS "seconds"
           FROM train t LEFT JOIN track tr USING (track_id) WHERE t.train_id = $1"#,
        train_id
    )
    .fetch_one(&mut *tx)
    .await?;
    Ok(Duration::seconds(
        seconds.unwrap_or(DEFAULT_TIMEOUT_SECONDS),
    ))
}

fn steps_of(stored: serde_json::Value) -> Result<Vec<RollbackStep>, AppError> {
    serde_json::from_value(stored).or_internal("stored rollback steps do not parse")
}

/// The train whose unfinished rollback waits for `service` at `version`
/// in `environment`: a deploy of it is that rollback's redeploy.
pub(crate) async fn rollback_awaiting(
    conn: &mut PgConnection,
    environment: &str,
    service: &str,
    version: &str,
) -> Result<Option<(i64, String)>, AppError> {
    let unfinished = sqlx::query!(
        "SELECT r.train_id, t.name, r.steps FROM rollback r JOIN train t USING (train_id)
         WHERE r.status IN ('in_progress', 'stuck')
         ORDER BY r.created_at DESC, r.rollback_id DESC"
    )
    .fetch_all(&mut *conn)
    .await?;
    for r in unfinished {
        let steps = steps_of(r.steps)?;
        if steps
            .iter()
            .any(|s| progress::awaits(s, environment, service, version))
        {
            return Ok(Some((r.train_id, r.name)));
        }
    }
    Ok(None)
}

/// Moves every unfinished rollback waiting for `deploy`'s service in its
/// environment on from what CD reported since the rollback was requested,
/// and completes those that no longer wait. The caller's transaction
/// recorded the report.
pub(crate) async fn settle_rollbacks(
    conn: &mut PgConnection,
    actor: &Actor,
    deploy: &FinishedDeploy<'_>,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let unfinished = sqlx::query!(
        "SELECT r.rollback_id, r.train_id, t.name, r.steps, r.created_at, r.environment
         FROM rollback r JOIN train t USING (train_id)
         WHERE r.status IN ('in_progress', 'stuck')
         ORDER BY r.rollback_id
         FOR NO KEY UPDATE OF r"
    )
    .fetch_all(&mut *conn)
    .await?;
    for r in unfinished {
        let mut steps = steps_of(r.steps)?;
        let concerned = steps.iter().any(|s| {
            s.service == deploy.service && s.waiting_in.iter().any(|e| e == deploy.environment)
        });
        if !concerned {
            continue;
        }
        let reports = redeploys_since(conn, &steps, r.created_at).await?;
        let done = progress::advance(&mut steps, &reports);
        if r.environment.is_none() && !done.is_empty() {
            mark_participants(conn, r.train_id, &done, now).await?;
        }
        let finished = progress::waiting_step(&steps).is_none();
        sqlx::query!(
            "UPDATE rollback SET steps = $2,
                 status = CASE WHEN $3::boolean THEN 'completed' ELSE status END,
                 finished_at = CASE WHEN $3::boolean THEN $4::timestamptz END
             WHERE rollback_id = $1",
            r.rollback_id,
            serde_json::to_value(&steps).or_internal("writing rollback steps")?,
            finished,
            now
        )
        .execute(&mut *conn)
        .await?;
        if finished {
            let change = Change::RollbackSettled {
                train: TrainRef::new(r.train_id, r.name),
                environment: r.environment,
                outcome: RollbackOutcome::Completed,
                detail: format!("CD redeployed {}", redeployed(&steps)),
            };
            changes::record(conn, actor, change, now).await?;
        }
    }
    Ok(())
}

/// The deploys CD reported since `since` of the services and environments
/// the steps wait for, oldest first.
async fn redeploys_since(
    conn: &mut PgConnection,
    steps: &[RollbackStep],
    since: DateTime<Utc>,
) -> Result<Vec<Redeploy>, AppError> {
    let waiting: Vec<&RollbackStep> = steps.iter().filter(|s| !s.waiting_in.is_empty()).collect();
    let services: Vec<String> = waiting.iter().map(|s| s.service.clone()).collect();
    let mut environments: Vec<String> = waiting
        .iter()
        .flat_map(|s| s.waiting_in.iter().cloned())
        .collect();
    environments.sort();
    environments.dedup();
    let rows = sqlx::query!(
        "SELECT e.name AS environment, s.name AS service, d.version, d.status
         FROM deployment d
         JOIN service s USING (service_id)
         JOIN environment e USING (environment_id)
         WHERE d.updated_at >= $1 AND s.name = ANY($2) AND e.name = ANY($3)
         ORDER BY d.updated_at, d.deployment_id",
        since,
        &services,
        &environments
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            Some(Redeploy {
                environment: r.environment,
                service: r.service,
                version: r.version,
                status: DeploymentStatus::parse(&r.status).ok()?,
            })
        })
        .collect())
}

/// A whole-train rollback's participants whose steps are done.
async fn mark_participants(
    conn: &mut PgConnection,
    train_id: i64,
    services: &[String],
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    sqlx::query!(
        "UPDATE participant SET status = 'rolled_back', updated_at = $3
         WHERE train_id = $1
           AND service_id IN (SELECT service_id FROM service WHERE name = ANY($2))",
        train_id,
        services,
        now
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// "api 1.9.0, db 2.0.0": the versions the steps went back to.
fn redeployed(steps: &[RollbackStep]) -> String {
    let back: Vec<String> = steps
        .iter()
        .filter_map(|s| Some(format!("{} {}", s.service, s.to_version.as_deref()?)))
        .collect();
    back.join(", ")
}

/// `force` on a train whose rollback is unfinished: why, and whether only
/// to preview.
pub(super) struct Forced<'a> {
    pub reason: &'a str,
    pub dry_run: bool,
}

/// Finishes the train's unfinished rollback by force: every redeploy still
/// waiting for CD is recorded as done (what runs where moves back now).
/// None when the train has no unfinished rollback.
pub(super) async fn finish_by_force(
    tx: &mut PgConnection,
    actor: &Actor,
    train: &TrainRow,
    forced: Forced<'_>,
    now: DateTime<Utc>,
) -> Result<Option<RollbackPlan>, AppError> {
    let Some(row) = sqlx::query!(
        "SELECT rollback_id, steps, environment FROM rollback
         WHERE train_id = $1 AND status IN ('in_progress', 'stuck')
         ORDER BY created_at DESC, rollback_id DESC LIMIT 1
         FOR NO KEY UPDATE",
        train.train_id
    )
    .fetch_optional(&mut *tx)
    .await?
    else {
        return Ok(None);
    };
    if forced.dry_run {
        let plan = last_rollback(tx, train.train_id).await?;
        return Ok(plan.map(|p| RollbackPlan {
            dry_run: true,
            status: "preview".into(),
            ..p
        }));
    }
    let mut steps = steps_of(row.steps)?;
    let places = progress::force(&mut steps);
    for (environment, step) in &places {
        sqlx::query!(
            "UPDATE environment_release SET version = $4, train_id = NULL, deployed_at = $5
             WHERE environment = $2
               AND service_id = (SELECT service_id FROM service WHERE name = $3)
               AND (train_id = $1 OR ltrim(version, 'v') = ltrim($6, 'v'))",
            train.train_id,
            environment,
            step.service,
            step.to_version,
            now,
            step.from_version
        )
        .execute(&mut *tx)
        .await?;
    }
    if row.environment.is_none() {
        let services: Vec<String> = places.iter().map(|(_, s)| s.service.clone()).collect();
        mark_participants(tx, train.train_id, &services, now).await?;
    }
    sqlx::query!(
        "UPDATE rollback SET steps = $2, status = 'completed', finished_at = $3
         WHERE rollback_id = $1",
        row.rollback_id,
        serde_json::to_value(&steps).or_internal("writing rollback steps")?,
        now
    )
    .execute(&mut *tx)
    .await?;
    let forced_places: Vec<String> = places
        .iter()
        .map(|(env, s)| {
            let version = s.to_version.as_deref().unwrap_or("?");
            format!("{} {version} in {env}", s.service)
        })
        .collect();
    let change = Change::RollbackSettled {
        train: train.reference(),
        environment: row.environment,
        outcome: RollbackOutcome::Completed,
        detail: format!(
            "recorded by force without CD's confirmation ({}): {}",
            forced.reason,
            forced_places.join(", ")
        ),
    };
    changes::record(tx, actor, change, now).await?;
    last_rollback(tx, train.train_id).await
}
