//! The train page's Changes tab, in one read.

use super::{announcement, changes_by_service, notes_draft, post_release_notes};
use crate::domain::access::{permit, Action, Resource};
use crate::domain::TrainState;
use crate::error::{AppError, ResultExt};
use crate::models::release_notes::TrainChangesView;
use crate::services::actor::Actor;
use sqlx::PgPool;

pub async fn changes_page(
    pool: &PgPool,
    actor: &Actor,
    train: &str,
) -> Result<TrainChangesView, AppError> {
    let services = changes_by_service(pool, actor, train).await?;
    let notes = notes_draft(pool, actor, train).await?;
    let announcement = announcement(pool, actor, train).await?;
    let post_release = match post_release_notes(pool, actor, train).await {
        Ok(notes) => Some(notes),
        Err(AppError::NotFound(_)) => None,
        Err(e) => return Err(e),
    };
    let head = sqlx::query!(
        r#"SELECT t.tag, t.state,
                  EXISTS (SELECT 1 FROM evidence_seal s WHERE s.train_id = t.train_id) AS "sealed!"
           FROM train t WHERE t.name = $1"#,
        train
    )
    .fetch_optional(pool)
    .await?
    .ok_or_else(|| AppError::NotFound(format!("train {train}")))?;
    let resource = Resource::Train(train.to_owned());
    Ok(TrainChangesView {
        train: train.to_owned(),
        tag: head.tag,
        state: TrainState::parse(&head.state).or_internal("train state")?,
        services,
        notes,
        announcement,
        post_release,
        may_edit: permit(&actor.principal, Action::EditReleaseNotes, &resource).is_allowed(),
        sealed: head.sealed,
    })
}
