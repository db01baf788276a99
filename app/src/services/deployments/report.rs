//! `POST /api/v1/deployments`: a deployment recorded once per pipeline run,
//! service and environment; a repeated report moves its status at most.

use super::read::load;
use super::status::move_status;
use crate::domain::access::{Action, Resource};
use crate::domain::change::{Change, DeploymentChange, DeploymentRef, TrainRef};
use crate::domain::deployment::{match_deployment, rollback_redeploy, Candidate, DeploymentReport};
use crate::error::{bad_field as bad, AppError};
use crate::models::deployment::{DeploymentInput, ReportedDeployment};
use crate::services::access::authorize;
use crate::services::actor::Actor;
use crate::services::audit::begin_write;
use crate::services::changes;
use crate::services::promotions::{settle_promotions, FinishedDeploy};
use crate::services::trains::{rollback_awaiting, settle_rollbacks};
use chrono::{DateTime, Utc};
use sqlx::{PgConnection, PgPool};

#[tracing::instrument(skip_all, fields(actor = %actor.name))]
pub async fn report_deployment(
    pool: &PgPool,
    actor: &Actor,
    input: &DeploymentInput,
    now: DateTime<Utc>,
) -> Result<ReportedDeployment, AppError> {
    let report = DeploymentReport::parse(input).map_err(|e| bad(e.field, e.message))?;
    authorize(
        actor,
        Action::ReportDeployment,
        &Resource::Service(report.service.clone()),
    )?;
    let mut tx = begin_write(pool).await?;
    let (service_id, environment_id) = place(&mut tx, &report).await?;
    let existing = sqlx::query!(
        "SELECT deployment_id, version FROM deployment
         WHERE pipeline_run_id = $1 AND service_id = $2 AND environment_id = $3 FOR UPDATE",
        report.pipeline_run_id,
        service_id,
        environment_id
    )
    .fetch_optional(&mut *tx)
    .await?;
    let (id, created) = match existing {
        Some(row) if row.version != report.version => {
            return Err(AppError::Conflict(format!(
                "pipeline run {} reported {} {} to {} already; a deployment of {} is another \
                 one: give it its own pipeline_run_id",
                report.pipeline_run_id,
                report.service,
                row.version,
                report.environment,
                report.version
            )));
        }
        Some(row) => {
            let current = load(&mut tx, row.deployment_id).await?;
            let times = (report.started_at, report.finished_at);
            move_status(&mut tx, actor, &current, report.status, times, now).await?;
            (row.deployment_id, false)
        }
        None => (
            record_new(&mut tx, actor, &report, service_id, environment_id, now).await?,
            true,
        ),
    };
    let deployment = load(&mut tx, id).await?;
    tx.commit().await?;
    Ok(ReportedDeployment {
        deployment,
        created,
    })
}

/// The service's and the environment's ids; either unknown is named.
async fn place(conn: &mut PgConnection, report: &DeploymentReport) -> Result<(i64, i64), AppError> {
    let service_id = sqlx::query_scalar!(
        "SELECT service_id FROM service WHERE name = $1",
        report.service
    )
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(|| {
        bad(
            "service",
            format!("no service named {} in the catalog", report.service),
        )
    })?;
    let environment_id = sqlx::query_scalar!(
        "SELECT environment_id FROM environment WHERE name = $1",
        report.environment
    )
    .fetch_optional(&mut *conn)
    .await?;
    let Some(environment_id) = environment_id else {
        let known = sqlx::query_scalar!("SELECT name FROM environment ORDER BY position, name")
            .fetch_all(&mut *conn)
            .await?;
        return Err(bad(
            "environment",
            format!(
                "no environment named {}; there are: {}",
                report.environment,
                if known.is_empty() {
                    "none yet".to_owned()
                } else {
                    known.join(", ")
                }
            ),
        ));
    };
    Ok((service_id, environment_id))
}

