use super::export::export_train;
use super::parse::{line_of, parse, Parsed, Problem, SourceFile};
use super::report::{ImportError, ImportReport};
use super::setup_files::{
    import_environments, import_gate_templates, import_services, import_tracks,
};
use crate::domain::access::{Action, Resource};
use crate::domain::change::Change;
use crate::domain::environment_input::EnvironmentInput;
use crate::domain::gates::template::GateTemplateInput;
use crate::domain::service::ServiceInput;
use crate::domain::track_input::TrackInput;
use crate::domain::TrainState;
use crate::error::{AppError, ResultExt};
use crate::models::catalog::{CatalogTrain, ReleaseTrainPolicies};
use crate::models::train::{NewTrain, RequirementInput};
use crate::services::access::authorize;
use crate::services::actor::Actor;
use crate::services::changes;
use crate::services::trains::create_train_in;
use crate::services::webhooks::policy_effects;
use chrono::{DateTime, Utc};
use sqlx::{PgConnection, PgPool};
use std::collections::HashMap;

/// Imports every file or nothing: all entries are checked, every problem is
/// reported with its file and line, and one transaction writes them all.
pub async fn import(
    pool: &PgPool,
    actor: &Actor,
    files: &[SourceFile],
    now: DateTime<Utc>,
) -> Result<ImportReport, ImportError> {
    run(pool, actor, files, now, Outcome::Commit).await
}

/// What [`import`] would do, and its problems, without changing anything:
/// the same import, rolled back at the end, so the plan is exactly what an
/// import would write.
pub async fn plan(
    pool: &PgPool,
    actor: &Actor,
    files: &[SourceFile],
    now: DateTime<Utc>,
) -> Result<ImportReport, ImportError> {
    run(pool, actor, files, now, Outcome::RollBack).await
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Commit,
    RollBack,
}

async fn run(
    pool: &PgPool,
    actor: &Actor,
    files: &[SourceFile],
    now: DateTime<Utc>,
    outcome: Outcome,
) -> Result<ImportReport, ImportError> {
    let mut tx = crate::services::audit::begin_write(pool).await?;
    let report = match import_in(&mut tx, actor, files, now).await {
        Ok(report) => report,
        Err(e) => {
            tx.rollback().await?;
            return Err(e);
        }
    };
    match outcome {
        Outcome::Commit => tx.commit().await?,
        Outcome::RollBack => tx.rollback().await?,
    }
    Ok(report)
}

/// Imports every file inside the caller's transaction, which the caller
/// rolls back when this fails: services, environments, gate templates and
/// tracks first, each after what it refers to, then the policies and the
/// trains.
pub(crate) async fn import_in(
    tx: &mut PgConnection,
    actor: &Actor,
    files: &[SourceFile],
    now: DateTime<Utc>,
) -> Result<ImportReport, ImportError> {
    authorize(actor, Action::ManageTracks, &Resource::Tracks)?;
    authorize(actor, Action::ManageServices, &Resource::Tracks)?;
    authorize(actor, Action::ManagePolicy, &Resource::Gates)?;
    authorize(actor, Action::ManageGates, &Resource::Gates)?;
    let Definitions {
        trains,
        policies,
        services,
        environments,
        templates,
        tracks,
    } = read_files(files)?;

    let mut report = ImportReport::default();
    let mut problems = import_services(tx, actor, &services, &mut report, now).await?;
    problems.extend(import_environments(tx, actor, &environments, &mut report, now).await?);
    problems.extend(import_gate_templates(tx, actor, &templates, &mut report, now).await?);
    problems.extend(import_tracks(tx, actor, &tracks, &mut report, now).await?);
    if let Some(p) = &policies {
        store_policies(tx, actor, p, now).await?;
        report.policies = true;
        if let Some(notifications) = &p.notifications {
            let effects = policy_effects(tx, notifications).await?;
            report.notifications_muted = effects.muted;
            report.notifications_unreached = effects.unreached;
        }
    }
    for (file, entry) in &trains {
        if let Some(p) = import_entry(tx, actor, file, entry, &mut report, now).await? {
            problems.push(p);
        }
    }
    if !problems.is_empty() {
        return Err(ImportError::Problems(problems));
    }
    Ok(report)
}

