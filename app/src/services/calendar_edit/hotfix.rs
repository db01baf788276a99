use super::field;
use crate::domain::access::{Action, Resource};
use crate::domain::calendar::edit::{check_hotfix, parse_utc, OnCall, Reason};
use crate::domain::change::{Change, TrainRef};
use crate::domain::hotfix::{next_hotfix, Tagging};
use crate::domain::{TrackName, TrainTag};
use crate::error::{AppError, ResultExt};
use crate::services::access::authorize;
use crate::services::actor::Actor;
use crate::services::calendar::stored_naming;
use crate::services::changes;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::PgPool;

/// A hotfix recorded after it ran (seed 003: "the calendar simply records
/// hotfixes after the fact for the PIR").
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HotfixForm {
    pub track: String,
    /// Blank: the next tag off the release current at `at` of the track
    /// this one patches.
    pub tag: String,
    pub at: String,
    pub on_call: String,
    /// What it fixed.
    pub reason: String,
}

/// Records the hotfix as a completed train; returns its name (its tag).
#[tracing::instrument(skip(pool, form))]
pub async fn record_hotfix(
    pool: &PgPool,
    actor: &Actor,
    form: &HotfixForm,
    now: DateTime<Utc>,
) -> Result<String, AppError> {
    authorize(actor, Action::EditCalendar, &Resource::Calendar)?;
    let track = TrackName::parse(form.track.trim()).map_err(|e| field("track", e))?;
    let at = parse_utc(&form.at).map_err(|e| field("at", e))?;
    let on_call = OnCall::parse(&form.on_call).map_err(|e| field("on_call", e))?;
    let reason = Reason::parse(&form.reason).map_err(|e| field("reason", e))?;
    let mut tx = crate::services::audit::begin_write(pool).await?;
    let track_row = sqlx::query!(
        r#"SELECT k.track_id, k.cadence_rrule, k.naming, p.track_id AS "patched_id?", p.name AS "patched?",
                  p.naming AS "patched_naming?"
           FROM track k LEFT JOIN track p ON p.track_id = k.patches WHERE k.name = $1"#,
        track.as_str()
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| {
        field(
            "track",
            format!("there is no track named {:?}", track.as_str()),
        )
    })?;
    if track_row.cadence_rrule.is_some() {
        return Err(field(
            "track",
            format!("{track} runs on a cadence; hotfixes are recorded on an on-demand track"),
        ));
    }
    let lane_naming = stored_naming(track_row.naming)?;
    let lane = Tagging {
        track: &track,
        tags: &lane_naming.tag,
    };
    let tag = match form.tag.trim() {
        "" => {
            let (Some(patched_id), Some(patched), Some(patched_naming)) = (
                track_row.patched_id,
                track_row.patched,
                track_row.patched_naming,
            ) else {
                return Err(field(
                    "tag",
                    format!("{track} patches no other track's release; give the tag"),
                ));
            };
            let patched = TrackName::parse(&patched).or_internal("a stored track name")?;
            let current: Option<String> = sqlx::query_scalar!(
                r#"SELECT tag AS "tag!" FROM train
                   WHERE track_id = $2 AND planned_start <= $1 AND status <> 'skipped'
                   ORDER BY planned_start DESC LIMIT 1"#,
                at,
                patched_id
            )
            .fetch_optional(&mut *tx)
            .await?;
            let current = current.ok_or_else(|| {
                field(
                    "tag",
                    format!("no {patched} release precedes this one; give its tag"),
                )
            })?;
            let current = TrainTag::parse(&current).or_internal("a stored tag")?;
            // The lane's own tags, and every tag of the patched version
            // (a patch release must not take one another track planned).
            let existing: Vec<TrainTag> = sqlx::query_scalar!(
                r#"SELECT tag AS "tag!" FROM train
                   WHERE track_id = $1 OR tag LIKE $2 || '%'"#,
                track_row.track_id,
                format!("v{}.{}.", current.version().major, current.version().minor)
            )
            .fetch_all(&mut *tx)
            .await?
            .iter()
            .filter_map(|t| TrainTag::parse(t).ok())
            .collect();
            let of = stored_naming(patched_naming)?;
            let of = Tagging {
                track: &patched,
                tags: &of.tag,
            };
            next_hotfix(&current, of, lane, &existing).map_err(|e| field("tag", e))?
        }
        raw => TrainTag::parse(raw).map_err(|e| field("tag", e))?,
    };
    check_hotfix(lane, &tag, at, now).map_err(|e| match e {
        crate::domain::calendar::edit::HotfixRecordError::InTheFuture(_) => field("at", e),
        other => field("tag", other),
    })?;
    let name = tag.to_string();
    let train_id = sqlx::query_scalar!(
        "INSERT INTO train (name, track_id, tag, planned_start, target_version, on_call, status, state, status_reason,
                            created_at, updated_at)
         VALUES ($1, $2, $1, $3, $4, $5, 'done', 'completed', $6, $7, $7) RETURNING train_id",
        name,
        track_row.track_id,
        at,
        tag.version().to_string(),
        on_call.as_str(),
        reason.as_str(),
        now
    )
    .fetch_one(&mut *tx)
    .await
    .map_err(|e| match e.as_database_error().and_then(|d| d.constraint()) {
        Some("train_name_key" | "train_track_id_tag_key") => {
            field("tag", format!("a train tagged {name} already exists"))
        }
        _ => AppError::from(e),
    })?;
    let change = Change::HotfixRecorded {
        train: TrainRef::new(train_id, name.clone()),
        track: track.as_str().to_owned(),
        ran_at: at,
        on_call: on_call.as_str().to_owned(),
        reason: reason.as_str().to_owned(),
    };
    changes::record(&mut tx, actor, change, now).await?;
    let recorded = TrainRef::new(train_id, name.clone());
    crate::services::trains::roll_forward(&mut tx, actor, &recorded, now).await?;
    tx.commit().await?;
    Ok(name)
}
