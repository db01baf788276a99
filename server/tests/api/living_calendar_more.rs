//! The living calendar over time and over HTTP: hotfixes rolled forward,
//! a cadence changed under planned trains, two instances for a month, and
//! a captain's candidate through the API.

use super::{first_freeze, now, organisation, to, trains, Setup};
use app::domain::service::ServiceInput;
use app::domain::track_input::TrackInput;
use app::domain::TrainState;
use app::models::calendar::CadenceForm;
use app::models::train::{NewTrain, ParticipantInput};
use app::services::actor::Actor;
use app::services::scheduler::run_due;
use chrono::{Duration, Utc};
use sqlx::PgPool;

fn numbered() -> Setup {
    Setup {
        tag: "v{version}-{track}.{n}",
        ..Setup::default()
    }
}

#[tokio::test]
async fn a_completed_hotfix_is_the_baseline_of_the_next_train_of_the_track_it_patches() {
    let pool = organisation(numbered()).await;
    let admin = Actor::new("setup");
    let lane = TrackInput {
        name: "hotfix".into(),
        patches: Some("weekly".into()),
        ..TrackInput::default()
    };
    app::services::tracks::create_track(&pool, &admin, &lane, now())
        .await
        .unwrap();
    run_due(&pool, now()).await.unwrap();
    let hotfix = NewTrain {
        name: "v1.4.0-hotfix.1".into(),
        target_version: Some("1.4.0".into()),
        participants: vec![ParticipantInput::Detailed {
            service: "exchange".into(),
            target_version: Some("3.0.7".into()),
            previous_version: Some("3.0.6".into()),
        }],
        dependencies: vec![],
        gates: Some(vec![]),
        captain: Some("carl".into()),
        track: Some("hotfix".into()),
        tag: Some("v1.4.0-hotfix.1".into()),
        planned_start: Some(now()),
        on_call: Some("carl".into()),
    };
    app::services::trains::create_train(&pool, &admin, hotfix, now())
        .await
        .unwrap();
    let mut at = now() + Duration::minutes(1);
    for state in [
        TrainState::Validating,
        TrainState::Staging,
        TrainState::Executing,
        TrainState::Verifying,
        TrainState::Completed,
    ] {
        to(&pool, "v1.4.0-hotfix.1", state, at).await;
        at += Duration::minutes(1);
    }
    let next = "v1.4.0-weekly.1";
    let (baseline, previous): (String, Option<String>) = sqlx::query_as(
        "SELECT b.name, p.previous_version FROM train t
         JOIN train b ON b.train_id = t.baseline_train_id
         JOIN participant p ON p.train_id = t.train_id
         WHERE t.name = $1",
    )
    .bind(next)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(baseline, "v1.4.0-hotfix.1");
    assert_eq!(
        previous.as_deref(),
        Some("3.0.7"),
        "it starts from the hotfix"
    );
    let viewer = Actor::new("viewer");
    let entries = app::services::calendar_plan::calendar_entries(
        &pool,
        &viewer,
        now(),
        now() - Duration::days(1),
        now() + Duration::days(7),
    )
    .await
    .unwrap();
    let of = |name: &str| {
        entries
            .iter()
            .find(|e| e.train.as_deref() == Some(name))
            .unwrap_or_else(|| panic!("{name} is on the calendar: {entries:?}"))
    };
    assert_eq!(of(next).baseline.as_deref(), Some("v1.4.0-hotfix.1"));
    assert_eq!(of("v1.4.0-hotfix.1").rolled_into.as_deref(), Some(next));
    let status = app::services::trains::train_status(&pool, &viewer, next)
        .await
        .unwrap();
    assert_eq!(status.baseline.as_deref(), Some("v1.4.0-hotfix.1"));
}

