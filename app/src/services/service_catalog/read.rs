//! Reading the catalog: every service with its edges and how many open
//! trains include it, in a fixed number of queries however long the history.

use crate::domain::access::Action;
use crate::domain::TrainState;
use crate::error::AppError;
use crate::models::service::{ServiceCatalog, ServicePage, ServiceView};
use crate::services::access::{authorize_read, may};
use crate::services::actor::Actor;
use sqlx::{PgConnection, PgPool};

/// Every service, retired ones too when `retired`, by name.
pub async fn list_services(
    pool: &PgPool,
    actor: &Actor,
    retired: bool,
) -> Result<Vec<ServiceView>, AppError> {
    authorize_read(actor)?;
    let mut conn = pool.acquire().await?;
    load(&mut conn, None, retired).await
}

/// The catalog page's model.
pub async fn service_catalog(pool: &PgPool, actor: &Actor) -> Result<ServiceCatalog, AppError> {
    Ok(ServiceCatalog {
        services: list_services(pool, actor, true).await?,
        may_manage: may(actor, Action::ManageServices),
    })
}

/// One service, retired or not.
pub async fn get_service(
    pool: &PgPool,
    actor: &Actor,
    name: &str,
) -> Result<ServiceView, AppError> {
    authorize_read(actor)?;
    let mut conn = pool.acquire().await?;
    one(&mut conn, name).await
}

/// A service's page: the service, the open trains that include it, and
/// what it could depend on; without a name, the page that adds one.
pub async fn service_page(
    pool: &PgPool,
    actor: &Actor,
    name: Option<&str>,
) -> Result<ServicePage, AppError> {
    authorize_read(actor)?;
    let mut conn = pool.acquire().await?;
    let service = match name {
        Some(name) => Some(one(&mut conn, name).await?),
        None => None,
    };
    let open_trains = sqlx::query_scalar!(
        "SELECT t.name FROM train t JOIN participant p USING (train_id) JOIN service s USING (service_id)
         WHERE s.name = $1 AND t.state = ANY($3) AND t.status <> 'skipped'
         ORDER BY t.train_id DESC LIMIT $2",
        name.unwrap_or_default(),
        ServicePage::TRAINS,
        &unfinished() as &[&str]
    )
    .fetch_all(&mut *conn)
    .await?;
    let others = sqlx::query_scalar!(
        "SELECT name FROM service WHERE retired_at IS NULL AND name <> $1 ORDER BY name",
        name.unwrap_or_default()
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(ServicePage {
        service,
        open_trains,
        others,
        may_manage: may(actor, Action::ManageServices),
    })
}

pub(super) async fn one(conn: &mut PgConnection, name: &str) -> Result<ServiceView, AppError> {
    load(conn, Some(name), true)
        .await?
        .pop()
        .ok_or_else(|| AppError::NotFound(format!("service {name:?}")))
}

/// The states of a train that still needs its services (planned or in
/// flight; a skipped slot does not).
pub(super) fn unfinished() -> Vec<&'static str> {
    TrainState::names_where(TrainState::is_unfinished)
}

/// The services named `only` (all when `None`), one query: edges come from
/// the dependency table, open-train counts from the trains not finished.
async fn load(
    conn: &mut PgConnection,
    only: Option<&str>,
    retired: bool,
) -> Result<Vec<ServiceView>, AppError> {
    let rows = sqlx::query!(
        r#"WITH open_counts AS (
               SELECT p.service_id, count(*) AS n
               FROM train t JOIN participant p USING (train_id)
               WHERE t.state = ANY($3) AND t.status <> 'skipped'
               GROUP BY p.service_id)
           SELECT s.name, s.description, s.repository, s.owners, s.status, s.deployed_version,
                  s.retired_at, coalesce(c.n, 0) AS "open_trains!",
                  coalesce((SELECT array_agg(d.name ORDER BY d.name) FROM service_dependency sd
                            JOIN service d ON d.service_id = sd.depends_on_service_id
                            WHERE sd.service_id = s.service_id), '{}') AS "depends_on!",
                  coalesce((SELECT array_agg(d.name ORDER BY d.name) FROM service_dependency sd
                            JOIN service d ON d.service_id = sd.service_id
                            WHERE sd.depends_on_service_id = s.service_id AND d.retired_at IS NULL),
                           '{}') AS "dependents!"
           FROM service s LEFT JOIN open_counts c USING (service_id)
           WHERE ($1::text IS NULL OR s.name = $1) AND ($2 OR s.retired_at IS NULL)
           ORDER BY s.name"#,
        only,
        retired,
        &unfinished() as &[&str]
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| ServiceView {
            name: r.name,
            description: r.description,
            repository: r.repository,
            owners: r.owners,
            depends_on: r.depends_on,
            dependents: r.dependents,
            status: r.status,
            deployed_version: r.deployed_version,
            retired_at: r.retired_at,
            open_trains: r.open_trains,
        })
        .collect())
}
