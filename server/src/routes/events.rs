//! `GET /events`: server-sent events, one `change` event per committed change
//! (`{"action", "resource"}`), for the pages to fetch again what changed.

use crate::auth::actor::RequestActor;
use crate::routes::api::error::ApiResult;
use crate::startup::AppState;
use axum::extract::State;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::stream::Stream;
use std::convert::Infallible;
use std::time::Duration;
use tokio_stream::wrappers::{errors::BroadcastStreamRecvError, BroadcastStream};
use tokio_stream::StreamExt;

pub async fn events(
    RequestActor(actor): RequestActor,
    State(state): State<AppState>,
) -> ApiResult<Sse<impl Stream<Item = Result<Event, Infallible>>>> {
    app::services::access::authorize_read(&actor)?;
    let stream = BroadcastStream::new(state.live.subscribe()).map(|notice| {
        let notice = match notice {
            Ok(notice) => notice,
            // Fell behind: some notices are gone, so everything may have changed.
            Err(BroadcastStreamRecvError::Lagged(_)) => app::components::live::Notice {
                action: "resync".into(),
                resource: "*".into(),
            },
        };
        Ok(Event::default()
            .event("change")
            .retry(Duration::from_secs(2))
            .data(serde_json::to_string(&notice).unwrap_or_default()))
    });
    Ok(Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))))
}
