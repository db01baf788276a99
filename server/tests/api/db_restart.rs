//! Issue 17's database restarts under load: a Postgres cluster of the
//! test's own (`.ci/pg.sh`, the private cluster of `make run`) is stopped
//! and started again — once `-m fast`, once `-m immediate` — while several
//! CI clients post gate results and evidence and an approver keeps
//! clicking "approve". The server is never restarted. Afterwards every
//! write that was answered 2xx is stored, the approval counted once, the
//! audit chain verifies, every answer during the outage was a 503 with
//! `Retry-After` (never a 500), `/readyz` said 503 promptly and 200 again,
//! and the live stream and the scheduler went on by themselves (a cut that
//! fell due during the outage happened after it).

use crate::api_client::{create, seed_train, transition};
use crate::helpers::{database_url_on, spawn_app_on, TestApp};
use crate::pg_cluster::Cluster;
use crate::promotions::TRAIN;
use sha2::Digest;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const WRITERS: usize = 6;

/// What the writers saw.
#[derive(Default)]
struct Seen {
    /// Gate names and artifact names whose write was answered 2xx.
    acknowledged: Vec<(String, String)>,
    statuses: BTreeMap<u16, usize>,
    /// Non-2xx answers without `Retry-After`, or 5xx other than 503.
    wrong: Vec<String>,
}

