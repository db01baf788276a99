//! What the calendar says of a train after it was cut: a failed train, a
//! postponement with its reason and category, and seed 004's hotfixes as
//! patch releases.

use super::{first_freeze, now, organisation, owner, tags_of, to, trains, Setup};
use app::domain::TrainState;
use app::services::scheduler::run_due;
use chrono::Duration;

#[tokio::test]
async fn a_failed_train_shows_failed_on_the_calendar() {
    let pool = organisation(Setup {
        tag: "v{version}-{track}.{n}",
        ..Setup::default()
    })
    .await;
    run_due(&pool, now()).await.unwrap();
    run_due(&pool, first_freeze()).await.unwrap();
    let name = "v1.4.0-weekly.1";
    to(
        &pool,
        name,
        TrainState::Failed,
        first_freeze() + Duration::hours(1),
    )
    .await;
    let planned = trains(&pool).await;
    assert_eq!(
        (planned[0].0.as_str(), planned[0].3.as_str()),
        (name, "failed")
    );
    // Not a candidate train: no candidate to cut, and a version change
    // after the cut tags nothing.
    assert_eq!(tags_of(&pool, name).await.len(), 1);
}

#[tokio::test]
async fn a_postponement_needs_a_reason_and_a_category_and_is_recorded() {
    let pool = organisation(Setup::default()).await;
    run_due(&pool, now()).await.unwrap();
    let name = "v1.5.0-rc1";
    let later = "2026-12-11T10:00";
    let err = app::services::calendar_edit::move_train(&pool, &owner(), name, later, "", "", now())
        .await
        .unwrap_err();
    assert!(
        matches!(&err, app::error::AppError::Unprocessable { field: Some(f), .. } if f == "reason"),
        "{err:?}"
    );
    let err = app::services::calendar_edit::move_train(
        &pool,
        &owner(),
        name,
        later,
        "chain ops re-roll the validator set",
        "",
        now(),
    )
    .await
    .unwrap_err();
    assert!(
        matches!(&err, app::error::AppError::Unprocessable { field: Some(f), .. } if f == "category"),
        "{err:?}"
    );
    app::services::calendar_edit::move_train(
        &pool,
        &owner(),
        name,
        later,
        "chain ops re-roll the validator set",
        "chain-ops conflict",
        now(),
    )
    .await
    .unwrap();
    let (status, reason, category): (String, String, String) =
        sqlx::query_as("SELECT status, status_reason, status_category FROM train WHERE name = $1")
            .bind(name)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(status, "postponed");
    assert_eq!(reason, "chain ops re-roll the validator set");
    assert_eq!(category, "chain-ops conflict");
    let after: serde_json::Value = sqlx::query_scalar(
        "SELECT after FROM audit_record WHERE action = 'calendar.move' ORDER BY audit_record_id DESC LIMIT 1",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(after["postponed"], "chain-ops conflict", "{after}");
    // The calendar shows it at its new time, as that train, with why.
    let entries = app::services::calendar_plan::calendar_entries(
        &pool,
        &owner(),
        now(),
        now(),
        now() + Duration::weeks(3),
    )
    .await
    .unwrap();
    let entry = entries
        .iter()
        .find(|e| e.train.as_deref() == Some(name))
        .unwrap_or_else(|| panic!("{name} is on the calendar: {entries:?}"));
    assert_eq!(entry.status, app::domain::CalendarStatus::Postponed);
    assert_eq!(entry.category.as_deref(), Some("chain-ops conflict"));
    assert_eq!(
        entry.reason.as_deref(),
        Some("chain ops re-roll the validator set")
    );
    assert!(entry.moved_from.is_some());
    // The slot stays taken: planning ahead adds no train in its place.
    assert!(run_due(&pool, now() + Duration::hours(1))
        .await
        .unwrap()
        .planned
        .is_empty());
    // Moved a little earlier within its slot, it is no longer postponed.
    app::services::calendar_edit::move_train(
        &pool,
        &owner(),
        name,
        "2026-12-10T12:00",
        "",
        "",
        now(),
    )
    .await
    .unwrap();
    let status: String = sqlx::query_scalar("SELECT status FROM train WHERE name = $1")
        .bind(name)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(status, "open");
}

/// Seed 004: every release train is a version (`v1.4.0`, `v1.5.0`), and a
/// hotfix is the next patch release of the one it branched from, never a
/// version another train already holds.
#[tokio::test]
async fn a_release_lane_records_a_hotfix_as_the_next_free_patch_release() {
    use app::domain::track_input::TrackInput;
    use app::services::actor::Actor;
    use app::services::calendar_edit::{record_hotfix, HotfixForm};
    let (_, _, pool) = crate::helpers::fresh_database().await;
    let admin = Actor::new("setup");
    let service = app::domain::service::ServiceInput {
        name: "exchange".into(),
        ..Default::default()
    };
    app::services::service_catalog::create_service(&pool, &admin, &service, now())
        .await
        .unwrap();
    let mut weekly = super::weekly(&Setup {
        tag: "v{version}",
        ..Setup::default()
    });
    weekly.naming.next_version = "minor".into();
    let lane = TrackInput {
        name: "hotfix".into(),
        patches: Some("weekly".into()),
        naming: app::domain::release_naming::NamingInput {
            tag: "v{version}".into(),
            ..Default::default()
        },
        ..TrackInput::default()
    };
    for track in [weekly, lane] {
        app::services::tracks::create_track(&pool, &admin, &track, now())
            .await
            .unwrap();
    }
    let ran = run_due(&pool, now()).await.unwrap();
    assert_eq!(ran.planned[..3], ["v1.4.0", "v1.5.0", "v1.6.0"]);
    run_due(&pool, first_freeze()).await.unwrap();
    let form = |at: &str| HotfixForm {
        track: "hotfix".into(),
        tag: String::new(),
        at: at.into(),
        on_call: "carl".into(),
        reason: "settlement rounding".into(),
    };
    let later = first_freeze() + Duration::days(1);
    let first = record_hotfix(&pool, &owner(), &form("2026-12-04T10:00"), later)
        .await
        .unwrap();
    assert_eq!(first, "v1.4.1");
    let second = record_hotfix(&pool, &owner(), &form("2026-12-04T12:00"), later)
        .await
        .unwrap();
    assert_eq!(second, "v1.4.2");
}
