mod parse;

pub(crate) use parse::parse_gates;

use super::load::status_of;
use super::unprocessable;
use crate::domain::access::{Action, Resource};
use crate::domain::change::{Change, TrainRef};
use crate::domain::gates::spec::GateSpec;
use crate::domain::gates::{quality_gates, GateDefinition, QualityLimits};
use crate::domain::release_order::{release_order, Participant};
use crate::domain::requirement::{Requirement, RequirementKind};
use crate::domain::{TrackName, TrainTag};
use crate::error::{AppError, ResultExt};
use crate::models::train::{NewTrain, ParticipantInput, TrainStatus};
use crate::services::access::authorize;
use crate::services::actor::Actor;
use crate::services::changes;
use crate::services::gate_templates::gates_of_template;
use chrono::{DateTime, Utc};
use parse::{clean_text, parse};
use sqlx::{PgConnection, PgPool};
use std::collections::HashMap;

#[tracing::instrument(skip(pool, input), fields(train = %input.name))]
pub async fn create_train(
    pool: &PgPool,
    actor: &Actor,
    input: NewTrain,
    now: DateTime<Utc>,
) -> Result<TrainStatus, AppError> {
    let mut tx = crate::services::audit::begin_write(pool).await?;
    let status = create_train_in(&mut tx, actor, input, now).await?;
    tx.commit().await?;
    Ok(status)
}

/// Creates a train inside the caller's transaction (the demo loader writes
/// its trains through this same path).
pub async fn create_train_in(
    tx: &mut PgConnection,
    actor: &Actor,
    input: NewTrain,
    now: DateTime<Utc>,
) -> Result<TrainStatus, AppError> {
    // The track a new train will run on is the one its input names (an
    // unknown one is refused below), so a limited token is judged by it.
    let resource = match &input.track {
        Some(track) => Resource::TrainOnTrack {
            name: input.name.clone(),
            track: track.clone(),
        },
        None => Resource::Train(input.name.clone()),
    };
    authorize(actor, Action::ManageTrains, &resource)?;
    let input = clean_text(input)?;
    let parsed = parse(&input)?;

    let wanted: Vec<String> = parsed
        .participants
        .iter()
        .map(|p| p.service().to_owned())
        .collect();
    let ids = service_ids(tx, &wanted).await?;
    let order = participant_order(tx, &wanted).await?;
    let track = track_of(tx, parsed.slot.as_ref()).await?;
    let track_id = track.as_ref().map(|t| t.track_id);
    let train_id = insert_train(tx, &input, track_id, parsed.slot.as_ref()).await?;
    insert_participants(tx, train_id, &input, &parsed.participants, &ids, &order).await?;
    insert_requirements(tx, train_id, &parsed.requirements).await?;
    let template = track.and_then(|t| t.gate_template_id);
    let gates = chosen_gates(tx, parsed.gates, template).await?;
    insert_gates(tx, train_id, &gates).await?;
    let status = status_of(tx, &input.name).await?;
    let change = Change::TrainCreated {
        train: TrainRef::new(train_id, input.name.clone()),
        target_version: input.target_version.clone(),
        participants: order.iter().map(|s| s.to_string()).collect(),
        gates: gates.iter().map(|(g, _)| g.name.clone()).collect(),
        track: input.track.clone(),
        tag: input.tag.clone(),
    };
    changes::record(tx, actor, change, now).await?;
    Ok(status)
}

/// The id of each wanted service by name; a name the catalog does not know
/// is refused, pointing at its place in the participant list.
async fn service_ids(
    tx: &mut PgConnection,
    wanted: &[String],
) -> Result<HashMap<String, i64>, AppError> {
    let ids: HashMap<String, i64> = sqlx::query!(
        "SELECT service_id, name FROM service WHERE name = ANY($1) AND retired_at IS NULL",
        wanted
    )
    .fetch_all(&mut *tx)
    .await?
    .into_iter()
    .map(|r| (r.name, r.service_id))
    .collect();
    if let Some((i, missing)) = wanted
        .iter()
        .enumerate()
        .find(|(_, s)| !ids.contains_key(*s))
    {
        return Err(unprocessable(
            format!("participants[{i}]"),
            format!("unknown service {missing:?} (or retired): add it to the catalog first"),
        ));
    }
    Ok(ids)
}

