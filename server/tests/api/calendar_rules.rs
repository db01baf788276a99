//! The calendar's rules through the service layer, with the clock in the
//! test's hands: freezes, hotfixes after the fact, cadence changes and time
//! zones (the skip rule at cut time is in `scheduler_rules.rs`).

use crate::helpers::fresh_database;
use app::domain::access::{Role, RoleSet};
use app::domain::CalendarStatus;
use app::models::calendar::CadenceForm;
use app::services::actor::Actor;
use app::services::calendar_edit::{self as edit, FreezeForm, HotfixForm};
use app::services::calendar_plan::calendar_entries;
use chrono::{DateTime, Duration, TimeZone, Utc};
use sqlx::PgPool;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 21, 9, 0, 0).unwrap()
}

fn owner() -> Actor {
    Actor::user(
        "olivia",
        Some("Olivia Owner".into()),
        RoleSet::new([Role::Owner]),
    )
}

pub(crate) async fn demo() -> PgPool {
    let (_, _, pool) = fresh_database().await;
    // The demo's evidence blobs are not read here; their directory goes.
    let (_dir, store) = crate::demo_data::test_store();
    app::services::demo::load_if_empty(&pool, &store, now())
        .await
        .unwrap();
    pool
}

fn freeze(from: DateTime<Utc>, to: DateTime<Utc>, tracks: &[&str], effect: &str) -> FreezeForm {
    FreezeForm {
        starts_at: from.to_rfc3339(),
        ends_at: to.to_rfc3339(),
        reason: "mtest-val-01 re-roll".into(),
        tracks: tracks.iter().map(|t| (*t).to_owned()).collect(),
        effect: effect.into(),
    }
}

async fn entry_status(pool: &PgPool, tag: &str) -> (CalendarStatus, DateTime<Utc>, Option<String>) {
    let entries = calendar_entries(
        pool,
        &Actor::new("test"),
        now(),
        now(),
        now() + Duration::weeks(8),
    )
    .await
    .unwrap();
    let e = entries
        .iter()
        .find(|e| e.tag.as_deref() == Some(tag))
        .unwrap_or_else(|| panic!("{tag} in {entries:?}"));
    (e.status, e.at, e.reason.clone())
}

#[tokio::test]
async fn a_freeze_blocks_or_moves_the_trains_inside_it_until_it_is_removed() {
    let pool = demo().await;
    let dev1 = Utc.with_ymd_and_hms(2026, 11, 24, 14, 0, 0).unwrap();
    let id = edit::save_freeze(
        &pool,
        &owner(),
        None,
        &freeze(
            dev1 - Duration::hours(1),
            dev1 + Duration::hours(1),
            &["dev"],
            "block",
        ),
        now(),
    )
    .await
    .unwrap();
    let (status, _, reason) = entry_status(&pool, "v0.5.0-dev.1").await;
    assert_eq!(status, CalendarStatus::Skipped);
    assert!(reason.unwrap().contains("mtest-val-01 re-roll"));
    assert_eq!(
        entry_status(&pool, "v0.5.0-staging.1").await.0,
        CalendarStatus::Open,
        "staging is not frozen"
    );

    edit::save_freeze(
        &pool,
        &owner(),
        Some(id),
        &freeze(
            dev1 - Duration::hours(1),
            dev1 + Duration::hours(3),
            &["dev"],
            "move",
        ),
        now(),
    )
    .await
    .unwrap();
    let (status, at, _) = entry_status(&pool, "v0.5.0-dev.1").await;
    assert_eq!(
        (status, at),
        (CalendarStatus::Open, dev1 + Duration::hours(3))
    );

    edit::delete_freeze(&pool, &owner(), id, now())
        .await
        .unwrap();
    assert_eq!(entry_status(&pool, "v0.5.0-dev.1").await.1, dev1);
    let trail: Vec<String> = sqlx::query_scalar(&format!(
        "SELECT action FROM audit_record WHERE resource = 'freeze:{id}' ORDER BY audit_record_id"
    ))
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(trail, ["freeze.create", "freeze.update", "freeze.delete"]);
}

