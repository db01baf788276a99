//! Published versions of a train's notes: each one kept, numbered, with
//! its checksum, and (until the bundle is sealed) in the evidence bundle.

use super::draft::{edited_since, notes_draft, saved_draft, train_id};
use crate::domain::access::{Action, Resource};
use crate::domain::change::{Change, NotesChange, TrainRef};
use crate::domain::evidence::{digest_of, inspect, ArtifactName, EvidenceKind};
use crate::domain::release_notes::TrainDocument;
use crate::domain::text::PROSE;
use crate::error::{optional_text_field, AppError, ResultExt};
use crate::models::evidence::ArtifactView;
use crate::models::release_notes::{NotesVersionView, PublishNotesInput};
use crate::services::access::{authorize, authorize_train};
use crate::services::actor::Actor;
use crate::services::audit::begin_write;
use crate::services::changes;
use crate::services::evidence::{put_blob, write_artifact, EvidenceStore};
use bytes::Bytes;
use chrono::{DateTime, SubsecRound, Utc};
use sqlx::{PgConnection, PgPool};

/// The name the notes have in the evidence bundle.
pub const NOTES_ARTIFACT: &str = "release-notes.md";

/// Publishes the draft (or the generated notes) as the next version. The
/// same text as the latest version publishes nothing new.
#[tracing::instrument(skip(pool, store, input))]
pub async fn publish_notes(
    pool: &PgPool,
    store: &EvidenceStore,
    actor: &Actor,
    train: &str,
    input: &PublishNotesInput,
    now: DateTime<Utc>,
) -> Result<NotesVersionView, AppError> {
    authorize_train(pool, actor, Action::EditReleaseNotes, train).await?;
    let reason = optional_text_field("reason", PROSE, input.reason.as_deref())?;
    let draft = notes_draft(pool, actor, train).await?;
    if let Some(read) = input.revision.filter(|r| *r != draft.revision) {
        let mut conn = pool.acquire().await?;
        let id = train_id(&mut conn, train).await?;
        return Err(edited_since(
            saved_draft(&mut conn, id, TrainDocument::ReleaseNotes)
                .await?
                .as_ref(),
            read,
        ));
    }
    if let Some(latest) = draft.versions.first() {
        if latest.markdown == draft.markdown {
            return Ok(latest.clone());
        }
    }
    let bytes = Bytes::from(draft.markdown.clone());
    let digest = digest_of(&bytes);
    let inspection = inspect(EvidenceKind::ReleaseNotes, &bytes).or_internal("notes as text")?;
    let size = bytes.len() as u64;
    put_blob(store, &digest, bytes).await?;

    let mut tx = begin_write(pool).await?;
    let id = train_id(&mut tx, train).await?;
    let saved = saved_draft(&mut tx, id, TrainDocument::ReleaseNotes).await?;
    if saved.as_ref().map_or(0, |d| d.revision) != draft.revision {
        return Err(edited_since(saved.as_ref(), draft.revision));
    }
    let sealed = sqlx::query_scalar!(
        "SELECT EXISTS (SELECT 1 FROM evidence_seal WHERE train_id = $1)",
        id
    )
    .fetch_one(&mut *tx)
    .await?
    .unwrap_or(false);
    let version = sqlx::query_scalar!(
        r#"INSERT INTO release_notes_version
               (train_id, version, markdown, sha256, published_by, published_at, reason, in_evidence)
           SELECT $1, COALESCE(MAX(version), 0) + 1, $2, $3, $4, $5, $6, $7
           FROM release_notes_version WHERE train_id = $1
           RETURNING version"#,
        id,
        draft.markdown,
        digest.as_str(),
        actor.name,
        now,
        reason,
        !sealed
    )
    .fetch_one(&mut *tx)
    .await?;
    let change = Change::Notes {
        train: TrainRef::new(id, train),
        change: NotesChange::Published {
            version,
            sha256: digest.to_string(),
            markdown: draft.markdown.clone(),
            in_evidence: !sealed,
            reason: reason.clone(),
        },
    };
    changes::record(&mut tx, actor, change, now).await?;
    if !sealed {
        let artifact = ArtifactView {
            name: ArtifactName::parse(NOTES_ARTIFACT).or_internal("notes artifact name")?,
            kind: EvidenceKind::ReleaseNotes,
            participant: None,
            size,
            sha256: digest.clone(),
            media_type: EvidenceKind::ReleaseNotes.media_type().to_owned(),
            uploaded_by: actor.name.clone(),
            uploaded_at: now.trunc_subsecs(6),
        };
        write_artifact(&mut tx, actor, train, artifact, &inspection, now).await?;
    }
    tx.commit().await?;
    Ok(NotesVersionView {
        version,
        sha256: digest.to_string(),
        published_by: actor.name.clone(),
        published_at: now.trunc_subsecs(6),
        reason,
        in_evidence: !sealed,
        markdown: draft.markdown,
    })
}

/// Every published version of a train's notes, newest first.
pub async fn notes_versions(
    pool: &PgPool,
    actor: &Actor,
    train: &str,
) -> Result<Vec<NotesVersionView>, AppError> {
    authorize(actor, Action::Read, &Resource::Train(train.to_owned()))?;
    let mut conn = pool.acquire().await?;
    let id = train_id(&mut conn, train).await?;
    load_versions(&mut conn, id).await
}

/// One published version.
pub async fn notes_version(
    pool: &PgPool,
    actor: &Actor,
    train: &str,
    version: i32,
) -> Result<NotesVersionView, AppError> {
    notes_versions(pool, actor, train)
        .await?
        .into_iter()
        .find(|v| v.version == version)
        .ok_or_else(|| {
            AppError::NotFound(format!("version {version} of the release notes of {train}"))
        })
}

pub(super) async fn load_versions(
    conn: &mut PgConnection,
    train_id: i64,
) -> Result<Vec<NotesVersionView>, AppError> {
    Ok(sqlx::query_as!(
        NotesVersionView,
        "SELECT version, sha256, published_by, published_at, reason, in_evidence, markdown
         FROM release_notes_version WHERE train_id = $1 ORDER BY version DESC",
        train_id
    )
    .fetch_all(&mut *conn)
    .await?)
}
