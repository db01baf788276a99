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
use crate::models::train::{ParticipantStatus, RequirementStatus, TagRecord, TrainStatus};
use chrono::{DateTime, Duration, Utc};
use sqlx::PgConnection;
use std::collections::HashMap;

mod rows;

use rows::*;
pub(super) use rows::{load_definitions_of, load_participants_of, load_reports_of};

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
    /// Its tags, oldest first.
    pub tags: Vec<TagRecord>,
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
    /// Whether its track cuts trains with nobody on call.
    pub runs_unwatched: bool,
    /// When its track freezes it before the cut.
    pub freeze_at: Option<DateTime<Utc>>,
    /// The track's pipeline: its own, or every environment in order; `None`
    /// while no environment exists.
    pub environments: Option<Vec<String>>,
    /// Whether the track deploys straight to its last environment, and the
    /// approvals it then asks for.
    pub direct: bool,
    pub direct_approvals: u8,
    pub release_id: Option<String>,
    pub release_branch: Option<String>,
    /// The completed hotfix it starts from, by name.
    pub baseline: Option<String>,
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
        let phases: Vec<Phase> = self.participants.iter().map(|p| p.status).collect();
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
            calendar_status: train.calendar_status,
            release_id: train.release_id.clone(),
            release_branch: train.release_branch.clone(),
            tags: self.tags.clone(),
            baseline: train.baseline.clone(),
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
    let mut tags = load_tags_of(conn, ids).await?;
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
            tags: tags.remove(id).unwrap_or_default(),
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
                  COALESCE(k.environments,
                           (SELECT array_agg(e.name ORDER BY e.position, e.name) FROM environment e))
                      AS "environments?",
                  COALESCE(k.direct, false) AS "direct!", COALESCE(k.direct_approvals, 0) AS "direct_approvals!",
                  COALESCE(k.runs_without_on_call, false) AS "runs_unwatched!",
                  t.release_id, t.release_branch, b.name AS "baseline?"
           FROM train t LEFT JOIN track k USING (track_id)
                        LEFT JOIN train b ON b.train_id = t.baseline_train_id
           WHERE t.train_id = ANY($1)"#,
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
                    runs_unwatched: r.runs_unwatched,
                    freeze_at,
                    environments: r.environments,
                    direct: r.direct,
                    direct_approvals: u8::try_from(r.direct_approvals)
                        .or_internal("stored data does not parse")?,
                    release_id: r.release_id,
                    release_branch: r.release_branch,
                    baseline: r.baseline,
                },
            ))
        })
        .collect()
}
