//! `POST /api/v1/incidents/{id}/links`: a person confirms that a
//! deployment of one of the incident's services, to its environment,
//! caused it. Confirming it again changes nothing.

use super::read::load;
use crate::domain::access::{Action, Resource};
use crate::domain::change::{Change, IncidentChange, TrainRef};
use crate::error::{bad_field as bad, AppError};
use crate::models::incident::{IncidentView, LinkInput};
use crate::services::access::authorize;
use crate::services::actor::Actor;
use crate::services::audit::begin_write;
use crate::services::changes;
use chrono::{DateTime, Utc};
use sqlx::PgPool;

#[tracing::instrument(skip_all, fields(actor = %actor.name, id))]
pub async fn link_deployment(
    pool: &PgPool,
    actor: &Actor,
    id: i64,
    input: &LinkInput,
    now: DateTime<Utc>,
) -> Result<IncidentView, AppError> {
    authorize(actor, Action::ConfirmIncidentLink, &Resource::Site)?;
    let mut tx = begin_write(pool).await?;
    let incident = sqlx::query!(
        "SELECT title, environment_id FROM incident WHERE incident_id = $1 FOR UPDATE",
        id
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| AppError::NotFound(format!("incident {id}")))?;
    let deployment = sqlx::query!(
        r#"SELECT d.deployment_id, d.environment_id, d.version, s.name AS service,
                  e.name AS environment, d.train_id AS "train_id?", t.name AS "train?",
                  EXISTS (SELECT 1 FROM incident_service x
                          WHERE x.incident_id = $2 AND x.service_id = d.service_id) AS "hit!"
           FROM deployment d
           JOIN service s USING (service_id)
           JOIN environment e USING (environment_id)
           LEFT JOIN train t ON t.train_id = d.train_id
           WHERE d.deployment_id = $1"#,
        input.deployment,
        id
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| bad("deployment", format!("no deployment {}", input.deployment)))?;
    if !deployment.hit || deployment.environment_id != incident.environment_id {
        return Err(bad(
            "deployment",
            format!(
                "deployment {} put {} in {}, which is not one of the incident's services \
                 in its environment",
                deployment.deployment_id, deployment.service, deployment.environment
            ),
        ));
    }
    let added = sqlx::query!(
        "INSERT INTO incident_link (incident_id, deployment_id, confirmed_by, confirmed_at)
         VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
        id,
        deployment.deployment_id,
        actor.name,
        now
    )
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if added == 1 {
        let change = Change::Incident {
            id,
            change: IncidentChange::Linked {
                title: incident.title,
                deployment: deployment.deployment_id,
                service: deployment.service,
                version: deployment.version,
                environment: deployment.environment,
                train: deployment
                    .train_id
                    .zip(deployment.train)
                    .map(|(id, name)| TrainRef::new(id, name)),
            },
        };
        changes::record(&mut tx, actor, change, now).await?;
    }
    let view = load(&mut tx, id).await?;
    tx.commit().await?;
    Ok(view)
}
