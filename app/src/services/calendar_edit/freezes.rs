use super::field;
use crate::domain::access::{Action, Resource};
use crate::domain::calendar::edit::{parse_utc, Reason};
use crate::domain::calendar::{CalendarError, FreezeEffect, FreezeWindow};
use crate::domain::change::{Change, FreezeFields};
use crate::domain::TrackName;
use crate::error::AppError;
use crate::models::calendar::FreezeView;
use crate::services::access::{authorize, authorize_read};
use crate::services::actor::Actor;
use crate::services::changes;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::{PgConnection, PgPool};

/// The freeze window form as submitted: times in UTC, the tracks it freezes
/// (none ticked: every track), and whether trains inside are blocked or moved.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FreezeForm {
    pub starts_at: String,
    pub ends_at: String,
    pub reason: String,
    #[serde(default)]
    pub tracks: Vec<String>,
    pub effect: String,
}

struct Parsed {
    window: FreezeWindow,
    tracks: Vec<String>,
    effect: &'static str,
}

fn parse(form: &FreezeForm, now: DateTime<Utc>) -> Result<Parsed, AppError> {
    let starts_at = parse_utc(&form.starts_at).map_err(|e| field("starts_at", e))?;
    let ends_at = parse_utc(&form.ends_at).map_err(|e| field("ends_at", e))?;
    let reason = Reason::parse(&form.reason).map_err(|e| field("reason", e))?;
    let (effect, name) = match form.effect.trim() {
        "" | "block" => (FreezeEffect::Block, "block"),
        "move" => (FreezeEffect::Move, "move"),
        other => {
            return Err(field(
                "effect",
                format!("{other:?} is not an effect: choose block or move"),
            ))
        }
    };
    let mut tracks = Vec::new();
    for t in &form.tracks {
        let track = TrackName::parse(t.trim()).map_err(|e| field("tracks", e))?;
        if !tracks.contains(&track) {
            tracks.push(track);
        }
    }
    if ends_at <= now {
        return Err(field(
            "ends_at",
            "the window has already ended; a freeze in the past changes nothing",
        ));
    }
    let names = tracks.iter().map(ToString::to_string).collect();
    let window = FreezeWindow::new(
        starts_at,
        ends_at,
        reason.as_str(),
        (!tracks.is_empty()).then_some(tracks),
        effect,
    )
    .map_err(|e| match e {
        CalendarError::EmptyFreeze { .. } => field("ends_at", e),
        CalendarError::FreezeWithoutReason { .. } => field("reason", e),
        other => field("tracks", other),
    })?;
    Ok(Parsed {
        window,
        tracks: names,
        effect: name,
    })
}

/// Windows that have not ended by `since`, soonest first.
pub async fn list_freezes(
    conn: &mut PgConnection,
    since: DateTime<Utc>,
) -> Result<Vec<FreezeView>, AppError> {
    let rows = sqlx::query!(
        r#"SELECT w.freeze_window_id, w.starts_at, w.ends_at, w.reason, w.effect, w.created_by, w.updated_by,
                  array_remove(array_agg(k.name ORDER BY k.position, k.name), NULL) AS "tracks!"
           FROM freeze_window w
           LEFT JOIN freeze_window_track wt USING (freeze_window_id)
           LEFT JOIN track k USING (track_id)
           WHERE w.ends_at > $1
           GROUP BY w.freeze_window_id
           ORDER BY w.starts_at, w.freeze_window_id"#,
        since
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| FreezeView {
            id: r.freeze_window_id,
            starts_at: r.starts_at,
            ends_at: r.ends_at,
            reason: r.reason,
            tracks: r.tracks,
            effect: r.effect,
            created_by: r.created_by,
            updated_by: r.updated_by,
        })
        .collect())
}

pub async fn freeze_view(pool: &PgPool, actor: &Actor, id: i64) -> Result<FreezeView, AppError> {
    authorize_read(actor)?;
    let mut conn = pool.acquire().await?;
    load(&mut conn, id).await
}

async fn load(conn: &mut PgConnection, id: i64) -> Result<FreezeView, AppError> {
    let r = sqlx::query!(
        r#"SELECT w.freeze_window_id, w.starts_at, w.ends_at, w.reason, w.effect, w.created_by, w.updated_by,
                  array_remove(array_agg(k.name ORDER BY k.position, k.name), NULL) AS "tracks!"
           FROM freeze_window w
           LEFT JOIN freeze_window_track wt USING (freeze_window_id)
           LEFT JOIN track k USING (track_id)
           WHERE w.freeze_window_id = $1
           GROUP BY w.freeze_window_id"#,
        id
    )
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(|| AppError::NotFound(format!("freeze window {id}")))?;
    Ok(FreezeView {
        id: r.freeze_window_id,
        starts_at: r.starts_at,
        ends_at: r.ends_at,
        reason: r.reason,
        tracks: r.tracks,
        effect: r.effect,
        created_by: r.created_by,
        updated_by: r.updated_by,
    })
}