#[tokio::test]
async fn a_hotfix_recorded_after_the_fact_takes_the_next_hotfix_tag_off_staging() {
    let pool = demo().await;
    let form = |tag: &str, at: DateTime<Utc>| HotfixForm {
        track: "hotfix".into(),
        tag: tag.into(),
        at: at.to_rfc3339(),
        on_call: "@ben".into(),
        reason: "curve returned stale quotes".into(),
    };
    let later = now() + Duration::days(5);
    let first = edit::record_hotfix(&pool, &owner(), &form("", later), later)
        .await
        .unwrap();
    assert_eq!(
        first, "v0.5.0-hotfix.1",
        "off v0.5.0-staging.1, the staging release before it"
    );
    let second = edit::record_hotfix(&pool, &owner(), &form("", later), later)
        .await
        .unwrap();
    assert_eq!(second, "v0.5.0-hotfix.2");
    let row: (String, String, String, Option<String>) = sqlx::query_as(
        "SELECT status, state, on_call, status_reason FROM train WHERE name = 'v0.5.0-hotfix.1'",
    )
    .fetch_one(&pool)
    .await
    .map(|r: (String, String, Option<String>, Option<String>)| (r.0, r.1, r.2.unwrap(), r.3))
    .unwrap();
    assert_eq!(
        row,
        (
            "done".into(),
            "completed".into(),
            "ben".into(),
            Some("curve returned stale quotes".into())
        )
    );

    let refused = edit::record_hotfix(&pool, &owner(), &form("v0.5.0-hotfix.1", later), later)
        .await
        .unwrap_err();
    assert!(refused.to_string().contains("already exists"), "{refused}");
    let future = edit::record_hotfix(
        &pool,
        &owner(),
        &form("v0.5.0-hotfix.9", later + Duration::hours(1)),
        later,
    )
    .await
    .unwrap_err();
    assert!(future.to_string().contains("after the fact"), "{future}");
    let on_cadence = HotfixForm {
        track: "dev".into(),
        ..form("v0.5.0-dev.9", later)
    };
    let refused = edit::record_hotfix(&pool, &owner(), &on_cadence, later)
        .await
        .unwrap_err();
    assert!(refused.to_string().contains("on-demand track"), "{refused}");
}

#[tokio::test]
async fn a_new_cadence_is_previewed_then_saved_and_moves_the_planned_trains_onto_its_slots() {
    let pool = demo().await;
    let proposal = CadenceForm {
        every: "1".into(),
        days: vec!["WE".into()],
        time: "09:30".into(),
        starts_on: "2026-05-13".into(),
        zone: String::new(),
    };
    let view = edit::cadence_view(&pool, &owner(), "dev", Some(proposal.clone()), now())
        .await
        .unwrap();
    assert_eq!(
        view.proposal.as_ref().unwrap().describe(),
        "Weekly, Wednesday 09:30 UTC"
    );
    let dates: Vec<String> = view
        .preview
        .iter()
        .map(|d| d.format("%a %d %b %H:%M").to_string())
        .collect();
    assert_eq!(dates[..2], ["Wed 25 Nov 09:30", "Wed 02 Dec 09:30"]);
    assert_eq!(view.moves[0].0, "v0.5.0-dev.1");
    let unchanged: String =
        sqlx::query_scalar("SELECT cadence_description FROM track WHERE name = 'dev'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(
        unchanged, "Weekly, Tuesday 14:00 UTC",
        "a preview saves nothing"
    );

    edit::save_cadence(&pool, &owner(), "dev", &proposal, now())
        .await
        .unwrap();
    let (status, at, _) = entry_status(&pool, "v0.5.0-dev.1").await;
    assert_eq!(
        (status, at),
        (
            CalendarStatus::Open,
            Utc.with_ymd_and_hms(2026, 11, 25, 9, 30, 0).unwrap()
        )
    );
    let entries = calendar_entries(
        &pool,
        &Actor::new("test"),
        now(),
        now(),
        now() + Duration::weeks(4),
    )
    .await
    .unwrap();
    assert!(
        entries
            .iter()
            .filter(|e| e.track == "dev")
            .all(|e| e.at.format("%a %H:%M").to_string() == "Wed 09:30"),
        "no train is left on the old Tuesday slots: {entries:?}"
    );
    let bad = CadenceForm {
        days: vec![],
        ..proposal
    };
    let err = edit::save_cadence(&pool, &owner(), "dev", &bad, now())
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("pick at least one weekday"),
        "{err}"
    );
}

