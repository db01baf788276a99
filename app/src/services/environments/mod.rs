//! An organisation's environments: what each is for, the order releases
//! are promoted through them, and what promoting into each takes.

use crate::domain::access::{Action, Resource};
use crate::domain::calendar::edit::Reason;
use crate::domain::change::{Change, EnvironmentFields};
use crate::domain::environment_input::{EnvironmentInput, EnvironmentSpec};
use crate::domain::promotion::{Environment, EnvironmentPolicy};
use crate::error::{bad_field, AppError, ResultExt};
use crate::models::environment::EnvironmentView;
use crate::services::access::{authorize, authorize_read};
use crate::services::actor::Actor;
use crate::services::audit::begin_write;
use crate::services::catalog::Imported;
use crate::services::changes;
use crate::services::promotions::write_policy;
use chrono::{DateTime, Utc};
use sqlx::{PgConnection, PgPool};

/// Every environment, in the order of promotion.
pub async fn list_environments(
    pool: &PgPool,
    actor: &Actor,
) -> Result<Vec<EnvironmentView>, AppError> {
    authorize_read(actor)?;
    environments_named(pool, None).await
}

/// Every environment, or the one named `name`, with the tracks using it.
async fn environments_named(
    pool: &PgPool,
    name: Option<&str>,
) -> Result<Vec<EnvironmentView>, AppError> {
    let rows = sqlx::query!(
        r#"SELECT e.name, e.description, e.kind, e.position, e.policy,
                  ARRAY(SELECT k.name FROM track k
                         WHERE k.archived_at IS NULL
                           AND (k.environments IS NULL OR e.name = ANY(k.environments))
                         ORDER BY k.position, k.name) AS "tracks!"
           FROM environment e WHERE $1::text IS NULL OR e.name = $1
           ORDER BY e.position, e.name"#,
        name
    )
    .fetch_all(pool)
    .await?;
    rows.into_iter()
        .map(|r| {
            Ok(EnvironmentView {
                name: r.name,
                description: r.description,
                kind: r.kind,
                position: r.position,
                policy: serde_json::from_value(r.policy)
                    .or_internal("stored promotion data does not parse")?,
                tracks: r.tracks,
            })
        })
        .collect()
}

/// One environment.
pub async fn get_environment(
    pool: &PgPool,
    actor: &Actor,
    name: &str,
) -> Result<EnvironmentView, AppError> {
    authorize_read(actor)?;
    environments_named(pool, Some(name))
        .await?
        .pop()
        .ok_or_else(|| AppError::NotFound(format!("environment {name:?}")))
}

fn parse(input: &EnvironmentInput) -> Result<EnvironmentSpec, AppError> {
    input.parse().map_err(|e| bad_field(e.field, e.message))
}

/// Adds an environment with its kind's policy and what the input changes
/// of it (`environment.create`); it goes last unless given a position.
#[tracing::instrument(skip(pool, input), fields(environment = %input.name))]
pub async fn create_environment(
    pool: &PgPool,
    actor: &Actor,
    input: &EnvironmentInput,
    now: DateTime<Utc>,
) -> Result<EnvironmentView, AppError> {
    authorize(actor, Action::ManagePolicy, &Resource::Gates)?;
    let spec = parse(input)?;
    let mut tx = begin_write(pool).await?;
    insert_environment(&mut tx, actor, &spec, now).await?;
    tx.commit().await?;
    get_environment(pool, actor, spec.name.as_str()).await
}

/// Writes a new environment with its record, inside the caller's transaction.
pub(crate) async fn insert_environment(
    tx: &mut PgConnection,
    actor: &Actor,
    spec: &EnvironmentSpec,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let policy = spec
        .policy
        .clone()
        .unwrap_or_else(|| EnvironmentPolicy::defaults_for(&spec.name, spec.kind));
    let value = serde_json::to_value(&policy).or_internal("writing a promotion policy")?;
    let position = sqlx::query_scalar!(
        r#"INSERT INTO environment (name, description, kind, position, policy, updated_by, created_at, updated_at)
           VALUES ($1, $2, $3, COALESCE($4, (SELECT COALESCE(max(position) + 1, 0) FROM environment)),
                   $5, $6, $7, $7)
           ON CONFLICT (name) DO NOTHING RETURNING position"#,
        spec.name.as_str(),
        spec.description,
        spec.kind.as_str(),
        spec.position,
        value,
        actor.name,
        now
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| AppError::Conflict(format!("an environment named {} already exists", spec.name)))?;
    let change = Change::EnvironmentCreated {
        environment: spec.name.to_string(),
        fields: EnvironmentFields {
            description: spec.description.clone(),
            kind: spec.kind.to_string(),
            position,
        },
        policy: value,
    };
    changes::record(tx, actor, change, now).await
}

