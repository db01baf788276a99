//! Gate templates: named sets of gates that admins keep, and that a
//! track's new trains get when they name none.

use crate::domain::access::{Action, Resource};
use crate::domain::calendar::edit::Reason;
use crate::domain::change::Change;
use crate::domain::gates::spec::GateSpec;
use crate::domain::gates::template::{GateTemplateInput, GateTemplateSpec};
use crate::error::{bad_field, AppError, ResultExt};
use crate::models::gate_template::GateTemplateView;
use crate::services::access::{authorize, authorize_read};
use crate::services::actor::Actor;
use crate::services::audit::begin_write;
use crate::services::catalog::Imported;
use crate::services::changes;
use chrono::{DateTime, Utc};
use serde_json::Value;
use sqlx::{PgConnection, PgPool};

/// Every template, by name, with the tracks that use it.
pub async fn list_gate_templates(
    pool: &PgPool,
    actor: &Actor,
) -> Result<Vec<GateTemplateView>, AppError> {
    authorize_read(actor)?;
    templates_named(pool, None).await
}

/// Every template, or the one named `name`, with the tracks using it.
async fn templates_named(
    pool: &PgPool,
    name: Option<&str>,
) -> Result<Vec<GateTemplateView>, AppError> {
    let rows = sqlx::query!(
        r#"SELECT g.name, g.description, g.gates,
                  ARRAY(SELECT k.name FROM track k WHERE k.gate_template_id = g.gate_template_id
                        ORDER BY k.position, k.name) AS "tracks!"
           FROM gate_template g WHERE $1::text IS NULL OR g.name = $1 ORDER BY g.name"#,
        name
    )
    .fetch_all(pool)
    .await?;
    rows.into_iter()
        .map(|r| {
            let gates: Vec<GateSpec> =
                serde_json::from_value(r.gates).or_internal("a stored gate template")?;
            Ok(GateTemplateView {
                name: r.name,
                description: r.description,
                gates_yaml: serde_norway::to_string(&gates)
                    .or_internal("a stored gate template")?,
                gates,
                tracks: r.tracks,
            })
        })
        .collect()
}

pub async fn get_gate_template(
    pool: &PgPool,
    actor: &Actor,
    name: &str,
) -> Result<GateTemplateView, AppError> {
    authorize_read(actor)?;
    templates_named(pool, Some(name))
        .await?
        .pop()
        .ok_or_else(|| AppError::NotFound(format!("gate template {name:?}")))
}

/// The template, its gates checked as a train's are (CEL expressions too).
fn parse(input: &GateTemplateInput) -> Result<GateTemplateSpec, AppError> {
    let spec = input.parse().map_err(|e| bad_field(e.field, e.message))?;
    crate::services::trains::parse_gates(&input.gates)?;
    Ok(spec)
}

fn gates_json(spec: &GateTemplateSpec) -> Result<Value, AppError> {
    let gates: Vec<&GateSpec> = spec.gates.iter().map(|(_, s)| s).collect();
    serde_json::to_value(gates).or_internal("writing a gate template")
}

/// Adds a template (`gate_template.create`).
#[tracing::instrument(skip(pool, input), fields(template = %input.name))]
pub async fn create_gate_template(
    pool: &PgPool,
    actor: &Actor,
    input: &GateTemplateInput,
    now: DateTime<Utc>,
) -> Result<GateTemplateView, AppError> {
    authorize(actor, Action::ManageGates, &Resource::Gates)?;
    let spec = parse(input)?;
    let mut tx = begin_write(pool).await?;
    let stored = stored(&mut tx, &spec.name).await?;
    if stored.is_some() {
        return Err(AppError::Conflict(format!(
            "a gate template named {} already exists",
            spec.name
        )));
    }
    save(&mut tx, actor, &spec, None, now).await?;
    tx.commit().await?;
    get_gate_template(pool, actor, &spec.name).await
}

/// Replaces a template's description and gates (`gate_template.update`);
/// trains made from it keep the gates they were given.
#[tracing::instrument(skip(pool, input))]
pub async fn update_gate_template(
    pool: &PgPool,
    actor: &Actor,
    name: &str,
    input: &GateTemplateInput,
    now: DateTime<Utc>,
) -> Result<GateTemplateView, AppError> {
    authorize(actor, Action::ManageGates, &Resource::Gates)?;
    if !input.name.trim().is_empty() && input.name.trim() != name {
        return Err(bad_field("name", "a gate template keeps its name"));
    }
    let spec = parse(&GateTemplateInput {
        name: name.to_owned(),
        ..input.clone()
    })?;
    let mut tx = begin_write(pool).await?;
    let before = stored(&mut tx, name)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("gate template {name:?}")))?;
    save(&mut tx, actor, &spec, Some(before), now).await?;
    tx.commit().await?;
    get_gate_template(pool, actor, name).await
}

