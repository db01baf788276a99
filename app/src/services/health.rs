//! Health signals per service and environment (seed 001's golden signals).
//! Each report is checked against seed 001's rollback criteria; a breach is
//! recorded on the train whose release runs there, recommends a rollback,
//! and where the environment's policy says so, starts it.

use crate::domain::access::{Action, Resource};
use crate::domain::change::{BreachOutcome, Change, TrainRef};
use crate::domain::promotion::{breaches, recommend, Breach, Environment, Metric, Sample};
use crate::error::bad_field as bad;
use crate::error::AppError;
use crate::models::train::RollbackRequest;
use crate::services::access::authorize;
use crate::services::actor::Actor;
use crate::services::changes;
use crate::services::trains::rollback_in;
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use sqlx::{PgConnection, PgPool};

/// `POST /api/v1/services/{name}/health`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct HealthReport {
    pub environment: String,
    pub samples: Vec<SampleInput>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SampleInput {
    /// When it was measured; now when absent.
    #[serde(default)]
    pub at: Option<DateTime<Utc>>,
    /// `p95_latency_ms`, `error_rate_pct`, `saturation_pct` or `burn_rate`.
    pub metric: String,
    pub value: f64,
}

/// What the report led to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct HealthVerdict {
    pub service: String,
    pub environment: String,
    /// The train whose release runs there, if any.
    pub train: Option<String>,
    /// Seed 001's criteria that hold now.
    pub breaches: Vec<String>,
    /// What was done about the breaches; none when all is well.
    pub rollback: Option<BreachOutcome>,
}

/// How far back samples are read: the longest criterion window and its slack.
const LOOKBACK_MINUTES: i64 = 75;

#[tracing::instrument(skip(pool, report), fields(samples = report.samples.len()))]
pub async fn report_health(
    pool: &PgPool,
    actor: &Actor,
    service: &str,
    report: HealthReport,
    now: DateTime<Utc>,
) -> Result<HealthVerdict, AppError> {
    authorize(
        actor,
        Action::ReportServiceStatus,
        &Resource::Service(service.to_owned()),
    )?;
    let env = Environment::parse(&report.environment).map_err(|e| bad("environment", e))?;
    let samples = parse_samples(&report, now)?;
    let mut tx = crate::services::audit::begin_write(pool).await?;
    let service_id = service_id_of(&mut tx, service).await?;
    store_samples(&mut tx, actor, service_id, &env, &samples).await?;
    let recent = recent_samples(&mut tx, service_id, &env, now).await?;
    let found = breaches(&recent, now);
    let mut verdict = HealthVerdict {
        service: service.to_owned(),
        environment: env.to_string(),
        train: None,
        breaches: found.iter().map(|b| b.detail.clone()).collect(),
        rollback: None,
    };
    let Some(train) = running_train(&mut tx, &env, service_id).await? else {
        tx.commit().await?;
        return Ok(verdict);
    };
    verdict.train = Some(train.name.clone());
    let policy = crate::services::promotions::policy_in(&mut tx, &env).await?;
    let fresh = unrecorded_breaches(&mut tx, &train, service_id, &env, &found, now).await?;
    let Some(recommendation) = recommend(&policy, fresh.iter().map(|(b, _)| b.clone()).collect())
    else {
        verdict.rollback = (!found.is_empty()).then_some(BreachOutcome::Recommended);
        tx.commit().await?;
        return Ok(verdict);
    };
    let outcome = if recommendation.automatic {
        BreachOutcome::RolledBack
    } else {
        BreachOutcome::Recommended
    };
    store_breaches(&mut tx, &train, service_id, &env, &fresh, outcome, now).await?;
    let reason = format!("{service} in {env}: {}", recommendation.reason());
    let change = Change::HealthBreached {
        train: train.clone(),
        service: service.to_owned(),
        environment: env.as_str().to_owned(),
        breaches: verdict.breaches.clone(),
        outcome,
        reason: reason.clone(),
    };
    changes::record(&mut tx, actor, change, now).await?;
    if recommendation.automatic {
        roll_back_unhealthy(&mut tx, &train.name, &env, reason, now).await?;
    }
    verdict.rollback = Some(outcome);
    tx.commit().await?;
    Ok(verdict)
}

/// The report's samples, each checked: a known metric, a finite value of
/// zero or more, and not dated in the future (absent dates mean `now`).
fn parse_samples(report: &HealthReport, now: DateTime<Utc>) -> Result<Vec<Sample>, AppError> {
    if report.samples.is_empty() {
        return Err(bad("samples", "the report has no samples"));
    }
    let mut samples = Vec::with_capacity(report.samples.len());
    for (i, s) in report.samples.iter().enumerate() {
        let metric =
            Metric::parse(&s.metric).map_err(|e| bad(format!("samples[{i}].metric"), e))?;
        if !s.value.is_finite() || s.value < 0.0 {
            return Err(bad(
                format!("samples[{i}].value"),
                "the value must be a finite number, zero or more",
            ));
        }
        let at = s.at.unwrap_or(now);
        if at > now + Duration::minutes(1) {
            return Err(bad(
                format!("samples[{i}].at"),
                "the sample is dated in the future",
            ));
        }
        samples.push(Sample {
            at,
            metric,
            value: s.value,
        });
    }
    Ok(samples)
}

