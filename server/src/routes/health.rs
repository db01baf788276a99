//! `/healthz` (the process answers) and `/readyz` (the database answers,
//! every migration this binary carries is applied, and the OpenID provider,
//! when configured, answers).

use crate::startup::{AppState, MIGRATOR};
use axum::{extract::State, http::StatusCode, Json};
use serde_json::{json, Value};

/// How long readiness waits for the database.
const READINESS_LIMIT: std::time::Duration = std::time::Duration::from_secs(1);

pub async fn healthz() -> Json<Value> {
    Json(json!({ "status": "ok" }))
}

pub async fn readyz(State(state): State<AppState>) -> (StatusCode, Json<Value>) {
    let expected = MIGRATOR
        .iter()
        .filter(|m| m.migration_type.is_up_migration())
        .count() as i64;
    // A load balancer asks often and must hear "not ready" promptly while
    // the database is down, not after the pool's acquire time-out.
    let applied = tokio::time::timeout(
        READINESS_LIMIT,
        sqlx::query_scalar::<_, i64>("SELECT count(*) FROM _sqlx_migrations WHERE success")
            .fetch_one(&state.pool),
    )
    .await
    .unwrap_or_else(|_| Err(sqlx::Error::PoolTimedOut));
    let sign_in = match &state.oidc {
        None => json!({ "status": "not_configured" }),
        Some(oidc) if oidc.is_reachable().await => {
            json!({ "status": "ok", "issuer": oidc.issuer().as_str() })
        }
        Some(oidc) => json!({ "status": "unreachable", "issuer": oidc.issuer().as_str() }),
    };
    let provider_ok = sign_in["status"] != "unreachable";
    let (status, body) = match applied {
        Ok(applied) => (
            applied >= expected && provider_ok,
            json!({ "database": "ok", "migrations": { "applied": applied, "expected": expected } }),
        ),
        Err(error) => {
            tracing::warn!(%error, "readiness check failed");
            (false, json!({ "database": "unreachable" }))
        }
    };
    let mut body = body;
    body["status"] = json!(if status { "ready" } else { "not_ready" });
    body["sign_in"] = sign_in;
    let code = if status {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (code, Json(body))
}
