use crate::error::AppError;
use crate::models::access::{CreatedToken, TokenSummary};
use crate::models::audit::ChainCheck;
use leptos::prelude::*;

#[server(prefix = "/sfn", endpoint = "admin/tokens")]
pub async fn list_tokens() -> Result<Vec<TokenSummary>, AppError> {
    let pool = crate::server_fns::context::pool()?;
    super::with_status(
        crate::services::tokens::list_tokens(
            &pool,
            &crate::server_fns::context::actor(),
            chrono::Utc::now(),
        )
        .await,
    )
}

/// Creates a token from the admin form: one checkbox per scope.
#[server(prefix = "/sfn", endpoint = "admin/tokens/create")]
pub async fn create_token(
    name: String,
    gates_write: Option<String>,
    evidence_write: Option<String>,
    trains_write: Option<String>,
    expires_in_days: Option<String>,
) -> Result<CreatedToken, AppError> {
    let scopes: Vec<&str> = [
        (gates_write, "gates:write"),
        (evidence_write, "evidence:write"),
        (trains_write, "trains:write"),
    ]
    .into_iter()
    .filter_map(|(on, scope)| on.map(|_| scope))
    .collect();
    let expires_in_days = match expires_in_days.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(days) => Some(days.parse::<i64>().map_err(|_| AppError::BadRequest {
            field: Some("expires_in_days".into()),
            message: format!("{days:?} is not a number of days"),
        })?),
    };
    let pool = crate::server_fns::context::pool()?;
    super::with_status(
        crate::services::tokens::create_token(
            &pool,
            &crate::server_fns::context::actor(),
            &name,
            &scopes.join(","),
            expires_in_days,
            chrono::Utc::now(),
        )
        .await,
    )
}

#[server(prefix = "/sfn", endpoint = "admin/tokens/revoke")]
pub async fn revoke_token(name: String) -> Result<(), AppError> {
    let pool = crate::server_fns::context::pool()?;
    super::with_status(
        crate::services::tokens::revoke_token(
            &pool,
            &crate::server_fns::context::actor(),
            &name,
            chrono::Utc::now(),
        )
        .await,
    )
}

#[server(prefix = "/sfn", endpoint = "admin/audit/verify")]
pub async fn verify_audit() -> Result<ChainCheck, AppError> {
    let pool = crate::server_fns::context::pool()?;
    super::with_status(
        crate::services::audit_log::check(&pool, &crate::server_fns::context::actor()).await,
    )
}
