//! REST API v1 (`/api/v1`), shaped after seed 002. Handlers only parse the
//! request, call the service layer, and shape the response.

mod calendar;
pub mod error;
mod openapi;
mod services;
mod trains;

use crate::startup::AppState;
use app::services::actor::Actor;
use axum::extract::{ConnectInfo, Request};
use axum::http::Method;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use error::ApiError;
use std::net::SocketAddr;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/release-trains", get(trains::list).post(trains::create))
        .route(
            "/release-trains/{name}",
            get(trains::detail)
                .put(trains::update)
                .delete(trains::delete),
        )
        .route("/release-trains/{name}/status", get(trains::status))
        .route("/release-trains/{name}/events", get(trains::events))
        .route(
            "/release-trains/{name}/gate-results",
            axum::routing::post(trains::gate_results),
        )
        .route(
            "/release-trains/{name}/rollback",
            axum::routing::post(trains::rollback),
        )
        .route(
            "/release-trains/{name}/rollback/status",
            get(trains::rollback_status),
        )
        .route(
            "/services/{name}/status",
            get(services::status).put(services::update),
        )
        .route("/calendar", get(calendar::calendar))
        .route("/tracks", get(calendar::tracks))
        .route("/openapi.json", get(openapi::document))
        .fallback(error::not_found)
        .layer(middleware::from_fn(loopback_writes_only))
}

/// Who the API acts as until sign-in exists: changes are accepted from this
/// machine only, and recorded as made by the local API, with the client's
/// address and user agent.
pub struct ApiActor(pub Actor);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for ApiActor {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _: &S,
    ) -> Result<Self, Self::Rejection> {
        let ip = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(a)| a.ip().to_string());
        let user_agent = parts
            .headers
            .get(axum::http::header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        Ok(Self(Actor::new("local-api").from_origin(ip, user_agent)))
    }
}

async fn loopback_writes_only(request: Request, next: Next) -> Response {
    let is_read = matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    let from_loopback = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .is_some_and(|ConnectInfo(addr)| addr.ip().is_loopback());
    if is_read || from_loopback {
        return next.run(request).await;
    }
    ApiError(app::error::AppError::Forbidden(
        "changes through the API are accepted from this machine only until sign-in is configured"
            .into(),
    ))
    .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;
    use axum::http::{Request, StatusCode};
    use tower::ServiceExt;

    /// The guard alone, in front of a handler that always succeeds.
    fn guarded() -> Router {
        Router::new()
            .route("/x", get(|| async { "read" }).post(|| async { "written" }))
            .layer(middleware::from_fn(loopback_writes_only))
    }

    async fn status(method: Method, from: [u8; 4]) -> StatusCode {
        let mut request = Request::builder()
            .method(method)
            .uri("/x")
            .body(Body::empty())
            .unwrap();
        request
            .extensions_mut()
            .insert(ConnectInfo(SocketAddr::from((from, 40000))));
        guarded().oneshot(request).await.unwrap().status()
    }

    #[tokio::test]
    async fn writes_are_accepted_from_this_machine_only() {
        assert_eq!(status(Method::POST, [127, 0, 0, 1]).await, StatusCode::OK);
        assert_eq!(
            status(Method::POST, [10, 1, 2, 3]).await,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            status(Method::GET, [10, 1, 2, 3]).await,
            StatusCode::OK,
            "reads are open"
        );
    }
}
