//! Config as code from an empty install: seed 002's own catalog imports
//! together with a services file (alone it names services nobody defined);
//! a broken services file names every problem with its file and line and
//! changes nothing; export, import elsewhere and export again is exact.

use crate::helpers::fresh_database;
use app::services::actor::Actor;
use app::services::catalog::{export, import, plan, ImportError, SourceFile};
use chrono::Utc;
use sqlx::PgPool;

fn fixture(path: &str) -> SourceFile {
    let full = format!("{}/tests/fixtures/{path}", env!("CARGO_MANIFEST_DIR"));
    SourceFile {
        path: path.to_owned(),
        text: std::fs::read_to_string(full).expect("fixture"),
    }
}

async fn count(pool: &PgPool, table: &str) -> i64 {
    sqlx::query_scalar(&format!("SELECT count(*) FROM {table}"))
        .fetch_one(pool)
        .await
        .unwrap()
}

fn problems(result: Result<app::services::catalog::ImportReport, ImportError>) -> Vec<String> {
    match result {
        Err(ImportError::Problems(p)) => p.iter().map(ToString::to_string).collect(),
        other => panic!("expected problems, got {other:?}"),
    }
}

#[tokio::test]
async fn seed_002s_catalog_imports_into_an_empty_install_with_its_services_file() {
    let (_, _, pool) = fresh_database().await;
    let actor = Actor::new("test");
    let alone = problems(
        import(
            &pool,
            &actor,
            &[fixture("catalog/release-trains.yaml")],
            Utc::now(),
        )
        .await,
    );
    assert!(
        alone.iter().any(|p| p.contains("unknown service")),
        "{alone:?}"
    );

    let files = [
        fixture("catalog/release-trains.yaml"),
        fixture("config/services.yaml"),
        fixture("config/upgrade-policies.yaml"),
    ];
    let report = import(&pool, &actor, &files, Utc::now())
        .await
        .map_err(|e| format!("{e:?}"))
        .unwrap();
    assert_eq!(
        report.services_added,
        ["curve", "backtesting", "scenario"],
        "dependencies first"
    );
    assert_eq!(report.created, ["Q3-pricing-upgrade", "Q3-curve-patch"]);
    let owners: Vec<String> = sqlx::query_scalar("SELECT owners FROM service WHERE name = 'curve'")
        .fetch_one(&pool)
        .await
        .map(|o: Vec<String>| o)
        .unwrap();
    assert_eq!(owners, ["alice", "group:rates"]);

    let first = export(&pool).await.unwrap();
    assert!(
        first
            .services
            .contains("repository: https://git.example/markets/curve"),
        "{}",
        first.services
    );
    let (_, _, other) = fresh_database().await;
    let exported = [
        SourceFile {
            path: "config/services.yaml".into(),
            text: first.services.clone(),
        },
        SourceFile {
            path: "catalog/release-trains.yaml".into(),
            text: first.catalog.clone(),
        },
        SourceFile {
            path: "config/upgrade-policies.yaml".into(),
            text: first.policies.clone().unwrap(),
        },
    ];
    import(&other, &actor, &exported, Utc::now())
        .await
        .map_err(|e| format!("{e:?}"))
        .unwrap();
    let second = export(&other).await.unwrap();
    assert_eq!(second.services, first.services);
    assert_eq!(second.catalog, first.catalog);

    let again = import(&pool, &actor, &files, Utc::now())
        .await
        .map_err(|e| format!("{e:?}"))
        .unwrap();
    assert!(
        again.services_added.is_empty() && again.services_changed.is_empty(),
        "{again:?}"
    );
    assert_eq!(again.unchanged.len(), 2);
}

#[tokio::test]
async fn a_broken_services_file_names_each_problem_with_its_line_and_changes_nothing() {
    let (_, _, pool) = fresh_database().await;
    let files = [
        fixture("config/services-broken.yaml"),
        fixture("catalog/release-trains.yaml"),
    ];
    let found = problems(import(&pool, &Actor::new("test"), &files, Utc::now()).await);
    let expected = [
        "config/services-broken.yaml:3: service Scenario: a service name starts with a-z or 0-9",
        "config/services-broken.yaml:4: service backtesting: pricing-engine is not an active service",
    ];
    for start in expected {
        assert!(
            found.iter().any(|p| p.starts_with(start)),
            "{start} in {found:?}"
        );
    }
    assert!(
        found.iter().any(|p| p.starts_with("catalog/release-trains.yaml:") && p.contains("unknown service")),
        "the trains that name the missing services are reported too: {found:?}"
    );
    for table in ["service", "train", "audit_record"] {
        assert_eq!(
            count(&pool, table).await,
            0,
            "{table}: nothing was imported"
        );
    }
}

fn source(path: &str, text: &str) -> SourceFile {
    SourceFile {
        path: path.into(),
        text: text.into(),
    }
}

