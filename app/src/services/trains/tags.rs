//! A train's tags: the one its cut records, each release candidate after
//! that, and general availability at completion, each with the
//! participants' versions it carried.

use super::load::{
    load_participants, load_train, status_of, store_transition, transitioned, TrainRow,
};
use crate::domain::access::Action;
use crate::domain::calendar::cadence::Cadence;
use crate::domain::calendar::cut::{cut_names, general_availability, next_candidate};
use crate::domain::calendar::edit::Reason;
use crate::domain::change::Change;
use crate::domain::train_state::Facts;
use crate::domain::{TrackName, TrainState, TrainTag};
use crate::error::{AppError, ResultExt};
use crate::models::train::TrainStatus;
use crate::services::access::authorize_train;
use crate::services::actor::Actor;
use crate::services::calendar::stored_naming;
use crate::services::changes;
use chrono::{DateTime, Utc};
use serde_json::Value;
use sqlx::{PgConnection, PgPool};

/// The participants' versions now, by service.
async fn versions(conn: &mut PgConnection, train_id: i64) -> Result<Value, AppError> {
    Ok(sqlx::query_scalar!(
        r#"SELECT coalesce(jsonb_object_agg(s.name, p.target_version)
                           FILTER (WHERE p.target_version IS NOT NULL), '{}'::jsonb) AS "v!"
           FROM participant p JOIN service s USING (service_id) WHERE p.train_id = $1"#,
        train_id
    )
    .fetch_one(&mut *conn)
    .await?)
}

/// The train's tags, oldest first.
async fn history(conn: &mut PgConnection, train_id: i64) -> Result<Vec<TrainTag>, AppError> {
    sqlx::query_scalar!(
        "SELECT tag FROM train_tag WHERE train_id = $1 ORDER BY train_tag_id",
        train_id
    )
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(|t| TrainTag::parse(t).or_internal("a stored tag"))
    .collect()
}

/// A tag to give a train.
struct NewTag<'a> {
    tag: &'a TrainTag,
    /// `cut`, `candidate` or `general_availability`.
    kind: &'static str,
    reason: Option<&'a str>,
}

/// Gives `train_id` the tag with the participants' versions now, which it
/// returns.
async fn insert_tag(
    conn: &mut PgConnection,
    actor: &Actor,
    train_id: i64,
    new: NewTag<'_>,
    now: DateTime<Utc>,
) -> Result<Value, AppError> {
    let versions = versions(conn, train_id).await?;
    let tag = new.tag;
    sqlx::query!(
        "INSERT INTO train_tag (train_id, tag, kind, versions, reason, tagged_by, tagged_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
        train_id,
        tag.to_string(),
        new.kind,
        versions,
        new.reason,
        actor.name,
        now
    )
    .execute(&mut *conn)
    .await
    .map_err(
        |e| match e.as_database_error().and_then(|d| d.constraint()) {
            Some("train_tag_tag_key") => {
                AppError::Conflict(format!("the tag {tag} exists already on another train"))
            }
            _ => AppError::from(e),
        },
    )?;
    Ok(versions)
}

/// Cuts the train `name` at its freeze point: it leaves planning for
/// validating (and the transition records the cut). A train the state
/// machine does not let leave planning is not cut: the refusal comes back
/// as the reason to skip it.
pub(crate) async fn cut_train(
    conn: &mut PgConnection,
    actor: &Actor,
    name: &str,
    now: DateTime<Utc>,
) -> Result<Result<(), String>, AppError> {
    let train = load_train(conn, name, true).await?;
    let facts = Facts {
        participants: load_participants(conn, train.train_id).await?.len(),
        blocking_gates_pass: true,
    };
    let (next, event) = match train.lifecycle.transition(
        TrainState::Validating,
        facts,
        &actor.name,
        Some("cut at the track's freeze point"),
        now,
    ) {
        Ok(moved) => moved,
        Err(e) => return Ok(Err(format!("skipped: it could not be cut: {e}"))),
    };
    let change = transitioned(&train, &event);
    store_transition(conn, actor, &train, next, &event, change).await?;
    Ok(Ok(()))
}

