//! Adding tracks: an organisation's own lanes and cadences. The calendar
//! plans a new track's trains from its cadence at once.

mod archive;
mod import;
mod lane;

use lane::lane_of;

pub use archive::archive_track;
pub(crate) use import::{import_track, order_as_listed};

use crate::domain::access::{Action, Resource};
use crate::domain::calendar::cadence::Cadence;
use crate::domain::change::{Change, TrackFields};
use crate::domain::track_input::{TrackInput, TrackSpec};
use crate::error::{bad_field, AppError, ResultExt};
use crate::models::TrackSummary;
use crate::services::access::authorize;
use crate::services::actor::Actor;
use crate::services::audit::begin_write;
use crate::services::changes;
use chrono::{DateTime, Utc};
use sqlx::{PgConnection, PgPool};

/// Adds a track, with its audit record (`track.create`).
#[tracing::instrument(skip(pool, input), fields(track = %input.name))]
pub async fn create_track(
    pool: &PgPool,
    actor: &Actor,
    input: &TrackInput,
    now: DateTime<Utc>,
) -> Result<TrackSummary, AppError> {
    authorize(actor, Action::ManageTracks, &Resource::Tracks)?;
    let (spec, rule) = parse_input(input)?;
    let mut tx = begin_write(pool).await?;
    insert(&mut tx, actor, &spec, rule, now).await?;
    tx.commit().await?;
    one(pool, spec.name.as_str()).await
}

/// The input, checked, and the rule its cadence plans with.
fn parse_input(input: &TrackInput) -> Result<(TrackSpec, Option<String>), AppError> {
    let spec = input.parse().map_err(|e| bad_field(e.field, e.message))?;
    let rule = spec.cadence.as_ref().map(|c| c.to_rule());
    if let Some(rule) = &rule {
        // The zone's existence is the rule parser's to know.
        Cadence::parse(Some(rule)).map_err(|e| {
            bad_field(
                "cadence.zone",
                format!("{e}: name a time zone of the IANA database"),
            )
        })?;
    }
    Ok((spec, rule))
}

/// Writes a new track with its `track.create` record, inside the caller's
/// transaction.
async fn insert(
    tx: &mut PgConnection,
    actor: &Actor,
    spec: &TrackSpec,
    rule: Option<String>,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let inserted = sqlx::query_scalar!(
        "INSERT INTO track (name, cadence_description, cadence_rrule, position, created_at)
         VALUES ($1, $2, $3, (SELECT coalesce(max(position) + 1, 0) FROM track), $4)
         ON CONFLICT (name) DO NOTHING RETURNING track_id",
        spec.name.as_str(),
        spec.cadence_description(),
        rule.as_deref(),
        now
    )
    .fetch_optional(&mut *tx)
    .await?;
    let Some(track_id) = inserted else {
        return Err(AppError::Conflict(format!(
            "track {} exists already",
            spec.name
        )));
    };
    write_settings(tx, track_id, spec, now).await?;
    let change = Change::TrackCreated {
        track: spec.name.to_string(),
        fields: fields_of(spec, rule.clone()),
    };
    changes::record(tx, actor, change, now).await?;
    Ok(())
}

fn fields_of(spec: &TrackSpec, rule: Option<String>) -> TrackFields {
    TrackFields {
        description: spec.description.clone(),
        cadence: spec.cadence_description(),
        rule,
        freeze_offset_minutes: spec.freeze_offset.num_minutes(),
        soak_hours: spec.soak.num_hours(),
        rollback_timeout_minutes: spec.rollback_timeout.num_minutes(),
        promotes_to: spec.promotes_to.as_ref().map(ToString::to_string),
        pipeline: spec
            .pipeline
            .as_ref()
            .map(|p| p.environments().iter().map(ToString::to_string).collect()),
        direct: spec.direct.is_some(),
        direct_approvals: spec.direct.unwrap_or(0),
        patches: spec.patches.as_ref().map(ToString::to_string),
        gate_template: spec.gate_template.clone(),
        naming: spec.naming.to_input(),
        planning: spec.planning.to_input(),
        runs_without_on_call: spec.runs_without_on_call,
        colour: spec.colour.map(|c| c.to_string()),
    }
}

/// What the `naming` column holds: the input with every default left out.
fn naming_json(spec: &TrackSpec) -> Result<serde_json::Value, AppError> {
    serde_json::to_value(spec.naming.to_input()).or_internal("a track's naming")
}

