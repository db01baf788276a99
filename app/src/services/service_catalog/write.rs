//! Changing the catalog: add, change and retire services. Each write is one
//! transaction with its audit record; catalog writes hold the audit chain's
//! lock from the start, so two of them never check a cycle against a graph
//! the other is changing.

use super::read::{one, unfinished};
use crate::domain::access::{Action, Resource};
use crate::domain::calendar::edit::Reason;
use crate::domain::change::{Change, ServiceFields};
use crate::domain::service::graph::{layers, Node};
use crate::domain::service::{Invalid, ServiceInput, ServiceSpec};
use crate::error::{bad_field, AppError};
use crate::models::service::ServiceView;
use crate::services::access::authorize;
use crate::services::actor::Actor;
use crate::services::audit::begin_write;
use crate::services::catalog::Imported;
use crate::services::changes;
use chrono::{DateTime, Utc};
use sqlx::{PgConnection, PgPool};

/// Only admins (or a `config:write` token) change the catalog.
fn may_manage(actor: &Actor, service: &str) -> Result<(), AppError> {
    authorize(
        actor,
        Action::ManageServices,
        &Resource::Service(service.to_owned()),
    )
}

fn field_error(e: Invalid) -> AppError {
    bad_field(e.field, e.message)
}

/// Adds a service (or brings a retired one back with these settings).
#[tracing::instrument(skip(pool, input), fields(service = %input.name))]
pub async fn create_service(
    pool: &PgPool,
    actor: &Actor,
    input: &ServiceInput,
    now: DateTime<Utc>,
) -> Result<ServiceView, AppError> {
    may_manage(actor, &input.name)?;
    let spec = input.parse().map_err(field_error)?;
    let mut tx = begin_write(pool).await?;
    let existing = sqlx::query!(
        "SELECT service_id, retired_at FROM service WHERE name = $1 FOR NO KEY UPDATE",
        spec.name.as_str()
    )
    .fetch_optional(&mut *tx)
    .await?;
    if existing.as_ref().is_some_and(|s| s.retired_at.is_none()) {
        return Err(AppError::Conflict(format!(
            "service {} exists already: change it with PUT /api/v1/services/{}",
            spec.name, spec.name
        )));
    }
    write_spec(&mut tx, &spec, now).await?;
    let change = Change::ServiceRegistered {
        service: spec.name.to_string(),
        fields: fields_of(&spec),
    };
    changes::record(&mut tx, actor, change, now).await?;
    let view = one(&mut tx, spec.name.as_str()).await?;
    tx.commit().await?;
    Ok(view)
}

/// Changes a service's description, repository, owners and dependencies. A
/// service keeps its name: the input names it, or leaves the name empty.
#[tracing::instrument(skip(pool, input))]
pub async fn update_service(
    pool: &PgPool,
    actor: &Actor,
    name: &str,
    input: &ServiceInput,
    now: DateTime<Utc>,
) -> Result<ServiceView, AppError> {
    may_manage(actor, name)?;
    let mut input = input.clone();
    if input.name.trim().is_empty() {
        input.name = name.to_owned();
    }
    let spec = input.parse().map_err(field_error)?;
    if spec.name.as_str() != name {
        return Err(bad_field(
            "name",
            format!(
                "a service keeps its name: add {} as a new service and retire {name}",
                spec.name
            ),
        ));
    }
    let mut tx = begin_write(pool).await?;
    let before = one(&mut tx, name).await?;
    if let Some(at) = before.retired_at {
        return Err(AppError::Conflict(format!(
            "service {name} was retired on {}: add it again with POST /api/v1/services",
            at.format("%Y-%m-%d")
        )));
    }
    write_spec(&mut tx, &spec, now).await?;
    let after = fields_of(&spec);
    let before = view_fields(&before);
    if before != after {
        let change = Change::ServiceUpdated {
            service: name.to_owned(),
            before,
            after,
        };
        changes::record(&mut tx, actor, change, now).await?;
    }
    let view = one(&mut tx, name).await?;
    tx.commit().await?;
    Ok(view)
}