#[tokio::test]
async fn a_new_cadence_moves_untouched_trains_and_leaves_the_one_a_person_edited() {
    let pool = organisation(numbered()).await;
    run_due(&pool, now()).await.unwrap();
    let owner = Actor::user(
        "olivia",
        None,
        app::domain::access::RoleSet::new([app::domain::access::Role::Owner]),
    );
    app::services::calendar_edit::assign_on_call(&pool, &owner, "v1.4.0-weekly.2", "dana", now())
        .await
        .unwrap();
    let fridays = CadenceForm {
        every: "1".into(),
        days: vec!["FR".into()],
        time: "18:00".into(),
        starts_on: "2026-11-06".into(),
        zone: String::new(),
    };
    app::services::calendar_edit::save_cadence(&pool, &owner, "weekly", &fridays, now())
        .await
        .unwrap();
    let ran = run_due(&pool, now() + Duration::minutes(1)).await.unwrap();
    assert_eq!(ran.planned.len(), 1, "{ran:?}");
    let planned = trains(&pool).await;
    let kept = planned.iter().find(|t| t.0 == "v1.4.0-weekly.2").unwrap();
    assert_eq!(
        kept.1.format("%a %d").to_string(),
        "Thu 10",
        "the edited train stays"
    );
    assert_eq!(kept.2.as_deref(), Some("dana"));
    let fridays_planned = planned
        .iter()
        .filter(|t| t.1.format("%a").to_string() == "Fri")
        .count();
    assert_eq!(fridays_planned, 6, "{planned:?}");
}

