//! The drafts people edit, a train's release notes and its change
//! announcement: generated until someone saves one, then theirs. A save
//! names the revision it started from, so two editors never overwrite each
//! other unknowingly.

use super::notes::release_notes;
use super::versions::load_versions;
use crate::domain::access::{Action, Resource};
use crate::domain::change::{Change, TrainRef};
use crate::domain::release_notes::{notes_document, TrainDocument};
use crate::domain::text::FieldText;
use crate::error::{bad_field as bad, AppError};
use crate::models::release_notes::{NotesDraftInput, NotesDraftView};
use crate::services::access::{authorize, authorize_train};
use crate::services::actor::Actor;
use crate::services::audit::begin_write;
use crate::services::changes;
use chrono::{DateTime, Utc};
use sqlx::{PgConnection, PgPool};

/// The saved draft of a train, if any.
pub(super) struct SavedDraft {
    pub markdown: String,
    pub revision: i32,
    pub edited_by: String,
    pub edited_at: DateTime<Utc>,
}

pub async fn notes_draft(
    pool: &PgPool,
    actor: &Actor,
    train: &str,
) -> Result<NotesDraftView, AppError> {
    authorize(actor, Action::Read, &Resource::Train(train.to_owned()))?;
    let generated = release_notes(pool, actor, train).await?.markdown;
    let mut conn = pool.acquire().await?;
    let train_id = train_id(&mut conn, train).await?;
    let saved = saved_draft(&mut conn, train_id, TrainDocument::ReleaseNotes).await?;
    let versions = load_versions(&mut conn, train_id).await?;
    Ok(NotesDraftView {
        train: train.to_owned(),
        markdown: saved
            .as_ref()
            .map_or_else(|| generated.clone(), |d| d.markdown.clone()),
        revision: saved.as_ref().map_or(0, |d| d.revision),
        edited_by: saved.as_ref().map(|d| d.edited_by.clone()),
        edited_at: saved.as_ref().map(|d| d.edited_at),
        generated,
        versions,
    })
}

pub async fn save_draft(
    pool: &PgPool,
    actor: &Actor,
    train: &str,
    input: &NotesDraftInput,
    now: DateTime<Utc>,
) -> Result<NotesDraftView, AppError> {
    save_document(pool, actor, train, TrainDocument::ReleaseNotes, input, now).await?;
    notes_draft(pool, actor, train).await
}

/// Saves `input` as the next revision of the train's `document`; the same
/// text again saves nothing.
#[tracing::instrument(skip(pool, input))]
pub async fn save_document(
    pool: &PgPool,
    actor: &Actor,
    train: &str,
    document: TrainDocument,
    input: &NotesDraftInput,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    authorize_train(pool, actor, Action::EditReleaseNotes, train).await?;
    let markdown =
        notes_document(&input.markdown).map_err(|e| bad("markdown", FieldText("markdown", &e)))?;
    let mut tx = begin_write(pool).await?;
    let train_id = train_id(&mut tx, train).await?;
    let saved = saved_draft(&mut tx, train_id, document).await?;
    let current = saved.as_ref().map_or(0, |d| d.revision);
    if input.revision != current {
        return Err(edited_since(saved.as_ref(), input.revision));
    }
    if saved.as_ref().is_some_and(|d| d.markdown == markdown) {
        return Ok(());
    }
    let revision = current + 1;
    sqlx::query!(
        "INSERT INTO train_draft (train_id, document, markdown, revision, edited_by, edited_at)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (train_id, document) DO UPDATE
         SET markdown = EXCLUDED.markdown, revision = EXCLUDED.revision,
             edited_by = EXCLUDED.edited_by, edited_at = EXCLUDED.edited_at",
        train_id,
        document.as_str(),
        markdown,
        revision,
        actor.name,
        now
    )
    .execute(&mut *tx)
    .await?;
    let change = Change::Notes {
        train: TrainRef::new(train_id, train),
        change: document.drafted(revision, markdown),
    };
    changes::record(&mut tx, actor, change, now).await?;
    tx.commit().await?;
    Ok(())
}

/// The refusal of an edit or a publication that started from `read`.
pub(super) fn edited_since(saved: Option<&SavedDraft>, read: i32) -> AppError {
    match saved {
        Some(d) => AppError::Conflict(format!(
            "the draft is at revision {} (saved by {} at {}), not {read}: reload it and apply \
             your edit to that",
            d.revision,
            d.edited_by,
            d.edited_at.format("%Y-%m-%d %H:%M UTC")
        )),
        None => AppError::Conflict(format!(
            "nobody has saved a draft yet (revision 0), not revision {read}: reload it"
        )),
    }
}

pub(super) async fn train_id(conn: &mut PgConnection, train: &str) -> Result<i64, AppError> {
    sqlx::query_scalar!("SELECT train_id FROM train WHERE name = $1", train)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("train {train}")))
}

pub(super) async fn saved_draft(
    conn: &mut PgConnection,
    train_id: i64,
    document: TrainDocument,
) -> Result<Option<SavedDraft>, AppError> {
    Ok(sqlx::query_as!(
        SavedDraft,
        "SELECT markdown, revision, edited_by, edited_at FROM train_draft
         WHERE train_id = $1 AND document = $2",
        train_id,
        document.as_str()
    )
    .fetch_optional(&mut *conn)
    .await?)
}
