use super::load::{load_participants, load_train, record_event, status_of, TrainEvent};
use super::{bad, unprocessable};
use crate::domain::access::{Action, Resource};
use crate::error::AppError;
use crate::models::train::{GateResultBatch, TrainStatus};
use crate::services::access::authorize;
use crate::services::actor::Actor;
use crate::services::audit::{self, Change};
use chrono::{DateTime, Utc};
use sqlx::PgPool;

/// Records a batch of results from CI, all or nothing.
#[tracing::instrument(skip(pool, batch), fields(results = batch.results.len()))]
pub async fn record_gate_results(
    pool: &PgPool,
    actor: &Actor,
    name: &str,
    batch: GateResultBatch,
    now: DateTime<Utc>,
) -> Result<TrainStatus, AppError> {
    authorize(
        actor,
        Action::RecordGateResults,
        &Resource::Train(name.to_owned()),
    )?;
    if batch.results.is_empty() {
        return Err(bad("results", "the batch has no results"));
    }
    for (i, r) in batch.results.iter().enumerate() {
        if r.gate.trim().is_empty() {
            return Err(bad(
                format!("results[{i}].gate"),
                "the gate (metric or check name) is empty",
            ));
        }
        match (r.value, r.passed) {
            (Some(v), None) if v.is_finite() => {}
            (Some(_), None) => {
                return Err(bad(
                    format!("results[{i}].value"),
                    "the value must be a finite number",
                ))
            }
            (None, Some(_)) => {}
            _ => {
                return Err(bad(
                    format!("results[{i}]"),
                    "give exactly one of value or passed",
                ))
            }
        }
    }
    let mut tx = pool.begin().await?;
    let train = load_train(&mut tx, name, true).await?;
    let participants = load_participants(&mut tx, train.train_id).await?;
    for (i, r) in batch.results.iter().enumerate() {
        if !participants.iter().any(|p| p.service == r.participant) {
            return Err(unprocessable(
                format!("results[{i}].participant"),
                format!("{:?} is not a participant of {name}", r.participant),
            ));
        }
        sqlx::query!(
            "INSERT INTO gate_result (train_id, service_id, key, value_number, value_pass, source, url, reported_at, reported_by)
             SELECT $1, service_id, $3, $4, $5, $6, $7, $8, $9 FROM service WHERE name = $2",
            train.train_id,
            r.participant,
            r.gate.trim(),
            r.value,
            r.passed,
            r.source,
            r.url,
            now,
            actor.name
        )
        .execute(&mut *tx)
        .await?;
    }
    let summary: Vec<serde_json::Value> = batch
        .results
        .iter()
        .map(|r| serde_json::json!({ "participant": r.participant, "gate": r.gate, "value": r.value, "passed": r.passed }))
        .collect();
    let detail = serde_json::json!({ "results": summary });
    record_event(
        &mut tx,
        &TrainEvent {
            train_id: train.train_id,
            actor: &actor.name,
            kind: "gate_results",
            transition: None,
            reason: None,
            detail: detail.clone(),
            at: now,
        },
    )
    .await?;
    let change = Change {
        action: "gate_results.record",
        resource: format!("train:{name}"),
        before: None,
        after: Some(detail),
        reason: None,
    };
    audit::record(&mut tx, actor, change, now).await?;
    let status = status_of(&mut tx, name).await?;
    tx.commit().await?;
    Ok(status)
}
