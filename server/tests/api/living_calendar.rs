//! The living calendar through the service layer, with the scheduler's
//! clock in the test's hands: trains planned ahead on an empty install,
//! cut at the freeze point (or skipped with the reason), release
//! candidates to GA, hotfixes rolled forward, postponements.

use crate::helpers::fresh_database;
use app::domain::access::{Role, RoleSet};
use app::domain::calendar::planning::PlanningInput;
use app::domain::release_naming::NamingInput;
use app::domain::service::ServiceInput;
use app::domain::track_input::TrackInput;
use app::domain::TrainState;
use app::models::calendar::CadenceForm;
use app::models::train::TrainUpdate;
use app::services::actor::Actor;
use app::services::scheduler::run_due;
use chrono::{DateTime, Duration, TimeZone, Utc};
use sqlx::PgPool;

/// A Tuesday morning; the weekly train is cut on Thursdays at 18:00 UTC,
/// its code freezing two hours before.
pub(crate) fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 1, 9, 0, 0).unwrap()
}

fn first_cut() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 3, 18, 0, 0).unwrap()
}

pub(crate) fn first_freeze() -> DateTime<Utc> {
    first_cut() - Duration::hours(2)
}

pub(crate) fn owner() -> Actor {
    Actor::user("olivia", None, RoleSet::new([Role::Owner]))
}

/// How one test's organisation plans its weekly track.
pub(crate) struct Setup {
    pub rotation: &'static [&'static str],
    pub tag: &'static str,
    pub only_with_changes: bool,
}

impl Default for Setup {
    fn default() -> Self {
        Self {
            rotation: &["ana", "ben"],
            tag: "v{version}-rc{n}",
            only_with_changes: false,
        }
    }
}

pub(crate) fn weekly(setup: &Setup) -> TrackInput {
    TrackInput {
        name: "weekly".into(),
        cadence: Some(CadenceForm {
            every: "1".into(),
            days: vec!["TH".into()],
            time: "18:00".into(),
            starts_on: "2026-11-05".into(),
            zone: String::new(),
        }),
        freeze_offset_minutes: 120,
        naming: NamingInput {
            tag: setup.tag.into(),
            ..NamingInput::default()
        },
        planning: PlanningInput {
            on_call: setup.rotation.iter().map(|s| (*s).to_owned()).collect(),
            first_version: "1.4.0".into(),
            only_with_changes: setup.only_with_changes,
            ..PlanningInput::default()
        },
        ..TrackInput::default()
    }
}

/// An empty install with one service and the weekly track, nothing planned.
pub(crate) async fn organisation(setup: Setup) -> PgPool {
    let (_, _, pool) = fresh_database().await;
    let admin = Actor::new("setup");
    let service = ServiceInput {
        name: "exchange".into(),
        ..ServiceInput::default()
    };
    app::services::service_catalog::create_service(&pool, &admin, &service, now())
        .await
        .unwrap();
    app::services::tracks::create_track(&pool, &admin, &weekly(&setup), now())
        .await
        .unwrap();
    pool
}

/// `(name, planned start, on-call, status, state)` of every train, in time order.
pub(crate) async fn trains(
    pool: &PgPool,
) -> Vec<(String, DateTime<Utc>, Option<String>, String, String)> {
    sqlx::query_as(
        "SELECT name, planned_start, on_call, status, state FROM train ORDER BY planned_start, name",
    )
    .fetch_all(pool)
    .await
    .unwrap()
}

pub(crate) async fn tags_of(pool: &PgPool, train: &str) -> Vec<(String, String)> {
    sqlx::query_as(
        "SELECT g.tag, g.kind FROM train_tag g JOIN train t USING (train_id)
         WHERE t.name = $1 ORDER BY g.train_tag_id",
    )
    .bind(train)
    .fetch_all(pool)
    .await
    .unwrap()
}

