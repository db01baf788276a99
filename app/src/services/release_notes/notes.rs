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
use sqlx::PgPool;

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
    let versions = sqlx::query!(
        "SELECT s.name, p.target_version, p.previous_version
         FROM participant p JOIN service s USING (service_id)
         WHERE p.train_id = $1 ORDER BY p.release_position, s.name",
        head.train_id
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|v| VersionLine {
        service: v.name,
        version: v.target_version,
        previous: v.previous_version,
    })
    .collect();
    let context = NotesContext {
        train: train.to_owned(),
        tag: head.tag.clone(),
        versions,
    };
    let notes: Vec<NoteChange> = changes
        .iter()
        .map(|c| NoteChange {
            participant: c.participant.clone(),
            sha: c.sha.clone(),
            title: c.title.clone(),
            body: c.body.clone(),
            author: c.author.clone(),
            committed_at: c.committed_at,
            pr_number: c.pr_number,
            pr_url: c.pr_url.clone(),
            labels: c.labels.clone(),
            breaking: c.breaking,
        })
        .collect();
    Ok(ReleaseNotesView {
        train: train.to_owned(),
        tag: head.tag,
        changes: notes.len(),
        markdown: render(&context, &notes, &categories),
    })
}
