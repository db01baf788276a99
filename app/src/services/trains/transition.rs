use super::load::{
    load_matrix, load_participants, load_train, status_of, store_transition, transitioned,
};
use crate::domain::access::Action;
use crate::domain::change::{Change, TrainFields, VersionChange};
use crate::domain::participant::guard_stage;
use crate::domain::text::{PERSON, PROSE, VERSION};
use crate::domain::train_state::Facts;
use crate::domain::TrainState;
use crate::error::{optional_text_field, text_field, AppError};
use crate::models::train::{TrainStatus, TrainUpdate};
use crate::services::access::authorize_train;
use crate::services::actor::Actor;
use crate::services::changes;
use chrono::{DateTime, Utc};
use sqlx::PgPool;

/// Applies a transition and/or edits in one transaction with its timeline events.
#[tracing::instrument(skip(pool, update))]
pub async fn update_train(
    pool: &PgPool,
    actor: &Actor,
    name: &str,
    update: TrainUpdate,
    now: DateTime<Utc>,
) -> Result<TrainStatus, AppError> {
    authorize_train(pool, actor, Action::ManageTrains, name).await?;
    if update.progress.is_some() {
        return Err(super::unprocessable(
            "progress",
            "progress is computed from the participants' status, never set: report each \
             service's deployment with PUT /api/v1/services/{name}/status, and the train's \
             state without progress",
        ));
    }
    if update.status.is_none() && update.captain.is_none() && update.target_version.is_none() {
        return Err(AppError::Unprocessable {
            field: None,
            message: "nothing to change: give status, captain or target_version".into(),
        });
    }
    let captain = optional_text_field("captain", PERSON, update.captain.as_deref())?;
    let target_version =
        optional_text_field("target_version", VERSION, update.target_version.as_deref())?;
    let reason = optional_text_field("reason", PROSE, update.reason.as_deref())?;
    let mut tx = crate::services::audit::begin_write(pool).await?;
    let train = load_train(&mut tx, name, true).await?;
    let edits = captain.is_some() || target_version.is_some();
    if edits
        && matches!(
            train.lifecycle.state,
            TrainState::Completed | TrainState::RolledBack
        )
    {
        return Err(AppError::Conflict(format!(
            "{name} is {}: a finished train's captain and version are its record",
            train.lifecycle.state
        )));
    }

    if let Some(to) = update.status {
        let participants = load_participants(&mut tx, train.train_id).await?;
        let names: Vec<String> = participants.iter().map(|p| p.service.clone()).collect();
        let blocking_gates_pass = match guard_stage(to) {
            Some(stage) => load_matrix(&mut tx, train.train_id, &names, stage)
                .await?
                .passes(),
            None => true,
        };
        let facts = Facts {
            participants: participants.len(),
            blocking_gates_pass,
        };
        let (next, event) = train
            .lifecycle
            .transition(to, facts, &actor.name, reason.as_deref(), now)
            .map_err(|e| AppError::Conflict(e.to_string()))?;
        let change = transitioned(&train, &event);
        store_transition(&mut tx, actor, &train, next, &event, change).await?;
    }

    if edits {
        sqlx::query!(
            "UPDATE train SET captain = coalesce($2, captain), target_version = coalesce($3, target_version),
                              updated_at = $4
             WHERE train_id = $1",
            train.train_id,
            captain,
            target_version,
            now
        )
        .execute(&mut *tx)
        .await?;
        let change = Change::TrainEdited {
            train: train.reference(),
            before: TrainFields {
                captain: train.captain.clone(),
                target_version: train.target_version.clone(),
            },
            after: TrainFields {
                captain: captain.clone(),
                target_version: target_version.clone(),
            },
            reason: reason.clone(),
        };
        changes::record(&mut tx, actor, change, now).await?;
    }
    let status = status_of(&mut tx, name).await?;
    tx.commit().await?;
    Ok(status)
}

/// Deletes a train that is still being planned.
#[tracing::instrument(skip(pool))]
pub async fn delete_train(
    pool: &PgPool,
    actor: &Actor,
    name: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    authorize_train(pool, actor, Action::ManageTrains, name).await?;
    let mut tx = crate::services::audit::begin_write(pool).await?;
    let train = load_train(&mut tx, name, true).await?;
    if train.lifecycle.state != TrainState::Planning {
        return Err(AppError::Conflict(format!(
            "only a train in planning can be deleted; {name} is {}",
            train.lifecycle.state
        )));
    }
    sqlx::query!("DELETE FROM train WHERE train_id = $1", train.train_id)
        .execute(&mut *tx)
        .await?;
    let change = Change::TrainDeleted {
        train: train.name.clone(),
        state: train.lifecycle.state,
    };
    changes::record(&mut tx, actor, change, now).await?;
    tx.commit().await?;
    Ok(())
}

/// Changes the version a participant is released at. Approvals given for the
/// earlier version no longer count (they are dismissed, with the change as
/// the reason), since what would be promoted is no longer what they saw.
#[tracing::instrument(skip(pool))]
pub async fn set_participant_version(
    pool: &PgPool,
    actor: &Actor,
    name: &str,
    service: &str,
    version: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    authorize_train(pool, actor, Action::ManageTrains, name).await?;
    let version = text_field("target_version", VERSION, version)?;
    let mut tx = crate::services::audit::begin_write(pool).await?;
    let train = load_train(&mut tx, name, true).await?;
    if matches!(
        train.lifecycle.state,
        TrainState::Completed | TrainState::RolledBack
    ) {
        return Err(AppError::Conflict(format!(
            "{name} is {}; its participants can no longer change",
            train.lifecycle.state
        )));
    }
    let before = sqlx::query_scalar!(
        "SELECT p.target_version FROM participant p JOIN service s USING (service_id)
         WHERE p.train_id = $1 AND s.name = $2 FOR UPDATE OF p",
        train.train_id,
        service
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| {
        AppError::NotFound(format!("participant {service:?} of release train {name:?}"))
    })?;
    sqlx::query!(
        "UPDATE participant SET target_version = $3, updated_at = $4
         WHERE train_id = $1 AND service_id = (SELECT service_id FROM service WHERE name = $2)",
        train.train_id,
        service,
        version.as_str(),
        now
    )
    .execute(&mut *tx)
    .await?;
    let changed = before.as_deref() != Some(version.as_str());
    let change = Change::ParticipantVersionSet {
        train: train.reference(),
        participant: service.to_owned(),
        version: VersionChange {
            from: before,
            to: version.to_owned(),
        },
    };
    changes::record(&mut tx, actor, change, now).await?;
    // After the cut a new version on a release-candidate train is its next
    // candidate; other trains have no candidates to give.
    if train.lifecycle.state != TrainState::Planning && changed {
        let reason = format!("{service} is now {version}");
        let _not_a_candidate_train =
            super::tags::tag_candidate(&mut tx, actor, &train, &reason, now).await?;
    }
    tx.commit().await?;
    Ok(())
}
