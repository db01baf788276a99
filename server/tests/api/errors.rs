//! Refusals by the database's constraints reach people as 409/422 naming
//! the field, never as a 500.

use super::helpers::fresh_database;
use app::error::AppError;

async fn refusal(pool: &sqlx::PgPool, sql: &str) -> AppError {
    let error = sqlx::query(sql)
        .execute(pool)
        .await
        .expect_err("the constraint refuses this write");
    AppError::from(error)
}

#[tokio::test]
async fn a_constraint_violation_becomes_409_or_422_naming_the_field() {
    let (_, _, pool) = fresh_database().await;
    sqlx::query("INSERT INTO service (name) VALUES ('curve')")
        .execute(&pool)
        .await
        .unwrap();

    let duplicate = refusal(&pool, "INSERT INTO service (name) VALUES ('curve')").await;
    assert_eq!(duplicate.status_code(), 409, "{duplicate:?}");
    assert_eq!(duplicate.to_string(), "name \"curve\" already exists");

    let dangling = refusal(
        &pool,
        "INSERT INTO service_dependency (service_id, depends_on_service_id) VALUES (1, 999)",
    )
    .await;
    assert_eq!(dangling.status_code(), 422, "{dangling:?}");
    match &dangling {
        AppError::Unprocessable { field, message } => {
            assert_eq!(field.as_deref(), Some("depends_on_service_id"), "{message}");
            assert!(message.contains("999"), "{message}");
        }
        other => panic!("{other:?}"),
    }

    let bad = refusal(&pool, "INSERT INTO service (name) VALUES ('Not A Name')").await;
    assert_eq!(bad.status_code(), 422, "{bad:?}");
    assert!(bad.to_string().contains("service_name_check"), "{bad}");
}