/// Retires a service: no new train may include it. Refused while a train in
/// planning or in flight includes it, or an active service depends on it.
#[tracing::instrument(skip(pool))]
pub async fn retire_service(
    pool: &PgPool,
    actor: &Actor,
    name: &str,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<ServiceView, AppError> {
    may_manage(actor, name)?;
    let reason = Reason::parse(reason).map_err(|e| bad_field("reason", e))?;
    let mut tx = begin_write(pool).await?;
    sqlx::query!(
        "SELECT service_id FROM service WHERE name = $1 FOR NO KEY UPDATE",
        name
    )
    .fetch_optional(&mut *tx)
    .await?;
    let before = one(&mut tx, name).await?;
    if before.retired_at.is_some() {
        return Err(AppError::Conflict(format!(
            "service {name} is retired already"
        )));
    }
    refuse_while_in_use(&mut tx, &before).await?;
    sqlx::query!(
        "UPDATE service SET retired_at = $2, updated_at = $2 WHERE name = $1",
        name,
        now
    )
    .execute(&mut *tx)
    .await?;
    // The trains the scheduler planned ahead and nobody touched release it
    // no more; they never held it back.
    sqlx::query!(
        "DELETE FROM participant p USING train t
         WHERE p.train_id = t.train_id AND t.replannable AND t.state = 'planning'
           AND p.service_id = (SELECT service_id FROM service WHERE name = $1)",
        name
    )
    .execute(&mut *tx)
    .await?;
    let change = Change::ServiceRetired {
        service: name.to_owned(),
        before: view_fields(&before),
        reason: reason.as_str().to_owned(),
    };
    changes::record(&mut tx, actor, change, now).await?;
    let view = one(&mut tx, name).await?;
    tx.commit().await?;
    Ok(view)
}

async fn refuse_while_in_use(
    conn: &mut PgConnection,
    service: &ServiceView,
) -> Result<(), AppError> {
    if !service.dependents.is_empty() {
        return Err(AppError::Conflict(format!(
            "{} depend{} on {}: remove that dependency first",
            service.dependents.join(", "),
            if service.dependents.len() == 1 {
                "s"
            } else {
                ""
            },
            service.name
        )));
    }
    let trains = sqlx::query_scalar!(
        "SELECT t.name FROM train t JOIN participant p USING (train_id) JOIN service s USING (service_id)
         WHERE s.name = $1 AND t.state = ANY($2) AND t.status <> 'skipped'
           AND NOT (t.replannable AND t.state = 'planning')
         ORDER BY t.train_id LIMIT 6",
        service.name,
        &unfinished() as &[&str]
    )
    .fetch_all(&mut *conn)
    .await?;
    if trains.is_empty() {
        return Ok(());
    }
    let more = if trains.len() > 5 { " and more" } else { "" };
    Err(AppError::Conflict(format!(
        "open trains include {}: {}{more}; retire it once they have finished",
        service.name,
        trains[..trains.len().min(5)].join(", ")
    )))
}

/// Writes the row and its dependencies, after checking that every
/// dependency is an active service and that the graph stays acyclic.
pub(super) async fn write_spec(
    conn: &mut PgConnection,
    spec: &ServiceSpec,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let deps: Vec<String> = spec.depends_on.iter().map(|d| d.to_string()).collect();
    check_graph(conn, spec.name.as_str(), &deps).await?;
    let owners: Vec<String> = spec.owners.iter().map(|o| o.to_string()).collect();
    let service_id = sqlx::query_scalar!(
        "INSERT INTO service (name, description, repository, owners, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $5)
         ON CONFLICT (name) DO UPDATE SET description = EXCLUDED.description,
             repository = EXCLUDED.repository, owners = EXCLUDED.owners,
             retired_at = NULL, updated_at = EXCLUDED.updated_at
         RETURNING service_id",
        spec.name.as_str(),
        spec.description,
        spec.repository.as_ref().map(|r| r.as_str()),
        &owners,
        now
    )
    .fetch_one(&mut *conn)
    .await?;
    sqlx::query!(
        "DELETE FROM service_dependency WHERE service_id = $1 AND depends_on_service_id NOT IN
             (SELECT service_id FROM service WHERE name = ANY($2))",
        service_id,
        &deps
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        "INSERT INTO service_dependency (service_id, depends_on_service_id)
         SELECT $1, service_id FROM service WHERE name = ANY($2)
         ON CONFLICT DO NOTHING",
        service_id,
        &deps
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Refuses dependencies on services the catalog does not hold (or retired),
/// and a graph that would have a cycle, naming the services in it.
async fn check_graph(
    conn: &mut PgConnection,
    service: &str,
    deps: &[String],
) -> Result<(), AppError> {
    let edges = sqlx::query!(
        r#"SELECT s.name, coalesce(array_agg(d.name) FILTER (WHERE d.name IS NOT NULL), '{}') AS "depends_on!"
           FROM service s
           LEFT JOIN service_dependency sd ON sd.service_id = s.service_id
           LEFT JOIN service d ON d.service_id = sd.depends_on_service_id
           WHERE s.retired_at IS NULL
           GROUP BY s.service_id"#
    )
    .fetch_all(&mut *conn)
    .await?;
    if let Some((i, missing)) = deps
        .iter()
        .enumerate()
        .find(|(_, d)| !edges.iter().any(|e| &e.name == *d))
    {
        return Err(bad_field(
            format!("depends_on[{i}]"),
            format!("{missing} is not an active service of the catalog: add it first"),
        ));
    }
    let mut nodes: Vec<Node> = edges
        .iter()
        .filter(|e| e.name != service)
        .map(|e| Node {
            service: &e.name,
            depends_on: e.depends_on.iter().map(String::as_str).collect(),
        })
        .collect();
    nodes.push(Node {
        service,
        depends_on: deps.iter().map(String::as_str).collect(),
    });
    layers(&nodes).map_err(|e| bad_field("depends_on", e))?;
    Ok(())
}

/// The settings as the audit trail keeps them (dependencies by name, as
/// they read back).
pub(super) fn fields_of(spec: &ServiceSpec) -> ServiceFields {
    let mut depends_on: Vec<String> = spec.depends_on.iter().map(|d| d.to_string()).collect();
    depends_on.sort();
    ServiceFields {
        description: spec.description.clone(),
        repository: spec.repository.as_ref().map(|r| r.as_str().to_owned()),
        owners: spec.owners.iter().map(|o| o.to_string()).collect(),
        depends_on,
    }
}

fn view_fields(view: &ServiceView) -> ServiceFields {
    ServiceFields {
        description: view.description.clone(),
        repository: view.repository.clone(),
        owners: view.owners.clone(),
        depends_on: view.depends_on.clone(),
    }
}

/// Imports one service of a `services:` file inside the import's
/// transaction: adds it (or brings it back), changes it, or leaves it as it
/// is when nothing differs. Its dependencies must be imported first.
pub(crate) async fn import_service(
    conn: &mut PgConnection,
    actor: &Actor,
    input: &ServiceInput,
    now: DateTime<Utc>,
) -> Result<Imported, AppError> {
    let spec = input.parse().map_err(field_error)?;
    let name = spec.name.to_string();
    let before = match one(conn, &name).await {
        Ok(view) if view.retired_at.is_none() => Some(view),
        Ok(_) | Err(AppError::NotFound(_)) => None,
        Err(e) => return Err(e),
    };
    let after = fields_of(&spec);
    if before.as_ref().is_some_and(|b| view_fields(b) == after) {
        return Ok(Imported::Unchanged);
    }
    write_spec(conn, &spec, now).await?;
    let (change, imported) = match before {
        None => (
            Change::ServiceRegistered {
                service: name,
                fields: after,
            },
            Imported::Added,
        ),
        Some(before) => (
            Change::ServiceUpdated {
                service: name,
                before: view_fields(&before),
                after,
            },
            Imported::Changed,
        ),
    };
    changes::record(conn, actor, change, now).await?;
    Ok(imported)
}
