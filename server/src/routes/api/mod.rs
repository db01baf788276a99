//! REST API v1 (`/api/v1`), shaped after seed 002. Handlers only parse the
//! request, call the service layer, and shape the response.

mod allowed;
mod calendar;
mod candidates;
mod config;
mod environments;
pub mod error;
mod evidence;
pub(crate) mod evidence_upload;
mod gate_templates;
mod health;
mod openapi;
mod promotions;
mod services;
mod train_gates;
mod trains;

pub use crate::auth::actor::RequestActor;
use crate::startup::AppState;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use axum::Router;

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
            post(trains::gate_results),
        )
        .route("/release-trains/{name}/rollback", post(trains::rollback))
        .route("/release-trains/{name}/candidates", post(candidates::cut))
        .route(
            "/release-trains/{name}/rollback/status",
            get(trains::rollback_status),
        )
        .route(
            "/release-trains/{name}/gates",
            axum::routing::put(train_gates::put),
        )
        .route(
            "/release-trains/{name}/participants/{service}",
            axum::routing::put(trains::participant_version),
        )
        .route(
            "/release-trains/{name}/promotions",
            get(promotions::panel).post(promotions::request),
        )
        .route(
            "/release-trains/{name}/promotions/approve",
            post(promotions::approve),
        )
        .route(
            "/release-trains/{name}/promotions/reject",
            post(promotions::reject),
        )
        .route(
            "/release-trains/{name}/promotions/cancel",
            post(promotions::cancel),
        )
        .route(
            "/release-trains/{name}/promotions/break-glass",
            post(promotions::break_glass),
        )
        .route("/promotion-policies", get(promotions::policies))
        .route(
            "/promotion-policies/{environment}",
            axum::routing::put(promotions::put_policy),
        )
        .route(
            "/release-trains/{name}/evidence",
            get(evidence::bundle)
                .post(evidence_upload::upload_form)
                // The service counts the bytes itself and answers 413 in JSON.
                .layer(DefaultBodyLimit::disable()),
        )
        .route(
            "/release-trains/{name}/evidence/{artifact}",
            get(evidence::download)
                .put(evidence_upload::upload_raw)
                .delete(evidence::remove)
                .layer(DefaultBodyLimit::disable()),
        )
        .route(
            "/release-trains/{name}/evidence.tar.gz",
            get(evidence::archive),
        )
        .route("/evidence", get(evidence::list))
        .route(
            "/schemas/release-metadata.json",
            get(evidence::metadata_schema),
        )
        .route("/services", get(services::list).post(services::create))
        .route(
            "/services/{name}",
            get(services::detail)
                .put(services::put)
                .delete(services::retire),
        )
        .route(
            "/services/{name}/status",
            get(services::status).put(services::update),
        )
        .route("/services/{name}/health", post(health::report))
        .route("/calendar", get(calendar::calendar))
        .route(
            "/tracks",
            get(calendar::tracks).post(calendar::create_track),
        )
        .route(
            "/tracks/{name}",
            axum::routing::put(calendar::update_track).delete(calendar::archive_track),
        )
        .route(
            "/environments",
            get(environments::list).post(environments::create),
        )
        .route(
            "/environments/{name}",
            get(environments::detail)
                .put(environments::put)
                .delete(environments::delete),
        )
        .route(
            "/gate-templates",
            get(gate_templates::list).post(gate_templates::create),
        )
        .route(
            "/gate-templates/{name}",
            get(gate_templates::detail)
                .put(gate_templates::put)
                .delete(gate_templates::delete),
        )
        .route("/config", post(config::import))
        .route("/openapi.json", get(openapi::document))
        .fallback(error::not_found)
        .layer(axum::middleware::from_fn(error::refuse_control_in_address))
}
