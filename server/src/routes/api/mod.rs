//! REST API v1 (`/api/v1`), shaped after seed 002. Handlers only parse the
//! request, call the service layer, and shape the response.

mod allowed;
mod calendar;
mod candidates;
mod config;
mod deployments;
mod environments;
pub mod error;
mod evidence;
pub(crate) mod evidence_upload;
mod gate_templates;
mod health;
mod idempotency_header;
mod incidents;
mod metrics;
mod monitoring;
mod notes_publish;
mod openapi;
mod promotions;
mod release_notes;
mod request_schema;
pub mod required;
mod services;
mod train_gates;
mod trains;
mod webhooks;

pub use crate::auth::actor::RequestActor;
use crate::startup::AppState;
use axum::extract::DefaultBodyLimit;
use axum::Router;
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouter};
use utoipa_axum::routes;

/// The API's routes and, from the same list, its OpenAPI document (served
/// at `/api/v1/openapi.json`): a route cannot exist undocumented.
pub fn router() -> Router<AppState> {
    let (router, paths) = OpenApiRouter::new()
        .routes(routes!(trains::list, trains::create))
        .routes(routes!(trains::detail, trains::update, trains::delete))
        .routes(routes!(trains::status))
        .routes(routes!(trains::events))
        .routes(routes!(trains::gate_results))
        .routes(routes!(trains::rollback))
        .routes(routes!(candidates::cut))
        .routes(routes!(trains::rollback_status))
        .routes(routes!(train_gates::put))
        .routes(routes!(trains::participant_version))
        .routes(routes!(promotions::panel, promotions::request))
        .routes(routes!(promotions::approve))
        .routes(routes!(promotions::reject))
        .routes(routes!(promotions::cancel))
        .routes(routes!(promotions::break_glass))
        .routes(routes!(promotions::policies))
        .routes(routes!(promotions::put_policy))
        // The evidence service counts the bytes itself and answers 413 in JSON.
        .routes(unlimited(routes!(
            evidence::bundle,
            evidence_upload::upload_form
        )))
        .routes(unlimited(routes!(
            evidence::download,
            evidence_upload::upload_raw,
            evidence::remove
        )))
        .routes(routes!(evidence::archive))
        .routes(routes!(evidence::list))
        .routes(routes!(evidence::metadata_schema))
        .routes(routes!(services::list, services::create))
        .routes(routes!(services::detail, services::put, services::retire))
        .routes(routes!(services::status, services::update))
        .routes(routes!(health::report))
        .routes(routes!(calendar::calendar))
        .routes(routes!(calendar::tracks, calendar::create_track))
        .routes(routes!(calendar::update_track, calendar::archive_track))
        .routes(routes!(environments::list, environments::create))
        .routes(routes!(
            environments::detail,
            environments::put,
            environments::delete
        ))
        .routes(routes!(gate_templates::list, gate_templates::create))
        .routes(routes!(
            gate_templates::detail,
            gate_templates::put,
            gate_templates::delete
        ))
        .routes(routes!(config::import))
        .routes(routes!(release_notes::report, release_notes::list))
        .routes(routes!(release_notes::by_service))
        .routes(routes!(release_notes::notes))
        .routes(routes!(release_notes::markdown))
        .routes(routes!(notes_publish::draft, notes_publish::save_draft))
        .routes(routes!(notes_publish::publish))
        .routes(routes!(notes_publish::post_release))
        .routes(routes!(
            notes_publish::announcement,
            notes_publish::save_announcement
        ))
        .routes(routes!(notes_publish::versions))
        .routes(routes!(notes_publish::version))
        .routes(routes!(notes_publish::version_markdown))
        .routes(routes!(
            release_notes::categories,
            release_notes::set_categories
        ))
        .routes(routes!(webhooks::list, webhooks::create))
        .routes(routes!(webhooks::detail, webhooks::put, webhooks::delete))
        .routes(routes!(webhooks::rotate))
        .routes(routes!(webhooks::deliveries))
        .routes(routes!(webhooks::redeliver))
        .routes(routes!(webhooks::send_test))
        .routes(routes!(webhooks::event_types))
        .routes(routes!(webhooks::event_schema))
        .routes(routes!(deployments::report, deployments::list))
        .routes(routes!(deployments::detail, deployments::update))
        .routes(routes!(deployments::running))
        .routes(routes!(deployments::compare))
        .routes(routes!(incidents::report, incidents::list))
        .routes(routes!(incidents::detail))
        .routes(routes!(incidents::link))
        .routes(routes!(incidents::pagerduty))
        .routes(routes!(metrics::success))
        .routes(routes!(metrics::dora))
        .routes(routes!(metrics::deploys))
        .routes(routes!(monitoring::train))
        .routes(routes!(monitoring::health))
        .routes(routes!(monitoring::performance))
        .split_for_parts();
    router
        .route("/openapi.json", axum::routing::get(openapi::serve(paths)))
        .fallback(error::not_found)
        .layer(axum::middleware::from_fn(error::refuse_control_in_address))
        .layer(axum::middleware::from_fn(required::refuse_before_body))
}

/// The routes with no body limit of axum's own.
fn unlimited(
    (schemas, paths, methods): UtoipaMethodRouter<AppState>,
) -> UtoipaMethodRouter<AppState> {
    (schemas, paths, methods.layer(DefaultBodyLimit::disable()))
}
