//! A train's change announcement (seed 001's pre-train template): drafted
//! from the train (its participants, versions, reported changes, captain
//! and on-call), edited by the captain or communications, and sent with
//! each `train.upcoming` reminder.

use super::changes::load_changes;
use super::draft::{save_document, saved_draft, train_id};
use super::notes::version_lines;
use crate::domain::access::{Action, Resource};
use crate::domain::release_notes::{
    render_announcement, AnnouncementFacts, NoteChange, TrainDocument,
};
use crate::error::AppError;
use crate::models::release_notes::{AnnouncementView, NotesDraftInput};
use crate::services::access::authorize;
use crate::services::actor::Actor;
use chrono::{DateTime, Utc};
use sqlx::{PgConnection, PgPool};

pub async fn announcement(
    pool: &PgPool,
    actor: &Actor,
    train: &str,
) -> Result<AnnouncementView, AppError> {
    authorize(actor, Action::Read, &Resource::Train(train.to_owned()))?;
    let mut conn = pool.acquire().await?;
    let id = train_id(&mut conn, train).await?;
    let generated = drafted_announcement(&mut conn, train).await?;
    let saved = saved_draft(&mut conn, id, TrainDocument::Announcement).await?;
    Ok(AnnouncementView {
        train: train.to_owned(),
        markdown: saved
            .as_ref()
            .map_or_else(|| generated.clone(), |d| d.markdown.clone()),
        revision: saved.as_ref().map_or(0, |d| d.revision),
        edited_by: saved.as_ref().map(|d| d.edited_by.clone()),
        edited_at: saved.as_ref().map(|d| d.edited_at),
        generated,
    })
}

pub async fn save_announcement(
    pool: &PgPool,
    actor: &Actor,
    train: &str,
    input: &NotesDraftInput,
    now: DateTime<Utc>,
) -> Result<AnnouncementView, AppError> {
    save_document(pool, actor, train, TrainDocument::Announcement, input, now).await?;
    announcement(pool, actor, train).await
}

/// What a reminder sends: the saved announcement, or one drafted now.
pub(crate) async fn announcement_to_send(
    conn: &mut PgConnection,
    train_id: i64,
    train: &str,
) -> Result<String, AppError> {
    match saved_draft(conn, train_id, TrainDocument::Announcement).await? {
        Some(saved) => Ok(saved.markdown),
        None => drafted_announcement(conn, train).await,
    }
}

/// The announcement as the train's facts draft it.
async fn drafted_announcement(conn: &mut PgConnection, train: &str) -> Result<String, AppError> {
    let changes = load_changes(conn, train).await?;
    let head = sqlx::query!(
        r#"SELECT t.train_id, t.tag, t.captain, t.on_call, k.name AS "track?",
                  t.planned_start - k.freeze_offset AS cut_at,
                  COALESCE(k.runs_without_on_call, false) AS "runs_unwatched!"
           FROM train t LEFT JOIN track k USING (track_id) WHERE t.name = $1"#,
        train
    )
    .fetch_one(&mut *conn)
    .await?;
    let versions = version_lines(conn, head.train_id).await?;
    Ok(render_announcement(&AnnouncementFacts {
        train: train.to_owned(),
        tag: head.tag,
        track: head.track,
        cut_at: head.cut_at,
        captain: head.captain,
        on_call: head.on_call,
        runs_unwatched: head.runs_unwatched,
        versions,
        changes: changes.into_iter().map(NoteChange::from).collect(),
    }))
}
