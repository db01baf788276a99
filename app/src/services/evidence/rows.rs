//! The rows every evidence operation starts from.

use crate::domain::evidence::{
    completeness, ArtifactName, Completeness, EvidenceKind, EvidenceRequirement, Manifest,
    Sha256Digest,
};
use crate::domain::TrainState;
use crate::error::{AppError, ResultExt};
use crate::models::evidence::{ArtifactView, SealView};
use chrono::{DateTime, Utc};
use sqlx::PgConnection;
use std::collections::HashMap;

/// The train a bundle belongs to.
pub(super) struct Target {
    pub train_id: i64,
    pub name: String,
    pub tag: Option<String>,
    pub state: TrainState,
    /// In release order.
    pub participants: Vec<String>,
}

/// Loads the train, locking its row when `lock` (an upload, a removal and
/// the completing transition all lock it, so they happen one after another).
pub(super) async fn target(
    conn: &mut PgConnection,
    name: &str,
    lock: bool,
) -> Result<Target, AppError> {
    let train = crate::services::trains::load_train(conn, name, lock).await?;
    let participants = crate::services::trains::load_participants(conn, train.train_id)
        .await?
        .into_iter()
        .map(|p| p.service)
        .collect();
    Ok(Target {
        train_id: train.train_id,
        name: train.name,
        tag: train.tag,
        state: train.lifecycle.state,
        participants,
    })
}

/// A bundle's artifacts, sorted by name.
pub(super) async fn artifacts(
    conn: &mut PgConnection,
    train_id: i64,
) -> Result<Vec<ArtifactView>, AppError> {
    Ok(artifacts_of(conn, &[train_id])
        .await?
        .remove(&train_id)
        .unwrap_or_default())
}

/// The artifacts of every train in `ids`, each bundle's sorted by name.
pub(super) async fn artifacts_of(
    conn: &mut PgConnection,
    ids: &[i64],
) -> Result<HashMap<i64, Vec<ArtifactView>>, AppError> {
    let rows = sqlx::query!(
        r#"SELECT a.train_id, a.name, a.kind, s.name AS "participant?", a.size, a.sha256, a.media_type,
                  a.uploaded_by, a.uploaded_at
           FROM evidence_artifact a LEFT JOIN service s USING (service_id)
           WHERE a.train_id = ANY($1) ORDER BY a.train_id, a.name"#,
        ids
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut out: HashMap<i64, Vec<ArtifactView>> = HashMap::new();
    for r in rows {
        out.entry(r.train_id).or_default().push(ArtifactView {
            name: ArtifactName::parse(&r.name).or_internal("stored artifact")?,
            kind: EvidenceKind::parse(&r.kind).or_internal("stored artifact")?,
            participant: r.participant,
            size: u64::try_from(r.size).or_internal("stored artifact")?,
            sha256: Sha256Digest::parse(&r.sha256).or_internal("stored artifact")?,
            media_type: r.media_type,
            uploaded_by: r.uploaded_by,
            uploaded_at: r.uploaded_at,
        });
    }
    Ok(out)
}

/// The participants of every train in `ids`, in release order.
pub(super) async fn participants_of(
    conn: &mut PgConnection,
    ids: &[i64],
) -> Result<HashMap<i64, Vec<String>>, AppError> {
    let rows = sqlx::query!(
        "SELECT p.train_id, s.name FROM participant p JOIN service s USING (service_id)
         WHERE p.train_id = ANY($1) ORDER BY p.train_id, p.release_position, s.name",
        ids
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut out: HashMap<i64, Vec<String>> = HashMap::new();
    for r in rows {
        out.entry(r.train_id).or_default().push(r.name);
    }
    Ok(out)
}

/// Marks the train's bundle as changed at `at` (an upload, a replacement, a
/// removal, the seal): `/evidence` lists bundles by it.
pub(super) async fn touch(
    conn: &mut PgConnection,
    train_id: i64,
    at: DateTime<Utc>,
) -> Result<(), AppError> {
    sqlx::query!(
        "UPDATE train SET evidence_changed_at = $2 WHERE train_id = $1",
        train_id,
        at
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// A bundle's seal and its manifest, checked against the recorded hash.
pub(super) struct Seal {
    pub view: SealView,
    pub manifest: Manifest,
}

pub(super) async fn seal(conn: &mut PgConnection, train_id: i64) -> Result<Option<Seal>, AppError> {
    let Some(row) = sqlx::query!(
        "SELECT sealed_at, sealed_by, manifest, manifest_sha256 FROM evidence_seal WHERE train_id = $1",
        train_id
    )
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Ok(None);
    };
    let manifest: Manifest = serde_json::from_value(row.manifest).or_internal("stored manifest")?;
    let recorded = Sha256Digest::parse(&row.manifest_sha256).or_internal("stored manifest")?;
    if manifest.digest() != recorded {
        return Err(AppError::internal(
            "a sealed manifest does not match its recorded hash",
            format!("train {train_id}: recorded {recorded}"),
        ));
    }
    Ok(Some(Seal {
        view: SealView {
            sealed_at: row.sealed_at,
            sealed_by: row.sealed_by,
            manifest_sha256: recorded,
            artifacts: manifest.entries().len(),
        },
        manifest,
    }))
}

pub(super) async fn sealed_at(
    conn: &mut PgConnection,
    train_id: i64,
) -> Result<Option<DateTime<Utc>>, AppError> {
    Ok(sqlx::query_scalar!(
        "SELECT sealed_at FROM evidence_seal WHERE train_id = $1",
        train_id
    )
    .fetch_optional(&mut *conn)
    .await?)
}

/// The refusal of any change to a sealed bundle.
pub(super) fn sealed_conflict(train: &str, at: DateTime<Utc>) -> AppError {
    AppError::Conflict(format!(
        "the evidence bundle of {train} was sealed at {} when the train completed: \
         no artifact can be added, replaced or removed",
        at.format("%Y-%m-%d %H:%M:%S UTC")
    ))
}

/// What every train's bundle must hold: the standard requirements (seed 000).
pub(super) fn requirements() -> Vec<EvidenceRequirement> {
    EvidenceRequirement::STANDARD.to_vec()
}

pub(super) fn completeness_of(participants: &[String], artifacts: &[ArtifactView]) -> Completeness {
    let present: Vec<(EvidenceKind, Option<String>)> = artifacts
        .iter()
        .map(|a| (a.kind, a.participant.clone()))
        .collect();
    completeness(&requirements(), participants, &present)
}
