//! The gate templates page's doors: list, add (a preset, or gates written
//! as YAML), change and remove templates.

use crate::error::AppError;
use crate::models::gate_template::GateTemplateView;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
use {
    super::context::serve,
    crate::domain::gates::spec::GateSpec,
    crate::domain::gates::template::{presets, GateTemplateInput},
    crate::services::gate_templates as service,
};

#[server(prefix = "/sfn", endpoint = "gate-templates")]
pub async fn get_gate_templates() -> Result<Vec<GateTemplateView>, AppError> {
    serve(|c| async move { service::list_gate_templates(&c.pool, &c.actor).await }).await
}

/// The gates as the form writes them: a YAML list of gate specs.
#[cfg(feature = "ssr")]
fn gates_of(yaml: &str) -> Result<Vec<GateSpec>, AppError> {
    serde_norway::from_str(yaml).map_err(|e| {
        crate::error::bad_field(
            "gates",
            format!("the gates are a YAML list (- check: build, - no_open_critical_vulns): {e}"),
        )
    })
}

/// Adds a template; `gates` is a YAML list.
#[server(prefix = "/sfn", endpoint = "gate-templates/create")]
pub async fn add_gate_template(
    name: String,
    description: String,
    gates: String,
) -> Result<(), AppError> {
    let input = GateTemplateInput {
        name,
        description,
        gates: gates_of(&gates)?,
    };
    serve(|c| async move {
        service::create_gate_template(&c.pool, &c.actor, &input, c.now)
            .await
            .map(|_| ())
    })
    .await
}

/// Adds one of the shipped presets (seed 001's checks, seed 002's thresholds).
#[server(prefix = "/sfn", endpoint = "gate-templates/preset")]
pub async fn add_gate_preset(name: String) -> Result<(), AppError> {
    let input = presets()
        .into_iter()
        .find(|p| p.name == name)
        .ok_or_else(|| AppError::NotFound(format!("preset {name:?}")))?;
    serve(|c| async move {
        service::create_gate_template(&c.pool, &c.actor, &input, c.now)
            .await
            .map(|_| ())
    })
    .await
}

#[server(prefix = "/sfn", endpoint = "gate-templates/save")]
pub async fn save_gate_template(
    name: String,
    description: String,
    gates: String,
) -> Result<(), AppError> {
    let input = GateTemplateInput {
        name: name.clone(),
        description,
        gates: gates_of(&gates)?,
    };
    serve(|c| async move {
        service::update_gate_template(&c.pool, &c.actor, &name, &input, c.now)
            .await
            .map(|_| ())
    })
    .await
}

#[server(prefix = "/sfn", endpoint = "gate-templates/delete")]
pub async fn remove_gate_template(name: String, reason: String) -> Result<(), AppError> {
    serve(|c| async move {
        service::delete_gate_template(&c.pool, &c.actor, &name, &reason, c.now).await
    })
    .await
}
