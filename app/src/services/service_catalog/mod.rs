//! Services of the catalog: what trains release, who owns each, and what
//! each depends on.

mod read;
mod write;

pub use read::{get_service, list_services, service_catalog, service_page};
pub(crate) use write::import_service;
pub use write::{create_service, retire_service, update_service};

use crate::domain::access::{Action, Resource};
use crate::domain::change::Change;
use crate::domain::service::ServiceInput;
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
    authorize(actor, Action::ManageServices, &Resource::Tracks)?;
    let mut tx = crate::services::audit::begin_write(pool).await?;
    let mut added = 0;
    for (i, s) in services.iter().enumerate() {
        let input = ServiceInput {
            name: s.name.clone(),
            description: s.description.clone(),
            depends_on: s.depends_on.clone(),
            ..ServiceInput::default()
        };
        let in_list = |field: &str| format!("services[{i}].{field}");
        let spec = input
            .parse()
            .map_err(|e| bad_field(in_list(&e.field), e.message))?;
        let held = sqlx::query_scalar!("SELECT service_id FROM service WHERE name = $1", s.name)
            .fetch_optional(&mut *tx)
            .await?;
        if held.is_some() {
            continue;
        }
        write::write_spec(&mut tx, &spec, now)
            .await
            .map_err(|e| match e {
                AppError::Unprocessable {
                    field: Some(field),
                    message,
                } => AppError::Unprocessable {
                    field: Some(in_list(&field)),
                    message,
                },
                e => e,
            })?;
        let change = Change::ServiceRegistered {
            service: s.name.clone(),
            fields: write::fields_of(&spec),
        };
        changes::record(&mut tx, actor, change, now).await?;
        added += 1;
    }
    tx.commit().await?;
    Ok(added)
}