/// Records a deployment first reported: matched to the train carrying it,
/// with the freeze on at the time, and in place if it succeeded already.
async fn record_new(
    tx: &mut PgConnection,
    actor: &Actor,
    report: &DeploymentReport,
    service_id: i64,
    environment_id: i64,
    now: DateTime<Utc>,
) -> Result<i64, AppError> {
    let rollback = rollback_awaiting(tx, &report.environment, &report.service, &report.version);
    let matched = match rollback.await? {
        Some((train_id, train)) => rollback_redeploy(train_id, &train),
        None => {
            let candidates = candidates(tx, report, service_id).await?;
            match_deployment(report.train.as_deref(), &candidates)
        }
    };
    let at = report.started_at.unwrap_or(now);
    let freeze = sqlx::query_scalar!(
        "SELECT f.freeze_window_id FROM freeze_window f
         WHERE f.starts_at <= $1 AND f.ends_at > $1
           AND (NOT EXISTS (SELECT 1 FROM freeze_window_track ft
                            WHERE ft.freeze_window_id = f.freeze_window_id)
                OR EXISTS (SELECT 1 FROM freeze_window_track ft JOIN track tr USING (track_id)
                           WHERE ft.freeze_window_id = f.freeze_window_id
                             AND (tr.environments IS NULL OR $2 = ANY(tr.environments))))
         ORDER BY f.starts_at LIMIT 1",
        at,
        report.environment
    )
    .fetch_optional(&mut *tx)
    .await?;
    let finished_at = report
        .finished_at
        .or_else(|| report.status.is_final().then_some(now));
    let train_id = matched.train.as_ref().map(|(id, _)| *id);
    let id = sqlx::query_scalar!(
        "INSERT INTO deployment (service_id, environment_id, version, status, commit_sha,
             pipeline_run_id, pipeline_url, started_at, finished_at, named_train, train_id,
             matched, match_note, freeze_window_id, in_freeze, reported_by, created_at,
             updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $17)
         RETURNING deployment_id",
        service_id,
        environment_id,
        report.version,
        report.status.as_str(),
        report.commit_sha,
        report.pipeline_run_id,
        report.pipeline_url,
        report.started_at,
        finished_at,
        report.train,
        train_id,
        matched.kind.as_str(),
        matched.note,
        freeze,
        freeze.is_some(),
        actor.name,
        now,
    )
    .fetch_one(&mut *tx)
    .await?;
    let change = Change::Deployment {
        deployment: DeploymentRef {
            id,
            service: report.service.clone(),
            version: report.version.clone(),
            environment: report.environment.clone(),
        },
        train: matched.train.map(|(id, name)| TrainRef::new(id, name)),
        change: DeploymentChange::Reported {
            status: report.status,
            matched: matched.kind,
            pipeline_run_id: report.pipeline_run_id.clone(),
            pipeline_url: report.pipeline_url.clone(),
            commit_sha: report.commit_sha.clone(),
            in_freeze: freeze.is_some(),
            match_note: matched.note,
        },
    };
    changes::record(tx, actor, change, now).await?;
    if report.status == crate::domain::deployment::DeploymentStatus::Succeeded {
        super::status::put_in_place(tx, id, finished_at.unwrap_or(now)).await?;
    }
    if report.status.is_final() {
        let deploy = FinishedDeploy {
            service: &report.service,
            version: &report.version,
            environment: &report.environment,
        };
        settle_rollbacks(tx, actor, &deploy, now).await?;
        settle_promotions(tx, actor, deploy, now).await?;
    }
    Ok(id)
}

/// The trains carrying the service at the reported version (a leading `v`
/// aside) through the environment: on a track whose pipeline includes it
/// (a track without its own pipeline, or a train without a track, goes
/// through every environment).
async fn candidates(
    conn: &mut PgConnection,
    report: &DeploymentReport,
    service_id: i64,
) -> Result<Vec<Candidate>, AppError> {
    let rows = sqlx::query!(
        r#"SELECT t.train_id, t.name, t.tag,
                  tr.track_id IS NOT NULL AND tr.cadence_rrule IS NULL AS "on_demand!",
                  t.created_at
           FROM participant p
           JOIN train t USING (train_id)
           LEFT JOIN track tr ON tr.track_id = t.track_id
           WHERE p.service_id = $1
             AND ltrim(p.target_version, 'v') = ltrim($2, 'v')
             AND (tr.environments IS NULL OR $3 = ANY(tr.environments))"#,
        service_id,
        report.version,
        report.environment
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Candidate {
            train_id: r.train_id,
            name: r.name,
            tag: r.tag,
            on_demand: r.on_demand,
            created_at: r.created_at,
        })
        .collect())
}
