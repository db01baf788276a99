//! Uploading one artifact: the declared checksum must match the bytes, the
//! bytes must be the declared kind, the bundle must not be sealed. A refused
//! upload leaves nothing behind but its `evidence.refuse` audit record.

use super::rows::{self, sealed_conflict};
use super::{bad, blobs, unprocessable, EvidenceStore};
use crate::domain::access::Action;
use crate::domain::change::{ArtifactLine, Change, RefusedUpload, TrainRef};
use crate::domain::evidence::{
    check_declared_digest, inspect, ArtifactName, EvidenceError, EvidenceKind, Inspection,
    Sha256Digest,
};
use crate::error::{AppError, ResultExt};
use crate::models::evidence::{ArtifactView, UploadOutcome, UploadReceipt};
use crate::services::access::authorize_train;
use crate::services::actor::Actor;
use crate::services::changes;
use bytes::{Bytes, BytesMut};
use chrono::{DateTime, SubsecRound, Utc};
use futures_util::{Stream, StreamExt};
use serde::Deserialize;
use sqlx::{PgConnection, PgPool};

/// What the uploader says about the bytes it sends.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
pub struct UploadRequest {
    /// The artifact's name in the bundle; the sent file's name when absent.
    pub name: Option<String>,
    /// The file name a multipart part carried.
    #[serde(skip)]
    pub file_name: Option<String>,
    pub kind: Option<String>,
    pub sha256: Option<String>,
    pub participant: Option<String>,
}

struct Declared {
    name: ArtifactName,
    kind: EvidenceKind,
    sha256: Sha256Digest,
    participant: Option<String>,
}

