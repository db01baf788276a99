//! Reading bundles: the list, one bundle, one artifact with its viewer's
//! data, the raw bytes, and the completeness the promotion gate asks for.

use super::rows::{self, completeness_of, requirements};
use super::{blobs, internal, EvidenceStore};
use crate::domain::access::Action;
use crate::domain::evidence::{Completeness, EvidenceKind, Inspection};
use crate::domain::TrainState;
use crate::error::AppError;
use crate::models::evidence::{
    ArtifactDetail, ArtifactView, BundleRow, BundleView, TEXT_PREVIEW_LIMIT,
};
use crate::services::access::{authorize_read, may};
use crate::services::actor::Actor;
use bytes::Bytes;
use sqlx::{PgConnection, PgPool};
use std::collections::BTreeMap;

/// Whether the bundle of train `train_id` holds what the policy requires;
/// what promotion checks before it lets a train through.
pub async fn evidence_completeness(
    conn: &mut PgConnection,
    train_id: i64,
) -> Result<Completeness, AppError> {
    let participants = sqlx::query_scalar!(
        "SELECT s.name FROM participant p JOIN service s USING (service_id)
         WHERE p.train_id = $1 ORDER BY p.release_position, s.name",
        train_id
    )
    .fetch_all(&mut *conn)
    .await?;
    let artifacts = rows::artifacts(conn, train_id).await?;
    Ok(completeness_of(&participants, &artifacts))
}

/// One train's bundle.
#[tracing::instrument(skip(pool, store))]
pub async fn bundle(
    pool: &PgPool,
    store: &EvidenceStore,
    actor: &Actor,
    train: &str,
) -> Result<BundleView, AppError> {
    authorize_read(actor)?;
    let mut conn = pool.acquire().await?;
    let target = rows::target(&mut conn, train, false).await?;
    let artifacts = rows::artifacts(&mut conn, target.train_id).await?;
    let seal = rows::seal(&mut conn, target.train_id).await?;
    Ok(BundleView {
        completeness: completeness_of(&target.participants, &artifacts),
        total_size: artifacts.iter().map(|a| a.size).sum(),
        train: target.name,
        tag: target.tag,
        state: target.state,
        participants: target.participants,
        artifacts,
        seal: seal.map(|s| s.view),
        requirements: requirements(),
        max_bytes: store.max_bytes(),
        may_upload: may(actor, Action::UploadEvidence),
    })
}

/// Every bundle worth a look: trains holding evidence or a seal, and trains
/// in flight (whose bundles are still being filled), newest change first.
#[tracing::instrument(skip(pool))]
pub async fn bundles(pool: &PgPool, actor: &Actor) -> Result<Vec<BundleRow>, AppError> {
    authorize_read(actor)?;
    let mut conn = pool.acquire().await?;
    let trains = sqlx::query!(
        r#"SELECT t.train_id, t.name, t.tag, t.state, s.sealed_at AS "sealed_at?",
                  (SELECT max(a.uploaded_at) FROM evidence_artifact a WHERE a.train_id = t.train_id) AS last_upload
           FROM train t LEFT JOIN evidence_seal s USING (train_id)
           WHERE s.train_id IS NOT NULL
              OR EXISTS (SELECT 1 FROM evidence_artifact a WHERE a.train_id = t.train_id)
              OR t.state IN ('validating', 'staging', 'executing', 'verifying', 'paused')
           ORDER BY t.name"#
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut rows = Vec::with_capacity(trains.len());
    for t in trains {
        let participants = sqlx::query_scalar!(
            "SELECT s.name FROM participant p JOIN service s USING (service_id)
             WHERE p.train_id = $1 ORDER BY p.release_position, s.name",
            t.train_id
        )
        .fetch_all(&mut *conn)
        .await?;
        let artifacts = rows::artifacts(&mut conn, t.train_id).await?;
        rows.push(BundleRow {
            completeness: completeness_of(&participants, &artifacts),
            artifacts: artifacts.len(),
            total_size: artifacts.iter().map(|a| a.size).sum(),
            state: TrainState::parse(&t.state).map_err(|e| internal("stored train state", e))?,
            train: t.name,
            tag: t.tag,
            sealed_at: t.sealed_at,
            last_change: t.sealed_at.max(t.last_upload),
        });
    }
    rows.sort_by_key(|row| std::cmp::Reverse(row.last_change));
    Ok(rows)
}

async fn find(
    conn: &mut PgConnection,
    train: &str,
    name: &str,
) -> Result<(rows::Target, Vec<ArtifactView>, ArtifactView), AppError> {
    let target = rows::target(conn, train, false).await?;
    let mut all = rows::artifacts(conn, target.train_id).await?;
    let at = all
        .iter()
        .position(|a| a.name.as_str() == name)
        .ok_or_else(|| {
            AppError::NotFound(format!("artifact {name:?} in the evidence of {train}"))
        })?;
    let artifact = all.remove(at);
    Ok((target, all, artifact))
}

/// One artifact and what its viewer shows.
#[tracing::instrument(skip(pool, store))]
pub async fn artifact_detail(
    pool: &PgPool,
    store: &EvidenceStore,
    actor: &Actor,
    train: &str,
    name: &str,
) -> Result<ArtifactDetail, AppError> {
    authorize_read(actor)?;
    let mut conn = pool.acquire().await?;
    let (target, others, artifact) = find(&mut conn, train, name).await?;
    let stored = sqlx::query_scalar!(
        "SELECT inspection FROM evidence_artifact WHERE train_id = $1 AND name = $2",
        target.train_id,
        name
    )
    .fetch_one(&mut *conn)
    .await?;
    let inspection: Inspection =
        serde_json::from_value(stored).map_err(|e| internal("stored inspection", e))?;
    let sealed = rows::sealed_at(&mut conn, target.train_id).await?.is_some();
    drop(conn);
    let shows_text = matches!(
        artifact.kind,
        EvidenceKind::Migrations | EvidenceKind::Summary
    );
    let (text, text_truncated) = if shows_text {
        let bytes = blobs::get(store, &artifact.sha256).await?;
        let shown = &bytes[..bytes.len().min(TEXT_PREVIEW_LIMIT)];
        (
            Some(String::from_utf8_lossy(shown).into_owned()),
            bytes.len() > TEXT_PREVIEW_LIMIT,
        )
    } else {
        (None, false)
    };
    Ok(ArtifactDetail {
        train: target.name,
        tag: target.tag,
        sealed,
        artifact,
        inspection,
        text,
        text_truncated,
        others,
    })
}

/// An artifact's bytes as uploaded, checked against its digest.
#[tracing::instrument(skip(pool, store))]
pub async fn download(
    pool: &PgPool,
    store: &EvidenceStore,
    actor: &Actor,
    train: &str,
    name: &str,
) -> Result<(ArtifactView, Bytes), AppError> {
    authorize_read(actor)?;
    let mut conn = pool.acquire().await?;
    let (_, _, artifact) = find(&mut conn, train, name).await?;
    drop(conn);
    let bytes = blobs::get(store, &artifact.sha256).await?;
    Ok((artifact, bytes))
}

/// The bytes of every artifact listed, by name, each checked.
pub(super) async fn contents(
    store: &EvidenceStore,
    artifacts: Vec<(String, crate::domain::evidence::Sha256Digest)>,
) -> Result<BTreeMap<String, Bytes>, AppError> {
    let mut out = BTreeMap::new();
    for (name, digest) in artifacts {
        out.insert(name, blobs::get(store, &digest).await?);
    }
    Ok(out)
}
