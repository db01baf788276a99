//! The environments page's doors: list, add and remove environments (their
//! policies are saved through `promotions::save_policy`).

use crate::error::AppError;
use crate::models::environment::EnvironmentView;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::context::serve, crate::domain::environment_input::EnvironmentInput,
    crate::services::environments,
};

#[server(prefix = "/sfn", endpoint = "environments")]
pub async fn get_environments() -> Result<Vec<EnvironmentView>, AppError> {
    serve(|c| async move { environments::list_environments(&c.pool, &c.actor).await }).await
}

/// Adds an environment with its kind's policy; it goes last in the order.
#[server(prefix = "/sfn", endpoint = "environments/create")]
pub async fn add_environment(
    name: String,
    kind: String,
    description: String,
) -> Result<(), AppError> {
    let input = EnvironmentInput {
        name,
        kind,
        description,
        ..EnvironmentInput::default()
    };
    serve(|c| async move {
        environments::create_environment(&c.pool, &c.actor, &input, c.now)
            .await
            .map(|_| ())
    })
    .await
}

#[server(prefix = "/sfn", endpoint = "environments/delete")]
pub async fn remove_environment(name: String, reason: String) -> Result<(), AppError> {
    serve(|c| async move {
        environments::delete_environment(&c.pool, &c.actor, &name, &reason, c.now).await
    })
    .await
}
