//! Replacing a train's gates: captains while it is in planning, admins
//! with a reason once it runs. Results already reported stay; the matrix
//! judges them against the new gates.

use super::create::{insert_gates, parse_gates};
use super::load::status_of;
use crate::domain::access::Action;
use crate::domain::calendar::edit::Reason;
use crate::domain::change::{Change, TrainRef};
use crate::domain::gates::edit::gate_edit;
use crate::domain::gates::spec::GateSpec;
use crate::domain::TrainState;
use crate::error::{bad_field, AppError, ResultExt};
use crate::models::train::TrainStatus;
use crate::services::access::{authorize, authorize_any, train_resource};
use crate::services::actor::Actor;
use crate::services::changes;
use chrono::{DateTime, Utc};
use sqlx::PgPool;

/// Replaces the train's gates with `gates` (`train.gates`).
#[tracing::instrument(skip(pool, gates))]
pub async fn set_train_gates(
    pool: &PgPool,
    actor: &Actor,
    name: &str,
    gates: &[GateSpec],
    reason: Option<&str>,
    now: DateTime<Utc>,
) -> Result<TrainStatus, AppError> {
    let resource = train_resource(pool, actor, name).await?;
    authorize_any(
        actor,
        &[Action::ManageTrains, Action::ManageGates],
        &resource,
    )?;
    let parsed = parse_gates(gates)?;
    let mut tx = crate::services::audit::begin_write(pool).await?;
    let row = sqlx::query!(
        "SELECT train_id, state FROM train WHERE name = $1 FOR NO KEY UPDATE",
        name
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| AppError::NotFound(format!("release train {name:?}")))?;
    let state = TrainState::parse(&row.state).or_internal("a stored train state")?;
    let rule = gate_edit(state);
    authorize(actor, rule.action, &resource).map_err(|_| {
        AppError::Forbidden(format!(
            "{name} is {state}: once a train has left planning only an admin changes its gates, with a reason"
        ))
    })?;
    let reason = match reason.map(str::trim).filter(|r| !r.is_empty()) {
        None if rule.reason_required => {
            return Err(bad_field(
                "reason",
                format!("{name} is {state}: say why its gates change"),
            ))
        }
        None => None,
        Some(raw) => Some(
            Reason::parse(raw)
                .map_err(|e| bad_field("reason", e))?
                .as_str()
                .to_owned(),
        ),
    };
    let before: Vec<String> = sqlx::query_scalar!(
        "SELECT name FROM gate_definition WHERE train_id = $1 ORDER BY position, gate_definition_id",
        row.train_id
    )
    .fetch_all(&mut *tx)
    .await?;
    sqlx::query!(
        "DELETE FROM gate_definition WHERE train_id = $1",
        row.train_id
    )
    .execute(&mut *tx)
    .await?;
    let gates: Vec<_> = parsed
        .into_iter()
        .map(|(g, spec)| (g, Some(spec)))
        .collect();
    insert_gates(&mut tx, row.train_id, &gates).await?;
    let change = Change::TrainGatesSet {
        train: TrainRef::new(row.train_id, name.to_owned()),
        before,
        after: gates.iter().map(|(g, _)| g.name.clone()).collect(),
        reason,
    };
    changes::record(&mut tx, actor, change, now).await?;
    let status = status_of(&mut tx, name).await?;
    tx.commit().await?;
    Ok(status)
}
