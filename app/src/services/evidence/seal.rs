//! Sealing a bundle when its train completes (seed 000's GA): the manifest
//! lists every artifact with kind, size and SHA-256, and its own hash goes
//! into the audit trail. From then on the database refuses any change.

use super::rows;
use crate::domain::change::{Change, TrainRef};
use crate::domain::evidence::{Manifest, ManifestEntry};
use crate::domain::train_name::TrainName;
use crate::error::{AppError, ResultExt};
use crate::services::actor::Actor;
use crate::services::changes;
use chrono::{DateTime, Utc};
use sqlx::PgConnection;

/// Seals the bundle of the train, in the caller's transaction (the one
/// that completes the train, which holds the train's row lock). A bundle
/// already sealed stays as it was.
pub async fn seal_bundle(
    conn: &mut PgConnection,
    actor: &Actor,
    train_id: i64,
    train: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    if rows::sealed_at(conn, train_id).await?.is_some() {
        return Ok(());
    }
    let entries = rows::artifacts(conn, train_id)
        .await?
        .into_iter()
        .map(|a| ManifestEntry {
            name: a.name,
            kind: a.kind,
            participant: a.participant,
            size: a.size,
            sha256: a.sha256,
        })
        .collect();
    let name = TrainName::parse(train).or_internal("stored train name")?;
    let manifest = Manifest::new(name, now, entries).or_internal("sealing a manifest")?;
    let digest = manifest.digest();
    let stored = serde_json::to_value(&manifest).or_internal("manifest")?;
    sqlx::query!(
        "INSERT INTO evidence_seal (train_id, sealed_at, sealed_by, manifest, manifest_sha256)
         VALUES ($1, $2, $3, $4, $5)",
        train_id,
        manifest.sealed_at(),
        actor.name,
        stored,
        digest.as_str()
    )
    .execute(&mut *conn)
    .await?;
    super::rows::touch(conn, train_id, manifest.sealed_at()).await?;
    let change = Change::EvidenceSealed {
        train: TrainRef::new(train_id, train),
        manifest_sha256: digest.to_string(),
        artifacts: manifest.entries().len(),
        total_size: manifest.total_size(),
        sealed_at: manifest.sealed_at(),
    };
    changes::record(conn, actor, change, now).await
}
