//! Removing an artifact from a bundle that is not sealed yet.

use super::rows::{self, sealed_conflict};
use super::upload::check_upload;
use crate::domain::change::{ArtifactLine, Change, TrainRef};
use crate::error::AppError;
use crate::services::actor::Actor;
use crate::services::changes;
use chrono::{DateTime, Utc};
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
    check_upload(pool, actor, train).await?;
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
    let change = Change::EvidenceRemoved {
        train: TrainRef::new(target.train_id, train),
        artifact: ArtifactLine {
            name: name.to_owned(),
            kind: removed.kind,
            participant: removed.participant,
            size: removed.size.max(0) as u64,
            sha256: removed.sha256,
        },
    };
    changes::record(&mut tx, actor, change, now).await?;
    tx.commit().await?;
    Ok(())
}