/// What the files define: services and trains, each with its file, and
/// maybe policies.
struct Definitions<'a> {
    trains: Vec<(&'a SourceFile, CatalogTrain)>,
    policies: Option<ReleaseTrainPolicies>,
    services: Vec<(&'a SourceFile, ServiceInput)>,
    environments: Vec<(&'a SourceFile, EnvironmentInput)>,
    templates: Vec<(&'a SourceFile, GateTemplateInput)>,
    tracks: Vec<(&'a SourceFile, TrackInput)>,
}

/// The trains and the policies the files define; a file that does not
/// parse, or a train defined twice, is a problem and nothing is imported.
fn read_files(files: &[SourceFile]) -> Result<Definitions<'_>, ImportError> {
    let mut problems = Vec::new();
    let mut trains: Vec<(&SourceFile, CatalogTrain)> = Vec::new();
    let mut policies: Option<ReleaseTrainPolicies> = None;
    let mut services: Vec<(&SourceFile, ServiceInput)> = Vec::new();
    let mut tracks: Vec<(&SourceFile, TrackInput)> = Vec::new();
    let mut environments: Vec<(&SourceFile, EnvironmentInput)> = Vec::new();
    let mut templates: Vec<(&SourceFile, GateTemplateInput)> = Vec::new();
    for file in files {
        match parse(file) {
            Ok(Parsed::Catalog(c)) => trains.extend(c.trains.into_iter().map(|t| (file, t))),
            Ok(Parsed::Policies(p)) => policies = Some(p.release_trains),
            Ok(Parsed::Services(s)) => services.extend(s.services.into_iter().map(|s| (file, s))),
            Ok(Parsed::Tracks(t)) => tracks.extend(t.tracks.into_iter().map(|t| (file, t))),
            Ok(Parsed::GateTemplates(g)) => {
                templates.extend(g.gate_templates.into_iter().map(|g| (file, g)))
            }
            Ok(Parsed::Environments(e)) => {
                environments.extend(e.environments.into_iter().map(|e| (file, e)))
            }
            Err(p) => problems.push(p),
        }
    }
    let names = trains
        .iter()
        .map(|(f, t)| (*f, "train", t.name.as_str()))
        .chain(
            services
                .iter()
                .map(|(f, s)| (*f, "service", s.name.as_str())),
        )
        .chain(tracks.iter().map(|(f, t)| (*f, "track", t.name.as_str())))
        .chain(
            environments
                .iter()
                .map(|(f, e)| (*f, "environment", e.name.as_str())),
        )
        .chain(
            templates
                .iter()
                .map(|(f, g)| (*f, "gate template", g.name.as_str())),
        );
    let mut seen: HashMap<(&str, &str), &str> = HashMap::new();
    for (file, kind, name) in names {
        if let Some(first) = seen.insert((kind, name), &file.path) {
            problems.push(problem(
                file,
                name,
                format!("{kind} {name} is also defined in {first}"),
            ));
        }
    }
    if !problems.is_empty() {
        return Err(ImportError::Problems(problems));
    }
    Ok(Definitions {
        trains,
        policies,
        services,
        environments,
        templates,
        tracks,
    })
}

/// Stores the imported release-train policies, replacing any before them.
async fn store_policies(
    tx: &mut PgConnection,
    actor: &Actor,
    p: &ReleaseTrainPolicies,
    now: DateTime<Utc>,
) -> Result<(), ImportError> {
    let value = serde_json::to_value(p).or_internal("writing the imported policy")?;
    sqlx::query!(
        "INSERT INTO setting (key, value) VALUES ('release_trains', $1)
             ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()",
        value
    )
    .execute(&mut *tx)
    .await?;
    let change = Change::PolicyImported {
        policy: value.clone(),
    };
    changes::record(tx, actor, change, now).await?;
    Ok(())
}

/// Imports one catalog entry: an identical train stays, a train still in
/// planning is replaced, a new one is created; the entry's problem if any.
async fn import_entry(
    tx: &mut PgConnection,
    actor: &Actor,
    file: &SourceFile,
    entry: &CatalogTrain,
    report: &mut ImportReport,
    now: DateTime<Utc>,
) -> Result<Option<Problem>, ImportError> {
    let wanted = entry.status.unwrap_or(TrainState::Planning);
    if let Some(existing) = export_train(tx, &entry.name).await? {
        if same_definition(&existing, entry) {
            report.unchanged.push(entry.name.clone());
            return Ok(None);
        }
        if existing.status != Some(TrainState::Planning) {
            let state = existing.status.map(|s| s.to_string()).unwrap_or_default();
            return Ok(Some(problem(
                file,
                &entry.name,
                format!(
                    "{} is {state}: only a train in planning can be redefined",
                    entry.name
                ),
            )));
        }
        sqlx::query!("DELETE FROM train WHERE name = $1", entry.name)
            .execute(&mut *tx)
            .await?;
        report.replaced.push(entry.name.clone());
    } else {
        report.created.push(entry.name.clone());
    }
    if wanted != TrainState::Planning {
        return Ok(Some(problem(
            file,
            &entry.name,
            format!(
                "status {wanted}: a catalog plans trains; \
                 later states are reached through transitions"
            ),
        )));
    }
    create_entry(tx, actor, file, entry, now).await
}

/// Creates the entry's train with its catalog config, in a savepoint of its
/// own so that one bad entry does not hide the next one's problems.
async fn create_entry(
    tx: &mut PgConnection,
    actor: &Actor,
    file: &SourceFile,
    entry: &CatalogTrain,
    now: DateTime<Utc>,
) -> Result<Option<Problem>, ImportError> {
    sqlx::raw_sql("SAVEPOINT catalog_entry")
        .execute(&mut *tx)
        .await?;
    match create_train_in(tx, actor, new_train(entry), now).await {
        Ok(_) => {
            let config = serde_json::json!({
                "estimated_duration": entry.schedule.as_ref().and_then(|s| s.estimated_duration.clone()),
                "rollback": entry.rollback,
            });
            sqlx::query!(
                "UPDATE train SET config = jsonb_strip_nulls($2) WHERE name = $1",
                entry.name,
                config
            )
            .execute(&mut *tx)
            .await?;
            sqlx::raw_sql("RELEASE SAVEPOINT catalog_entry")
                .execute(&mut *tx)
                .await?;
            Ok(None)
        }
        Err(e) => {
            sqlx::raw_sql("ROLLBACK TO SAVEPOINT catalog_entry")
                .execute(&mut *tx)
                .await?;
            let what = match &e {
                AppError::BadRequest { field: Some(f), .. }
                | AppError::Unprocessable { field: Some(f), .. } => {
                    format!("{}: {f}: {e}", entry.name)
                }
                _ => format!("{}: {e}", entry.name),
            };
            Ok(Some(problem(file, &entry.name, what)))
        }
    }
}

/// The same train, however its lists are ordered (an export lists
/// participants in release order).
fn same_definition(existing: &CatalogTrain, entry: &CatalogTrain) -> bool {
    let normal = |t: &CatalogTrain| {
        let mut t = t.clone();
        t.status = Some(t.status.unwrap_or(TrainState::Planning));
        t.participants.sort_by(|a, b| a.service().cmp(b.service()));
        t.dependencies
            .sort_by(|a, b| (&a.spec, &a.library).cmp(&(&b.spec, &b.library)));
        t
    };
    normal(existing) == normal(entry)
}

pub(super) fn problem(file: &SourceFile, train: &str, message: String) -> Problem {
    Problem {
        file: file.path.clone(),
        line: line_of(&file.text, train),
        message,
    }
}

fn new_train(entry: &CatalogTrain) -> NewTrain {
    let requirement = |text: &str| {
        let text = text.trim();
        let (name, versions) = text.split_once(char::is_whitespace).unwrap_or((text, "*"));
        (name.to_owned(), Some(versions.trim().to_owned()))
    };
    NewTrain {
        name: entry.name.clone(),
        target_version: entry.target_version.clone(),
        participants: entry.participants.clone(),
        dependencies: entry
            .dependencies
            .iter()
            .map(|d| {
                let spec = d.spec.as_deref().map(requirement);
                let library = d.library.as_deref().map(requirement);
                let version = spec
                    .as_ref()
                    .or(library.as_ref())
                    .and_then(|(_, v)| v.clone());
                RequirementInput {
                    spec: spec.map(|(n, _)| n),
                    library: library.map(|(n, _)| n),
                    version,
                }
            })
            .collect(),
        gates: entry.gates.clone(),
        captain: entry.captain.clone(),
        track: entry.track.clone(),
        tag: entry.tag.clone(),
        planned_start: entry.schedule.as_ref().and_then(|s| s.start_time),
        on_call: entry.on_call.clone(),
    }
}