/// The participants in release order, dependencies first, from the catalog's
/// dependency edges between them.
async fn participant_order(
    tx: &mut PgConnection,
    wanted: &[String],
) -> Result<Vec<String>, AppError> {
    let edges = sqlx::query!(
        "SELECT s.name AS service, d.name AS dependency
         FROM service_dependency sd
         JOIN service s ON s.service_id = sd.service_id
         JOIN service d ON d.service_id = sd.depends_on_service_id
         WHERE s.name = ANY($1)",
        wanted
    )
    .fetch_all(&mut *tx)
    .await?;
    let graph: Vec<Participant> = wanted
        .iter()
        .map(|s| Participant {
            service: s,
            depends_on: edges
                .iter()
                .filter(|e| &e.service == s)
                .map(|e| e.dependency.as_str())
                .collect(),
        })
        .collect();
    let order = release_order(&graph).map_err(|e| unprocessable("participants", e))?;
    Ok(order.into_iter().map(str::to_owned).collect())
}

/// The slot's track, when the train has a slot.
struct SlotTrack {
    track_id: i64,
    /// Its gate template, which a train naming no gates gets.
    gate_template_id: Option<i64>,
}

async fn track_of(
    tx: &mut PgConnection,
    slot: Option<&(TrackName, TrainTag)>,
) -> Result<Option<SlotTrack>, AppError> {
    let Some((track, _)) = slot else {
        return Ok(None);
    };
    let row = sqlx::query_as!(
        SlotTrack,
        "SELECT track_id, gate_template_id FROM track WHERE name = $1 AND archived_at IS NULL",
        track.as_str()
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| {
        unprocessable(
            "track",
            format!("unknown or archived track {:?}", track.as_str()),
        )
    })?;
    Ok(Some(row))
}

/// Writes the train's own row; a taken name or slot is a conflict.
async fn insert_train(
    tx: &mut PgConnection,
    input: &NewTrain,
    track_id: Option<i64>,
    slot: Option<&(TrackName, TrainTag)>,
) -> Result<i64, AppError> {
    let train_id = sqlx::query_scalar!(
        "INSERT INTO train (name, track_id, tag, planned_start, target_version, captain, on_call)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING train_id",
        input.name,
        track_id,
        slot.map(|(_, tag)| tag.to_string()),
        input.planned_start,
        input.target_version,
        input.captain,
        input.on_call
    )
    .fetch_one(&mut *tx)
    .await
    .map_err(
        |e| match e.as_database_error().and_then(|d| d.constraint()) {
            Some("train_name_key") => AppError::Conflict(format!(
                "a release train named {:?} already exists",
                input.name
            )),
            Some("train_track_id_tag_key") => {
                AppError::Conflict("that track already has a train with this tag".into())
            }
            _ => AppError::from(e),
        },
    )?;
    Ok(train_id)
}

/// Writes one row per participant, at its place in the release order; a
/// participant without versions of its own takes the train's target.
async fn insert_participants(
    tx: &mut PgConnection,
    train_id: i64,
    input: &NewTrain,
    participants: &[ParticipantInput],
    ids: &HashMap<String, i64>,
    order: &[String],
) -> Result<(), AppError> {
    for p in participants {
        let (target, previous) = match p {
            ParticipantInput::Name(_) => (None, None),
            ParticipantInput::Detailed {
                target_version,
                previous_version,
                ..
            } => (target_version.clone(), previous_version.clone()),
        };
        let position = order.iter().position(|s| s == p.service()).unwrap_or(0) as i32;
        sqlx::query!(
            "INSERT INTO participant (train_id, service_id, target_version, previous_version, release_position)
             VALUES ($1, $2, $3, $4, $5)",
            train_id,
            ids[p.service()],
            target.or_else(|| input.target_version.clone()),
            previous,
            position
        )
        .execute(&mut *tx)
        .await?;
    }
    Ok(())
}

