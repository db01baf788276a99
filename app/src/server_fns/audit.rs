use crate::error::AppError;
use crate::models::audit::{AuditFilter, AuditListing};
use leptos::prelude::*;

#[server(prefix = "/sfn", endpoint = "audit/records")]
pub async fn audit_records(filter: AuditFilter) -> Result<AuditListing, AppError> {
    let pool = crate::server_fns::context::pool()?;
    super::with_status(
        crate::services::audit_log::list(&pool, &crate::server_fns::context::actor(), &filter)
            .await,
    )
}
