//! Reading bundles: the list, one bundle, one artifact with its viewer's
//! data, the raw bytes, and the completeness the promotion gate asks for.

use super::rows::{self, completeness_of, requirements};
use super::{blobs, EvidenceStore};
use crate::domain::access::Action;
use crate::domain::evidence::{Completeness, EvidenceKind, Inspection};
use crate::domain::keyset::{PageAt, PageLinks, TimeAndId};
use crate::domain::TrainState;
use crate::error::{AppError, ResultExt};
use crate::models::evidence::{
    ArtifactDetail, ArtifactView, BundleListing, BundleRow, BundleView, TEXT_PREVIEW_LIMIT,
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

/// How many bundles a page of `/evidence` lists.
pub const BUNDLES_PER_PAGE: i64 = 25;

/// One page of the bundles worth a look: trains holding evidence or a seal,
/// and trains in flight (whose bundles are still being filled), newest
/// change first. Three queries whatever the history: the page's trains, then
/// their participants and their artifacts.
#[tracing::instrument(skip(pool))]
pub async fn bundles(
    pool: &PgPool,
    actor: &Actor,
    at: &PageAt<TimeAndId>,
) -> Result<BundleListing, AppError> {
    authorize_read(actor)?;
    // Newest change first; bundles without any change sort last
    // (`-infinity`). A page before a key is read in reverse, then turned.
    let (key, backwards) = at.key_and_direction();
    let mut conn = pool.begin().await?;
    let trains = sqlx::query!(
        r#"SELECT t.train_id, t.name, t.tag, t.state, t.evidence_changed_at, s.sealed_at AS "sealed_at?"
           FROM train t LEFT JOIN evidence_seal s USING (train_id)
           WHERE (t.evidence_changed_at IS NOT NULL
                  OR t.state IN ('validating', 'staging', 'executing', 'verifying', 'paused'))
             AND ($4 OR CASE
                   WHEN $3 THEN (coalesce(t.evidence_changed_at, '-infinity'::timestamptz), t.train_id)
                              > (coalesce($1, '-infinity'::timestamptz), $2)
                   ELSE (coalesce(t.evidence_changed_at, '-infinity'::timestamptz), t.train_id)
                      < (coalesce($1, '-infinity'::timestamptz), $2)
                 END)
           ORDER BY CASE WHEN $3 THEN coalesce(t.evidence_changed_at, '-infinity'::timestamptz) END ASC,
                    CASE WHEN $3 THEN t.train_id END ASC,
                    coalesce(t.evidence_changed_at, '-infinity'::timestamptz) DESC, t.train_id DESC
           LIMIT $5"#,
        key.and_then(|k| k.at),
        key.map_or(0, |k| k.id),
        backwards,
        key.is_none(),
        BUNDLES_PER_PAGE + 1
    )
    .fetch_all(&mut *conn)
    .await?;
    let ids: Vec<i64> = trains.iter().map(|t| t.train_id).collect();
    let mut participants = rows::participants_of(&mut conn, &ids).await?;
    let mut artifacts = rows::artifacts_of(&mut conn, &ids).await?;
    drop(conn);
    let mut rows = Vec::with_capacity(trains.len());
    for t in trains {
        let participants = participants.remove(&t.train_id).unwrap_or_default();
        let artifacts = artifacts.remove(&t.train_id).unwrap_or_default();
        rows.push((
            TimeAndId {
                at: t.evidence_changed_at,
                id: t.train_id,
            },
            BundleRow {
                completeness: completeness_of(&participants, &artifacts),
                artifacts: artifacts.len(),
                total_size: artifacts.iter().map(|a| a.size).sum(),
                state: TrainState::parse(&t.state).or_internal("stored train state")?,
                train: t.name,
                tag: t.tag,
                sealed_at: t.sealed_at,
                last_change: t.evidence_changed_at,
            },
        ));
    }
    let (rows, links) = PageLinks::settle(at, rows, BUNDLES_PER_PAGE as usize, |(k, _)| k.clone());
    Ok(BundleListing {
        bundles: rows.into_iter().map(|(_, row)| row).collect(),
        links,
    })
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
    let inspection: Inspection = serde_json::from_value(stored).or_internal("stored inspection")?;
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
