//! The Changes tab: what a train's participants bring, and its release
//! notes as people draft and publish them.

use crate::error::AppError;
use crate::models::release_notes::TrainChangesView;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::context::serve,
    crate::domain::release_notes::TrainDocument,
    crate::models::release_notes::{NotesDraftInput, PublishNotesInput},
    crate::services::{evidence, release_notes},
};

#[server(prefix = "/sfn", endpoint = "trains/changes")]
pub async fn train_changes(train: String) -> Result<TrainChangesView, AppError> {
    serve(|c| async move { release_notes::changes_page(&c.pool, &c.actor, &train).await }).await
}

/// Saves the release notes' draft as the next revision of `revision`.
#[server(prefix = "/sfn", endpoint = "trains/notes/draft")]
pub async fn save_notes_draft(
    train: String,
    markdown: String,
    revision: String,
) -> Result<(), AppError> {
    save_document(train, TrainDocument::ReleaseNotes, markdown, revision).await
}

/// Saves the change announcement as the next revision of `revision`. (Its
/// own server function, so that its form's refusals show beside it.)
#[server(prefix = "/sfn", endpoint = "trains/announcement")]
pub async fn save_announcement_draft(
    train: String,
    markdown: String,
    revision: String,
) -> Result<(), AppError> {
    save_document(train, TrainDocument::Announcement, markdown, revision).await
}

#[cfg(feature = "ssr")]
async fn save_document(
    train: String,
    document: TrainDocument,
    markdown: String,
    revision: String,
) -> Result<(), AppError> {
    let back = format!("/trains/{train}/changes");
    serve(|c| async move {
        let input = NotesDraftInput {
            markdown,
            revision: revision_number(&revision)?,
        };
        release_notes::save_document(&c.pool, &c.actor, &train, document, &input, c.now).await
    })
    .await
    .map(|()| leptos_axum::redirect(&back))
}

/// Publishes the draft at `revision` as the next version.
#[server(prefix = "/sfn", endpoint = "trains/notes/publish")]
pub async fn publish_notes(
    train: String,
    revision: String,
    reason: Option<String>,
) -> Result<(), AppError> {
    let back = format!("/trains/{train}/changes");
    let store = evidence::store();
    serve(|c| async move {
        let input = PublishNotesInput {
            reason,
            revision: Some(revision_number(&revision)?),
        };
        release_notes::publish_notes(&c.pool, &store?, &c.actor, &train, &input, c.now).await
    })
    .await
    .map(|_| leptos_axum::redirect(&back))
}

#[cfg(feature = "ssr")]
fn revision_number(raw: &str) -> Result<i32, AppError> {
    raw.trim().parse().map_err(|_| {
        crate::error::bad_field(
            "revision",
            format!("{:?} is not a revision number", raw.trim()),
        )
    })
}
