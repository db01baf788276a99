//! The demo data set loaded on first start (seed 003's three tracks and seed
//! 002's services), with trains planned from `now` on.

mod evidence;
mod story;

use crate::domain::calendar::cadence::{Cadence, SEED_DEV_RULE, SEED_STAGING_RULE};
use crate::domain::calendar::upcoming::{assign_tags, Slot};
use crate::domain::environment_input::{EnvironmentInput, PolicyInput};
use crate::domain::TrackName;
use crate::error::{AppError, ResultExt};
use crate::models::train::{NewTrain, ParticipantInput, RequirementInput};
use crate::services::actor::Actor;
use crate::services::environments::insert_environment;
use crate::services::evidence::EvidenceStore;
use crate::services::trains::create_train_in;
use chrono::{DateTime, Duration, Utc};
use sqlx::PgPool;

struct DemoTrack {
    name: &'static str,
    description: &'static str,
    cadence_description: &'static str,
    rrule: Option<&'static str>,
    /// What its trains do to the version line (seed 003: a staging train
    /// closes it, so the next trains take the next patch).
    naming: &'static str,
    pipeline: &'static [&'static str],
    /// Deploys straight to its pipeline's end, patching this track's release.
    patches: Option<&'static str>,
}

const TRACKS: [DemoTrack; 3] = [
    DemoTrack {
        name: "dev",
        description: "dev infra and early validators; promotes to staging after a 7-day soak",
        cadence_description: "Weekly, Tuesday 14:00 UTC",
        rrule: Some(SEED_DEV_RULE),
        naming: "{}",
        pipeline: &["dev", "stage", "prod"],
        patches: None,
    },
    DemoTrack {
        name: "staging",
        description: "the full validator set",
        cadence_description: "Bi-weekly, alternate Wednesdays 14:00 UTC",
        rrule: Some(SEED_STAGING_RULE),
        naming: r#"{"next_version": "patch"}"#,
        pipeline: &["dev", "staging"],
        patches: None,
    },
    DemoTrack {
        name: "hotfix",
        description: "whoever was paged; direct deploy, no soak",
        cadence_description: "On demand",
        rrule: None,
        naming: "{}",
        pipeline: &["staging"],
        patches: Some("staging"),
    },
];

/// Seed 001's environments (dev → stage → prod) and seed 003's staging,
/// which takes dev releases after a week's clean soak and is approved by
/// the demo's stage approvers. Staging comes last: a train on no track goes
/// through every environment in order, seed 001's way.
fn environments() -> [EnvironmentInput; 4] {
    let env = |name: &str, kind: &str, policy: Option<PolicyInput>| EnvironmentInput {
        name: name.into(),
        kind: kind.into(),
        policy,
        ..EnvironmentInput::default()
    };
    [
        env("dev", "development", None),
        env("stage", "pre-production", None),
        env("prod", "production", None),
        env(
            "staging",
            "pre-production",
            Some(PolicyInput {
                soak_hours: Some(7 * 24),
                approver_role: Some("approver:stage".into()),
                ..PolicyInput::default()
            }),
        ),
    ]
}

const SERVICES: [(&str, &str); 3] = [
    ("curve", "curve service: the base of the dependency graph"),
    ("backtesting", "backtesting service (depends on curve)"),
    (
        "scenario",
        "scenario service (depends on curve and backtesting)",
    ),
];

/// Seed 002's release sequence: curve, then backtesting, then scenario.
const DEPENDENCIES: [(&str, &str); 3] = [
    ("backtesting", "curve"),
    ("scenario", "curve"),
    ("scenario", "backtesting"),
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
    for input in environments() {
        let spec = input.parse().map_err(|e| {
            tracing::error!(field = %e.field, message = %e.message, "a demo environment is invalid");
            AppError::Internal
        })?;
        insert_environment(&mut tx, &actor, &spec, now).await?;
    }
    let mut slots = Vec::new();
    for (position, track) in TRACKS.iter().enumerate() {
        let cadence = Cadence::parse(track.rrule).map_err(|e| {
            tracing::error!(error = %e, "demo cadence is invalid");
            AppError::Internal
        })?;
        let naming_json: serde_json::Value =
            serde_json::from_str(track.naming).or_internal("a demo track's naming")?;
        let naming = crate::services::calendar::stored_naming(naming_json.clone())?;
        sqlx::query!(
            "INSERT INTO track (name, description, cadence_description, cadence_rrule, position, naming,
                                environments, direct, patches)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, (SELECT track_id FROM track WHERE name = $9))",
            track.name,
            track.description,
            track.cadence_description,
            track.rrule,
            position as i32,
            naming_json.clone(),
            &track.pipeline.iter().map(|e| e.to_string()).collect::<Vec<_>>(),
            track.patches.is_some(),
            track.patches
        )
        .execute(&mut *tx)
        .await?;
        let name = TrackName::parse(track.name).or_internal("a demo track name")?;
        let horizon = now + Duration::days(HORIZON_DAYS);
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

    for (name, description) in SERVICES {
        sqlx::query!(
            "INSERT INTO service (name, description) VALUES ($1, $2)",
            name,
            description
        )
        .execute(&mut *tx)
        .await?;
    }
    for (service, dependency) in DEPENDENCIES {
        sqlx::query!(
            "INSERT INTO service_dependency (service_id, depends_on_service_id)
             SELECT s.service_id, d.service_id FROM service s, service d WHERE s.name = $1 AND d.name = $2",
            service,
            dependency
        )
        .execute(&mut *tx)
        .await?;
    }
    // dev promotes to staging after a 7-day soak (seed 003).
    sqlx::query!(
        "UPDATE track SET promotes_to_track_id = (SELECT track_id FROM track WHERE name = 'staging'),
                          soak = interval '7 days'
         WHERE name = 'dev'"
    )
    .execute(&mut *tx)
    .await?;

    let tagged = assign_tags(&semver::Version::new(0, 5, 0), slots);
    let last = tagged.len().saturating_sub(1);
    for (i, (slot, tag)) in tagged.into_iter().enumerate() {
        let version = tag.version().to_string();
        let train = NewTrain {
            name: tag.to_string(),
            target_version: Some(version),
            participants: SERVICES
                .iter()
                .map(|(s, _)| ParticipantInput::Name((*s).to_owned()))
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
