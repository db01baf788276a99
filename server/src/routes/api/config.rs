//! `POST /api/v1/config`: config as code for a CI job, the same import as
//! `server import` (all or nothing, or only the plan).

use super::allowed::{Allowed, ManageTracks};
use super::error::{ApiError, ApiJson, ApiResult, ErrorBody};
use crate::startup::AppState;
use app::domain::evidence::Violation;
use app::error::AppError;
use app::services::catalog::{self, ImportError, ImportReport, SourceFile};
use axum::extract::State;
use axum::Json;
use chrono::Utc;
use serde::{Deserialize, Serialize};

/// The organisation's files, as `server import` reads them from a directory.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConfigFiles {
    /// Each file's path (`config/services.yaml`, `config/environments.yaml`, `config/tracks.yaml`,
    /// `catalog/release-trains.yaml`, `config/upgrade-policies.yaml`; the
    /// top-level key decides how it is read) and its YAML text.
    pub files: Vec<ConfigFile>,
    /// Answer the plan and change nothing.
    #[serde(default)]
    pub dry_run: bool,
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    pub path: String,
    pub text: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ConfigResult {
    /// True when nothing was changed: this is the plan.
    pub dry_run: bool,
    #[serde(flatten)]
    pub report: ImportReport,
}

#[utoipa::path(
    post,
    path = "/config",
    tag = "config",
    request_body = ConfigFiles,
    responses(
        (status = 200, description = "Imported, or (dry_run) the plan", body = ConfigResult),
        (status = 400, body = ErrorBody),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 422, description = "Nothing was imported: `violations` lists every problem, \
                                      its `pointer` being `file:line`", body = ErrorBody)
    )
)]
pub async fn import(
    Allowed(actor, _): Allowed<ManageTracks>,
    State(state): State<AppState>,
    ApiJson(body): ApiJson<ConfigFiles>,
) -> ApiResult<Json<ConfigResult>> {
    let files: Vec<SourceFile> = body
        .files
        .into_iter()
        .map(|f| SourceFile {
            path: f.path,
            text: f.text,
        })
        .collect();
    let now = Utc::now();
    let (pool, dry_run) = (state.pool.clone(), body.dry_run);
    // The import's future borrows its files across awaits in a way rustc
    // cannot yet prove Send for every lifetime, so it runs on a blocking
    // thread of its own (an admin's rare request), driven by this runtime.
    let runtime = tokio::runtime::Handle::current();
    let result = tokio::task::spawn_blocking(move || {
        runtime.block_on(async move {
            if dry_run {
                catalog::plan(&pool, &actor, &files, now).await
            } else {
                catalog::import(&pool, &actor, &files, now).await
            }
        })
    })
    .await
    .map_err(|e| {
        tracing::error!(error = %e, "the config import task failed");
        ApiError(AppError::Internal)
    })?;
    match result {
        Ok(report) => Ok(Json(ConfigResult {
            dry_run: body.dry_run,
            report,
        })),
        Err(ImportError::Failed(e)) => Err(ApiError(e)),
        Err(ImportError::Problems(problems)) => Err(ApiError(AppError::SchemaViolations {
            field: Some("files".to_owned()),
            message: format!("{} problem(s); nothing was imported", problems.len()),
            violations: problems
                .into_iter()
                .map(|p| Violation {
                    pointer: match p.line {
                        Some(line) => format!("{}:{line}", p.file),
                        None => p.file,
                    },
                    message: p.message,
                })
                .collect(),
        })),
    }
}
