//! Archiving a track: it plans no more trains and takes no new ones.

use super::{one, stored};
use crate::domain::access::{Action, Resource};
use crate::domain::calendar::edit::Reason;
use crate::domain::change::{Change, TrainRef};
use crate::domain::TrainState;
use crate::error::{bad_field, AppError};
use crate::models::TrackSummary;
use crate::services::access::authorize;
use crate::services::actor::Actor;
use crate::services::audit::begin_write;
use crate::services::changes;
use chrono::{DateTime, Utc};
use sqlx::PgPool;

/// Archives a track: it plans no more trains and takes no new ones; its
/// future planned trains are skipped with the reason. Refused while one of
/// its trains is in flight or an active track promotes to it.
#[tracing::instrument(skip(pool))]
pub async fn archive_track(
    pool: &PgPool,
    actor: &Actor,
    name: &str,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<TrackSummary, AppError> {
    authorize(actor, Action::ManageTracks, &Resource::Tracks)?;
    let reason = Reason::parse(reason).map_err(|e| bad_field("reason", e))?;
    let mut tx = begin_write(pool).await?;
    let before = stored(&mut tx, name).await?;
    if before.archived_at.is_some() {
        return Err(AppError::Conflict(format!(
            "track {name} is archived already"
        )));
    }
    let blockers = sqlx::query!(
        r#"SELECT
             array(SELECT name FROM train WHERE track_id = $1 AND state = ANY($2)
                   ORDER BY train_id LIMIT 5) AS "in_flight!",
             array(SELECT name FROM track WHERE promotes_to_track_id = $1 AND archived_at IS NULL
                   ORDER BY name) AS "promoting!""#,
        before.track_id,
        &TrainState::names_where(TrainState::is_in_flight) as &[&str]
    )
    .fetch_one(&mut *tx)
    .await?;
    if !blockers.in_flight.is_empty() {
        return Err(AppError::Conflict(format!(
            "trains of {name} are in flight ({}): archive it once they have finished",
            blockers.in_flight.join(", ")
        )));
    }
    if !blockers.promoting.is_empty() {
        return Err(AppError::Conflict(format!(
            "{} promote{} to {name}: point them elsewhere first",
            blockers.promoting.join(", "),
            if blockers.promoting.len() == 1 {
                "s"
            } else {
                ""
            }
        )));
    }
    sqlx::query!(
        "UPDATE track SET archived_at = $2, updated_at = $2 WHERE track_id = $1",
        before.track_id,
        now
    )
    .execute(&mut *tx)
    .await?;
    let why = format!("the {name} track was archived: {}", reason.as_str());
    let skipped = sqlx::query!(
        "UPDATE train SET status = 'skipped', status_reason = $3, updated_at = $2
         WHERE track_id = $1 AND status = 'open' AND state = 'planning' AND planned_start > $2
         RETURNING train_id, name",
        before.track_id,
        now,
        why
    )
    .fetch_all(&mut *tx)
    .await?;
    for train in skipped {
        let change = Change::TrainSkipped {
            train: TrainRef::new(train.train_id, train.name),
            reason: why.clone(),
            by_rule: false,
        };
        changes::record(&mut tx, actor, change, now).await?;
    }
    let change = Change::TrackArchived {
        track: name.to_owned(),
        before: before.fields,
        reason: reason.as_str().to_owned(),
    };
    changes::record(&mut tx, actor, change, now).await?;
    tx.commit().await?;
    one(pool, name).await
}
