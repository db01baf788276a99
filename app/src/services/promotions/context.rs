//! A train as promotions see it: where its release runs, what would be
//! promoted, which gates fail, which freezes hold, and its soak history.

use crate::domain::calendar::FreezeWindow;
use crate::domain::gates::CellStatus;
use crate::domain::promotion::{
    ActiveFreeze, Disturbance, DisturbanceKind, Environment, Fingerprint, Pipeline, ReleaseStatus,
    SoakFacts,
};
use crate::domain::{TrackName, TrainState};
use crate::error::{AppError, ResultExt};
use crate::models::promotion::EnvironmentStep;
use crate::models::train::TrainStatus;
use crate::services::calendar_plan::freeze_windows;
use crate::services::trains::{facts_of, load_facts, TrainFacts};
use chrono::{DateTime, Utc};
use sqlx::PgConnection;
use std::collections::HashMap;

pub(crate) struct TrainContext {
    pub train_id: i64,
    pub status: TrainStatus,
    pub track: Option<TrackName>,
    /// `None` while the organisation has no environment.
    pub pipeline: Option<Pipeline>,
    /// Whether its track deploys straight to the pipeline's last environment
    /// (a hotfix lane), and with how many approvals.
    pub direct: Option<u8>,
    pub steps: Vec<EnvironmentStep>,
    pub fingerprint: Fingerprint,
    pub failing_gates: Vec<String>,
    pub missing_evidence: Vec<String>,
    pub freezes: Vec<ActiveFreeze>,
    /// What all of the above was judged from.
    pub facts: TrainFacts,
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

    /// Whether its track is a direct lane: such a train may break the glass
    /// during a freeze.
    pub fn direct_lane(&self) -> bool {
        self.direct.is_some()
    }

    fn environments(&self) -> &[Environment] {
        self.pipeline.as_ref().map_or(&[], Pipeline::environments)
    }

    /// Where a promotion into `env` comes from (whose soak counts).
    pub fn source_of(&self, env: &Environment) -> Option<&Environment> {
        match self.direct {
            Some(_) => None,
            None => self.pipeline.as_ref()?.previous_before(env),
        }
    }

    /// The last environment its release reached (and still runs in).
    pub fn current(&self) -> Option<Environment> {
        self.environments()
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

    /// The environment a promotion is deploying to, until CD reports
    /// every participant's deploy.
    pub fn deploying(&self) -> Option<&str> {
        self.steps
            .iter()
            .find(|s| s.status == Some(ReleaseStatus::Deploying))
            .map(|s| s.environment.as_str())
    }

    /// Where a new request promotes to: the next environment, or for a
    /// direct lane the last one, once; nowhere while a promotion deploys.
    pub fn next(&self) -> Option<Environment> {
        if self.deploying().is_some() {
            return None;
        }
        match (self.current(), self.direct) {
            (None, Some(_)) => self.environments().last().cloned(),
            (None, None) => self.environments().first().cloned(),
            (Some(_), Some(_)) => None,
            (Some(env), None) => self.pipeline.as_ref()?.next_after(&env).cloned(),
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
                "{} is {}; a train is promoted once it is validating or later, \
                 and not while paused, failed or rolled back",
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
            "SELECT train_id FROM train WHERE name = $1 FOR NO KEY UPDATE",
            name
        )
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("release train {name:?}")))?;
    }
    let facts = facts_of(conn, name).await?;
    let windows = freeze_windows(conn, now).await?;
    TrainContext::from_facts(facts, &windows)
}

/// The contexts of every train in `ids` (in that order), in a fixed number
/// of queries however many trains there are.
pub(crate) async fn load_contexts(
    conn: &mut PgConnection,
    ids: &[i64],
    now: DateTime<Utc>,
) -> Result<Vec<TrainContext>, AppError> {
    let facts = load_facts(conn, ids).await?;
    let windows = freeze_windows(conn, now).await?;
    facts
        .into_iter()
        .map(|f| TrainContext::from_facts(f, &windows))
        .collect()
}

