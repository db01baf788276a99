//! The OpenAPI document of `/api/v1`, generated from the handlers and types.

use super::{
    calendar, candidates, config, environments, error, evidence, evidence_upload, gate_templates,
    health, promotions, services, train_gates, trains,
};
use axum::Json;
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Trainyard API",
        version = "1",
        description = "Release trains: planning, gates, execution, promotions, rollback, evidence bundles."
    ),
    paths(
        trains::list,
        trains::create,
        trains::detail,
        trains::status,
        trains::events,
        trains::update,
        trains::delete,
        trains::gate_results,
        trains::rollback,
        trains::rollback_status,
        trains::participant_version,
        candidates::cut,
        train_gates::put,
        promotions::panel,
        promotions::request,
        promotions::approve,
        promotions::reject,
        promotions::cancel,
        promotions::break_glass,
        promotions::policies,
        promotions::put_policy,
        environments::list,
        environments::create,
        environments::detail,
        environments::put,
        environments::delete,
        gate_templates::list,
        gate_templates::create,
        gate_templates::detail,
        gate_templates::put,
        gate_templates::delete,
        services::list,
        services::create,
        services::detail,
        services::put,
        services::retire,
        services::status,
        services::update,
        health::report,
        calendar::calendar,
        config::import,
        calendar::tracks,
        calendar::create_track,
        calendar::update_track,
        calendar::archive_track,
        evidence::list,
        evidence::bundle,
        evidence_upload::upload_form,
        evidence_upload::upload_raw,
        evidence::download,
        evidence::remove,
        evidence::archive,
        evidence::metadata_schema,
    ),
    components(schemas(error::ErrorBody))
)]
pub struct ApiDoc;

pub async fn document() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
