//! The service catalog's pages: list, one service, add, change, retire.

use crate::error::AppError;
use crate::models::service::{ServiceCatalog, ServicePage};
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use {
    super::context::serve, crate::domain::service::ServiceInput,
    crate::services::service_catalog as catalog,
};

#[server(prefix = "/sfn", endpoint = "services/catalog")]
pub async fn get_service_catalog() -> Result<ServiceCatalog, AppError> {
    serve(|c| async move { catalog::service_catalog(&c.pool, &c.actor).await }).await
}

#[server(prefix = "/sfn", endpoint = "services/page")]
pub async fn get_service_page(name: Option<String>) -> Result<ServicePage, AppError> {
    serve(|c| async move { catalog::service_page(&c.pool, &c.actor, name.as_deref()).await }).await
}

/// Adds a service (no `existing`) or changes `existing`. Owners come one per
/// line or separated by commas; dependencies are the ticked `depends_on[]`.
#[server(prefix = "/sfn", endpoint = "services/save")]
pub async fn save_service(
    existing: Option<String>,
    name: String,
    description: String,
    repository: String,
    owners: String,
    depends_on: Option<Vec<String>>,
) -> Result<(), AppError> {
    let input = ServiceInput {
        name,
        description,
        repository: Some(repository),
        owners: owners
            .split([',', '\n'])
            .map(str::trim)
            .filter(|o| !o.is_empty())
            .map(str::to_owned)
            .collect(),
        depends_on: depends_on.unwrap_or_default(),
    };
    let saved = serve(|c| async move {
        match existing {
            None => catalog::create_service(&c.pool, &c.actor, &input, c.now).await,
            Some(name) => catalog::update_service(&c.pool, &c.actor, &name, &input, c.now).await,
        }
    })
    .await;
    match saved {
        Ok(view) => {
            leptos_axum::redirect(&format!("/admin/services/{}", view.name));
            Ok(())
        }
        Err(e) => Err(one_field_per_list(e)),
    }
}

#[server(prefix = "/sfn", endpoint = "services/retire")]
pub async fn retire_service(name: String, reason: String) -> Result<(), AppError> {
    let saved = serve(|c| async move {
        catalog::retire_service(&c.pool, &c.actor, &name, &reason, c.now).await
    })
    .await;
    saved.map(|view| leptos_axum::redirect(&format!("/admin/services/{}", view.name)))
}

/// The form has one field per list (`owners`, `depends_on`); the service
/// names the item (`owners[2]`).
#[cfg(feature = "ssr")]
fn one_field_per_list(e: AppError) -> AppError {
    let list =
        |field: Option<String>| field.map(|f| f.split('[').next().unwrap_or_default().to_owned());
    e.map_field(|field, message| (list(field), message))
}
