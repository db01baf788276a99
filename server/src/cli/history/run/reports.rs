//! What CD and the pager report around a release, as they would: a
//! deployment of each participant when its release reaches an environment,
//! now and then a deploy no train carries, and before each rollback the
//! incident that caused it, its review citing the train.

use super::Cast;
use app::domain::deployment::DeploymentStatus;
use app::domain::incident::Severity;
use app::models::deployment::DeploymentInput;
use app::models::incident::IncidentInput;
use app::services::deployments::report_deployment;
use app::services::incidents::report_incident;
use app::services::promotions::promotion_panel;
use app::services::trains::train_status;
use chrono::{DateTime, Duration, Utc};
use sqlx::PgPool;

/// Every participant's deploy of its version to `environment`, as CD
/// reports it once it succeeded.
pub(super) async fn report_deploys(
    pool: &PgPool,
    cast: &Cast,
    train: &str,
    environment: &str,
    at: DateTime<Utc>,
) -> anyhow::Result<()> {
    let status = train_status(pool, &cast.cd, train).await?;
    for (i, p) in status.participants.iter().enumerate() {
        let Some(version) = p.target_version.clone() else {
            continue;
        };
        let started = at + Duration::minutes(2 * i as i64);
        let input = DeploymentInput {
            service: p.service.clone(),
            version,
            environment: environment.to_owned(),
            status: DeploymentStatus::Succeeded,
            commit_sha: None,
            pipeline_run_id: format!("{train}/{environment}"),
            pipeline_url: None,
            started_at: Some(started),
            finished_at: Some(started + Duration::minutes(2)),
            train: status.tag.clone(),
        };
        report_deployment(pool, &cast.cd, &input, started).await?;
    }
    Ok(())
}

/// One train in `every` (by its name) is followed by a hand-made deploy of
/// its first participant where the release ended: seed 003's surprise.
pub(super) async fn maybe_surprise(
    pool: &PgPool,
    cast: &Cast,
    train: &str,
    environment: &str,
    at: DateTime<Utc>,
    every: u32,
) -> anyhow::Result<()> {
    let pick = train.bytes().map(u32::from).sum::<u32>();
    if pick % every != 0 {
        return Ok(());
    }
    let status = train_status(pool, &cast.cd, train).await?;
    let Some(first) = status.participants.first() else {
        return Ok(());
    };
    let version = first.target_version.as_deref().unwrap_or("0.0.0");
    let at = at + Duration::hours(20);
    let input = DeploymentInput {
        service: first.service.clone(),
        version: format!("{version}-manual.1"),
        environment: environment.to_owned(),
        status: DeploymentStatus::Succeeded,
        commit_sha: None,
        pipeline_run_id: format!("{train}/manual"),
        pipeline_url: None,
        started_at: Some(at),
        finished_at: Some(at + Duration::minutes(4)),
        train: None,
    };
    report_deployment(pool, &cast.cd, &input, at).await?;
    Ok(())
}

/// The page that made a train roll back, where its release ran last, and
/// its review citing the train's tag.
pub(super) async fn page_before_rollback(
    pool: &PgPool,
    cast: &Cast,
    train: &str,
    at: DateTime<Utc>,
) -> anyhow::Result<()> {
    let status = train_status(pool, &cast.monitoring, train).await?;
    let panel = {
        let mut conn = pool.acquire().await?;
        promotion_panel(&mut conn, &cast.monitoring, train, at).await?
    };
    let Some(environment) = panel
        .pipeline
        .iter()
        .rev()
        .find(|s| s.deployed_at.is_some())
        .map(|s| s.environment.clone())
    else {
        return Ok(());
    };
    let input = IncidentInput {
        external_id: Some(format!("PD-{train}")),
        title: format!("errors after {train}"),
        severity: Severity::High,
        services: status
            .participants
            .iter()
            .take(2)
            .map(|p| p.service.clone())
            .collect(),
        environment,
        started_at: at - Duration::minutes(25),
        resolved_at: Some(at + Duration::minutes(40)),
        url: None,
        review_url: Some(format!("https://wiki.example.com/pir/{train}")),
        cited_tags: status.tag.into_iter().collect(),
    };
    report_incident(pool, &cast.monitoring, &input, at - Duration::minutes(20)).await?;
    Ok(())
}
