use crate::api_client::{create, transition};
use crate::helpers::spawn_app;
use app::domain::audit::ChainError;
use app::services::audit::{verify_chain, VerifyError};
use reqwest::Method;
use serde_json::json;

async fn records(pool: &sqlx::PgPool) -> Vec<(i64, String, String, String, Option<String>)> {
    sqlx::query_as("SELECT audit_record_id, actor, action, resource, ip FROM audit_record ORDER BY audit_record_id")
        .fetch_all(pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn every_write_through_the_api_is_recorded_in_the_chain() {
    let app = spawn_app(&[]).await;
    let demo = records(&app.pool).await.len();
    assert!(demo > 0, "the demo's trains are recorded too");
    assert_eq!(
        create(
            &app,
            json!({ "name": "audited", "participants": ["curve"] })
        )
        .await
        .0,
        201
    );
    assert_eq!(transition(&app, "audited", "validating").await.0, 200);
    let results =
        json!({ "results": [{ "participant": "curve", "gate": "quality_score", "value": 99 }] });
    assert_eq!(
        app.api(
            Method::POST,
            "/api/v1/release-trains/audited/gate-results",
            Some(results)
        )
        .await
        .0,
        200
    );
    let (code, _) = app
        .api(
            Method::POST,
            "/api/v1/release-trains/audited/rollback",
            Some(json!({ "reason": "bad canary" })),
        )
        .await;
    assert_eq!(code, 409, "validating cannot be rolled back");
    assert_eq!(
        app.api(
            Method::PUT,
            "/api/v1/services/curve/status",
            Some(json!({ "status": "deployed", "version": "2.0.0" }))
        )
        .await
        .0,
        200
    );

    let all = records(&app.pool).await;
    let ours: Vec<(&str, &str)> = all[demo..]
        .iter()
        .map(|r| (r.2.as_str(), r.3.as_str()))
        .collect();
    assert_eq!(
        ours,
        [
            ("train.create", "train:audited"),
            ("train.transition", "train:audited"),
            ("gate_results.record", "train:audited"),
            ("service.update_status", "service:curve"),
        ],
        "the refused rollback left no record"
    );
    assert!(all[demo..]
        .iter()
        .all(|r| r.1 == "test-ci" && r.4.as_deref() == Some("127.0.0.1")));
    assert_eq!(verify_chain(&app.pool).await.unwrap(), all.len());
}

#[tokio::test]
async fn the_database_refuses_to_change_or_delete_audit_records() {
    let app = spawn_app(&[]).await;
    for sql in [
        "UPDATE audit_record SET reason = 'x'",
        "DELETE FROM audit_record",
        "TRUNCATE audit_record",
    ] {
        let err = sqlx::query(sql).execute(&app.pool).await.unwrap_err();
        let db = err.as_database_error().expect("a database error");
        assert_eq!(db.code().as_deref(), Some("42501"), "{sql}: {db}");
        assert!(db.message().contains("append-only"), "{sql}: {db}");
    }
}

#[tokio::test]
async fn audit_verify_names_a_record_edited_behind_the_applications_back() {
    let app = spawn_app(&[]).await;
    assert_eq!(
        create(
            &app,
            json!({ "name": "tampered", "participants": ["curve"] })
        )
        .await
        .0,
        201
    );
    let victim: i64 = sqlx::query_scalar(
        "SELECT audit_record_id FROM audit_record WHERE resource = 'train:tampered'",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert!(verify_chain(&app.pool).await.is_ok());
    // As the database owner: switch the guard off, rewrite history, switch it back on.
    let mut tx = app.pool.begin().await.unwrap();
    sqlx::query("ALTER TABLE audit_record DISABLE TRIGGER audit_record_no_update_or_delete")
        .execute(&mut *tx)
        .await
        .unwrap();
    sqlx::query("UPDATE audit_record SET actor = 'someone-else' WHERE audit_record_id = $1")
        .bind(victim)
        .execute(&mut *tx)
        .await
        .unwrap();
    sqlx::query("ALTER TABLE audit_record ENABLE TRIGGER audit_record_no_update_or_delete")
        .execute(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    match verify_chain(&app.pool).await {
        Err(VerifyError::Broken(ChainError::Altered { id })) => assert_eq!(id, victim),
        other => panic!("expected record {victim} to be named, got {other:?}"),
    }
}
