//! A train as promotions see it: where its release runs, what would be
//! promoted, which gates fail, which freezes hold, and its soak history.

use crate::domain::gates::CellStatus;
use crate::domain::promotion::{
    ActiveFreeze, Disturbance, DisturbanceKind, Environment, Fingerprint, Pipeline, SoakFacts,
};
use crate::domain::{TrackName, TrainState};
use crate::error::AppError;
use crate::models::promotion::EnvironmentStep;
use crate::models::train::TrainStatus;
use crate::services::calendar_plan::freeze_windows;
use crate::services::trains::status_of;
use chrono::{DateTime, Utc};
use sqlx::PgConnection;

pub(crate) struct TrainContext {
    pub train_id: i64,
    pub status: TrainStatus,
    pub track: Option<TrackName>,
    pub pipeline: Pipeline,
    pub steps: Vec<EnvironmentStep>,
    pub fingerprint: Fingerprint,
    pub failing_gates: Vec<String>,
    pub missing_evidence: Vec<String>,
    pub freezes: Vec<ActiveFreeze>,
}

pub(crate) fn internal(e: impl std::fmt::Display) -> AppError {
    tracing::error!(error = %e, "stored promotion data does not parse");
    AppError::Internal
}

impl TrainContext {
    pub fn title(&self) -> String {
        self.status
            .tag
            .clone()
            .unwrap_or_else(|| self.status.name.clone())
    }

    pub fn captain(&self) -> Option<&str> {
        self.status.captain.as_deref()
    }

    /// A hotfix train may break the glass during a freeze.
    pub fn is_hotfix(&self) -> bool {
        self.track.as_ref().is_some_and(|t| t.as_str() == "hotfix")
    }

    /// The last environment its release reached (and still runs in).
    pub fn current(&self) -> Option<Environment> {
        self.pipeline
            .environments()
            .iter()
            .rev()
            .find(|e| {
                self.steps.iter().any(|s| {
                    s.environment == e.as_str()
                        && s.deployed_at.is_some()
                        && s.rolled_back_at.is_none()
                })
            })
            .cloned()
    }

    /// Where a new request promotes to.
    pub fn next(&self) -> Option<Environment> {
        match self.current() {
            None => self.pipeline.environments().first().cloned(),
            Some(env) => self.pipeline.next_after(&env).cloned(),
        }
    }

    /// Whether the train's state lets it be promoted at all.
    pub fn promotable(&self) -> Result<(), String> {
        match self.status.state {
            TrainState::Validating
            | TrainState::Staging
            | TrainState::Executing
            | TrainState::Verifying
            | TrainState::Completed => Ok(()),
            other => Err(format!(
                "{} is {}; a train is promoted once it is validating or later, and not while paused, failed or rolled back",
                self.title(),
                other.as_str().replace('_', " ")
            )),
        }
    }
}

/// Loads the train (locking its row when `lock`) with everything above.
pub(crate) async fn load_context(
    conn: &mut PgConnection,
    name: &str,
    lock: bool,
    now: DateTime<Utc>,
) -> Result<TrainContext, AppError> {
    if lock {
        sqlx::query_scalar!(
            "SELECT train_id FROM train WHERE name = $1 FOR UPDATE",
            name
        )
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("release train {name:?}")))?;
    }
    let status = status_of(conn, name).await?;
    let row = sqlx::query!(
        r#"SELECT t.train_id, k.name AS "track?", k.environments AS "environments?"
           FROM train t LEFT JOIN track k USING (track_id) WHERE t.name = $1"#,
        name
    )
    .fetch_one(&mut *conn)
    .await?;
    let track = row
        .track
        .as_deref()
        .map(TrackName::parse)
        .transpose()
        .map_err(internal)?;
    let pipeline = match (row.environments, &track) {
        (Some(envs), _) => Pipeline::parse(&envs.join(",")).map_err(internal)?,
        (None, Some(track)) => Pipeline::default_for(track),
        (None, None) => Pipeline::standard(),
    };
    let stored = sqlx::query!(
        "SELECT environment, deployed_at, rolled_back_at FROM train_environment WHERE train_id = $1",
        row.train_id
    )
    .fetch_all(&mut *conn)
    .await?;
    let steps = pipeline
        .environments()
        .iter()
        .map(|env| {
            let s = stored.iter().find(|s| s.environment == env.as_str());
            EnvironmentStep {
                environment: env.to_string(),
                deployed_at: s.map(|s| s.deployed_at),
                rolled_back_at: s.and_then(|s| s.rolled_back_at),
            }
        })
        .collect();
    let fingerprint = Fingerprint::new(status.participants.iter().map(|p| {
        (
            p.service.clone(),
            p.target_version
                .clone()
                .unwrap_or_else(|| "unversioned".to_owned()),
        )
    }))
    .map_err(internal)?;
    let failing_gates = status
        .blockers
        .iter()
        .map(|b| match b.status {
            CellStatus::Pending => format!("{}: {} (not reported yet)", b.participant, b.gate),
            _ => format!("{}: {}", b.participant, b.detail),
        })
        .collect();
    let missing_evidence = crate::services::evidence::evidence_completeness(conn, row.train_id)
        .await?
        .missing
        .into_iter()
        .map(|m| m.message)
        .collect();
    let freezes = freeze_windows(conn, now)
        .await?
        .iter()
        .map(ActiveFreeze::from)
        .collect();
    Ok(TrainContext {
        train_id: row.train_id,
        status,
        track,
        pipeline,
        steps,
        fingerprint,
        failing_gates,
        missing_evidence,
        freezes,
    })
}

/// The release's history in `source`: when it was deployed there and what
/// disturbed it since (rollbacks, health breaches); `None` if it never ran there.
pub(crate) async fn soak_facts(
    conn: &mut PgConnection,
    ctx: &TrainContext,
    source: &Environment,
) -> Result<Option<SoakFacts>, AppError> {
    let Some(deployed_at) = ctx
        .steps
        .iter()
        .find(|s| s.environment == source.as_str())
        .and_then(|s| s.deployed_at)
    else {
        return Ok(None);
    };
    let mut disturbances: Vec<Disturbance> = sqlx::query!(
        "SELECT created_at, reason FROM rollback
         WHERE train_id = $1 AND (environment IS NULL OR environment = $2)",
        ctx.train_id,
        source.as_str()
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|r| Disturbance {
        at: r.created_at,
        kind: DisturbanceKind::Rollback,
        detail: r.reason,
    })
    .collect();
    disturbances.extend(
        sqlx::query!(
            "SELECT since, criterion, detail FROM health_breach WHERE train_id = $1 AND environment = $2",
            ctx.train_id,
            source.as_str()
        )
        .fetch_all(&mut *conn)
        .await?
        .into_iter()
        .map(|b| Disturbance {
            at: b.since,
            kind: if b.criterion == "burn_rate" {
                DisturbanceKind::SloBurn
            } else {
                DisturbanceKind::FailedHealthGate
            },
            detail: b.detail,
        }),
    );
    Ok(Some(SoakFacts {
        deployed_at,
        disturbances,
    }))
}