/// The stored description and gates, locked for the change.
async fn stored(conn: &mut PgConnection, name: &str) -> Result<Option<(String, Value)>, AppError> {
    Ok(sqlx::query!(
        "SELECT description, gates FROM gate_template WHERE name = $1 FOR UPDATE",
        name
    )
    .fetch_optional(&mut *conn)
    .await?
    .map(|r| (r.description, r.gates)))
}

/// Writes the template with its record; nothing when nothing changed.
async fn save(
    tx: &mut PgConnection,
    actor: &Actor,
    spec: &GateTemplateSpec,
    before: Option<(String, Value)>,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let gates = gates_json(spec)?;
    if before.as_ref() == Some(&(spec.description.clone(), gates.clone())) {
        return Ok(());
    }
    sqlx::query!(
        "INSERT INTO gate_template (name, description, gates, updated_by, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $5)
         ON CONFLICT (name) DO UPDATE SET description = EXCLUDED.description, gates = EXCLUDED.gates,
                                          updated_by = EXCLUDED.updated_by, updated_at = EXCLUDED.updated_at",
        spec.name,
        spec.description,
        gates,
        actor.name,
        now
    )
    .execute(&mut *tx)
    .await?;
    let change = Change::GateTemplateSaved {
        template: spec.name.clone(),
        before: before.map(|(_, g)| g),
        after: gates,
    };
    changes::record(tx, actor, change, now).await
}

/// Removes a template no track uses, with a reason (`gate_template.delete`).
#[tracing::instrument(skip(pool))]
pub async fn delete_gate_template(
    pool: &PgPool,
    actor: &Actor,
    name: &str,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    authorize(actor, Action::ManageGates, &Resource::Gates)?;
    let reason = Reason::parse(reason).map_err(|e| bad_field("reason", e))?;
    let mut tx = begin_write(pool).await?;
    let (_, gates) = stored(&mut tx, name)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("gate template {name:?}")))?;
    let users = sqlx::query_scalar!(
        r#"SELECT ARRAY(SELECT k.name FROM track k JOIN gate_template g USING (gate_template_id)
                        WHERE g.name = $1 ORDER BY k.name) AS "tracks!""#,
        name
    )
    .fetch_one(&mut *tx)
    .await?;
    if !users.is_empty() {
        return Err(AppError::Conflict(format!(
            "{} use{} {name}: give {} another template first",
            users.join(", "),
            if users.len() == 1 { "s" } else { "" },
            if users.len() == 1 { "it" } else { "them" }
        )));
    }
    sqlx::query!("DELETE FROM gate_template WHERE name = $1", name)
        .execute(&mut *tx)
        .await?;
    let change = Change::GateTemplateDeleted {
        template: name.to_owned(),
        before: gates,
        reason: reason.as_str().to_owned(),
    };
    changes::record(&mut tx, actor, change, now).await?;
    tx.commit().await?;
    Ok(())
}

/// Imports one template from a `gate_templates:` file, inside the import's
/// transaction.
pub(crate) async fn import_gate_template(
    conn: &mut PgConnection,
    actor: &Actor,
    input: &GateTemplateInput,
    now: DateTime<Utc>,
) -> Result<Imported, AppError> {
    let spec = parse(input)?;
    let before = stored(conn, &spec.name).await?;
    let outcome = match &before {
        None => Imported::Added,
        Some(b) if *b == (spec.description.clone(), gates_json(&spec)?) => {
            return Ok(Imported::Unchanged)
        }
        Some(_) => Imported::Changed,
    };
    save(conn, actor, &spec, before, now).await?;
    Ok(outcome)
}

/// The gates of the template named `name`, each with its definition, for a
/// new train; checked again, since a stored template predates today's rules.
pub(crate) async fn gates_of_template(
    conn: &mut PgConnection,
    template_id: i64,
) -> Result<Vec<(crate::domain::gates::GateDefinition, GateSpec)>, AppError> {
    let row = sqlx::query!(
        "SELECT name, description, gates FROM gate_template WHERE gate_template_id = $1",
        template_id
    )
    .fetch_one(&mut *conn)
    .await?;
    let input = GateTemplateInput {
        name: row.name,
        description: row.description,
        gates: serde_json::from_value(row.gates).or_internal("a stored gate template")?,
    };
    input
        .parse()
        .map(|t| t.gates)
        .map_err(|e| AppError::Conflict(format!("gate template {}: {}", input.name, e.message)))
}