async fn write_until(app: TestApp, writer: usize, stop: Arc<AtomicBool>, seen: Arc<Mutex<Seen>>) {
    let mut n = 0;
    while !stop.load(Ordering::Relaxed) {
        n += 1;
        let (kind, name, request) = if n % 3 == 0 {
            let name = format!("notes-{writer}-{n}.md");
            let text = format!("# writer {writer}, write {n}\n");
            let sha256: String = sha2::Sha256::digest(text.as_bytes())
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect();
            let path = format!(
                "/api/v1/release-trains/restart-train/evidence/{name}?kind=summary&sha256={sha256}"
            );
            let request = app
                .request(reqwest::Method::PUT, &path)
                .header("content-type", "application/octet-stream")
                .body(text);
            ("artifact", name, request)
        } else {
            let gate = format!("restart-{writer}-{n}");
            let body = serde_json::json!({ "results": [
                { "participant": "curve", "gate": gate, "passed": true }
            ] });
            let request = app
                .request(
                    reqwest::Method::POST,
                    "/api/v1/release-trains/restart-train/gate-results",
                )
                .json(&body);
            ("gate", gate, request)
        };
        let response = request.timeout(Duration::from_secs(30)).send().await;
        let Ok(response) = response else {
            seen.lock()
                .unwrap()
                .wrong
                .push(format!("{kind} {name}: no answer"));
            continue;
        };
        let status = response.status().as_u16();
        let retry_after = response.headers().get("retry-after").is_some();
        let success = response.status().is_success();
        let text = response.text().await.unwrap_or_default();
        {
            let mut seen = seen.lock().unwrap();
            *seen.statuses.entry(status).or_default() += 1;
            if success {
                seen.acknowledged.push((kind.to_owned(), name));
            } else if status != 503 || !retry_after {
                seen.wrong.push(format!("{kind} {name}: {status} {text}"));
            }
        }
        if status == 503 {
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

/// Reads `/events` into `into` for as long as the stream lasts.
async fn follow_events(app: TestApp, into: Arc<Mutex<String>>) {
    let mut response = app
        .client
        .get(format!("{}/events", app.address))
        .send()
        .await
        .expect("the live stream opens");
    while let Ok(Some(chunk)) = response.chunk().await {
        into.lock()
            .unwrap()
            .push_str(&String::from_utf8_lossy(&chunk));
    }
}

/// `/readyz`'s status, `None` when it did not answer within two seconds.
async fn ready(app: &TestApp) -> Option<u16> {
    app.client
        .get(format!("{}/readyz", app.address))
        .timeout(Duration::from_secs(2))
        .send()
        .await
        .ok()
        .map(|r| r.status().as_u16())
}

/// Clicks "approve" on the demo train's open request every 100 ms, from
/// the moment the database first goes down until it is approved (a later
/// click would approve the next environment's request) or `stop`; the
/// answers by status. Anything but 200 or 503 with `Retry-After` goes to
/// `wrong`.
async fn approve_until(
    approver: TestApp,
    down: Arc<AtomicBool>,
    stop: Arc<AtomicBool>,
    seen: Arc<Mutex<Seen>>,
) -> BTreeMap<u16, usize> {
    let mut answers = BTreeMap::new();
    while !down.load(Ordering::Relaxed) {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    while !stop.load(Ordering::Relaxed) {
        let response = approver
            .request(
                reqwest::Method::POST,
                &format!("/api/v1/release-trains/{TRAIN}/promotions/approve"),
            )
            .header("origin", &approver.address)
            .json(&serde_json::json!({ "note": "approved through the restarts" }))
            .timeout(Duration::from_secs(30))
            .send()
            .await;
        let (status, retry_after) = match response {
            Ok(r) => (r.status().as_u16(), r.headers().contains_key("retry-after")),
            Err(e) => (0, e.is_timeout()),
        };
        *answers.entry(status).or_default() += 1;
        if status == 200 {
            break;
        }
        if !(status == 503 && retry_after) {
            seen.lock()
                .unwrap()
                .wrong
                .push(format!("approve: {status}"));
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    answers
}

/// How many approvals and promotions of the demo train the audit trail holds.
async fn decisions(pool: &sqlx::PgPool) -> (i64, i64) {
    sqlx::query_as(
        "SELECT count(*) FILTER (WHERE action = 'promotion.approve'),
                count(*) FILTER (WHERE action = 'promotion.promote')
         FROM audit_record WHERE resource = 'train:' || $1",
    )
    .bind(TRAIN)
    .fetch_one(pool)
    .await
    .unwrap()
}

/// Brings the first planned train's cut to `in_seconds` from now (inside
/// the first outage); its name.
async fn cut_due_during_the_outage(pool: &sqlx::PgPool, in_seconds: i32) -> String {
    sqlx::query_scalar(
        "UPDATE train t SET planned_start = now() + k.freeze_offset + make_interval(secs => $1)
         FROM track k
         WHERE k.track_id = t.track_id AND t.train_id = (
             SELECT train_id FROM train WHERE status = 'open' AND state = 'planning'
             AND track_id IS NOT NULL ORDER BY planned_start LIMIT 1)
         RETURNING t.name",
    )
    .bind(f64::from(in_seconds))
    .fetch_one(pool)
    .await
    .unwrap()
}

async fn outage(app: &TestApp, cluster: &Cluster, mode: &str, down: &AtomicBool) {
    tokio::time::sleep(Duration::from_millis(800)).await;
    cluster.stop(mode);
    down.store(true, Ordering::Relaxed);
    let asked = Instant::now();
    assert_eq!(ready(app).await, Some(503), "/readyz during a {mode} stop");
    assert!(asked.elapsed() < Duration::from_secs(2));
    tokio::time::sleep(Duration::from_millis(1500)).await;
    cluster.start_again();
    let deadline = Instant::now() + Duration::from_secs(20);
    while ready(app).await != Some(200) {
        assert!(
            Instant::now() < deadline,
            "/readyz did not come back after a {mode} stop"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn restarts_of_the_database_under_load_lose_no_acknowledged_write() {
    let cluster = Cluster::start();
    let sign_in = [
        ("OIDC_ISSUER_URL", crate::oidc::issuer()),
        ("OIDC_CLIENT_ID", "trainyard"),
        ("OIDC_CLIENT_SECRET", "trainyard-dev-secret"),
    ];
    let app = spawn_app_on(&cluster.admin(), &sign_in).await;
    assert_eq!(create(&app, seed_train("restart-train")).await.0, 201);
    assert_eq!(transition(&app, "restart-train", "validating").await.0, 200);
    let ana = crate::oidc::sign_in(&app, "ana").await;
    let decisions_before = decisions(&app.pool).await;
    let due = cut_due_during_the_outage(&app.pool, 2).await;

    let stream = Arc::new(Mutex::new(String::new()));
    let listening = tokio::spawn(follow_events(app.clone(), stream.clone()));
    let stop = Arc::new(AtomicBool::new(false));
    let seen = Arc::new(Mutex::new(Seen::default()));
    let writers: Vec<_> = (0..WRITERS)
        .map(|w| tokio::spawn(write_until(app.clone(), w, stop.clone(), seen.clone())))
        .collect();
    let down = Arc::new(AtomicBool::new(false));
    let approver = tokio::spawn(approve_until(ana, down.clone(), stop.clone(), seen.clone()));
    outage(&app, &cluster, "fast", &down).await;
    outage(&app, &cluster, "immediate", &down).await;
    tokio::time::sleep(Duration::from_millis(800)).await;
    stop.store(true, Ordering::Relaxed);
    for writer in writers {
        writer.await.unwrap();
    }
    let approvals = approver.await.unwrap();

    let seen = std::mem::take(&mut *seen.lock().unwrap());
    assert!(
        seen.wrong.is_empty(),
        "answers other than 2xx or 503 with Retry-After: {:?}",
        seen.wrong
    );
    assert!(
        seen.statuses.get(&503).is_some_and(|n| *n > 0),
        "the outages were seen: {:?}",
        seen.statuses
    );
    // A fresh pool: the test's own connections went down with the cluster.
    let pool = sqlx::PgPool::connect(&database_url_on(&cluster.admin(), &app.db_name))
        .await
        .unwrap();
    let gates: Vec<String> = sqlx::query_scalar("SELECT key FROM gate_result")
        .fetch_all(&pool)
        .await
        .unwrap();
    let artifacts: Vec<String> = sqlx::query_scalar("SELECT name FROM evidence_artifact")
        .fetch_all(&pool)
        .await
        .unwrap();
    let mut lost = Vec::new();
    for (kind, name) in &seen.acknowledged {
        let stored = if kind == "gate" { &gates } else { &artifacts };
        if !stored.contains(name) {
            lost.push(format!("{kind} {name}"));
        }
    }
    assert!(lost.is_empty(), "acknowledged but not stored: {lost:?}");
    assert!(
        seen.acknowledged.len() > 20,
        "{} writes acknowledged",
        seen.acknowledged.len()
    );
    let records = app::services::audit::verify_chain(&pool)
        .await
        .expect("the audit chain verifies");
    assert!(records > seen.acknowledged.len(), "{records} audit records");
    // The approval clicked through the outages counted once, and promoted
    // the train once.
    // (Sent while the database was down, a click waits for a connection
    // up to the pool's acquire time-out: it may be answered 503, or 200
    // once the database is back.)
    assert_eq!(
        approvals.get(&200),
        Some(&1),
        "approve answers {approvals:?}"
    );
    let (approved, promoted) = decisions(&pool).await;
    assert_eq!(approved, decisions_before.0 + 1, "one approval recorded");
    assert_eq!(promoted, decisions_before.1 + 1, "one promotion recorded");
    // The cut that fell due while the database was down was made once it
    // was back, by the scheduler alone.
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let status: String = sqlx::query_scalar("SELECT status FROM train WHERE name = $1")
            .bind(&due)
            .fetch_one(&pool)
            .await
            .unwrap();
        if status != "open" {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "{due} was not cut after the outages"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let by_scheduler: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM audit_record WHERE actor = 'scheduler' AND resource = 'train:' || $1
         AND action IN ('calendar.cut', 'calendar.skip')",
    )
    .bind(&due)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(by_scheduler, 1, "{due} decided once");
    // The live stream opened before the outages is still there: it said
    // "resync" once the server listened again (pages refetch what they
    // missed; one resync covers both outages when the second came while
    // the listener was still reconnecting), and a change made now reaches
    // it.
    let resyncs = || {
        stream
            .lock()
            .unwrap()
            .matches(r#""action":"resync""#)
            .count()
    };
    let deadline = Instant::now() + Duration::from_secs(20);
    while resyncs() < 1 {
        assert!(
            Instant::now() < deadline,
            "a resync once the listener is back"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    println!(
        "db_restart: resyncs seen {:?} before the deadline",
        deadline - Instant::now()
    );
    let before = stream.lock().unwrap().len();
    let body = serde_json::json!({ "results": [
        { "participant": "curve", "gate": "after-the-restarts", "passed": true }
    ] });
    let (code, _) = app
        .api(
            reqwest::Method::POST,
            "/api/v1/release-trains/restart-train/gate-results",
            Some(body),
        )
        .await;
    assert_eq!(code, 200);
    let deadline = Instant::now() + Duration::from_secs(10);
    while !stream.lock().unwrap()[before..].contains("gate_results.record") {
        assert!(
            Instant::now() < deadline,
            "the change reached the stream opened before the outages"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    listening.abort();
    println!(
        "db_restart: {} writes acknowledged, answers {:?}; approve answers {approvals:?}",
        seen.acknowledged.len(),
        seen.statuses
    );
}