fn given(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

fn declared(request: &UploadRequest) -> Result<Declared, AppError> {
    let kind = given(&request.kind).ok_or_else(|| {
        bad(
            "kind",
            "give the artifact's kind: cyclonedx_sbom, spdx_sbom, junit, provenance, checksums, \
             signature, migrations, summary, release_metadata or release_notes",
        )
    })?;
    let kind = EvidenceKind::parse(kind).map_err(|e| bad("kind", e))?;
    let sha256 = given(&request.sha256)
        .ok_or_else(|| bad("sha256", "give the SHA-256 of the file (64 hex digits)"))?;
    let sha256 = Sha256Digest::parse(sha256).map_err(|e| bad("sha256", e))?;
    let name = given(&request.name)
        .or(given(&request.file_name))
        .ok_or_else(|| bad("name", "give the artifact's name (or send a file name)"))?;
    let name = ArtifactName::parse(name).map_err(|e| bad("name", e))?;
    Ok(Declared {
        name,
        kind,
        sha256,
        participant: given(&request.participant).map(str::to_owned),
    })
}

/// May `actor` upload to `train`? Asked before a byte of the body is read.
pub async fn check_upload(pool: &PgPool, actor: &Actor, train: &str) -> Result<(), AppError> {
    authorize_train(pool, actor, Action::UploadEvidence, train).await
}

/// Reads an upload's body, stopping as soon as it passes the limit.
pub async fn read_limited<S, E>(store: &EvidenceStore, body: S) -> Result<Bytes, AppError>
where
    S: Stream<Item = Result<Bytes, E>>,
    E: std::fmt::Display,
{
    futures_util::pin_mut!(body);
    let mut received = BytesMut::new();
    while let Some(chunk) = body.next().await {
        let chunk = chunk.map_err(|e| bad("file", format!("the upload broke off: {e}")))?;
        if (received.len() + chunk.len()) as u64 > store.max_bytes() {
            return Err(store.too_large());
        }
        received.extend_from_slice(&chunk);
    }
    Ok(received.freeze())
}

/// Checks and stores one artifact; an artifact of the same name in an
/// unsealed bundle is replaced, and the same bytes again change nothing.
#[tracing::instrument(skip(pool, store, request, bytes), fields(size = bytes.len()))]
pub async fn upload_artifact(
    pool: &PgPool,
    store: &EvidenceStore,
    actor: &Actor,
    train: &str,
    request: UploadRequest,
    bytes: Bytes,
    now: DateTime<Utc>,
) -> Result<UploadReceipt, AppError> {
    check_upload(pool, actor, train).await?;
    let size = bytes.len() as u64;
    match accept(pool, store, actor, train, &request, bytes, now).await {
        Err(e) if is_refusal(&e) => {
            Err(record_refusal(pool, actor, train, &request, Some(size), e, now).await)
        }
        other => other,
    }
}

/// Records the refusal of an upload that failed before its bytes were all
/// read (too large, broken off, malformed form), and returns the error.
/// Nobody allowed to upload is recorded: that refusal is the caller's 401/403.
pub async fn refuse_upload(
    pool: &PgPool,
    actor: &Actor,
    train: &str,
    request: &UploadRequest,
    error: AppError,
    now: DateTime<Utc>,
) -> AppError {
    if check_upload(pool, actor, train).await.is_err() || !is_refusal(&error) {
        return error;
    }
    record_refusal(pool, actor, train, request, None, error, now).await
}

fn is_refusal(error: &AppError) -> bool {
    (400..500).contains(&error.status_code())
        && !matches!(error, AppError::Unauthenticated | AppError::Forbidden(_))
}

async fn record_refusal(
    pool: &PgPool,
    actor: &Actor,
    train: &str,
    request: &UploadRequest,
    size: Option<u64>,
    error: AppError,
    now: DateTime<Utc>,
) -> AppError {
    let reason = error.to_string();
    let change = Change::EvidenceRefused {
        train: train.to_owned(),
        upload: RefusedUpload {
            name: given(&request.name)
                .or(given(&request.file_name))
                .map(str::to_owned),
            kind: given(&request.kind).map(str::to_owned),
            participant: given(&request.participant).map(str::to_owned),
            sha256: given(&request.sha256).map(str::to_owned),
            size,
            status: error.status_code(),
        },
        reason,
    };
    let recorded = async {
        let mut tx = crate::services::audit::begin_write(pool).await?;
        changes::record(&mut tx, actor, change, now).await?;
        tx.commit().await?;
        Ok::<_, AppError>(())
    }
    .await;
    if let Err(e) = recorded {
        tracing::error!(error = %e, "recording a refused evidence upload");
    }
    error
}

fn refused_file(error: EvidenceError) -> AppError {
    match error {
        EvidenceError::Schema { violations } => AppError::SchemaViolations {
            field: Some("file".to_owned()),
            message: EvidenceError::Schema {
                violations: violations.clone(),
            }
            .to_string(),
            violations,
        },
        other => unprocessable("file", other),
    }
}

async fn accept(
    pool: &PgPool,
    store: &EvidenceStore,
    actor: &Actor,
    train: &str,
    request: &UploadRequest,
    bytes: Bytes,
    now: DateTime<Utc>,
) -> Result<UploadReceipt, AppError> {
    let declared = declared(request)?;
    if bytes.len() as u64 > store.max_bytes() {
        return Err(store.too_large());
    }
    let mut conn = pool.acquire().await?;
    let target = rows::target(&mut conn, train, false).await?;
    if let Some(at) = rows::sealed_at(&mut conn, target.train_id).await? {
        return Err(sealed_conflict(train, at));
    }
    drop(conn);
    if let Some(p) = &declared.participant {
        if !target.participants.contains(p) {
            return Err(unprocessable(
                "participant",
                format!(
                    "{p:?} is not a participant of {train} (its participants: {})",
                    target.participants.join(", ")
                ),
            ));
        }
    }
    let digest =
        check_declared_digest(&declared.sha256, &bytes).map_err(|e| unprocessable("sha256", e))?;
    let inspection = inspect(declared.kind, &bytes).map_err(refused_file)?;
    let size = bytes.len() as u64;
    blobs::put(store, &digest, bytes).await?;
    let artifact = ArtifactView {
        name: declared.name,
        kind: declared.kind,
        participant: declared.participant,
        size,
        sha256: digest,
        media_type: declared.kind.media_type().to_owned(),
        uploaded_by: actor.name.clone(),
        // As Postgres keeps it.
        uploaded_at: now.trunc_subsecs(6),
    };
    store_metadata(pool, actor, train, artifact, &inspection, now).await
}

fn summary(a: &ArtifactView) -> ArtifactLine {
    ArtifactLine {
        name: a.name.to_string(),
        kind: a.kind.as_str().to_owned(),
        participant: a.participant.clone(),
        size: a.size,
        sha256: a.sha256.to_string(),
    }
}

async fn store_metadata(
    pool: &PgPool,
    actor: &Actor,
    train: &str,
    artifact: ArtifactView,
    inspection: &Inspection,
    now: DateTime<Utc>,
) -> Result<UploadReceipt, AppError> {
    let mut tx = crate::services::audit::begin_write(pool).await?;
    let receipt = write_artifact(&mut tx, actor, train, artifact, inspection, now).await?;
    tx.commit().await?;
    Ok(receipt)
}

/// Adds (or replaces) one artifact of an unsealed bundle, with its audit
/// record, in the caller's transaction; its blob must be stored already.
pub(crate) async fn write_artifact(
    tx: &mut PgConnection,
    actor: &Actor,
    train: &str,
    artifact: ArtifactView,
    inspection: &Inspection,
    now: DateTime<Utc>,
) -> Result<UploadReceipt, AppError> {
    let target = rows::target(&mut *tx, train, true).await?;
    // The train may have completed since the first look.
    if let Some(at) = rows::sealed_at(&mut *tx, target.train_id).await? {
        return Err(sealed_conflict(train, at));
    }
    let existing = sqlx::query!(
        r#"SELECT a.evidence_artifact_id, a.name, a.kind, s.name AS "participant?", a.size, a.sha256
           FROM evidence_artifact a LEFT JOIN service s USING (service_id)
           WHERE a.train_id = $1 AND lower(a.name) = lower($2)"#,
        target.train_id,
        artifact.name.as_str()
    )
    .fetch_optional(&mut *tx)
    .await?;
    let inspection = serde_json::to_value(inspection).or_internal("inspection")?;
    let size = i64::try_from(artifact.size).or_internal("size")?;
    let (outcome, before) = match existing {
        Some(e) if e.name != artifact.name.as_str() => {
            return Err(AppError::Conflict(format!(
                "the bundle already holds {:?}: artifact names must differ even ignoring case",
                e.name
            )));
        }
        Some(e)
            if e.sha256 == artifact.sha256.as_str()
                && e.kind == artifact.kind.as_str()
                && e.participant == artifact.participant =>
        {
            let current = rows::artifacts(&mut *tx, target.train_id)
                .await?
                .into_iter()
                .find(|a| a.name == artifact.name)
                .or_internal("the replaced artifact")?;
            return Ok(UploadReceipt {
                outcome: UploadOutcome::Unchanged,
                artifact: current,
                replaced_sha256: None,
            });
        }
        Some(e) => {
            sqlx::query!(
                "UPDATE evidence_artifact
                 SET kind = $2, service_id = (SELECT service_id FROM service WHERE name = $3), size = $4,
                     sha256 = $5, media_type = $6, inspection = $7, uploaded_by = $8, uploaded_at = $9,
                     updated_at = $9
                 WHERE evidence_artifact_id = $1",
                e.evidence_artifact_id,
                artifact.kind.as_str(),
                artifact.participant,
                size,
                artifact.sha256.as_str(),
                artifact.media_type,
                inspection,
                artifact.uploaded_by,
                artifact.uploaded_at
            )
            .execute(&mut *tx)
            .await?;
            let before = ArtifactLine {
                name: e.name,
                kind: e.kind,
                participant: e.participant,
                size: e.size.max(0) as u64,
                sha256: e.sha256.clone(),
            };
            (UploadOutcome::Replaced, Some((before, e.sha256)))
        }
        None => {
            sqlx::query!(
                "INSERT INTO evidence_artifact (train_id, name, kind, service_id, size, sha256, media_type,
                                                inspection, uploaded_by, uploaded_at)
                 VALUES ($1, $2, $3, (SELECT service_id FROM service WHERE name = $4), $5, $6, $7, $8, $9, $10)",
                target.train_id,
                artifact.name.as_str(),
                artifact.kind.as_str(),
                artifact.participant,
                size,
                artifact.sha256.as_str(),
                artifact.media_type,
                inspection,
                artifact.uploaded_by,
                artifact.uploaded_at
            )
            .execute(&mut *tx)
            .await?;
            (UploadOutcome::Created, None)
        }
    };
    rows::touch(&mut *tx, target.train_id, now).await?;
    let (before, replaced_sha256) = before.unzip();
    let change = Change::EvidenceUploaded {
        train: TrainRef::new(target.train_id, train),
        artifact: summary(&artifact),
        replaced: before,
    };
    changes::record(&mut *tx, actor, change, now).await?;
    Ok(UploadReceipt {
        outcome,
        artifact,
        replaced_sha256: replaced_sha256
            .map(|s| Sha256Digest::parse(&s))
            .transpose()
            .or_internal("stored digest")?,
    })
}
