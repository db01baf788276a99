//! The demo data set loaded on first start: an organisation set up from
//! files through the same import as any other (`organisation/`: seed 001's
//! and seed 003's environments, seed 003's three tracks, seed 002's
//! services), then trains planned from `now` on and a history.

mod evidence;
mod story;

use crate::domain::calendar::cadence::Cadence;
use crate::domain::calendar::upcoming::{assign_tags, Slot};
use crate::domain::TrackName;
use crate::error::{AppError, ResultExt};
use crate::models::train::{NewTrain, ParticipantInput, RequirementInput};
use crate::services::actor::Actor;
use crate::services::calendar::stored_naming;
use crate::services::catalog::{import_in, ImportError, SourceFile};
use crate::services::evidence::EvidenceStore;
use crate::services::trains::create_train_in;
use chrono::{DateTime, Duration, Utc};
use sqlx::{PgConnection, PgPool};

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

/// Demo on-call rotation; the last planned train is left unassigned so that the
/// skip rule's warning has something to show.
const ON_CALL: [&str; 3] = ["ana", "ben", "carl"];

/// How far ahead the demo plans trains.
const HORIZON_DAYS: i64 = 42;

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
    let services =
        sqlx::query_scalar!("SELECT name FROM service WHERE retired_at IS NULL ORDER BY name")
            .fetch_all(&mut *tx)
            .await?;
    let tagged = assign_tags(&semver::Version::new(0, 5, 0), slots(&mut tx, now).await?);
    let last = tagged.len().saturating_sub(1);
    for (i, (slot, tag)) in tagged.into_iter().enumerate() {
        let version = tag.version().to_string();
        let train = NewTrain {
            name: tag.to_string(),
            target_version: Some(version),
            participants: services
                .iter()
                .cloned()
                .map(ParticipantInput::Name)
                .collect(),
            dependencies: Vec::new(),
            gates: None,
            captain: None,
            track: Some(slot.track.to_string()),
            tag: Some(tag.to_string()),
            planned_start: Some(slot.at),
            on_call: (i != last).then(|| ON_CALL[i % ON_CALL.len()].to_owned()),
        };
        create_train_in(&mut tx, &actor, train, now).await?;
    }
    create_train_in(&mut tx, &actor, seed_002_train(), now).await?;
    tx.commit().await?;
    story::load(pool, now).await?;
    evidence::load(pool, store, now).await?;
    tracing::info!("loaded the demo data set");
    Ok(true)
}

/// Every track's cadence slots within the demo's horizon, each with the
/// track's naming.
async fn slots(conn: &mut PgConnection, now: DateTime<Utc>) -> Result<Vec<Slot>, AppError> {
    let tracks = sqlx::query!("SELECT name, cadence_rrule, naming FROM track ORDER BY position")
        .fetch_all(&mut *conn)
        .await?;
    let horizon = now + Duration::days(HORIZON_DAYS);
    let mut slots = Vec::new();
    for track in tracks {
        let cadence =
            Cadence::parse(track.cadence_rrule.as_deref()).or_internal("a demo cadence")?;
        let name = TrackName::parse(&track.name).or_internal("a demo track name")?;
        let naming = stored_naming(track.naming)?;
        slots.extend(
            cadence
                .next_after(now, 16)
                .into_iter()
                .filter(|at| *at < horizon)
                .map(|at| Slot {
                    track: name.clone(),
                    at,
                    tag: naming.tag.clone(),
                    next_version: naming.next_version,
                }),
        );
    }
    Ok(slots)
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
