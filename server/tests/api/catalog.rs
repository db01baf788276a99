use crate::helpers::fresh_database;
use app::services::actor::Actor;
use app::services::catalog::{export, import, ImportError, SourceFile};
use app::services::demo::load_if_empty;
use chrono::Utc;
use sqlx::PgPool;

fn fixture(path: &str) -> SourceFile {
    let full = format!("{}/tests/fixtures/{path}", env!("CARGO_MANIFEST_DIR"));
    SourceFile {
        path: path.to_owned(),
        text: std::fs::read_to_string(full).expect("fixture"),
    }
}

async fn demo_database() -> PgPool {
    let (_, _, pool) = fresh_database().await;
    let (_dir, store) = crate::demo_data::test_store();
    load_if_empty(&pool, &store, Utc::now()).await.unwrap();
    pool
}

async fn count(pool: &PgPool, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(pool).await.unwrap()
}

#[tokio::test]
async fn the_seed_files_import_and_export_round_trips_exactly() {
    let pool = demo_database().await;
    let actor = Actor::new("test");
    let files = [
        fixture("catalog/release-trains.yaml"),
        fixture("config/upgrade-policies.yaml"),
    ];
    let report = import(&pool, &actor, &files, Utc::now())
        .await
        .map_err(|e| format!("{e:?}"))
        .unwrap();
    assert_eq!(report.created, ["Q3-pricing-upgrade", "Q3-curve-patch"]);
    assert!(report.policies);

    let order: Vec<String> = sqlx::query_scalar(
        "SELECT s.name FROM participant p JOIN service s USING (service_id) JOIN train t USING (train_id)
         WHERE t.name = 'Q3-pricing-upgrade' ORDER BY p.release_position",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(
        order,
        ["curve", "backtesting", "scenario"],
        "participants in dependency order"
    );
    let limit: f64 = sqlx::query_scalar(
        "SELECT (rule ->> 'limit')::float8 FROM gate_definition JOIN train USING (train_id)
         WHERE train.name = 'Q3-curve-patch' AND gate_definition.name = 'quality'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(
        limit, 85.0,
        "a train without gates gets the imported policy's limits"
    );

    let first = export(&pool).await.unwrap();
    assert!(
        first.catalog.contains("- spec: curves-api >=2.0.0"),
        "{}",
        first.catalog
    );
    assert!(
        first
            .catalog
            .contains("custom: performance_regression < 10%"),
        "{}",
        first.catalog
    );
    assert!(first.catalog.contains("estimated_duration: 2h"));
    let policies = first.policies.clone().unwrap();
    assert!(policies.contains("min_quality_score: 85\n"), "{policies}");
    assert!(
        policies.contains(
            "  notifications:\n    enabled: true\n    channels:\n    - slack\n    - email\n    \
             stakeholders:\n    - platform-team\n    - release-managers\n"
        ),
        "the notification policy is written back: {policies}"
    );

    // Import the export into a second instance: its export is the same text.
    let other = demo_database().await;
    let exported = [
        SourceFile {
            path: "catalog/release-trains.yaml".into(),
            text: first.catalog.clone(),
        },
        SourceFile {
            path: "config/upgrade-policies.yaml".into(),
            text: policies,
        },
    ];
    import(&other, &actor, &exported, Utc::now())
        .await
        .map_err(|e| format!("{e:?}"))
        .unwrap();
    let second = export(&other).await.unwrap();
    assert_eq!(second.catalog, first.catalog);
    assert_eq!(second.policies, first.policies);

    // Importing the same files again changes nothing.
    let again = import(&pool, &actor, &files, Utc::now())
        .await
        .map_err(|e| format!("{e:?}"))
        .unwrap();
    assert!(again.created.is_empty() && again.replaced.is_empty());
    assert_eq!(again.unchanged.len(), 2);
}

#[tokio::test]
async fn a_broken_file_reports_every_problem_with_its_line_and_changes_nothing() {
    let pool = demo_database().await;
    let trains_before = count(&pool, "SELECT count(*) FROM train").await;
    let files = [
        fixture("catalog/broken.yaml"),
        fixture("config/upgrade-policies.yaml"),
    ];
    let Err(ImportError::Problems(problems)) =
        import(&pool, &Actor::new("test"), &files, Utc::now()).await
    else {
        panic!("the broken catalog must be refused");
    };
    let lines: Vec<String> = problems.iter().map(ToString::to_string).collect();
    assert_eq!(lines.len(), 3, "{lines:#?}");
    assert!(
        lines[0].starts_with(
            "catalog/broken.yaml:5: unknown-service: participants[1]: unknown service"
        ),
        "{lines:#?}"
    );
    assert!(
        lines[1].starts_with("catalog/broken.yaml:9: bad-gate: gates[0]: unknown gate"),
        "{lines:#?}"
    );
    assert!(
        lines[2].starts_with("catalog/broken.yaml:14: status executing"),
        "{lines:#?}"
    );
    assert_eq!(
        count(&pool, "SELECT count(*) FROM train").await,
        trains_before,
        "not even fine-train"
    );
    assert_eq!(
        count(&pool, "SELECT count(*) FROM setting").await,
        0,
        "nor the valid policy file"
    );
}

#[tokio::test]
async fn a_structural_error_stops_the_import_before_the_database() {
    let pool = demo_database().await;
    let files = [SourceFile {
        path: "catalog/x.yaml".into(),
        text: "trains:\n  - name: a\n    colour: red\n".into(),
    }];
    let Err(ImportError::Problems(problems)) =
        import(&pool, &Actor::new("test"), &files, Utc::now()).await
    else {
        panic!("an unknown key must be refused");
    };
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].line, Some(3), "the line of the unknown key");
    assert!(problems[0].message.contains("unknown field `colour`"));
}