async fn audited(pool: &PgPool, action: &str) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM audit_record WHERE action = $1")
        .bind(action)
        .fetch_one(pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn an_empty_install_plans_six_weeks_ahead_in_its_rotation_and_naming_once() {
    let pool = organisation(Setup::default()).await;
    let ran = run_due(&pool, now()).await.unwrap();
    assert_eq!(
        ran.planned,
        [
            "v1.4.0-rc1",
            "v1.5.0-rc1",
            "v1.6.0-rc1",
            "v1.7.0-rc1",
            "v1.8.0-rc1",
            "v1.9.0-rc1"
        ]
    );
    let planned = trains(&pool).await;
    let on_call: Vec<_> = planned.iter().map(|t| t.2.clone().unwrap()).collect();
    assert_eq!(on_call, ["ana", "ben", "ana", "ben", "ana", "ben"]);
    assert_eq!(planned[0].1, first_cut());
    assert!(planned.iter().all(|t| t.3 == "open" && t.4 == "planning"));

    // A restart, a second instance, a later tick before anything is due.
    for at in [
        now(),
        now() + Duration::minutes(1),
        now() + Duration::hours(2),
    ] {
        assert!(run_due(&pool, at).await.unwrap().planned.is_empty());
    }
    assert_eq!(trains(&pool).await.len(), 6);
    assert_eq!(audited(&pool, "train.create").await, 6);
    // The database refuses a second train in a slot however it comes.
    let twice = sqlx::query(
        "INSERT INTO train (name, track_id, tag, planned_start, slot)
         SELECT 'again', track_id, 'v9.9.9-rc1', slot, slot FROM train WHERE name = 'v1.4.0-rc1'",
    )
    .execute(&pool)
    .await
    .unwrap_err();
    assert!(
        twice.to_string().contains("train_track_slot_key"),
        "{twice}"
    );
}

#[tokio::test]
async fn at_the_freeze_point_a_watched_train_is_cut_on_its_release_branch() {
    let pool = organisation(Setup::default()).await;
    run_due(&pool, now()).await.unwrap();
    let early = run_due(&pool, first_freeze() - Duration::seconds(1))
        .await
        .unwrap();
    assert!(early.cut.is_empty(), "{early:?}");

    let at = first_freeze() + Duration::seconds(1);
    let (a, b) = tokio::join!(run_due(&pool, at), run_due(&pool, at));
    let cut: Vec<String> = [a.unwrap(), b.unwrap()]
        .into_iter()
        .flat_map(|r| r.cut)
        .collect();
    assert_eq!(cut, ["v1.4.0-rc1"], "cut once, by one instance");
    let (status, state, branch, id): (String, String, String, String) = sqlx::query_as(
        "SELECT status, state, release_branch, release_id FROM train WHERE name = 'v1.4.0-rc1'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!((status.as_str(), state.as_str()), ("cut", "validating"));
    assert_eq!(
        (branch.as_str(), id.as_str()),
        ("release/2026.12-wk1", "2026.12-wk1")
    );
    assert_eq!(
        tags_of(&pool, "v1.4.0-rc1").await,
        [("v1.4.0-rc1".to_owned(), "cut".to_owned())]
    );
    assert_eq!(audited(&pool, "calendar.cut").await, 1);
    // At the cut time the six weeks reach one slot further: one more
    // train, the rotation's next turn.
    let rolled = run_due(&pool, first_cut()).await.unwrap();
    assert_eq!(rolled.planned, ["v1.10.0-rc1"]);
    let planned = trains(&pool).await;
    assert_eq!(planned.len(), 7);
    assert_eq!(planned[6].2.as_deref(), Some("ana"));

    let again = run_due(&pool, at + Duration::days(1)).await.unwrap();
    assert!(
        again.cut.is_empty() && again.skipped.is_empty(),
        "{again:?}"
    );
}

#[tokio::test]
async fn nobody_on_call_or_nothing_new_skips_the_train_at_its_freeze_point() {
    let pool = organisation(Setup {
        rotation: &[],
        ..Setup::default()
    })
    .await;
    run_due(&pool, now()).await.unwrap();
    let ran = run_due(&pool, first_freeze()).await.unwrap();
    assert_eq!(ran.skipped, ["v1.4.0-rc1"]);
    let reason: String =
        sqlx::query_scalar("SELECT status_reason FROM train WHERE name = 'v1.4.0-rc1'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(reason, app::domain::calendar::SKIPPED_WITHOUT_ON_CALL);

    let pool = organisation(Setup {
        only_with_changes: true,
        ..Setup::default()
    })
    .await;
    run_due(&pool, now()).await.unwrap();
    // The first train carries a version (CI reported it); it is cut.
    app::services::trains::set_participant_version(
        &pool,
        &Actor::new("ci"),
        "v1.4.0-rc1",
        "exchange",
        "3.1.0",
        now(),
    )
    .await
    .unwrap();
    assert_eq!(
        run_due(&pool, first_freeze()).await.unwrap().cut,
        ["v1.4.0-rc1"]
    );
    // The next reports the same version: nothing new, skipped.
    app::services::trains::set_participant_version(
        &pool,
        &Actor::new("ci"),
        "v1.5.0-rc1",
        "exchange",
        "3.1.0",
        now(),
    )
    .await
    .unwrap();
    let week = Duration::weeks(1);
    let ran = run_due(&pool, first_freeze() + week).await.unwrap();
    assert_eq!(ran.skipped, ["v1.5.0-rc1"], "{ran:?}");
    let reason: String =
        sqlx::query_scalar("SELECT status_reason FROM train WHERE name = 'v1.5.0-rc1'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(reason, app::domain::calendar::cut::SKIPPED_WITHOUT_CHANGES);
}

pub(crate) async fn to(pool: &PgPool, train: &str, state: TrainState, at: DateTime<Utc>) {
    let update = TrainUpdate {
        status: Some(state),
        reason: Some("the test moves it on".into()),
        ..TrainUpdate::default()
    };
    app::services::trains::update_train(pool, &Actor::new("captain"), train, update, at)
        .await
        .unwrap_or_else(|e| panic!("{train} to {state}: {e:?}"));
}

#[tokio::test]
async fn a_candidate_train_counts_rc1_rc2_rc3_and_completion_tags_general_availability() {
    let pool = organisation(Setup::default()).await;
    run_due(&pool, now()).await.unwrap();
    let name = "v1.4.0-rc1";
    app::services::trains::set_train_gates(&pool, &Actor::new("setup"), name, &[], None, now())
        .await
        .unwrap();
    run_due(&pool, first_freeze()).await.unwrap();
    let later = first_freeze() + Duration::minutes(10);
    // A participant's version changes after the cut: the next candidate.
    app::services::trains::set_participant_version(
        &pool,
        &Actor::new("ci"),
        name,
        "exchange",
        "3.1.1",
        later,
    )
    .await
    .unwrap();
    // A captain cuts one by hand, with a reason.
    let status = app::services::trains::cut_candidate(
        &pool,
        &Actor::new("captain"),
        name,
        "rebuilt with the fixed toolchain",
        later + Duration::minutes(5),
    )
    .await
    .unwrap();
    let tags: Vec<_> = status.tags.iter().map(|t| t.tag.as_str()).collect();
    assert_eq!(tags, ["v1.4.0-rc1", "v1.4.0-rc2", "v1.4.0-rc3"]);
    assert_eq!(status.tags[1].versions["exchange"], "3.1.1");
    assert_eq!(
        status.tags[2].reason.as_deref(),
        Some("rebuilt with the fixed toolchain")
    );
    assert_eq!(
        status.release_branch.as_deref(),
        Some("release/2026.12-wk1")
    );
    let refused =
        app::services::trains::cut_candidate(&pool, &Actor::new("captain"), name, "  ", later)
            .await
            .unwrap_err();
    assert!(
        matches!(refused, app::error::AppError::Unprocessable { .. }),
        "{refused:?}"
    );

    let mut at = later + Duration::hours(1);
    for state in [
        TrainState::Staging,
        TrainState::Executing,
        TrainState::Verifying,
        TrainState::Completed,
    ] {
        to(&pool, name, state, at).await;
        at += Duration::minutes(1);
    }
    let tagged = tags_of(&pool, name).await;
    assert_eq!(
        tagged.last().unwrap(),
        &("v1.4.0".to_owned(), "general_availability".to_owned())
    );
    let status: String = sqlx::query_scalar("SELECT status FROM train WHERE name = $1")
        .bind(name)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(status, "done");
    let after =
        app::services::trains::cut_candidate(&pool, &Actor::new("captain"), name, "late", at)
            .await
            .unwrap_err();
    assert!(
        matches!(after, app::error::AppError::Conflict(_)),
        "{after:?}"
    );
}

#[path = "living_calendar_more.rs"]
mod more;
#[path = "living_calendar_statuses.rs"]
mod statuses;
