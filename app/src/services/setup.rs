//! The set-up an install holds: what the first-run page lists.

use crate::domain::access::Action;
use crate::error::AppError;
use crate::models::setup::SetupStatus;
use crate::services::access::{authorize_read, may};
use crate::services::actor::Actor;
use sqlx::PgPool;

/// Counts of what an organisation sets up, in one statement.
pub async fn setup_status(pool: &PgPool, actor: &Actor) -> Result<SetupStatus, AppError> {
    authorize_read(actor)?;
    let row = sqlx::query!(
        r#"SELECT (SELECT count(*) FROM service WHERE retired_at IS NULL) AS "services!",
                  (SELECT count(*) FROM track WHERE archived_at IS NULL) AS "tracks!",
                  (SELECT count(*) FROM environment) AS "environments!",
                  EXISTS (SELECT 1 FROM train) AS "has_trains!""#
    )
    .fetch_one(pool)
    .await?;
    Ok(SetupStatus {
        services: row.services,
        tracks: row.tracks,
        environments: row.environments,
        has_trains: row.has_trains,
        may_set_up: may(actor, Action::ManageServices)
            && may(actor, Action::ManageTracks)
            && may(actor, Action::ManagePolicy),
    })
}
