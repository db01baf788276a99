//! The deployments page: what runs where, and what CD reported lately.

use crate::error::AppError;
use crate::models::deployment::DeploymentsPage;
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use {super::context::serve, crate::services::deployments as service};

#[server(prefix = "/sfn", endpoint = "deployments/page")]
pub async fn get_deployments_page() -> Result<DeploymentsPage, AppError> {
    serve(|c| async move {
        let running = service::running_matrix(&c.pool, &c.reads, &c.actor).await?;
        let recent = service::list_deployments(&c.pool, &c.actor, &Default::default()).await?;
        Ok(DeploymentsPage { running, recent })
    })
    .await
}

#[server(prefix = "/sfn", endpoint = "deployments/compare")]
pub async fn get_environment_diff(
    from: String,
    to: String,
) -> Result<crate::models::environment_diff::EnvironmentDiff, AppError> {
    serve(|c| async move { service::compare_environments(&c.pool, &c.actor, &from, &to).await })
        .await
}
