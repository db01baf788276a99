//! Promotions into an environment whose deploys CD confirms: a finished
//! deploy CD reports settles each promotion there that waits for its
//! service and version, in the report's own transaction. Every
//! participant's deploy succeeded: the release runs there (its soak counts
//! from now). One failed: the promotion failed, on the train's timeline
//! and as `promotion.failed`.

use crate::domain::change::{Change, TrainRef};
use crate::domain::deployment::DeploymentStatus;
use crate::domain::promotion::{settle, Settlement};
use crate::error::AppError;
use crate::services::actor::Actor;
use crate::services::changes;
use chrono::{DateTime, Utc};
use sqlx::PgConnection;

/// A deploy of `service` at `version` to `environment` that just finished.
pub struct FinishedDeploy<'a> {
    pub service: &'a str,
    pub version: &'a str,
    pub environment: &'a str,
}

pub(crate) async fn settle_promotions(
    conn: &mut PgConnection,
    actor: &Actor,
    deploy: FinishedDeploy<'_>,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let waiting = sqlx::query!(
        r#"SELECT te.train_id, t.name, te.promoted_at
           FROM train_environment te
           JOIN train t USING (train_id)
           JOIN participant p ON p.train_id = te.train_id
           JOIN service s ON s.service_id = p.service_id
           WHERE te.environment = $1 AND te.status = 'deploying' AND s.name = $2
             AND ltrim(p.target_version, 'v') = ltrim($3, 'v')
           ORDER BY te.train_id
           FOR NO KEY UPDATE OF te"#,
        deploy.environment,
        deploy.service,
        deploy.version
    )
    .fetch_all(&mut *conn)
    .await?;
    for promotion in waiting {
        let targets: Vec<(String, String)> = sqlx::query!(
            r#"SELECT s.name, p.target_version AS "version!"
               FROM participant p JOIN service s USING (service_id)
               WHERE p.train_id = $1 AND p.target_version IS NOT NULL
               ORDER BY p.release_position, s.name"#,
            promotion.train_id
        )
        .fetch_all(&mut *conn)
        .await?
        .into_iter()
        .map(|r| (r.name, r.version))
        .collect();
        let names: Vec<String> = targets.iter().map(|(s, _)| s.clone()).collect();
        let reports: Vec<(String, String, DeploymentStatus)> = sqlx::query!(
            "SELECT s.name, d.version, d.status
             FROM deployment d
             JOIN service s USING (service_id)
             JOIN environment e USING (environment_id)
             WHERE e.name = $1 AND d.updated_at >= $2 AND s.name = ANY($3)
             ORDER BY d.updated_at, d.deployment_id",
            deploy.environment,
            promotion.promoted_at,
            &names
        )
        .fetch_all(&mut *conn)
        .await?
        .into_iter()
        .filter_map(|r| Some((r.name, r.version, DeploymentStatus::parse(&r.status).ok()?)))
        .collect();
        let (status, deployed, detail) = match settle(&targets, &reports) {
            Settlement::Waiting(_) => continue,
            Settlement::Deployed => {
                let versions: Vec<String> =
                    targets.iter().map(|(s, v)| format!("{s} {v}")).collect();
                let verb = if versions.len() == 1 { "runs" } else { "run" };
                (
                    "deployed",
                    true,
                    format!("{} {verb} in {}", versions.join(", "), deploy.environment),
                )
            }
            Settlement::Failed { service, version } => (
                "failed",
                false,
                format!(
                    "the deploy of {service} {version} to {} failed",
                    deploy.environment
                ),
            ),
        };
        sqlx::query!(
            "UPDATE train_environment SET status = $3, deployed_at = $4
             WHERE train_id = $1 AND environment = $2",
            promotion.train_id,
            deploy.environment,
            status,
            now
        )
        .execute(&mut *conn)
        .await?;
        let change = Change::PromotionSettled {
            train: TrainRef::new(promotion.train_id, promotion.name),
            environment: deploy.environment.to_owned(),
            deployed,
            detail,
        };
        changes::record(conn, actor, change, now).await?;
    }
    Ok(())
}
