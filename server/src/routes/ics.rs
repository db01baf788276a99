//! `GET /calendar.ics[?track=dev]`: the calendar feed for calendar clients.

use crate::auth::actor::RequestActor;
use crate::routes::api::error::ApiResult;
use crate::startup::AppState;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::IntoResponse;
use serde::Deserialize;

#[derive(Deserialize)]
pub struct FeedQuery {
    track: Option<String>,
}

pub async fn calendar_ics(
    RequestActor(actor): RequestActor,
    State(state): State<AppState>,
    Query(q): Query<FeedQuery>,
) -> ApiResult<impl IntoResponse> {
    let track = q.track.as_deref().filter(|t| !t.is_empty());
    let body = app::services::ics::calendar_feed(
        &state.pool,
        &actor,
        track,
        &state.public_url,
        chrono::Utc::now(),
    )
    .await?;
    let filename = format!("trainyard-{}.ics", track.unwrap_or("all"));
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "text/calendar; charset=utf-8".to_owned(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"{filename}\""),
            ),
            (header::CACHE_CONTROL, "no-cache".to_owned()),
        ],
        body,
    ))
}