/// Changes an environment's description, kind, position and, when the input
/// has one, its policy; each part audited.
#[tracing::instrument(skip(pool, input))]
pub async fn update_environment(
    pool: &PgPool,
    actor: &Actor,
    name: &str,
    input: &EnvironmentInput,
    now: DateTime<Utc>,
) -> Result<EnvironmentView, AppError> {
    authorize(actor, Action::ManagePolicy, &Resource::Gates)?;
    let spec = parse(&EnvironmentInput {
        name: name.to_owned(),
        ..input.clone()
    })?;
    if !input.name.trim().is_empty() && input.name.trim() != name {
        return Err(bad_field(
            "name",
            "an environment cannot be renamed: trains' histories name it",
        ));
    }
    let mut tx = begin_write(pool).await?;
    change_environment(&mut tx, actor, &spec, now).await?;
    tx.commit().await?;
    get_environment(pool, actor, name).await
}

/// Writes what `spec` changes of a stored environment, inside the caller's
/// transaction; nothing when it changes nothing.
pub(crate) async fn change_environment(
    tx: &mut PgConnection,
    actor: &Actor,
    spec: &EnvironmentSpec,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let before = fields_of(tx, &spec.name).await?;
    let after = EnvironmentFields {
        description: spec.description.clone(),
        kind: spec.kind.to_string(),
        position: spec.position.unwrap_or(before.position),
    };
    if after != before {
        sqlx::query!(
            "UPDATE environment SET description = $2, kind = $3, position = $4, updated_by = $5, updated_at = $6
             WHERE name = $1",
            spec.name.as_str(),
            after.description,
            after.kind,
            after.position,
            actor.name,
            now
        )
        .execute(&mut *tx)
        .await?;
        let change = Change::EnvironmentUpdated {
            environment: spec.name.to_string(),
            before,
            after,
        };
        changes::record(&mut *tx, actor, change, now).await?;
    }
    if let Some(policy) = &spec.policy {
        write_policy(tx, actor, policy.clone(), now).await?;
    }
    Ok(())
}

async fn fields_of(
    conn: &mut PgConnection,
    name: &Environment,
) -> Result<EnvironmentFields, AppError> {
    let row = sqlx::query!(
        "SELECT description, kind, position FROM environment WHERE name = $1 FOR UPDATE",
        name.as_str()
    )
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(|| AppError::NotFound(format!("environment {name}")))?;
    Ok(EnvironmentFields {
        description: row.description,
        kind: row.kind,
        position: row.position,
    })
}

/// Removes an environment no track names and no train has run in, with a
/// reason (`environment.delete`).
#[tracing::instrument(skip(pool))]
pub async fn delete_environment(
    pool: &PgPool,
    actor: &Actor,
    name: &str,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    authorize(actor, Action::ManagePolicy, &Resource::Gates)?;
    let reason = Reason::parse(reason).map_err(|e| bad_field("reason", e))?;
    let env = Environment::parse(name).map_err(|e| bad_field("name", e))?;
    let mut tx = begin_write(pool).await?;
    let before = fields_of(&mut tx, &env).await?;
    let users = sqlx::query!(
        r#"SELECT
             ARRAY(SELECT name FROM track WHERE $1 = ANY(environments) ORDER BY name) AS "tracks!",
             EXISTS (SELECT 1 FROM train_environment WHERE environment = $1)
               OR EXISTS (SELECT 1 FROM promotion_request WHERE environment = $1) AS "history!""#,
        env.as_str()
    )
    .fetch_one(&mut *tx)
    .await?;
    if !users.tracks.is_empty() {
        return Err(AppError::Conflict(format!(
            "{env} is in the pipeline of {}; take it out of those tracks first",
            users.tracks.join(", ")
        )));
    }
    if users.history {
        return Err(AppError::Conflict(format!(
            "trains have run in {env}; an environment with history stays"
        )));
    }
    sqlx::query!("DELETE FROM environment WHERE name = $1", env.as_str())
        .execute(&mut *tx)
        .await?;
    let change = Change::EnvironmentDeleted {
        environment: env.to_string(),
        before,
        reason: reason.as_str().to_owned(),
    };
    changes::record(&mut tx, actor, change, now).await?;
    tx.commit().await?;
    Ok(())
}

/// Imports one environment from an `environments:` file, inside the
/// import's transaction: added, changed, or left alone when nothing differs.
pub(crate) async fn import_environment(
    conn: &mut PgConnection,
    actor: &Actor,
    input: &EnvironmentInput,
    now: DateTime<Utc>,
) -> Result<Imported, AppError> {
    let spec = parse(input)?;
    let stored = sqlx::query!(
        "SELECT description, kind, position, policy FROM environment WHERE name = $1",
        spec.name.as_str()
    )
    .fetch_optional(&mut *conn)
    .await?;
    let Some(stored) = stored else {
        insert_environment(conn, actor, &spec, now).await?;
        return Ok(Imported::Added);
    };
    let policy: EnvironmentPolicy = serde_json::from_value(stored.policy)
        .or_internal("stored promotion data does not parse")?;
    let same = stored.description == spec.description
        && stored.kind == spec.kind.as_str()
        && spec.position.is_none_or(|p| p == stored.position)
        && spec.policy.as_ref().is_none_or(|p| *p == policy);
    if same {
        return Ok(Imported::Unchanged);
    }
    change_environment(conn, actor, &spec, now).await?;
    Ok(Imported::Changed)
}