/// A stored window's settings, as the audit trail keeps them.
fn settings(w: FreezeView) -> FreezeFields {
    FreezeFields {
        starts_at: w.starts_at,
        ends_at: w.ends_at,
        tracks: w.tracks,
        effect: w.effect,
        reason: w.reason,
    }
}

/// Creates (`id` none) or replaces a freeze window; returns its id.
#[tracing::instrument(skip(pool, form))]
pub async fn save_freeze(
    pool: &PgPool,
    actor: &Actor,
    id: Option<i64>,
    form: &FreezeForm,
    now: DateTime<Utc>,
) -> Result<i64, AppError> {
    authorize(actor, Action::EditCalendar, &Resource::Calendar)?;
    let parsed = parse(form, now)?;
    let mut tx = crate::services::audit::begin_write(pool).await?;
    let known: Vec<String> = sqlx::query_scalar!(
        "SELECT name FROM track WHERE name = ANY($1)",
        &parsed.tracks
    )
    .fetch_all(&mut *tx)
    .await?;
    if let Some(unknown) = parsed.tracks.iter().find(|t| !known.contains(t)) {
        return Err(field(
            "tracks",
            format!("there is no track named {unknown:?}"),
        ));
    }
    let w = &parsed.window;
    let (id, before) = match id {
        None => {
            let id = sqlx::query_scalar!(
                "INSERT INTO freeze_window (starts_at, ends_at, reason, effect, created_by, updated_by,
                                            created_at, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $5, $6, $6) RETURNING freeze_window_id",
                w.starts_at,
                w.ends_at,
                w.reason,
                parsed.effect,
                actor.name,
                now
            )
            .fetch_one(&mut *tx)
            .await?;
            (id, None)
        }
        Some(id) => {
            sqlx::query_scalar!(
                "SELECT freeze_window_id FROM freeze_window WHERE freeze_window_id = $1 FOR UPDATE",
                id
            )
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| AppError::NotFound(format!("freeze window {id}")))?;
            let before = load(&mut tx, id).await?;
            sqlx::query!(
                "UPDATE freeze_window SET starts_at = $2, ends_at = $3, reason = $4, effect = $5,
                                          updated_by = $6, updated_at = $7
                 WHERE freeze_window_id = $1",
                id,
                w.starts_at,
                w.ends_at,
                w.reason,
                parsed.effect,
                actor.name,
                now
            )
            .execute(&mut *tx)
            .await?;
            sqlx::query!(
                "DELETE FROM freeze_window_track WHERE freeze_window_id = $1",
                id
            )
            .execute(&mut *tx)
            .await?;
            (id, Some(before))
        }
    };
    sqlx::query!(
        "INSERT INTO freeze_window_track (freeze_window_id, track_id)
         SELECT $1, track_id FROM track WHERE name = ANY($2)",
        id,
        &parsed.tracks
    )
    .execute(&mut *tx)
    .await?;
    let change = Change::FreezeSaved {
        id,
        before: before.map(settings),
        after: FreezeFields {
            starts_at: w.starts_at,
            ends_at: w.ends_at,
            tracks: parsed.tracks.clone(),
            effect: parsed.effect.to_owned(),
            reason: w.reason.to_string(),
        },
    };
    changes::record(&mut tx, actor, change, now).await?;
    tx.commit().await?;
    Ok(id)
}

/// Removes a freeze window; the trains it held return to their slots.
#[tracing::instrument(skip(pool))]
pub async fn delete_freeze(
    pool: &PgPool,
    actor: &Actor,
    id: i64,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    authorize(actor, Action::EditCalendar, &Resource::Calendar)?;
    let mut tx = crate::services::audit::begin_write(pool).await?;
    let before = load(&mut tx, id).await?;
    sqlx::query!("DELETE FROM freeze_window WHERE freeze_window_id = $1", id)
        .execute(&mut *tx)
        .await?;
    let change = Change::FreezeDeleted {
        id,
        before: settings(before),
    };
    changes::record(&mut tx, actor, change, now).await?;
    tx.commit().await?;
    Ok(())
}
