use super::field;
use crate::domain::access::{Action, Resource};
use crate::domain::calendar::edit::{parse_date, Rotation};
use crate::domain::change::{Change, RotationFields};
use crate::error::AppError;
use crate::models::calendar::RotationView;
use crate::services::access::{authorize, authorize_read};
use crate::services::actor::Actor;
use crate::services::changes;
use chrono::{DateTime, Utc};
use sqlx::{PgConnection, PgPool};

/// How many months the page lists ahead.
const MONTHS_SHOWN: u32 = 4;

pub(super) async fn load(
    conn: &mut PgConnection,
    now: DateTime<Utc>,
) -> Result<Option<RotationView>, AppError> {
    let Some(row) = sqlx::query!("SELECT teams, starts_on, updated_by FROM calendar_rotation")
        .fetch_optional(&mut *conn)
        .await?
    else {
        return Ok(None);
    };
    let rotation = Rotation::new(row.teams, row.starts_on).map_err(|e| {
        tracing::error!(error = %e, "stored rotation does not parse");
        AppError::Internal
    })?;
    let today = now.date_naive();
    Ok(Some(RotationView {
        this_month: rotation.owner_on(today).to_owned(),
        schedule: rotation.schedule(today, MONTHS_SHOWN),
        teams: rotation.teams().to_vec(),
        starts_on: rotation.starts_on(),
        updated_by: row.updated_by,
    }))
}

pub async fn rotation_view(
    pool: &PgPool,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<Option<RotationView>, AppError> {
    authorize_read(actor)?;
    let mut conn = pool.acquire().await?;
    load(&mut conn, now).await
}

/// Sets the teams that take turns owning the calendar, from `starts_on`'s month.
#[tracing::instrument(skip(pool))]
pub async fn save_rotation(
    pool: &PgPool,
    actor: &Actor,
    teams: &str,
    starts_on: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    authorize(actor, Action::ManageRotation, &Resource::Calendar)?;
    let starts_on = parse_date(starts_on).map_err(|e| field("starts_on", e))?;
    let rotation = Rotation::parse(teams, starts_on).map_err(|e| field("teams", e))?;
    let mut tx = crate::services::audit::begin_write(pool).await?;
    let before = load(&mut tx, now).await?;
    sqlx::query!(
        "INSERT INTO calendar_rotation (calendar_rotation_id, teams, starts_on, updated_by, created_at, updated_at)
         VALUES (1, $1, $2, $3, $4, $4)
         ON CONFLICT (calendar_rotation_id)
         DO UPDATE SET teams = EXCLUDED.teams, starts_on = EXCLUDED.starts_on,
                       updated_by = EXCLUDED.updated_by, updated_at = EXCLUDED.updated_at",
        rotation.teams(),
        rotation.starts_on(),
        actor.name,
        now
    )
    .execute(&mut *tx)
    .await?;
    let change = Change::RotationUpdated {
        before: before.map(|b| RotationFields {
            teams: b.teams,
            starts_on: b.starts_on,
        }),
        after: RotationFields {
            teams: rotation.teams().to_vec(),
            starts_on: rotation.starts_on(),
        },
    };
    changes::record(&mut tx, actor, change, now).await?;
    tx.commit().await?;
    Ok(())
}
