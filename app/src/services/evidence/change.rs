//! Removing an artifact from a bundle that is not sealed yet.

use super::rows::{self, sealed_conflict};
use super::upload::check_upload;
use crate::error::AppError;
use crate::services::actor::Actor;
use crate::services::audit::{self, Change};
use crate::services::trains::{record_event, TrainEvent};
use chrono::{DateTime, Utc};
use serde_json::json;
use sqlx::PgPool;

/// Removes `name` from the bundle of `train`; its blob stays in the store
/// (other bundles may hold the same bytes), unreferenced by this one.
#[tracing::instrument(skip(pool))]
pub async fn remove_artifact(
    pool: &PgPool,
    actor: &Actor,
    train: &str,
    name: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    check_upload(actor, train)?;
    let mut tx = crate::services::audit::begin_write(pool).await?;
    let target = rows::target(&mut tx, train, true).await?;
    if let Some(at) = rows::sealed_at(&mut tx, target.train_id).await? {
        return Err(sealed_conflict(train, at));
    }
    let removed = sqlx::query!(
        r#"DELETE FROM evidence_artifact a WHERE a.train_id = $1 AND a.name = $2
           RETURNING a.kind, a.size, a.sha256,
                     (SELECT s.name FROM service s WHERE s.service_id = a.service_id) AS "participant?""#,
        target.train_id,
        name
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| AppError::NotFound(format!("artifact {name:?} in the evidence of {train}")))?;
    rows::touch(&mut tx, target.train_id, now).await?;
    let before = json!({
        "name": name,
        "kind": removed.kind,
        "participant": removed.participant,
        "size": removed.size,
        "sha256": removed.sha256,
    });
    let mut detail = before.clone();
    detail["action"] = json!("removed");
    record_event(
        &mut tx,
        &TrainEvent {
            train_id: target.train_id,
            actor: &actor.name,
            kind: "evidence",
            transition: None,
            reason: None,
            detail,
            at: now,
        },
    )
    .await?;
    let change = Change {
        action: "evidence.remove",
        resource: format!("train:{train}"),
        before: Some(before),
        after: None,
        reason: None,
    };
    audit::record(&mut tx, actor, change, now).await?;
    tx.commit().await?;
    Ok(())
}