/// The service's id; an unknown service is not found.
async fn service_id_of(tx: &mut PgConnection, service: &str) -> Result<i64, AppError> {
    let service_id = sqlx::query_scalar!("SELECT service_id FROM service WHERE name = $1", service)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("service {service:?}")))?;
    Ok(service_id)
}

/// Keeps the reported samples, credited to the reporter.
async fn store_samples(
    tx: &mut PgConnection,
    actor: &Actor,
    service_id: i64,
    env: &Environment,
    samples: &[Sample],
) -> Result<(), AppError> {
    for s in samples {
        sqlx::query!(
            "INSERT INTO health_sample (service_id, environment, metric, value, at, reported_by)
             VALUES ($1, $2, $3, $4, $5, $6)",
            service_id,
            env.as_str(),
            s.metric.as_str(),
            s.value,
            s.at,
            actor.name
        )
        .execute(&mut *tx)
        .await?;
    }
    Ok(())
}

/// The service's samples in the environment within the lookback window.
async fn recent_samples(
    tx: &mut PgConnection,
    service_id: i64,
    env: &Environment,
    now: DateTime<Utc>,
) -> Result<Vec<Sample>, AppError> {
    let recent: Vec<Sample> = sqlx::query!(
        "SELECT metric, value, at FROM health_sample WHERE service_id = $1 AND environment = $2 AND at > $3",
        service_id,
        env.as_str(),
        now - Duration::minutes(LOOKBACK_MINUTES)
    )
    .fetch_all(&mut *tx)
    .await?
    .into_iter()
    .filter_map(|r| Metric::parse(&r.metric).ok().map(|metric| Sample { at: r.at, metric, value: r.value }))
    .collect();
    Ok(recent)
}

/// The train whose release of the service runs in the environment, if any.
async fn running_train(
    tx: &mut PgConnection,
    env: &Environment,
    service_id: i64,
) -> Result<Option<TrainRef>, AppError> {
    let running = sqlx::query!(
        "SELECT t.train_id, t.name FROM environment_release r JOIN train t USING (train_id)
         WHERE r.environment = $1 AND r.service_id = $2",
        env.as_str(),
        service_id
    )
    .fetch_optional(&mut *tx)
    .await?;
    Ok(running.map(|r| TrainRef::new(r.train_id, r.name)))
}

/// The breaches not yet on record, each with its criterion's name.
async fn unrecorded_breaches(
    tx: &mut PgConnection,
    train: &TrainRef,
    service_id: i64,
    env: &Environment,
    found: &[Breach],
    now: DateTime<Utc>,
) -> Result<Vec<(Breach, String)>, AppError> {
    let mut fresh = Vec::new();
    for breach in found {
        let criterion = breach.criterion.as_str().to_owned();
        // One record per ongoing breach: a criterion already recorded for this
        // release within the hour is the same breach still holding.
        let known = sqlx::query_scalar!(
            r#"SELECT EXISTS (SELECT 1 FROM health_breach WHERE train_id = $1 AND service_id = $2 AND environment = $3
                              AND criterion = $4 AND detected_at > $5) AS "known!""#,
            train.id,
            service_id,
            env.as_str(),
            criterion,
            now - Duration::hours(1)
        )
        .fetch_one(&mut *tx)
        .await?;
        if !known {
            fresh.push((breach.clone(), criterion));
        }
    }
    Ok(fresh)
}

/// Records the fresh breaches on the running release, with their outcome.
async fn store_breaches(
    tx: &mut PgConnection,
    train: &TrainRef,
    service_id: i64,
    env: &Environment,
    fresh: &[(Breach, String)],
    outcome: BreachOutcome,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    for (breach, criterion) in fresh {
        sqlx::query!(
            "INSERT INTO health_breach (train_id, service_id, environment, criterion, since,
                                        detected_at, detail, outcome)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING",
            train.id,
            service_id,
            env.as_str(),
            criterion,
            breach.since,
            now,
            breach.detail,
            outcome.as_str()
        )
        .execute(&mut *tx)
        .await?;
    }
    Ok(())
}

/// The health monitor's rollback: the whole train when its state allows,
/// else the environment alone.
async fn roll_back_unhealthy(
    tx: &mut PgConnection,
    train: &str,
    env: &Environment,
    reason: String,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let monitor = Actor::new("health-monitor");
    let whole = RollbackRequest {
        reason: reason.clone(),
        dry_run: false,
        force: false,
        environment: None,
    };
    let mut savepoint = sqlx::Connection::begin(&mut *tx).await?;
    match rollback_in(&mut savepoint, &monitor, train, whole, now).await {
        Ok(_) => savepoint.commit().await?,
        Err(AppError::Conflict(_)) => {
            savepoint.rollback().await?;
            let only_here = RollbackRequest {
                reason,
                dry_run: false,
                force: false,
                environment: Some(env.to_string()),
            };
            rollback_in(tx, &monitor, train, only_here, now).await?;
        }
        Err(e) => return Err(e),
    }
    Ok(())
}
