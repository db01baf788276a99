//! `GET /metrics.prom`: the Prometheus text exposition, for a scraper.

use crate::auth::actor::RequestActor;
use crate::routes::api::error::ApiResult;
use crate::startup::AppState;
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;

pub async fn metrics_prom(
    RequestActor(actor): RequestActor,
    State(state): State<AppState>,
) -> ApiResult<impl IntoResponse> {
    let body = app::services::exposition::exposition(&state.pool, &actor).await?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "text/plain; version=0.0.4; charset=utf-8",
            ),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        body,
    ))
}