#[tokio::test]
async fn tracks_import_from_their_file_and_a_changed_cadence_is_applied() {
    let (_, _, pool) = fresh_database().await;
    let actor = Actor::new("test");
    let tracks = fixture("config/tracks.yaml");
    let environments = fixture("config/environments.yaml");
    let later = tracks.text.replace("'18:00'", "'17:00'");
    let report = import(&pool, &actor, &[environments, tracks], Utc::now())
        .await
        .map_err(|e| format!("{e:?}"))
        .unwrap();
    assert_eq!(
        report.tracks_added,
        ["stable", "hotfix", "weekly"],
        "a promotion target and a patched track first"
    );
    let order: Vec<String> = sqlx::query_scalar("SELECT name FROM track ORDER BY position")
        .fetch_all(&pool)
        .await
        .unwrap();
    assert_eq!(
        order,
        ["weekly", "stable", "hotfix"],
        "shown in the file's order"
    );
    assert_eq!(report.environments_added, ["preview", "stage", "prod"]);
    let rule: String = sqlx::query_scalar("SELECT cadence_rrule FROM track WHERE name = 'weekly'")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert!(
        rule.starts_with("DTSTART;TZID=Europe/Berlin:20260101T180000"),
        "{rule}"
    );

    let first = export(&pool).await.unwrap();
    let (_, _, other) = fresh_database().await;
    import(
        &other,
        &actor,
        &[
            source("config/tracks.yaml", &first.tracks),
            source("config/environments.yaml", &first.environments),
        ],
        Utc::now(),
    )
    .await
    .map_err(|e| format!("{e:?}"))
    .unwrap();
    let second = export(&other).await.unwrap();
    assert_eq!(second.tracks, first.tracks);
    assert_eq!(second.environments, first.environments);
    assert!(first.tracks.contains("direct: true"), "{}", first.tracks);
    assert!(
        first.tracks.contains("tag: v{version}-rc{n}"),
        "{}",
        first.tracks
    );

    let report = import(
        &pool,
        &actor,
        &[source("config/tracks.yaml", &later)],
        Utc::now(),
    )
    .await
    .map_err(|e| format!("{e:?}"))
    .unwrap();
    assert_eq!(report.tracks_changed, ["weekly"]);
    let cadences: i64 =
        sqlx::query_scalar("SELECT count(*) FROM audit_record WHERE action = 'track.cadence'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(cadences, 1, "a new cadence goes through the cadence change");

    let circle = "tracks:\n- name: a\n  promotes_to: b\n- name: b\n  promotes_to: a\n";
    let found = problems(
        import(
            &other,
            &actor,
            &[source("config/tracks.yaml", circle)],
            Utc::now(),
        )
        .await,
    );
    assert!(
        found[0]
            .starts_with("config/tracks.yaml:2: tracks promote to or patch each other in a circle"),
        "{found:?}"
    );
}

#[tokio::test]
async fn a_dry_run_plans_exactly_what_the_import_then_does_and_changes_nothing() {
    let (_, _, pool) = fresh_database().await;
    let actor = Actor::new("test");
    let files = [
        fixture("config/services.yaml"),
        fixture("config/environments.yaml"),
        fixture("config/tracks.yaml"),
        fixture("catalog/release-trains.yaml"),
    ];
    let planned = plan(&pool, &actor, &files, Utc::now())
        .await
        .map_err(|e| format!("{e:?}"))
        .unwrap();
    for table in ["service", "environment", "track", "train", "audit_record"] {
        assert_eq!(
            count(&pool, table).await,
            0,
            "{table}: a plan changes nothing"
        );
    }
    let done = import(&pool, &actor, &files, Utc::now())
        .await
        .map_err(|e| format!("{e:?}"))
        .unwrap();
    assert_eq!(planned, done);
    assert_eq!(planned.tracks_added, ["stable", "hotfix", "weekly"]);
    assert_eq!(planned.environments_added, ["preview", "stage", "prod"]);
    let broken = [fixture("config/services-broken.yaml")];
    assert!(!problems(plan(&pool, &actor, &broken, Utc::now()).await).is_empty());
}

#[tokio::test]
async fn a_bad_environment_is_named_with_its_line_and_nothing_is_imported() {
    let (_, _, pool) = fresh_database().await;
    let actor = Actor::new("test");
    let text = "environments:\n- name: dev\n  kind: development\n- name: live\n  kind: prod\n";
    let tracks = "tracks:\n- name: weekly\n  pipeline:\n  - dev\n  - qa\n";
    let found = problems(
        import(
            &pool,
            &actor,
            &[
                source("config/environments.yaml", text),
                source("config/tracks.yaml", tracks),
            ],
            Utc::now(),
        )
        .await,
    );
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(
        found[0].starts_with("config/environments.yaml:4: environment live:"),
        "{found:?}"
    );
    assert!(
        found[0].contains("production"),
        "the kinds are listed: {found:?}"
    );
    assert!(
        found[1].starts_with("config/tracks.yaml:2: track weekly: there is no environment qa"),
        "{found:?}"
    );
    assert_eq!(count(&pool, "environment").await, 0, "all or nothing");
}
