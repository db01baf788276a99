use crate::error::AppError;
use crate::models::audit::{AuditFilter, AuditListing};
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {super::context::serve, crate::services::audit_log};

#[server(prefix = "/sfn", endpoint = "audit/records")]
pub async fn audit_records(filter: AuditFilter) -> Result<AuditListing, AppError> {
    serve(|c| async move { audit_log::list(&c.pool, &c.actor, &filter).await }).await
}