/// Every train's slot once, and every freeze point's cut once, with two
/// instances ticking every hour of a month over the same database.
#[tokio::test]
async fn two_instances_ticking_for_a_month_plan_each_slot_and_cut_each_train_once() {
    let pool = organisation(Setup::default()).await;
    let db: String = sqlx::query_scalar("SELECT current_database()")
        .fetch_one(&pool)
        .await
        .unwrap();
    let other = PgPool::connect(&crate::helpers::database_url(&db))
        .await
        .unwrap();
    let mut at = now();
    let end = now() + Duration::days(30);
    let (mut planned, mut cut) = (0, 0);
    while at < end {
        let (a, b) = tokio::join!(run_due(&pool, at), run_due(&other, at));
        for ran in [a.unwrap(), b.unwrap()] {
            planned += ran.planned.len();
            cut += ran.cut.len();
        }
        at += Duration::hours(1);
    }
    let slots: (i64, i64) =
        sqlx::query_as("SELECT count(*), count(DISTINCT slot) FROM train WHERE slot IS NOT NULL")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(slots.0, slots.1);
    assert_eq!(usize::try_from(slots.0).unwrap(), planned);
    // Thursdays 3, 10, 17 and 24 December froze within the month (the
    // 31st freezes at 16:00, after it).
    assert_eq!(cut, 4);
    let cuts: i64 =
        sqlx::query_scalar("SELECT count(*) FROM audit_record WHERE action = 'calendar.cut'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(cuts, 4);
    // Six weeks ahead of the month's end are planned.
    let last: chrono::DateTime<Utc> = sqlx::query_scalar("SELECT max(slot) FROM train")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert!(last > end + Duration::weeks(5), "{last}");
    let _ = first_freeze();
}

#[tokio::test]
async fn a_captain_cuts_the_next_candidate_through_the_api_after_authentication() {
    let app = crate::helpers::spawn_app(&[("TRAINYARD_DEMO", "0")]).await;
    let admin = Actor::new("setup");
    let service = ServiceInput {
        name: "exchange".into(),
        ..ServiceInput::default()
    };
    app::services::service_catalog::create_service(&app.pool, &admin, &service, Utc::now())
        .await
        .unwrap();
    let track = TrackInput {
        name: "weekly".into(),
        cadence: Some(CadenceForm {
            every: "1".into(),
            days: vec!["MO".into(), "TH".into()],
            time: "18:00".into(),
            starts_on: "2026-11-02".into(),
            zone: String::new(),
        }),
        naming: app::domain::release_naming::NamingInput {
            tag: "v{version}-rc{n}".into(),
            ..Default::default()
        },
        planning: app::domain::calendar::planning::PlanningInput {
            on_call: vec!["ana".into()],
            ..Default::default()
        },
        ..TrackInput::default()
    };
    app::services::tracks::create_track(&app.pool, &admin, &track, Utc::now())
        .await
        .unwrap();
    run_due(&app.pool, Utc::now()).await.unwrap();
    let first: (String, chrono::DateTime<Utc>) =
        sqlx::query_as("SELECT name, planned_start FROM train ORDER BY planned_start LIMIT 1")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    let ran = run_due(&app.pool, first.1).await.unwrap();
    assert_eq!(ran.cut, std::slice::from_ref(&first.0));

    let url = format!(
        "{}/api/v1/release-trains/{}/candidates",
        app.address, first.0
    );
    let anonymous = reqwest::Client::new()
        .post(&url)
        .json(&serde_json::json!({ "reason": "x" }))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), 401);
    let response = app
        .client
        .post(&url)
        .bearer_auth(app.bearer.clone().unwrap())
        .json(&serde_json::json!({ "reason": "exchange 3.2.1 fixes the rc1 crash" }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let status: serde_json::Value = response.json().await.unwrap();
    let tags: Vec<&str> = status["tags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["tag"].as_str().unwrap())
        .collect();
    assert_eq!(tags.len(), 2);
    assert!(tags[1].ends_with("-rc2"), "{tags:?}");
    assert_eq!(status["calendar_status"], "cut");
    assert!(status["release_branch"]
        .as_str()
        .unwrap()
        .starts_with("release/"));
    let empty = app
        .client
        .post(&url)
        .bearer_auth(app.bearer.clone().unwrap())
        .json(&serde_json::json!({ "reason": "" }))
        .send()
        .await
        .unwrap();
    assert_eq!(empty.status(), 422);
}

/// Planned trains name the track's participants, and a service retires
/// from the trains planned ahead without waiting for them.
#[tokio::test]
async fn a_track_plans_with_its_own_participants_and_a_service_retires_from_planned_trains() {
    let pool = organisation(numbered()).await;
    let admin = Actor::new("setup");
    for name in ["ledger", "pricing"] {
        let service = ServiceInput {
            name: name.into(),
            ..ServiceInput::default()
        };
        app::services::service_catalog::create_service(&pool, &admin, &service, now())
            .await
            .unwrap();
    }
    // The same settings, the cadence left as it is.
    let mut input = TrackInput {
        cadence: None,
        ..super::weekly(&numbered())
    };
    input.planning.participants = vec!["exchange".into(), "nowhere".into()];
    let refused = app::services::tracks::update_track(&pool, &admin, "weekly", &input, now())
        .await
        .unwrap_err();
    assert!(
        matches!(&refused, app::error::AppError::Unprocessable { field: Some(f), .. } if f == "planning.participants"),
        "{refused:?}"
    );
    input.planning.participants = vec!["exchange".into(), "ledger".into()];
    app::services::tracks::update_track(&pool, &admin, "weekly", &input, now())
        .await
        .unwrap();
    run_due(&pool, now()).await.unwrap();
    let participants: Vec<String> = sqlx::query_scalar(
        "SELECT s.name FROM participant p JOIN service s USING (service_id)
         JOIN train t USING (train_id) WHERE t.name = 'v1.4.0-weekly.1' ORDER BY s.name",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(participants, ["exchange", "ledger"]);

    app::services::service_catalog::retire_service(
        &pool,
        &admin,
        "ledger",
        "merged into exchange",
        now(),
    )
    .await
    .unwrap();
    let still: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM participant p JOIN service s USING (service_id) WHERE s.name = 'ledger'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(still, 0, "gone from the trains planned ahead");
}

/// A train made by hand under the name the next planned train would take
/// does not stop planning: the planned one takes its track into its name.
#[tokio::test]
async fn a_name_already_taken_by_another_train_gets_the_track_in_it() {
    let pool = organisation(numbered()).await;
    let admin = Actor::new("setup");
    let squatter = NewTrain {
        name: "v1.4.0-weekly.1".into(),
        target_version: None,
        participants: vec![ParticipantInput::Name("exchange".into())],
        dependencies: vec![],
        gates: Some(vec![]),
        captain: None,
        track: None,
        tag: None,
        planned_start: None,
        on_call: None,
    };
    app::services::trains::create_train(&pool, &admin, squatter, now())
        .await
        .unwrap();
    let ran = run_due(&pool, now()).await.unwrap();
    assert_eq!(ran.planned.len(), 6, "{ran:?}");
    assert_eq!(ran.planned[0], "v1.4.0-weekly.1-weekly");
    let tag: String =
        sqlx::query_scalar("SELECT tag FROM train WHERE name = 'v1.4.0-weekly.1-weekly'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(tag, "v1.4.0-weekly.1");
}
