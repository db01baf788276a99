//! A train's release notes, generated from its changes: seed 004's
//! sections, breaking changes first, and the participants' versions.

use super::categories::load_categories;
use super::changes::load_changes;
use crate::domain::access::{Action, Resource};
use crate::domain::release_notes::{render, NoteChange, NotesContext, VersionLine};
use crate::error::AppError;
use crate::models::release_notes::ReleaseNotesView;
use crate::services::access::authorize;
use crate::services::actor::Actor;
use sqlx::{PgConnection, PgPool};

pub async fn release_notes(
    pool: &PgPool,
    actor: &Actor,
    train: &str,
) -> Result<ReleaseNotesView, AppError> {
    authorize(actor, Action::Read, &Resource::Train(train.to_owned()))?;
    let mut conn = pool.acquire().await?;
    let changes = load_changes(&mut conn, train).await?;
    let categories = load_categories(&mut conn).await?;
    let head = sqlx::query!("SELECT train_id, tag FROM train WHERE name = $1", train)
        .fetch_one(&mut *conn)
        .await?;
    let context = NotesContext {
        train: train.to_owned(),
        tag: head.tag.clone(),
        versions: version_lines(&mut conn, head.train_id).await?,
    };
    let notes: Vec<NoteChange> = changes.into_iter().map(NoteChange::from).collect();
    Ok(ReleaseNotesView {
        train: train.to_owned(),
        tag: head.tag,
        changes: notes.len(),
        markdown: render(&context, &notes, &categories),
    })
}

/// Each participant's version and the one before, in release order.
pub(super) async fn version_lines(
    conn: &mut PgConnection,
    train_id: i64,
) -> Result<Vec<VersionLine>, AppError> {
    Ok(sqlx::query!(
        "SELECT s.name, p.target_version, p.previous_version
         FROM participant p JOIN service s USING (service_id)
         WHERE p.train_id = $1 ORDER BY p.release_position, s.name",
        train_id
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|v| VersionLine {
        service: v.name,
        version: v.target_version,
        previous: v.previous_version,
    })
    .collect())
}
