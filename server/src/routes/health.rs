//! `/healthz` (the process answers) and `/readyz` (the database answers and
//! every migration this binary carries is applied).

use crate::startup::{AppState, MIGRATOR};
use axum::{extract::State, http::StatusCode, Json};
use serde_json::{json, Value};

pub async fn healthz() -> Json<Value> {
    Json(json!({ "status": "ok" }))
}

pub async fn readyz(State(state): State<AppState>) -> (StatusCode, Json<Value>) {
    let expected = MIGRATOR
        .iter()
        .filter(|m| m.migration_type.is_up_migration())
        .count() as i64;
    let applied =
        sqlx::query_scalar::<_, i64>("SELECT count(*) FROM _sqlx_migrations WHERE success")
            .fetch_one(&state.pool)
            .await;
    match applied {
        Ok(applied) if applied >= expected => (
            StatusCode::OK,
            Json(
                json!({ "status": "ready", "database": "ok", "migrations": { "applied": applied, "expected": expected } }),
            ),
        ),
        Ok(applied) => (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(
                json!({ "status": "not_ready", "database": "ok", "migrations": { "applied": applied, "expected": expected } }),
            ),
        ),
        Err(error) => {
            tracing::warn!(%error, "readiness check failed");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(json!({ "status": "not_ready", "database": "unreachable" })),
            )
        }
    }
}
