use super::load::{load_participants, load_train, status_of};
use super::{bad, unprocessable};
use crate::domain::access::Action;
use crate::domain::change::{Change, GateResultLine};
use crate::domain::idempotency_key::IdempotencyKey;
use crate::domain::text::{http_url, FieldText, LINE};
use crate::error::{optional_text_field, text_field, AppError};
use crate::models::train::{GateResultBatch, TrainStatus};
use crate::services::access::authorize_train;
use crate::services::actor::Actor;
use crate::services::changes;
use crate::services::idempotency;
use chrono::{DateTime, Utc};
use sqlx::{PgConnection, PgPool};

/// Records a batch of results from CI, all or nothing.
pub async fn record_gate_results(
    pool: &PgPool,
    actor: &Actor,
    name: &str,
    batch: GateResultBatch,
    now: DateTime<Utc>,
) -> Result<TrainStatus, AppError> {
    record_gate_results_once(pool, actor, name, batch, None, now).await
}

/// Records a batch, once per idempotency `key` of this caller: the same
/// batch sent again with the key (a CI job retrying after a time-out, or
/// sending it from several runners at once) gets the first answer back and
/// records nothing.
#[tracing::instrument(skip(pool, batch), fields(results = batch.results.len()))]
pub async fn record_gate_results_once(
    pool: &PgPool,
    actor: &Actor,
    name: &str,
    mut batch: GateResultBatch,
    key: Option<&IdempotencyKey>,
    now: DateTime<Utc>,
) -> Result<TrainStatus, AppError> {
    authorize_train(pool, actor, Action::RecordGateResults, name).await?;
    if batch.results.is_empty() {
        return Err(bad("results", "the batch has no results"));
    }
    for (i, r) in batch.results.iter_mut().enumerate() {
        // Stored as parsed: trimmed, a blank source or address absent.
        r.gate = text_field(&format!("results[{i}].gate"), LINE, &r.gate)?;
        r.source = optional_text_field(&format!("results[{i}].source"), LINE, r.source.as_deref())?;
        r.url = match r.url.as_deref().map(str::trim).filter(|u| !u.is_empty()) {
            None => None,
            Some(url) => {
                let field = format!("results[{i}].url");
                Some(http_url(url).map_err(|e| bad(field.clone(), FieldText(&field, &e)))?)
            }
        };
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
    // Unlike other writers, a batch does not take the audit chain's lock
    // first: batches for different trains insert their results side by
    // side, and only the audit record and the commit go one at a time. It
    // locks no row another writer locks under the chain's lock (its
    // references only share the train's and services' keys), so the two
    // orders cannot meet, save for the rare writer that changes a train's
    // key meanwhile: Postgres then ends one, answered 503, sent again.
    let mut tx = pool.begin().await?;
    if let Some(key) = key {
        let action = "gate.results";
        if let Some(first) =
            idempotency::claim::<TrainStatus>(&mut tx, &actor.name, key.as_str(), action, now)
                .await?
        {
            return Ok(first);
        }
    }
    let train = load_train(&mut tx, name, false).await?;
    let participants = load_participants(&mut tx, train.train_id).await?;
    for (i, r) in batch.results.iter().enumerate() {
        if !participants.iter().any(|p| p.service == r.participant) {
            return Err(unprocessable(
                format!("results[{i}].participant"),
                format!("{:?} is not a participant of {name}", r.participant),
            ));
        }
    }
    insert_results(&mut tx, train.train_id, &batch, actor, now).await?;
    // Read before the audit record: appending it takes the chain's lock
    // until commit, and every writer waits for it.
    let status = status_of(&mut tx, name).await?;
    let results = batch
        .results
        .iter()
        .map(|r| GateResultLine {
            participant: r.participant.clone(),
            gate: r.gate.clone(),
            value: r.value,
            passed: r.passed,
        })
        .collect();
    let change = Change::GateResultsRecorded {
        train: train.reference(),
        results,
    };
    changes::record(&mut tx, actor, change, now).await?;
    if let Some(key) = key {
        idempotency::answer(&mut tx, &actor.name, key.as_str(), &status).await?;
    }
    tx.commit().await?;
    Ok(status)
}

/// Appends the batch in one statement and moves each cell it reports to its
/// newest result (`gate_cell`), so that reading the matrix never scans the
/// history. Within a batch, the later result of the same cell wins.
async fn insert_results(
    conn: &mut PgConnection,
    train_id: i64,
    batch: &GateResultBatch,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let results = &batch.results;
    let participants: Vec<String> = results.iter().map(|r| r.participant.clone()).collect();
    let keys: Vec<String> = results.iter().map(|r| r.gate.trim().to_owned()).collect();
    let numbers: Vec<Option<f64>> = results.iter().map(|r| r.value).collect();
    let passes: Vec<Option<bool>> = results.iter().map(|r| r.passed).collect();
    let sources: Vec<Option<String>> = results.iter().map(|r| r.source.clone()).collect();
    let urls: Vec<Option<String>> = results.iter().map(|r| r.url.clone()).collect();
    sqlx::query!(
        r#"WITH input AS (
               SELECT * FROM unnest($2::text[], $3::text[], $4::float8[], $5::bool[], $6::text[], $7::text[])
                   WITH ORDINALITY AS i (participant, key, value_number, value_pass, source, url, n)
           ), inserted AS (
               INSERT INTO gate_result (train_id, service_id, key, value_number, value_pass, source, url,
                                        reported_at, reported_by)
               SELECT $1, s.service_id, i.key, i.value_number, i.value_pass, i.source, i.url, $8, $9
               FROM input i JOIN service s ON s.name = i.participant
               ORDER BY i.n
               RETURNING gate_result_id, service_id, key, reported_at
           )
           INSERT INTO gate_cell (train_id, service_id, key, gate_result_id, reported_at)
           SELECT DISTINCT ON (service_id, key) $1, service_id, key, gate_result_id, reported_at
           FROM inserted ORDER BY service_id, key, gate_result_id DESC
           ON CONFLICT (train_id, service_id, key) DO UPDATE
               SET gate_result_id = EXCLUDED.gate_result_id, reported_at = EXCLUDED.reported_at
               WHERE (gate_cell.reported_at, gate_cell.gate_result_id)
                   < (EXCLUDED.reported_at, EXCLUDED.gate_result_id)"#,
        train_id,
        &participants,
        &keys,
        &numbers as &[Option<f64>],
        &passes as &[Option<bool>],
        &sources as &[Option<String>],
        &urls as &[Option<String>],
        now,
        actor.name
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}
