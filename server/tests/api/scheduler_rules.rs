//! The scheduler with the clock in the test's hands: the skip rule at a
//! train's cut time, once however many instances run it, and the audit
//! chain's lock taken only when something is due.

use crate::calendar_rules::demo;
use app::services::scheduler::run_due;
use chrono::{DateTime, Duration, Utc};
use sqlx::PgPool;

/// The demo's last planned train with nobody on call, and its cut time.
async fn last_unwatched_train(pool: &PgPool) -> (String, DateTime<Utc>) {
    sqlx::query_as(
        "SELECT name, planned_start FROM train WHERE on_call IS NULL AND track_id IS NOT NULL
         ORDER BY planned_start DESC LIMIT 1",
    )
    .fetch_one(pool)
    .await
    .unwrap()
}

#[tokio::test]
async fn the_scheduler_skips_an_unwatched_train_at_its_cut_time_once_even_when_two_instances_run_it(
) {
    let pool = demo().await;
    let last = last_unwatched_train(&pool).await;
    let before = last.1 - Duration::minutes(1);
    let early = run_due(&pool, before).await.unwrap();
    assert!(early.skipped.is_empty(), "not yet: {early:?}");

    let at_cut = last.1 + Duration::seconds(1);
    let (a, b) = tokio::join!(run_due(&pool, at_cut), run_due(&pool, at_cut));
    let skipped: Vec<String> = [a.unwrap(), b.unwrap()]
        .into_iter()
        .flat_map(|r| r.skipped)
        .collect();
    // Every earlier train has an on-call and stays open for its cut.
    assert_eq!(skipped, std::slice::from_ref(&last.0));
    let (status, reason): (String, Option<String>) =
        sqlx::query_as("SELECT status, status_reason FROM train WHERE name = $1")
            .bind(&last.0)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(status, "skipped");
    assert_eq!(
        reason.as_deref(),
        Some(app::domain::calendar::SKIPPED_WITHOUT_ON_CALL)
    );
    let again = run_due(&pool, at_cut + Duration::days(1)).await.unwrap();
    assert!(
        again.skipped.is_empty(),
        "a decided train is not decided again"
    );
    let audited: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM audit_record WHERE action = 'calendar.skip' AND actor = 'scheduler'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(audited, 1);
}

#[tokio::test]
async fn the_scheduler_waits_for_the_audit_chain_only_when_something_is_due() {
    let pool = demo().await;
    let last = last_unwatched_train(&pool).await;
    let before = last.1 - Duration::minutes(1);
    // Whatever the demo has due by then is done first.
    run_due(&pool, before).await.unwrap();

    // A writer holds the chain's lock, as every change does until it commits.
    let mut writer = pool.begin().await.unwrap();
    app::services::audit::take_chain_lock(&mut writer)
        .await
        .unwrap();
    let quiet = tokio::time::timeout(std::time::Duration::from_secs(10), run_due(&pool, before))
        .await
        .expect("a tick with nothing due does not wait for writers")
        .unwrap();
    assert!(quiet.acted, "{quiet:?}");
    assert!(
        quiet.skipped.is_empty() && quiet.promoted.is_empty(),
        "{quiet:?}"
    );

    let at_cut = last.1 + Duration::seconds(1);
    let due = tokio::spawn({
        let pool = pool.clone();
        async move { run_due(&pool, at_cut).await }
    });
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert!(
        !due.is_finished(),
        "a tick with a train to skip appends to the chain, so it waits for the writer"
    );
    writer.commit().await.unwrap();
    let ran = due.await.unwrap().unwrap();
    assert_eq!(ran.skipped, vec![last.0]);
}

/// A track may cut its trains with nobody on call: the skip rule leaves
/// them, and the calendar stops warning about them.
#[tokio::test]
async fn a_track_that_runs_unwatched_trains_keeps_them_at_their_cut() {
    use app::domain::track_input::TrackInput;
    use app::services::actor::Actor;
    let pool = demo().await;
    let (train, cut) = last_unwatched_train(&pool).await;
    let track: String = sqlx::query_scalar(
        "SELECT k.name FROM train t JOIN track k USING (track_id) WHERE t.name = $1",
    )
    .bind(&train)
    .fetch_one(&pool)
    .await
    .unwrap();
    let admin = Actor::new("setup");
    let now = cut - Duration::hours(1);
    let before = app::services::calendar::list_tracks(&pool, &admin)
        .await
        .unwrap()
        .into_iter()
        .find(|t| t.name == track)
        .unwrap();
    assert!(!before.runs_without_on_call);
    let view = app::services::calendar::calendar_view(&pool, &admin, now, 200)
        .await
        .unwrap();
    let row = |v: &app::models::CalendarView| {
        v.trains
            .iter()
            .find(|r| r.tag == train)
            .map(|r| r.warning.clone())
            .unwrap()
    };
    assert!(row(&view).is_some(), "warned while the rule applies");
    let input = TrackInput {
        name: track.clone(),
        description: before.description,
        freeze_offset_minutes: before.freeze_offset_minutes,
        soak_hours: before.soak_hours,
        rollback_timeout_minutes: Some(before.rollback_timeout_minutes),
        promotes_to: before.promotes_to,
        pipeline: before.pipeline.unwrap_or_default(),
        direct: before.direct,
        direct_approvals: u8::try_from(before.direct_approvals).unwrap(),
        patches: before.patches,
        gate_template: before.gate_template,
        naming: before.naming,
        planning: before.planning,
        runs_without_on_call: true,
        colour: before.colour_chosen.then_some(before.colour),
        cadence: None,
    };
    let after = app::services::tracks::update_track(&pool, &admin, &track, &input, now)
        .await
        .unwrap();
    assert!(after.runs_without_on_call);
    let view = app::services::calendar::calendar_view(&pool, &admin, now, 200)
        .await
        .unwrap();
    assert_eq!(
        row(&view),
        None,
        "no warning for a track that runs unwatched trains"
    );
    let ran = run_due(&pool, cut + Duration::seconds(1)).await.unwrap();
    assert!(!ran.skipped.contains(&train), "{ran:?}");
    assert!(ran.cut.contains(&train), "cut with nobody on call: {ran:?}");
    let status: String = sqlx::query_scalar("SELECT status FROM train WHERE name = $1")
        .bind(&train)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(status, "cut");
}
