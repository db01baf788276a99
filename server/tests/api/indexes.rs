//! The long lists read through their indexes: with a history the size of
//! years (thousands of trains, hundreds of thousands of audit records), a
//! page of `/trains`, `/audit` and `/evidence` is an index range, never a
//! scan and sort of the whole table; the metrics of a window read only that
//! window's deployments and postponements. Postgres' own statistics say
//! which indexes a request used.

use crate::helpers::TestApp;
use crate::oidc::{sign_in, spawn_app_with_sign_in};
use std::time::{Duration, Instant};

async fn scans(app: &TestApp, index: &str) -> i64 {
    sqlx::query_scalar::<_, i64>(
        "SELECT coalesce(sum(idx_scan), 0)::bigint FROM pg_stat_user_indexes WHERE indexrelname = $1",
    )
    .bind(index)
    .fetch_one(&app.pool)
    .await
    .expect("index statistics")
}

/// Waits until Postgres has counted a scan of `index` since `before`. A
/// backend reports its statistics when a transaction ends at least a second
/// after its last report: the server's only connection is made to end one.
async fn scanned(app: &TestApp, index: &str, before: i64) -> bool {
    let deadline = Instant::now() + Duration::from_secs(15);
    while Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(1100)).await;
        let _ = app.get("/readyz").await;
        if scans(app, index).await > before {
            return true;
        }
    }
    false
}

#[tokio::test]
async fn a_page_of_trains_audit_records_or_bundles_is_an_index_range_over_years_of_history() {
    let app = spawn_app_with_sign_in(&[
        ("TRAINYARD_SCHEDULER_TICK", "1h"),
        ("TRAINYARD_DB_MAX_CONNECTIONS", "1"),
    ])
    .await;
    // Years of history, written behind the application's back (the chain of
    // these records is not the point here; their number is).
    for sql in [
        "INSERT INTO train (name, state, planned_start, target_version, evidence_changed_at)
         SELECT 'history-' || i, 'completed', now() - i * interval '1 day', '1.0.' || i,
                now() - i * interval '1 day'
         FROM generate_series(1, 5000) i",
        "INSERT INTO audit_record (at, actor_kind, actor, action, resource, prev_hash, hash)
         SELECT now() - i * interval '1 minute', 'system', 'history', 'train.transition',
                'train:history-' || (i % 5000), decode(md5(i::text) || md5(i::text), 'hex'),
                decode(md5('h' || i) || md5('h' || i), 'hex')
         FROM generate_series(1, 200000) i",
        "ANALYZE",
    ] {
        sqlx::query(sql).execute(&app.pool).await.expect("history");
    }
    let admin = sign_in(&app, "adam").await;
    for (page, index) in [
        ("/trains", "train_listing_idx"),
        ("/audit", "audit_record_pkey"),
        ("/audit?train=history-42", "audit_record_resource_id_idx"),
        ("/evidence", "train_evidence_listing_idx"),
    ] {
        let before = scans(&app, index).await;
        let response = admin.get(page).await;
        assert!(response.status().is_success(), "{page}");
        assert!(
            scanned(&app, index, before).await,
            "{page} did not read through {index}"
        );
    }
}

#[tokio::test]
async fn the_metrics_of_a_window_read_only_its_deployments_and_postponements() {
    let app = crate::helpers::spawn_app(&[
        ("TRAINYARD_SCHEDULER_TICK", "1h"),
        ("TRAINYARD_DB_MAX_CONNECTIONS", "1"),
    ])
    .await;
    // Five years of deploys and train events, behind the application's back.
    for sql in [
        "INSERT INTO deployment (service_id, environment_id, version, status, pipeline_run_id,
                                 matched, in_freeze, reported_by, created_at, finished_at, updated_at)
         SELECT (SELECT min(service_id) FROM service), (SELECT min(environment_id) FROM environment),
                '1.0.' || i, 'succeeded', 'history-' || i, 'unscheduled', false, 'history',
                now() - i * interval '40 minutes', now() - i * interval '40 minutes' + interval '5 minutes',
                now() - i * interval '40 minutes'
         FROM generate_series(1, 60000) i",
        "INSERT INTO train_event (train_id, at, actor, kind, detail)
         SELECT (SELECT min(train_id) FROM train), now() - i * interval '10 minutes', 'history',
                CASE WHEN i % 1000 = 0 THEN 'calendar' ELSE 'transition' END,
                CASE WHEN i % 1000 = 0 THEN '{\"postponed\": \"capacity\"}'::jsonb ELSE '{}'::jsonb END
         FROM generate_series(1, 200000) i",
        "ANALYZE",
    ] {
        sqlx::query(sql).execute(&app.pool).await.expect("history");
    }
    let indexes = ["deployment_by_finish", "train_event_postponed"];
    let mut before = Vec::new();
    for index in indexes {
        before.push(scans(&app, index).await);
    }
    let (code, body) = app
        .api(reqwest::Method::GET, "/api/v1/metrics/success", None)
        .await;
    assert_eq!(code, 200, "{body}");
    for (index, before) in indexes.into_iter().zip(before) {
        assert!(
            scanned(&app, index, before).await,
            "the metrics did not read through {index}"
        );
    }
}