/// What the `planning` column holds, defaults left out.
fn planning_json(spec: &TrackSpec) -> Result<serde_json::Value, AppError> {
    serde_json::to_value(spec.planning.to_input()).or_internal("a track's planning")
}

/// A track's row as the admin pages and the audit trail read it.
struct Stored {
    track_id: i64,
    fields: TrackFields,
    archived_at: Option<DateTime<Utc>>,
}

async fn stored(conn: &mut PgConnection, name: &str) -> Result<Stored, AppError> {
    let row = sqlx::query!(
        r#"SELECT t.track_id, t.description, t.cadence_description, t.cadence_rrule, t.archived_at,
                  (extract(epoch FROM t.freeze_offset) / 60)::bigint AS "freeze!",
                  (extract(epoch FROM t.soak) / 3600)::bigint AS "soak!",
                  (extract(epoch FROM t.rollback_timeout) / 60)::bigint AS "rollback_timeout!",
                  p.name AS "promotes_to?", t.environments, t.direct, t.direct_approvals,
                  h.name AS "patches?", g.name AS "gate_template?", t.naming, t.runs_without_on_call,
                  t.colour, t.planning
           FROM track t LEFT JOIN track p ON p.track_id = t.promotes_to_track_id
                        LEFT JOIN track h ON h.track_id = t.patches
                        LEFT JOIN gate_template g ON g.gate_template_id = t.gate_template_id
           WHERE t.name = $1
           FOR NO KEY UPDATE OF t"#,
        name
    )
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(|| AppError::NotFound(format!("track {name:?}")))?;
    Ok(Stored {
        track_id: row.track_id,
        fields: TrackFields {
            description: row.description,
            cadence: row.cadence_description,
            rule: row.cadence_rrule,
            freeze_offset_minutes: row.freeze,
            soak_hours: row.soak,
            rollback_timeout_minutes: row.rollback_timeout,
            promotes_to: row.promotes_to,
            pipeline: row.environments,
            direct: row.direct,
            direct_approvals: u8::try_from(row.direct_approvals).unwrap_or(0),
            patches: row.patches,
            gate_template: row.gate_template,
            naming: serde_json::from_value(row.naming).or_internal("a stored track's naming")?,
            planning: serde_json::from_value(row.planning)
                .or_internal("a stored track's planning")?,
            runs_without_on_call: row.runs_without_on_call,
            colour: row.colour,
        },
        archived_at: row.archived_at,
    })
}

/// Changes a track's description, freeze, soak and promotion target. Its
/// name stays; its cadence changes on the cadence page, which shows the
/// planned trains a new one moves before anything is saved.
#[tracing::instrument(skip(pool, input))]
pub async fn update_track(
    pool: &PgPool,
    actor: &Actor,
    name: &str,
    input: &TrackInput,
    now: DateTime<Utc>,
) -> Result<TrackSummary, AppError> {
    authorize(actor, Action::ManageTracks, &Resource::Tracks)?;
    let mut input = input.clone();
    if input.name.trim().is_empty() {
        input.name = name.to_owned();
    }
    let spec = input.parse().map_err(|e| bad_field(e.field, e.message))?;
    if spec.name.as_str() != name {
        return Err(bad_field(
            "name",
            format!(
                "a track keeps its name (it is in its trains' tags): add {} and archive {name}",
                spec.name
            ),
        ));
    }
    let mut tx = begin_write(pool).await?;
    let before = stored(&mut tx, name).await?;
    if let Some(at) = before.archived_at {
        return Err(AppError::Conflict(format!(
            "track {name} was archived on {}",
            at.format("%Y-%m-%d")
        )));
    }
    let rule = spec.cadence.as_ref().map(|c| c.to_rule());
    if input.cadence.is_some() && rule != before.fields.rule {
        return Err(bad_field(
            "cadence",
            format!("change {name}'s cadence at /calendar/tracks/{name}: it shows the trains a new one moves"),
        ));
    }
    apply_settings(&mut tx, actor, name, before, &spec, now).await?;
    tx.commit().await?;
    one(pool, name).await
}

/// Writes a track's description, freeze, soak and promotion target (not
/// its cadence) with its `track.update` record when any of them changed.
async fn apply_settings(
    tx: &mut PgConnection,
    actor: &Actor,
    name: &str,
    before: Stored,
    spec: &TrackSpec,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    write_settings(tx, before.track_id, spec, now).await?;
    let after = TrackFields {
        cadence: before.fields.cadence.clone(),
        rule: before.fields.rule.clone(),
        ..fields_of(spec, None)
    };
    if after != before.fields {
        let change = Change::TrackUpdated {
            track: name.to_owned(),
            before: Box::new(before.fields),
            after: Box::new(after),
        };
        changes::record(tx, actor, change, now).await?;
    }
    Ok(())
}

