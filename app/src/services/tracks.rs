//! Adding tracks: an organisation's own lanes and cadences. The calendar
//! plans a new track's trains from its cadence at once.

use crate::domain::access::{Action, Resource};
use crate::domain::calendar::cadence::Cadence;
use crate::domain::change::{Change, TrackFields};
use crate::domain::track_input::{TrackInput, TrackSpec};
use crate::error::{bad_field, unprocessable_field, AppError};
use crate::models::TrackSummary;
use crate::services::access::authorize;
use crate::services::actor::Actor;
use crate::services::audit::begin_write;
use crate::services::changes;
use chrono::{DateTime, Utc};
use sqlx::PgPool;

/// Adds a track, with its audit record (`track.create`).
#[tracing::instrument(skip(pool, input), fields(track = %input.name))]
pub async fn create_track(
    pool: &PgPool,
    actor: &Actor,
    input: &TrackInput,
    now: DateTime<Utc>,
) -> Result<TrackSummary, AppError> {
    authorize(actor, Action::ManageTracks, &Resource::Tracks)?;
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
    let mut tx = begin_write(pool).await?;
    let promotes_to = match &spec.promotes_to {
        None => None,
        Some(target) => Some(
            sqlx::query_scalar!(
                "SELECT track_id FROM track WHERE name = $1",
                target.as_str()
            )
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| {
                unprocessable_field(
                    "promotes_to",
                    format!("there is no track {target}: add it first"),
                )
            })?,
        ),
    };
    let inserted = sqlx::query_scalar!(
        "INSERT INTO track (name, description, cadence_description, cadence_rrule, position,
                            freeze_offset, soak, promotes_to_track_id, created_at)
         VALUES ($1, $2, $3, $4, (SELECT coalesce(max(position) + 1, 0) FROM track),
                 make_interval(mins => $5), make_interval(hours => $6), $7, $8)
         ON CONFLICT (name) DO NOTHING RETURNING position",
        spec.name.as_str(),
        spec.description,
        spec.cadence_description(),
        rule,
        i32::try_from(spec.freeze_offset.num_minutes()).unwrap_or(i32::MAX),
        i32::try_from(spec.soak.num_hours()).unwrap_or(i32::MAX),
        promotes_to,
        now
    )
    .fetch_optional(&mut *tx)
    .await?;
    let Some(position) = inserted else {
        return Err(AppError::Conflict(format!(
            "track {} exists already",
            spec.name
        )));
    };
    let change = Change::TrackCreated {
        track: spec.name.to_string(),
        fields: fields_of(&spec, rule.clone()),
    };
    changes::record(&mut tx, actor, change, now).await?;
    tx.commit().await?;
    Ok(summary(&spec, rule, position))
}

fn fields_of(spec: &TrackSpec, rule: Option<String>) -> TrackFields {
    TrackFields {
        description: spec.description.clone(),
        cadence: spec.cadence_description(),
        rule,
        freeze_offset_minutes: spec.freeze_offset.num_minutes(),
        soak_hours: spec.soak.num_hours(),
        promotes_to: spec.promotes_to.as_ref().map(ToString::to_string),
    }
}

fn summary(spec: &TrackSpec, rule: Option<String>, position: i32) -> TrackSummary {
    TrackSummary {
        name: spec.name.to_string(),
        cadence_description: spec.cadence_description(),
        position,
        cadence_rule: rule,
        freeze_offset_minutes: spec.freeze_offset.num_minutes(),
        soak_hours: spec.soak.num_hours(),
        promotes_to: spec.promotes_to.as_ref().map(ToString::to_string),
    }
}
