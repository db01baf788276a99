use crate::error::AppError;
use crate::models::access::{CreatedToken, TokenSummary};
use crate::models::audit::ChainCheck;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {super::context::serve, crate::services::tokens};

#[server(prefix = "/sfn", endpoint = "admin/tokens")]
pub async fn list_tokens() -> Result<Vec<TokenSummary>, AppError> {
    serve(|c| async move { tokens::list_tokens(&c.pool, &c.actor, c.now).await }).await
}

/// Creates a token from the admin form: one checkbox per scope, and the
/// tracks and trains it is limited to (both blank: every train).
#[allow(clippy::too_many_arguments)]
#[server(prefix = "/sfn", endpoint = "admin/tokens/create")]
pub async fn create_token(
    name: String,
    gates_write: Option<String>,
    evidence_write: Option<String>,
    trains_write: Option<String>,
    deployments_write: Option<String>,
    incidents_write: Option<String>,
    tracks: Option<String>,
    trains: Option<String>,
    expires_in_days: Option<String>,
) -> Result<CreatedToken, AppError> {
    let scopes: Vec<&str> = [
        (gates_write, "gates:write"),
        (evidence_write, "evidence:write"),
        (trains_write, "trains:write"),
        (deployments_write, "deployments:write"),
        (incidents_write, "incidents:write"),
    ]
    .into_iter()
    .filter_map(|(on, scope)| on.map(|_| scope))
    .collect();
    serve(|c| async move {
        let expires_in_days = match expires_in_days.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(days) => Some(days.parse::<i64>().map_err(|_| {
                crate::error::bad_field(
                    "expires_in_days",
                    format!("{days:?} is not a number of days"),
                )
            })?),
        };
        let scopes = scopes.join(",");
        tokens::create_token(
            &c.pool,
            &c.actor,
            &name,
            &scopes,
            tracks.as_deref().unwrap_or_default(),
            trains.as_deref().unwrap_or_default(),
            expires_in_days,
            c.now,
        )
        .await
    })
    .await
}

#[server(prefix = "/sfn", endpoint = "admin/tokens/revoke")]
pub async fn revoke_token(name: String) -> Result<(), AppError> {
    serve(|c| async move { tokens::revoke_token(&c.pool, &c.actor, &name, c.now).await }).await
}

#[server(prefix = "/sfn", endpoint = "admin/audit/verify")]
pub async fn verify_audit() -> Result<ChainCheck, AppError> {
    serve(|c| async move { crate::services::audit_log::check(&c.pool, &c.actor).await }).await
}

#[server(prefix = "/sfn", endpoint = "setup/status")]
pub async fn setup_status() -> Result<crate::models::setup::SetupStatus, AppError> {
    serve(|c| async move { crate::services::setup::setup_status(&c.pool, &c.actor).await }).await
}
