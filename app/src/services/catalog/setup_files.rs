//! The organisation's own files beside seed 002's: `services:` and
//! `tracks:` lists, imported before the trains that name them, each entry
//! after the ones it refers to.

use super::import::problem;
use super::parse::{Problem, SourceFile};
use super::report::{ImportError, ImportReport};
use super::Imported;
use crate::domain::environment_input::EnvironmentInput;
use crate::domain::gates::template::GateTemplateInput;
use crate::domain::service::graph::{layers, Node};
use crate::domain::service::ServiceInput;
use crate::domain::track_input::TrackInput;
use crate::error::AppError;
use crate::services::actor::Actor;
use crate::services::environments::import_environment;
use crate::services::gate_templates::import_gate_template;
use crate::services::service_catalog::import_service;
use crate::services::tracks::{import_track, order_as_listed};
use chrono::{DateTime, Utc};
use sqlx::PgConnection;

type Entries<'a, T> = [(&'a SourceFile, T)];

/// The entries, each after the entries of the same file set it refers to;
/// a circle is the first entry's problem.
fn in_order<'e, 'a, T>(
    entries: &'e Entries<'a, T>,
    name: impl Fn(&T) -> &str,
    refers_to: impl Fn(&T) -> Vec<&str>,
    what: &str,
) -> Result<Vec<&'e (&'a SourceFile, T)>, Problem> {
    let nodes: Vec<Node> = entries
        .iter()
        .map(|(_, e)| Node {
            service: name(e),
            depends_on: refers_to(e),
        })
        .collect();
    match layers(&nodes) {
        Ok(layers) => Ok(layers
            .into_iter()
            .flatten()
            .filter_map(|n| entries.iter().find(|(_, e)| name(e) == n))
            .collect()),
        Err(circle) => {
            let (file, first) = &entries[0];
            Err(problem(file, name(first), format!("{what}: {circle}")))
        }
    }
}

/// Whether an import error is the entry's problem (reported with its line)
/// rather than a failure of the whole import.
fn entry_problem(e: &AppError) -> bool {
    matches!(
        e,
        AppError::BadRequest { .. } | AppError::Unprocessable { .. } | AppError::Conflict(_)
    )
}

/// Imports the services, each after the ones it depends on.
pub(super) async fn import_services(
    tx: &mut PgConnection,
    actor: &Actor,
    services: &Entries<'_, ServiceInput>,
    report: &mut ImportReport,
    now: DateTime<Utc>,
) -> Result<Vec<Problem>, ImportError> {
    let order = match in_order(
        services,
        |s| &s.name,
        |s| s.depends_on.iter().map(String::as_str).collect(),
        "services depend on each other in a circle",
    ) {
        Ok(order) => order,
        Err(p) => return Ok(vec![p]),
    };
    let mut problems = Vec::new();
    for (file, input) in order {
        let name = input.name.clone();
        match import_service(tx, actor, input, now).await {
            Ok(Imported::Added) => report.services_added.push(name),
            Ok(Imported::Changed) => report.services_changed.push(name),
            Ok(Imported::Unchanged) => {}
            Err(e) if entry_problem(&e) => {
                problems.push(problem(file, &name, format!("service {name}: {e}")));
            }
            Err(e) => return Err(e.into()),
        }
    }
    Ok(problems)
}

/// Imports the environments, in the file's order.
pub(super) async fn import_environments(
    tx: &mut PgConnection,
    actor: &Actor,
    environments: &Entries<'_, EnvironmentInput>,
    report: &mut ImportReport,
    now: DateTime<Utc>,
) -> Result<Vec<Problem>, ImportError> {
    let mut problems = Vec::new();
    for (file, input) in environments {
        let name = input.name.clone();
        match import_environment(tx, actor, input, now).await {
            Ok(Imported::Added) => report.environments_added.push(name),
            Ok(Imported::Changed) => report.environments_changed.push(name),
            Ok(Imported::Unchanged) => {}
            Err(e) if entry_problem(&e) => {
                problems.push(problem(file, &name, format!("environment {name}: {e}")));
            }
            Err(e) => return Err(e.into()),
        }
    }
    Ok(problems)
}

/// Imports the gate templates, in the file's order.
pub(super) async fn import_gate_templates(
    tx: &mut PgConnection,
    actor: &Actor,
    templates: &Entries<'_, GateTemplateInput>,
    report: &mut ImportReport,
    now: DateTime<Utc>,
) -> Result<Vec<Problem>, ImportError> {
    let mut problems = Vec::new();
    for (file, input) in templates {
        let name = input.name.clone();
        match import_gate_template(tx, actor, input, now).await {
            Ok(Imported::Added) => report.gate_templates_added.push(name),
            Ok(Imported::Changed) => report.gate_templates_changed.push(name),
            Ok(Imported::Unchanged) => {}
            Err(e) if entry_problem(&e) => {
                problems.push(problem(file, &name, format!("gate template {name}: {e}")));
            }
            Err(e) => return Err(e.into()),
        }
    }
    Ok(problems)
}

/// Imports the tracks, each after the tracks it promotes to and patches.
pub(super) async fn import_tracks(
    tx: &mut PgConnection,
    actor: &Actor,
    tracks: &Entries<'_, TrackInput>,
    report: &mut ImportReport,
    now: DateTime<Utc>,
) -> Result<Vec<Problem>, ImportError> {
    let order = match in_order(
        tracks,
        |t| &t.name,
        |t| {
            t.promotes_to
                .iter()
                .chain(t.patches.iter())
                .map(String::as_str)
                .collect()
        },
        "tracks promote to or patch each other in a circle",
    ) {
        Ok(order) => order,
        Err(p) => return Ok(vec![p]),
    };
    let mut problems = Vec::new();
    for (file, input) in order {
        let name = input.name.clone();
        match import_track(tx, actor, input, now).await {
            Ok(Imported::Added) => report.tracks_added.push(name),
            Ok(Imported::Changed) => report.tracks_changed.push(name),
            Ok(Imported::Unchanged) => {}
            Err(e) if entry_problem(&e) => {
                problems.push(problem(file, &name, format!("track {name}: {e}")));
            }
            Err(e) => return Err(e.into()),
        }
    }
    let added: Vec<String> = tracks
        .iter()
        .map(|(_, t)| t.name.trim().to_owned())
        .filter(|name| report.tracks_added.contains(name))
        .collect();
    if added.len() > 1 {
        order_as_listed(tx, &added).await?;
    }
    Ok(problems)
}