/// Writes what a track form holds besides the name and the cadence to the
/// row `track_id`: the one write both adding and changing a track make.
async fn write_settings(
    tx: &mut PgConnection,
    track_id: i64,
    spec: &TrackSpec,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let promotes_to = promotion_target(tx, spec, Some(track_id)).await?;
    let lane = lane_of(tx, spec, Some(track_id)).await?;
    check_participants(tx, spec).await?;
    sqlx::query!(
        "UPDATE track SET description = $2, freeze_offset = make_interval(mins => $3),
                soak = make_interval(hours => $4), promotes_to_track_id = $5, updated_at = $6,
                environments = $7, direct = $8, direct_approvals = $9, patches = $10, gate_template_id = $11,
                naming = $12, runs_without_on_call = $13, colour = $14, planning = $15,
                rollback_timeout = make_interval(mins => $16)
         WHERE track_id = $1",
        track_id,
        spec.description,
        i32::try_from(spec.freeze_offset.num_minutes()).unwrap_or(i32::MAX),
        i32::try_from(spec.soak.num_hours()).unwrap_or(i32::MAX),
        promotes_to,
        now,
        lane.pipeline.as_deref(),
        spec.direct.is_some(),
        i16::from(spec.direct.unwrap_or(0)),
        lane.patches,
        lane.gate_template,
        naming_json(spec)?,
        spec.runs_without_on_call,
        spec.colour.map(|c| c.as_str()),
        planning_json(spec)?,
        i32::try_from(spec.rollback_timeout.num_minutes()).unwrap_or(i32::MAX)
    )
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// The services a track's planning names are active services of the catalog.
async fn check_participants(conn: &mut PgConnection, spec: &TrackSpec) -> Result<(), AppError> {
    let listed: Vec<String> = spec
        .planning
        .participants
        .iter()
        .map(|p| p.as_str().to_owned())
        .collect();
    if listed.is_empty() {
        return Ok(());
    }
    let active = sqlx::query_scalar!(
        "SELECT name FROM service WHERE name = ANY($1) AND retired_at IS NULL",
        &listed
    )
    .fetch_all(&mut *conn)
    .await?;
    match listed.iter().find(|n| !active.contains(n)) {
        Some(missing) => Err(bad_field(
            "planning.participants",
            format!("there is no active service {missing}: add it to the catalog first"),
        )),
        None => Ok(()),
    }
}

/// The promotion target's row: an active track other than this one, and
/// not one that promotes (through others) back to it (`track_id`: this
/// one's row, none for a track not written yet).
async fn promotion_target(
    conn: &mut PgConnection,
    spec: &TrackSpec,
    track_id: Option<i64>,
) -> Result<Option<i64>, AppError> {
    let Some(target) = &spec.promotes_to else {
        return Ok(None);
    };
    let row = sqlx::query!(
        r#"WITH RECURSIVE chain (track_id) AS (
               SELECT track_id FROM track WHERE name = $1 AND archived_at IS NULL
               UNION
               SELECT t.promotes_to_track_id FROM track t JOIN chain c USING (track_id)
               WHERE t.promotes_to_track_id IS NOT NULL)
           SELECT (SELECT track_id FROM track WHERE name = $1 AND archived_at IS NULL) AS target,
                  EXISTS (SELECT 1 FROM chain WHERE track_id = $2) AS "loops!""#,
        target.as_str(),
        track_id
    )
    .fetch_one(&mut *conn)
    .await?;
    let Some(id) = row.target else {
        return Err(bad_field(
            "promotes_to",
            format!("there is no active track {target}: add it first"),
        ));
    };
    if row.loops {
        return Err(bad_field(
            "promotes_to",
            format!(
                "{target} promotes back to {}: promotions cannot go round in a circle",
                spec.name
            ),
        ));
    }
    Ok(Some(id))
}

/// The track as `GET /api/v1/tracks` shows it (the caller was authorized).
async fn one(pool: &PgPool, name: &str) -> Result<TrackSummary, AppError> {
    crate::services::calendar::tracks(pool)
        .await?
        .into_iter()
        .find(|t| t.name == name)
        .ok_or_else(|| AppError::NotFound(format!("track {name:?}")))
}
