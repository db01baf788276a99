//! What the read models judge trains by, loaded for any number of trains in a
//! fixed number of queries: the dashboard reads every train in flight, the
//! train page one train, a decision the train it locked — all through this
//! one loader, so they can never count differently, and none of them costs
//! more queries as the history grows.

use super::load::stored_lifecycle;
use crate::domain::evidence::{completeness, Completeness, EvidenceKind, EvidenceRequirement};
use crate::domain::gates::evaluate::evaluate;
use crate::domain::gates::{GateDefinition, GateMatrix, GateStage, Observed, Report};
use crate::domain::participant::{progress, stage_of, Phase};
use crate::domain::release_phases::Step;
use crate::domain::train_state::Lifecycle;
use crate::domain::{CalendarStatus, TrainState};
use crate::error::{AppError, ResultExt};
use crate::models::promotion::EnvironmentStep;
use crate::models::train::{ParticipantStatus, RequirementStatus, TrainStatus};
use chrono::{DateTime, Duration, Utc};
use sqlx::PgConnection;
use std::collections::HashMap;

/// One train as stored, with everything its status is computed from.
pub(crate) struct TrainFacts {
    pub train_id: i64,
    pub train: StoredTrain,
    /// In release order.
    pub participants: Vec<ParticipantStatus>,
    pub requirements: Vec<RequirementStatus>,
    pub matrix: GateMatrix,
    /// `(kind, participant)` of each evidence artifact.
    pub evidence: Vec<(EvidenceKind, Option<String>)>,
    /// Where its release ran: one row per environment it reached.
    pub deployments: Vec<EnvironmentStep>,
    /// Its state transitions, oldest first (seed 000's phases).
    pub transitions: Vec<Step>,
}

/// The train's own row.
pub(crate) struct StoredTrain {
    pub name: String,
    pub lifecycle: Lifecycle,
    pub status_reason: Option<String>,
    pub target_version: Option<String>,
    pub track: Option<String>,
    pub tag: Option<String>,
    pub captain: Option<String>,
    pub on_call: Option<String>,
    pub planned_start: Option<DateTime<Utc>>,
    /// Its calendar status; `None` for a train on no track.
    pub calendar_status: Option<CalendarStatus>,
    /// When its track freezes it before the cut.
    pub freeze_at: Option<DateTime<Utc>>,
    /// The track's own pipeline, when it names one.
    pub environments: Option<Vec<String>>,
}

impl TrainFacts {
    pub fn participant_names(&self) -> Vec<String> {
        self.participants
            .iter()
            .map(|p| p.service.clone())
            .collect()
    }

    /// Whether its evidence bundle holds what every bundle must (seed 000).
    pub fn evidence_completeness(&self) -> Completeness {
        completeness(
            &EvidenceRequirement::STANDARD,
            &self.participant_names(),
            &self.evidence,
        )
    }

