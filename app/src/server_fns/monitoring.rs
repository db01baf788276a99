//! The service page: where it runs, its deployments, its health charts.

use crate::error::AppError;
use crate::models::monitoring::ServiceMonitorPage;
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use {super::context::serve, crate::services::monitoring as service};

#[server(prefix = "/sfn", endpoint = "services/monitor")]
pub async fn get_service_monitor(
    name: String,
    hours: Option<u32>,
) -> Result<ServiceMonitorPage, AppError> {
    serve(|c| async move {
        service::service_monitor_page(&c.pool, &c.reads, &c.actor, &name, hours, c.now).await
    })
    .await
}
