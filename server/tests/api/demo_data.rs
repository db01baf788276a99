use crate::helpers::{evidence_dir, fresh_database, spawn_app};
use app::services::demo::load_if_empty;
use app::services::evidence::EvidenceStore;
use chrono::{TimeZone, Utc};
use server::config::{EvidenceSettings, StoreLocation};

/// A store in a directory of its own, kept while the guard lives.
pub fn test_store() -> (tempfile::TempDir, EvidenceStore) {
    let dir = evidence_dir();
    let settings = EvidenceSettings {
        store: StoreLocation::Directory(dir.path().to_owned()),
        max_bytes: 1 << 20,
    };
    let store = server::evidence_store::open(&settings).expect("a directory store");
    (dir, store)
}

#[tokio::test]
async fn the_demo_plans_the_seed_tracks_with_seed_style_tags() {
    let (_, _, pool) = fresh_database().await;
    let (_dir, store) = test_store();
    let now = Utc.with_ymd_and_hms(2026, 11, 21, 9, 0, 0).unwrap();
    assert!(load_if_empty(&pool, &store, now).await.unwrap());
    let rows: Vec<(String, String, String, Option<String>)> = sqlx::query_as(
        "SELECT k.name, t.tag, to_char(t.planned_start AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI'), t.on_call
         FROM train t JOIN track k USING (track_id) ORDER BY t.planned_start",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    let plan: Vec<(&str, &str, &str)> = rows
        .iter()
        .map(|(k, t, d, _)| (k.as_str(), t.as_str(), d.as_str()))
        .collect();
    assert_eq!(
        plan,
        [
            ("dev", "v0.5.0-dev.1", "2026-11-24 14:00"),
            ("staging", "v0.5.0-staging.1", "2026-11-25 14:00"),
            ("dev", "v0.5.1-dev.1", "2026-12-01 14:00"),
            ("dev", "v0.5.1-dev.2", "2026-12-08 14:00"),
            ("staging", "v0.5.1-staging.1", "2026-12-09 14:00"),
            ("dev", "v0.5.2-dev.1", "2026-12-15 14:00"),
            ("dev", "v0.5.2-dev.2", "2026-12-22 14:00"),
            ("staging", "v0.5.2-staging.1", "2026-12-23 14:00"),
            ("dev", "v0.5.3-dev.1", "2026-12-29 14:00"),
            ("staging", "v0.5.3-staging.1", "2027-01-06 14:00"),
        ]
    );
    assert!(rows[..9].iter().all(|r| r.3.is_some()));
    assert_eq!(
        rows[9].3, None,
        "the last train is left without on-call to show the skip rule"
    );
    let tracks: Vec<String> = sqlx::query_scalar("SELECT name FROM track ORDER BY position")
        .fetch_all(&pool)
        .await
        .unwrap();
    assert_eq!(tracks, ["dev", "staging", "hotfix"]);
    let services: Vec<String> = sqlx::query_scalar("SELECT name FROM service ORDER BY name")
        .fetch_all(&pool)
        .await
        .unwrap();
    assert_eq!(services, ["backtesting", "curve", "scenario"]);

    // The demo trains are trains of the model: participants in release order
    // and the standard gates; seed 002's train is there too.
    let participants: Vec<String> = sqlx::query_scalar(
        "SELECT s.name FROM participant p JOIN service s USING (service_id) JOIN train t USING (train_id)
         WHERE t.name = 'v0.5.0-dev.1' ORDER BY p.release_position",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(participants, ["curve", "backtesting", "scenario"]);
    let gates: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM gate_definition JOIN train USING (train_id) WHERE train.name = 'v0.5.0-dev.1'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(gates, 4);
    let seed_002: (String, Option<String>) =
        sqlx::query_as("SELECT state, target_version FROM train WHERE name = 'Q4-curve-upgrade'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(
        seed_002,
        (
            "planning".to_owned(),
            Some("curve-service:2.0.0".to_owned())
        )
    );
}

#[tokio::test]
async fn the_demo_loads_only_into_an_empty_database() {
    let (_, _, pool) = fresh_database().await;
    let (_dir, store) = test_store();
    assert!(load_if_empty(&pool, &store, Utc::now()).await.unwrap());
    assert!(!load_if_empty(&pool, &store, Utc::now()).await.unwrap());
    let tracks: i64 = sqlx::query_scalar("SELECT count(*) FROM track")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(tracks, 3);
}

#[tokio::test]
async fn trainyard_demo_0_starts_with_an_empty_calendar() {
    let app = spawn_app(&[("TRAINYARD_DEMO", "0")]).await;
    let trains: i64 = sqlx::query_scalar("SELECT count(*) FROM train")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(trains, 0);
    let html = app.page("/calendar").await;
    assert!(html.contains("No trains are planned for this selection."));
}
