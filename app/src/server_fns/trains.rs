use crate::error::AppError;
use crate::models::dashboard::DashboardData;
use crate::models::train_page::{CellHistory, TrainFilter, TrainList, TrainPageData};
use crate::models::TrainRow;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::context::{serve, serve_cached},
    crate::services::{train_views, trains},
};

/// Every train, newest first.
#[server(prefix = "/sfn", endpoint = "trains/list")]
pub async fn list_trains() -> Result<Vec<TrainRow>, AppError> {
    serve(|c| async move { crate::services::calendar::list_trains(&c.pool, &c.actor, 500).await })
        .await
}

/// One page of `/trains` with its filters.
#[server(prefix = "/sfn", endpoint = "trains/page")]
pub async fn get_train_list(filter: TrainFilter) -> Result<TrainList, AppError> {
    serve_cached(&format!("trains {filter:?}"), |c| async move {
        train_views::train_list(&c.pool, &c.actor, &filter).await
    })
    .await
}

#[server(prefix = "/sfn", endpoint = "trains/detail")]
pub async fn train_page(name: String) -> Result<TrainPageData, AppError> {
    serve_cached(&format!("train {name}"), |c| async move {
        train_views::train_page(&c.pool, &c.actor, &name, c.now).await
    })
    .await
}

#[server(prefix = "/sfn", endpoint = "trains/cell")]
pub async fn get_cell_history(
    train: String,
    participant: String,
    gate: String,
) -> Result<CellHistory, AppError> {
    serve(|c| async move {
        train_views::cell_history(&c.pool, &c.actor, &train, &participant, &gate).await
    })
    .await
}

#[server(prefix = "/sfn", endpoint = "dashboard")]
pub async fn dashboard() -> Result<DashboardData, AppError> {
    serve_cached("dashboard", |c| async move {
        train_views::dashboard(&c.pool, &c.actor, c.now).await
    })
    .await
}

/// Moves a train through its state machine (pause and resume included).
#[server(prefix = "/sfn", endpoint = "trains/transition")]
pub async fn transition_train(
    name: String,
    to: String,
    reason: Option<String>,
) -> Result<(), AppError> {
    use crate::domain::TrainState;
    use crate::models::train::TrainUpdate;
    serve(|c| async move {
        let to = TrainState::parse(&to).map_err(|e| crate::error::bad_field("to", e))?;
        let update = TrainUpdate {
            status: Some(to),
            reason: reason.filter(|r| !r.trim().is_empty()),
            ..TrainUpdate::default()
        };
        trains::update_train(&c.pool, &c.actor, &name, update, c.now)
            .await
            .map(|_| ())
    })
    .await
}

/// Cuts a running release-candidate train's next candidate, with the reason.
#[server(prefix = "/sfn", endpoint = "trains/candidate")]
pub async fn cut_candidate(name: String, reason: String) -> Result<(), AppError> {
    serve(|c| async move {
        trains::cut_candidate(&c.pool, &c.actor, &name, &reason, c.now)
            .await
            .map(|_| ())
    })
    .await
}

/// Rolls a train back, with the reason.
#[server(prefix = "/sfn", endpoint = "trains/rollback")]
pub async fn rollback_train(
    name: String,
    reason: String,
    environment: Option<String>,
) -> Result<(), AppError> {
    use crate::models::train::RollbackRequest;
    let request = RollbackRequest {
        reason,
        dry_run: false,
        force: false,
        environment: environment.filter(|e| !e.is_empty() && e != "all"),
    };
    serve(|c| async move {
        trains::rollback(&c.pool, &c.actor, &name, request, c.now)
            .await
            .map(|_| ())
    })
    .await
}

/// `/trains/new`: the form read into seed 002's create body, then the same
/// service call as `POST /api/v1/release-trains`; on success, the train's
/// page.
#[allow(clippy::too_many_arguments)]
#[server(prefix = "/sfn", endpoint = "trains/create")]
pub async fn create_train_by_hand(
    name: String,
    track: String,
    tag: String,
    target_version: String,
    participants: String,
    dependencies: String,
    planned_start: String,
    captain: String,
    on_call: String,
) -> Result<(), AppError> {
    use crate::models::train_form::NewTrainForm;
    let form = NewTrainForm {
        name,
        track,
        tag,
        target_version,
        participants,
        dependencies,
        planned_start,
        captain,
        on_call,
    };
    serve(|c| async move {
        let input = form
            .to_new_train()
            .map_err(|p| crate::error::bad_field(p.field, p.message))?;
        let created = trains::create_train(&c.pool, &c.actor, input, c.now).await?;
        leptos_axum::redirect(&format!("/trains/{}", created.name));
        Ok(())
    })
    .await
}

/// The train page's gates form: a YAML list of gate specs, and the reason
/// once the train has left planning.
#[server(prefix = "/sfn", endpoint = "trains/gates")]
pub async fn set_gates(name: String, gates: String, reason: String) -> Result<(), AppError> {
    use crate::domain::gates::spec::GateSpec;
    let specs: Vec<GateSpec> = serde_norway::from_str(&gates).map_err(|e| {
        crate::error::bad_field(
            "gates",
            format!("the gates are a YAML list (- check: build, - no_open_critical_vulns): {e}"),
        )
    })?;
    serve(|c| async move {
        trains::set_train_gates(&c.pool, &c.actor, &name, &specs, Some(&reason), c.now)
            .await
            .map(|_| ())
    })
    .await
}
