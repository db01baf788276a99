//! The demo data set loaded on first start: an organisation set up from
//! files through the same import as any other (`organisation/`: seed 001's
//! and seed 003's environments, seed 003's three tracks, seed 002's
//! services), then trains planned from `now` on and a history.

mod evidence;
mod story;

use crate::error::AppError;
use crate::models::train::{NewTrain, ParticipantInput, RequirementInput};
use crate::services::actor::Actor;
use crate::services::calendar_horizon::plan_ahead;
use crate::services::catalog::{import_in, ImportError, SourceFile};
use crate::services::evidence::EvidenceStore;
use crate::services::trains::create_train_in;
use chrono::{DateTime, Utc};
use sqlx::PgPool;

/// The demo organisation's files, in the layout `server import` reads.
const ORGANISATION: [(&str, &str); 3] = [
    (
        "config/environments.yaml",
        include_str!("organisation/environments.yaml"),
    ),
    (
        "config/services.yaml",
        include_str!("organisation/services.yaml"),
    ),
    (
        "config/tracks.yaml",
        include_str!("organisation/tracks.yaml"),
    ),
];

/// Loads the demo data set if the database has no track yet; returns whether it
/// did. Safe when several instances start at once (transaction-scoped lock).
#[tracing::instrument(skip(pool, store))]
pub async fn load_if_empty(
    pool: &PgPool,
    store: &EvidenceStore,
    now: DateTime<Utc>,
) -> Result<bool, AppError> {
    let mut tx = crate::services::audit::begin_write(pool).await?;
    sqlx::query!("SELECT pg_advisory_xact_lock(hashtext('trainyard.demo'))")
        .execute(&mut *tx)
        .await?;
    let existing = sqlx::query_scalar!(r#"SELECT count(*) AS "n!" FROM track"#)
        .fetch_one(&mut *tx)
        .await?;
    if existing > 0 {
        return Ok(false);
    }

    let actor = Actor::new("demo");
    let files: Vec<SourceFile> = ORGANISATION
        .iter()
        .map(|(path, text)| SourceFile {
            path: format!("demo/{path}"),
            text: (*text).to_owned(),
        })
        .collect();
    import_in(&mut tx, &actor, &files, now)
        .await
        .map_err(|e| match e {
            ImportError::Failed(e) => e,
            ImportError::Problems(problems) => {
                for p in problems {
                    tracing::error!(problem = %p, "the demo organisation does not import");
                }
                AppError::Internal
            }
        })?;
    // The trains ahead, as the scheduler plans them for any organisation.
    plan_ahead(&mut tx, &Actor::new("scheduler"), now).await?;
    // Somebody gave up the last one, so the skip rule's warning has
    // something to show.
    sqlx::query!(
        "UPDATE train SET on_call = NULL, replannable = false
         WHERE train_id = (SELECT train_id FROM train WHERE slot IS NOT NULL
                           ORDER BY planned_start DESC LIMIT 1)"
    )
    .execute(&mut *tx)
    .await?;
    create_train_in(&mut tx, &actor, seed_002_train(), now).await?;
    tx.commit().await?;
    story::load(pool, now).await?;
    evidence::load(pool, store, now).await?;
    tracing::info!("loaded the demo data set");
    Ok(true)
}

/// Seed 002's example: a multi-service train outside the calendar.
fn seed_002_train() -> NewTrain {
    let participant = |service: &str| ParticipantInput::Detailed {
        service: service.to_owned(),
        target_version: Some("2.0.0".to_owned()),
        previous_version: Some("1.9.3".to_owned()),
    };
    let gates = serde_json::json!([
        "all_participants_quality >=80",
        "no_open_critical_vulns",
        { "custom": "performance_regression < 10%", "advisory": true }
    ]);
    NewTrain {
        name: "Q4-curve-upgrade".to_owned(),
        target_version: Some("curve-service:2.0.0".to_owned()),
        participants: vec![
            participant("curve"),
            participant("backtesting"),
            participant("scenario"),
        ],
        dependencies: vec![RequirementInput {
            spec: Some("curves-api".to_owned()),
            library: None,
            version: Some(">=2.0.0".to_owned()),
        }],
        gates: serde_json::from_value(gates).ok(),
        captain: Some("carl".to_owned()),
        track: None,
        tag: None,
        planned_start: None,
        on_call: None,
    }
}
