//! Services of the catalog: what trains release, and what each depends on.

use crate::domain::access::{Action, Resource};
use crate::domain::change::Change;
use crate::error::{bad_field, AppError};
use crate::services::access::authorize;
use crate::services::actor::Actor;
use crate::services::changes;
use chrono::{DateTime, Utc};
use sqlx::PgPool;

/// A service and the services it depends on (released before it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServiceDefinition {
    pub name: String,
    pub description: String,
    pub depends_on: Vec<String>,
}

/// Adds services to the catalog, all or nothing, each with its audit record
/// (`service.register`); a name the catalog holds already is left as it is.
/// Returns how many were added.
#[tracing::instrument(skip(pool, services), fields(services = services.len()))]
pub async fn register_services(
    pool: &PgPool,
    actor: &Actor,
    services: &[ServiceDefinition],
    now: DateTime<Utc>,
) -> Result<usize, AppError> {
    authorize(actor, Action::ManageTracks, &Resource::Tracks)?;
    let mut tx = crate::services::audit::begin_write(pool).await?;
    let mut added = 0;
    for (i, s) in services.iter().enumerate() {
        let inserted = sqlx::query_scalar!(
            "INSERT INTO service (name, description, created_at, updated_at) VALUES ($1, $2, $3, $3)
             ON CONFLICT (name) DO NOTHING RETURNING service_id",
            s.name,
            s.description,
            now
        )
        .fetch_optional(&mut *tx)
        .await
        .map_err(|e| match &e {
            sqlx::Error::Database(d) if d.is_check_violation() => bad_field(
                format!("services[{i}].name"),
                format!("{:?} is not a service name (a-z, 0-9, . _ -)", s.name),
            ),
            _ => e.into(),
        })?;
        if inserted.is_none() {
            continue;
        }
        let linked = sqlx::query!(
            "INSERT INTO service_dependency (service_id, depends_on_service_id)
             SELECT s.service_id, d.service_id FROM service s, service d
             WHERE s.name = $1 AND d.name = ANY($2)",
            s.name,
            &s.depends_on
        )
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if linked as usize != s.depends_on.len() {
            return Err(bad_field(
                format!("services[{i}].depends_on"),
                format!(
                    "{} depends on a service the catalog does not hold (register it first): {}",
                    s.name,
                    s.depends_on.join(", ")
                ),
            ));
        }
        let change = Change::ServiceRegistered {
            service: s.name.clone(),
            description: s.description.clone(),
            depends_on: s.depends_on.clone(),
        };
        changes::record(&mut tx, actor, change, now).await?;
        added += 1;
    }
    tx.commit().await?;
    Ok(added)
}