/// What a train leaving planning records, whoever moves it (the scheduler
/// at the freeze point, a captain by hand): the calendar says Cut, and a
/// train of a track gets its train id, release branch and first tag. A
/// train cut before (failed, then tried again) only says Cut again.
pub(super) async fn record_cut(
    conn: &mut PgConnection,
    actor: &Actor,
    train: &TrainRow,
    at: DateTime<Utc>,
) -> Result<(), AppError> {
    let row = sqlx::query!(
        r#"SELECT t.cut_at, t.tag, t.planned_start, k.name AS "track?", k.naming AS "naming?",
                  k.cadence_rrule
           FROM train t LEFT JOIN track k USING (track_id) WHERE t.train_id = $1"#,
        train.train_id
    )
    .fetch_one(&mut *conn)
    .await?;
    sqlx::query!(
        "UPDATE train SET status = 'cut', cut_at = coalesce(cut_at, $2), updated_at = $2
         WHERE train_id = $1 AND status IN ('open', 'postponed', 'failed')",
        train.train_id,
        at
    )
    .execute(&mut *conn)
    .await?;
    let (None, Some(track), Some(naming), Some(tag)) = (row.cut_at, row.track, row.naming, row.tag)
    else {
        return Ok(());
    };
    let track = TrackName::parse(&track).or_internal("a stored track name")?;
    let tag = TrainTag::parse(&tag).or_internal("a stored tag")?;
    let cadence = Cadence::parse(row.cadence_rrule.as_deref()).or_internal("a stored cadence")?;
    let date = cadence.local_date(row.planned_start.unwrap_or(at));
    let names = cut_names(&stored_naming(naming)?, &track, &tag, date);
    sqlx::query!(
        "UPDATE train SET release_id = $2, release_branch = $3 WHERE train_id = $1",
        train.train_id,
        names.train_id,
        names.branch
    )
    .execute(&mut *conn)
    .await?;
    let versions = insert_tag(
        conn,
        actor,
        train.train_id,
        NewTag {
            tag: &names.tag,
            kind: "cut",
            reason: None,
        },
        at,
    )
    .await?;
    let change = Change::TrainCut {
        train: train.reference(),
        release_id: names.train_id,
        branch: names.branch,
        tag: names.tag.to_string(),
        versions,
    };
    changes::record(conn, actor, change, at).await
}

/// A captain cuts the next release candidate by hand, with a reason.
#[tracing::instrument(skip(pool))]
pub async fn cut_candidate(
    pool: &PgPool,
    actor: &Actor,
    name: &str,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<TrainStatus, AppError> {
    authorize_train(pool, actor, Action::ManageTrains, name).await?;
    let reason = Reason::parse(reason).map_err(|e| super::bad("reason", e))?;
    let mut tx = crate::services::audit::begin_write(pool).await?;
    let train = load_train(&mut tx, name, true).await?;
    tag_candidate(&mut tx, actor, &train, reason.as_str(), now)
        .await?
        .map_err(AppError::Conflict)?;
    let status = status_of(&mut tx, name).await?;
    tx.commit().await?;
    Ok(status)
}

/// Tags `train`'s next release candidate; a train that has none to give
/// (not cut, not a candidate train, released, finished) says why.
pub(crate) async fn tag_candidate(
    conn: &mut PgConnection,
    actor: &Actor,
    train: &TrainRow,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<Result<TrainTag, String>, AppError> {
    let state = train.lifecycle.state;
    if state == TrainState::Planning || !state.is_unfinished() {
        return Ok(Err(format!(
            "{} is {state}: candidates are cut between the cut and the end of a train",
            train.name
        )));
    }
    let tags = history(conn, train.train_id).await?;
    let next = match next_candidate(&tags) {
        Ok(next) => next,
        Err(e) => return Ok(Err(e.to_string())),
    };
    let versions = insert_tag(
        conn,
        actor,
        train.train_id,
        NewTag {
            tag: &next,
            kind: "candidate",
            reason: Some(reason),
        },
        now,
    )
    .await?;
    let change = Change::TrainTagged {
        train: train.reference(),
        tag: next.to_string(),
        general_availability: false,
        versions,
        reason: Some(reason.to_owned()),
    };
    changes::record(conn, actor, change, now).await?;
    Ok(Ok(next))
}

/// At completion a candidate train takes its general-availability tag;
/// other trains keep the tags they have.
pub(super) async fn tag_general_availability(
    conn: &mut PgConnection,
    actor: &Actor,
    train: &TrainRow,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let tags = history(conn, train.train_id).await?;
    let Some(ga) = general_availability(&tags) else {
        return Ok(());
    };
    let versions = insert_tag(
        conn,
        actor,
        train.train_id,
        NewTag {
            tag: &ga,
            kind: "general_availability",
            reason: None,
        },
        now,
    )
    .await?;
    let change = Change::TrainTagged {
        train: train.reference(),
        tag: ga.to_string(),
        general_availability: true,
        versions,
        reason: None,
    };
    changes::record(conn, actor, change, now).await
}
