//! The metrics page: seed 003's success metrics, DORA and the deploy
//! heat-maps for a window.

use crate::error::AppError;
use crate::models::metrics::{MetricsFilter, MetricsPage};
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use {super::context::serve, crate::services::metrics as service};

#[server(prefix = "/sfn", endpoint = "metrics/page")]
pub async fn get_metrics_page(filter: MetricsFilter) -> Result<MetricsPage, AppError> {
    serve(
        |c| async move { service::metrics_page(&c.pool, &c.reads, &c.actor, filter, c.now).await },
    )
    .await
}