impl TrainContext {
    /// Judges the loaded facts: pipeline, where the release runs, what would
    /// be promoted, what fails and what is missing.
    pub fn from_facts(facts: TrainFacts, windows: &[FreezeWindow]) -> Result<Self, AppError> {
        let status = facts.status()?;
        let track = facts
            .train
            .track
            .as_deref()
            .map(TrackName::parse)
            .transpose()
            .or_internal("stored promotion data does not parse")?;
        let pipeline = facts
            .train
            .environments
            .as_ref()
            .map(|envs| Pipeline::parse(&envs.join(",")))
            .transpose()
            .or_internal("stored promotion data does not parse")?;
        let direct = facts.train.direct.then_some(facts.train.direct_approvals);
        let steps = pipeline
            .as_ref()
            .map_or(&[][..], Pipeline::environments)
            .iter()
            .map(|env| {
                let s = facts
                    .deployments
                    .iter()
                    .find(|s| s.environment == env.as_str());
                EnvironmentStep {
                    environment: env.to_string(),
                    deployed_at: s.and_then(|s| s.deployed_at),
                    rolled_back_at: s.and_then(|s| s.rolled_back_at),
                    status: s.and_then(|s| s.status),
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
        .or_internal("stored promotion data does not parse")?;
        let failing_gates = status
            .blockers
            .iter()
            .map(|b| match b.status {
                CellStatus::Pending => format!("{}: {} (not reported yet)", b.participant, b.gate),
                _ => format!("{}: {}", b.participant, b.detail),
            })
            .collect();
        let missing_evidence = facts
            .evidence_completeness()
            .missing
            .into_iter()
            .map(|m| m.message)
            .collect();
        Ok(TrainContext {
            train_id: facts.train_id,
            status,
            track,
            pipeline,
            direct,
            steps,
            fingerprint,
            failing_gates,
            missing_evidence,
            freezes: windows.iter().map(ActiveFreeze::from).collect(),
            facts,
        })
    }
}

/// What disturbed each train's release where it ran (rollbacks, health
/// breaches): the soak clocks restart at each. Loaded for many trains in two
/// queries.
#[derive(Default)]
pub(crate) struct SoakHistory {
    /// Per train: the environment concerned (`None`: every environment).
    by_train: HashMap<i64, Vec<(Option<String>, Disturbance)>>,
}

impl SoakHistory {
    pub async fn load(conn: &mut PgConnection, ids: &[i64]) -> Result<Self, AppError> {
        let mut by_train: HashMap<i64, Vec<(Option<String>, Disturbance)>> = HashMap::new();
        let rollbacks = sqlx::query!(
            "SELECT train_id, environment, created_at, reason FROM rollback WHERE train_id = ANY($1)",
            ids
        )
        .fetch_all(&mut *conn)
        .await?;
        for r in rollbacks {
            by_train.entry(r.train_id).or_default().push((
                r.environment,
                Disturbance {
                    at: r.created_at,
                    kind: DisturbanceKind::Rollback,
                    detail: r.reason,
                },
            ));
        }
        let breaches = sqlx::query!(
            "SELECT train_id, environment, since, criterion, detail FROM health_breach WHERE train_id = ANY($1)",
            ids
        )
        .fetch_all(&mut *conn)
        .await?;
        for b in breaches {
            by_train.entry(b.train_id).or_default().push((
                Some(b.environment),
                Disturbance {
                    at: b.since,
                    kind: if b.criterion == "burn_rate" {
                        DisturbanceKind::SloBurn
                    } else {
                        DisturbanceKind::FailedHealthGate
                    },
                    detail: b.detail,
                },
            ));
        }
        Ok(Self { by_train })
    }

    /// The release's history in `source`: when it was deployed there and what
    /// disturbed it since; `None` if it never ran there.
    pub fn facts(&self, ctx: &TrainContext, source: &Environment) -> Option<SoakFacts> {
        let deployed_at = ctx
            .steps
            .iter()
            .find(|s| s.environment == source.as_str())
            .and_then(|s| s.deployed_at)?;
        let disturbances = self
            .by_train
            .get(&ctx.train_id)
            .into_iter()
            .flatten()
            .filter(|(env, _)| env.as_deref().is_none_or(|e| e == source.as_str()))
            .map(|(_, d)| d.clone())
            .collect();
        Some(SoakFacts {
            deployed_at,
            disturbances,
        })
    }
}