    /// What `GET …/status` and the train page show.
    pub fn status(&self) -> Result<TrainStatus, AppError> {
        let train = &self.train;
        let phases = self
            .participants
            .iter()
            .map(|p| {
                Phase::parse(&p.status).ok_or_else(|| {
                    AppError::internal(
                        "stored data does not parse",
                        format!("participant status {:?}", p.status),
                    )
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(TrainStatus {
            name: train.name.clone(),
            state: train.lifecycle.state,
            paused_from: train.lifecycle.paused_from,
            status_reason: train.status_reason.clone(),
            target_version: train.target_version.clone(),
            track: train.track.clone(),
            tag: train.tag.clone(),
            captain: train.captain.clone(),
            progress: progress(train.lifecycle.state, &phases),
            participants: self.participants.clone(),
            requirements: self.requirements.clone(),
            blockers: self.matrix.blockers.clone(),
            gates: self.matrix.clone(),
            next_states: train
                .lifecycle
                .allowed()
                .into_iter()
                .map(|(s, _)| s)
                .collect(),
        })
    }
}

/// The ids of the trains named, in no particular order; unknown names are
/// left out.
pub(crate) async fn train_ids(
    conn: &mut PgConnection,
    names: &[String],
) -> Result<Vec<i64>, AppError> {
    Ok(
        sqlx::query_scalar!("SELECT train_id FROM train WHERE name = ANY($1)", names)
            .fetch_all(&mut *conn)
            .await?,
    )
}

/// The facts of every train in `ids`, in the order of `ids`; an id that
/// names no train is left out.
pub(crate) async fn load_facts(
    conn: &mut PgConnection,
    ids: &[i64],
) -> Result<Vec<TrainFacts>, AppError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut trains = load_rows(conn, ids).await?;
    let mut participants = load_participants_of(conn, ids).await?;
    let mut requirements = load_requirements_of(conn, ids).await?;
    let mut definitions = load_definitions_of(conn, ids).await?;
    let mut reports = load_reports_of(conn, ids).await?;
    let mut evidence = load_evidence_of(conn, ids).await?;
    let mut deployments = load_deployments_of(conn, ids).await?;
    let mut transitions = load_transitions_of(conn, ids).await?;
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        let Some(train) = trains.remove(id) else {
            continue;
        };
        let participants = participants.remove(id).unwrap_or_default();
        let names: Vec<String> = participants.iter().map(|p| p.service.clone()).collect();
        let matrix = evaluate(
            &definitions.remove(id).unwrap_or_default(),
            &names,
            &reports.remove(id).unwrap_or_default(),
            stage_of(train.lifecycle),
        );
        out.push(TrainFacts {
            train_id: *id,
            train,
            participants,
            requirements: requirements.remove(id).unwrap_or_default(),
            matrix,
            evidence: evidence.remove(id).unwrap_or_default(),
            deployments: deployments.remove(id).unwrap_or_default(),
            transitions: transitions.remove(id).unwrap_or_default(),
        });
    }
    Ok(out)
}

async fn load_rows(
    conn: &mut PgConnection,
    ids: &[i64],
) -> Result<HashMap<i64, StoredTrain>, AppError> {
    let rows = sqlx::query!(
        r#"SELECT t.train_id, t.name, t.state, t.paused_from, t.status_reason, t.target_version,
                  k.name AS "track?", t.tag, t.captain, t.on_call, t.planned_start, t.status,
                  (extract(epoch FROM k.freeze_offset))::bigint AS freeze_seconds,
                  k.environments AS "environments?"
           FROM train t LEFT JOIN track k USING (track_id) WHERE t.train_id = ANY($1)"#,
        ids
    )
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter()
        .map(|r| {
            let lifecycle = stored_lifecycle(&r.state, r.paused_from.as_deref())?;
            let calendar_status = r
                .track
                .as_ref()
                .map(|_| CalendarStatus::parse(&r.status))
                .transpose()
                .or_internal("stored data does not parse")?;
            let freeze_at = r
                .planned_start
                .map(|at| at - Duration::seconds(r.freeze_seconds.unwrap_or(0)));
            Ok((
                r.train_id,
                StoredTrain {
                    name: r.name,
                    lifecycle,
                    status_reason: r.status_reason,
                    target_version: r.target_version,
                    track: r.track,
                    tag: r.tag,
                    captain: r.captain,
                    on_call: r.on_call,
                    planned_start: r.planned_start,
                    calendar_status,
                    freeze_at,
                    environments: r.environments,
                },
            ))
        })
        .collect()
}

fn group<T>(rows: impl IntoIterator<Item = (i64, T)>) -> HashMap<i64, Vec<T>> {
    let mut out: HashMap<i64, Vec<T>> = HashMap::new();
    for (id, row) in rows {
        out.entry(id).or_default().push(row);
    }
    out
}

async fn load_participants_of(
    conn: &mut PgConnection,
    ids: &[i64],
) -> Result<HashMap<i64, Vec<ParticipantStatus>>, AppError> {
    let rows = sqlx::query!(
        r#"SELECT p.train_id, s.name AS service, p.release_position AS position, p.status,
                  p.target_version, p.previous_version
           FROM participant p JOIN service s USING (service_id)
           WHERE p.train_id = ANY($1) ORDER BY p.train_id, p.release_position, s.name"#,
        ids
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(group(rows.into_iter().map(|r| {
        (
            r.train_id,
            ParticipantStatus {
                service: r.service,
                position: r.position,
                status: r.status,
                target_version: r.target_version,
                previous_version: r.previous_version,
            },
        )
    })))
}

async fn load_requirements_of(
    conn: &mut PgConnection,
    ids: &[i64],
) -> Result<HashMap<i64, Vec<RequirementStatus>>, AppError> {
    let rows = sqlx::query!(
        "SELECT train_id, kind, name, versions FROM train_requirement
         WHERE train_id = ANY($1) ORDER BY train_id, kind, name",
        ids
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(group(rows.into_iter().map(|r| {
        (
            r.train_id,
            RequirementStatus {
                kind: r.kind,
                name: r.name,
                versions: r.versions,
            },
        )
    })))
}

pub(super) async fn load_definitions_of(
    conn: &mut PgConnection,
    ids: &[i64],
) -> Result<HashMap<i64, Vec<GateDefinition>>, AppError> {
    let rows = sqlx::query!(
        r#"SELECT train_id, name, rule, blocking, stages, applies_to FROM gate_definition
           WHERE train_id = ANY($1) ORDER BY train_id, position, name"#,
        ids
    )
    .fetch_all(&mut *conn)
    .await?;
    let rows = rows
        .into_iter()
        .map(|r| {
            let stages = r
                .stages
                .iter()
                .map(|s| serde_json::from_value(serde_json::Value::String(s.clone())))
                .collect::<Result<Vec<GateStage>, _>>()
                .or_internal("stored data does not parse")?;
            Ok((
                r.train_id,
                GateDefinition {
                    name: r.name,
                    rule: serde_json::from_value(r.rule)
                        .or_internal("stored data does not parse")?,
                    blocking: r.blocking,
                    stages,
                    applies_to: r.applies_to,
                },
            ))
        })
        .collect::<Result<Vec<_>, AppError>>()?;
    Ok(group(rows))
}

/// The newest result per train × participant × key: one row per cell of the
/// gate matrix (`gate_cell` keeps which one it is), however often CI
/// reported.
pub(super) async fn load_reports_of(
    conn: &mut PgConnection,
    ids: &[i64],
) -> Result<HashMap<i64, Vec<Report>>, AppError> {
    let rows = sqlx::query!(
        r#"SELECT r.train_id, s.name AS participant, r.key, r.value_number, r.value_pass,
                  r.reported_at, r.source, r.url
           FROM gate_cell c
           JOIN gate_result r ON r.gate_result_id = c.gate_result_id
           JOIN service s ON s.service_id = r.service_id
           WHERE c.train_id = ANY($1)"#,
        ids
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(group(rows.into_iter().filter_map(|r| {
        let value = match (r.value_number, r.value_pass) {
            (Some(n), _) => Observed::Number(n),
            (None, Some(p)) => Observed::Pass(p),
            (None, None) => return None,
        };
        Some((
            r.train_id,
            Report {
                participant: r.participant,
                key: r.key,
                value,
                reported_at: r.reported_at,
                source: r.source,
                url: r.url,
            },
        ))
    })))
}

async fn load_evidence_of(
    conn: &mut PgConnection,
    ids: &[i64],
) -> Result<HashMap<i64, Vec<(EvidenceKind, Option<String>)>>, AppError> {
    let rows = sqlx::query!(
        r#"SELECT a.train_id, a.kind, s.name AS "participant?"
           FROM evidence_artifact a LEFT JOIN service s USING (service_id)
           WHERE a.train_id = ANY($1)"#,
        ids
    )
    .fetch_all(&mut *conn)
    .await?;
    let rows = rows
        .into_iter()
        .map(|r| {
            let kind = EvidenceKind::parse(&r.kind).or_internal("stored data does not parse")?;
            Ok((r.train_id, (kind, r.participant)))
        })
        .collect::<Result<Vec<_>, AppError>>()?;
    Ok(group(rows))
}

async fn load_deployments_of(
    conn: &mut PgConnection,
    ids: &[i64],
) -> Result<HashMap<i64, Vec<EnvironmentStep>>, AppError> {
    let rows = sqlx::query!(
        "SELECT train_id, environment, deployed_at, rolled_back_at FROM train_environment
         WHERE train_id = ANY($1)",
        ids
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(group(rows.into_iter().map(|r| {
        (
            r.train_id,
            EnvironmentStep {
                environment: r.environment,
                deployed_at: Some(r.deployed_at),
                rolled_back_at: r.rolled_back_at,
            },
        )
    })))
}

async fn load_transitions_of(
    conn: &mut PgConnection,
    ids: &[i64],
) -> Result<HashMap<i64, Vec<Step>>, AppError> {
    let rows = sqlx::query!(
        r#"SELECT train_id, at, from_state AS "from_state!", to_state AS "to_state!"
           FROM train_event
           WHERE train_id = ANY($1) AND kind = 'transition'
             AND from_state IS NOT NULL AND to_state IS NOT NULL
           ORDER BY train_id, at, train_event_id"#,
        ids
    )
    .fetch_all(&mut *conn)
    .await?;
    let rows = rows
        .into_iter()
        .map(|r| {
            Ok((
                r.train_id,
                Step {
                    at: r.at,
                    from: TrainState::parse(&r.from_state)
                        .or_internal("stored data does not parse")?,
                    to: TrainState::parse(&r.to_state).or_internal("stored data does not parse")?,
                },
            ))
        })
        .collect::<Result<Vec<_>, AppError>>()?;
    Ok(group(rows))
}