#[tokio::test]
async fn a_cadence_in_a_time_zone_is_stored_with_it_and_plans_in_local_time() {
    let pool = demo().await;
    let berlin = CadenceForm {
        every: "1".into(),
        days: vec!["TU".into()],
        time: "17:00".into(),
        starts_on: "2026-10-13".into(),
        zone: "Europe/Berlin".into(),
    };
    edit::save_cadence(&pool, &owner(), "dev", &berlin, now())
        .await
        .unwrap();
    let (rule, description): (String, String) =
        sqlx::query_as("SELECT cadence_rrule, cadence_description FROM track WHERE name = 'dev'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert!(
        rule.starts_with("DTSTART;TZID=Europe/Berlin:20261013T170000\n"),
        "{rule}"
    );
    assert_eq!(description, "Weekly, Tuesday 17:00 Europe/Berlin");
    let span = (now(), now() + Duration::weeks(3));
    let entries = calendar_entries(&pool, &Actor::new("test"), now(), span.0, span.1)
        .await
        .unwrap();
    let dev: Vec<String> = entries
        .iter()
        .filter(|e| e.track == "dev")
        .map(|e| e.at.format("%a %H:%M").to_string())
        .collect();
    // Winter time: 17:00 in Berlin is 16:00 UTC.
    assert_eq!(dev, ["Tue 16:00"; 3]);

    let mars = CadenceForm {
        zone: "Mars/Olympus".into(),
        ..berlin
    };
    let err = edit::save_cadence(&pool, &owner(), "dev", &mars, now())
        .await
        .unwrap_err();
    assert!(
        matches!(&err, app::error::AppError::Unprocessable { field: Some(f), .. } if f == "zone"),
        "{err:?}"
    );
}

/// Seed 000's weekly train tags release candidates; its hotfix lane numbers
/// its patches with a word of its own, off whichever candidate or GA tag
/// ran last.
#[tokio::test]
async fn a_hotfix_lane_tags_by_its_own_template_off_a_release_candidate() {
    use app::domain::release_naming::NamingInput;
    use app::domain::service::ServiceInput;
    use app::domain::track_input::TrackInput;
    use app::models::train::{NewTrain, ParticipantInput};
    let (_, _, pool) = fresh_database().await;
    let admin = Actor::new("setup");
    let service = ServiceInput {
        name: "exchange".into(),
        ..ServiceInput::default()
    };
    app::services::service_catalog::create_service(&pool, &admin, &service, now())
        .await
        .unwrap();
    let naming = |tag: &str| NamingInput {
        tag: tag.into(),
        ..NamingInput::default()
    };
    for track in [
        TrackInput {
            name: "weekly".into(),
            naming: naming("v{version}-rc{n}"),
            ..TrackInput::default()
        },
        TrackInput {
            name: "hotfix".into(),
            patches: Some("weekly".into()),
            naming: naming("v{version}-fix.{n}"),
            ..TrackInput::default()
        },
    ] {
        app::services::tracks::create_track(&pool, &admin, &track, now())
            .await
            .unwrap();
    }
    let candidate = NewTrain {
        name: "v1.4.0-rc2".into(),
        target_version: Some("1.4.0".into()),
        participants: vec![ParticipantInput::Name("exchange".into())],
        dependencies: vec![],
        gates: None,
        captain: None,
        track: Some("weekly".into()),
        tag: Some("v1.4.0-rc2".into()),
        planned_start: Some(now() - Duration::days(1)),
        on_call: None,
    };
    app::services::trains::create_train(&pool, &admin, candidate, now())
        .await
        .unwrap();
    let form = HotfixForm {
        track: "hotfix".into(),
        tag: String::new(),
        at: now().to_rfc3339(),
        on_call: "@ben".into(),
        reason: "the exchange dropped orders".into(),
    };
    let first = edit::record_hotfix(&pool, &owner(), &form, now())
        .await
        .unwrap();
    assert_eq!(first, "v1.4.0-fix.1");
    let second = edit::record_hotfix(&pool, &owner(), &form, now())
        .await
        .unwrap();
    assert_eq!(second, "v1.4.0-fix.2");
}