/// Writes the train's spec and library requirements; one named twice is
/// refused.
async fn insert_requirements(
    tx: &mut PgConnection,
    train_id: i64,
    requirements: &[Requirement],
) -> Result<(), AppError> {
    for r in requirements {
        let kind = match r.kind {
            RequirementKind::Spec => "spec",
            RequirementKind::Library => "library",
        };
        sqlx::query!(
            "INSERT INTO train_requirement (train_id, kind, name, versions) VALUES ($1, $2, $3, $4)",
            train_id,
            kind,
            r.name,
            r.versions.to_string()
        )
        .execute(&mut *tx)
        .await
        .map_err(|e| match e.as_database_error().and_then(|d| d.constraint()) {
            Some("train_requirement_pkey") => unprocessable("dependencies", format!("{} is required twice", r.name)),
            _ => AppError::from(e),
        })?;
    }
    Ok(())
}

/// The gates the train was given, each with its spec; else its track's gate
/// template; else the release-train policy's quality gates (no spec).
async fn chosen_gates(
    tx: &mut PgConnection,
    given: Option<Vec<(GateDefinition, GateSpec)>>,
    template: Option<i64>,
) -> Result<Vec<(GateDefinition, Option<GateSpec>)>, AppError> {
    Ok(match (given, template) {
        (Some(gates), _) => gates.into_iter().map(|(g, spec)| (g, Some(spec))).collect(),
        (None, Some(template)) => gates_of_template(&mut *tx, template)
            .await?
            .into_iter()
            .map(|(g, spec)| (g, Some(spec)))
            .collect(),
        (None, None) => quality_gates(&policy_limits(&mut *tx).await?)
            .into_iter()
            .map(|g| (g, None))
            .collect(),
    })
}

/// Writes the train's gate definitions in the order given.
pub(crate) async fn insert_gates(
    tx: &mut PgConnection,
    train_id: i64,
    gates: &[(GateDefinition, Option<GateSpec>)],
) -> Result<(), AppError> {
    for (position, (gate, spec)) in gates.iter().enumerate() {
        let stages: Vec<String> = gate
            .stages
            .iter()
            .map(|s| {
                serde_json::to_value(s)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default()
            })
            .collect();
        let spec = spec
            .as_ref()
            .map(serde_json::to_value)
            .transpose()
            .or_internal("writing a gate's spec")?;
        sqlx::query!(
            "INSERT INTO gate_definition (train_id, name, rule, blocking, stages, applies_to, spec, position)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            train_id,
            gate.name,
            serde_json::to_value(&gate.rule).or_internal("writing a gate rule")?,
            gate.blocking,
            &stages,
            gate.applies_to.as_deref(),
            spec,
            position as i32
        )
        .execute(&mut *tx)
        .await?;
    }
    Ok(())
}

/// The quality limits of the imported policy, or the seed's defaults.
pub(crate) async fn policy_limits(conn: &mut PgConnection) -> Result<QualityLimits, AppError> {
    let stored = sqlx::query_scalar!("SELECT value FROM setting WHERE key = 'release_trains'")
        .fetch_optional(&mut *conn)
        .await?;
    match stored {
        None => Ok(QualityLimits::default()),
        Some(value) => {
            serde_json::from_value::<crate::models::catalog::ReleaseTrainPolicies>(value)
                .map(|p| p.quality_gates.limits())
                .map_err(|e| {
                    tracing::error!(error = %e, "stored release-train policy does not parse");
                    AppError::Internal
                })
        }
    }
}
