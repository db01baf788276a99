//! The outbox: one event per announced change, written by the one write
//! path (`services::changes::record`) in the change's transaction, so that
//! a committed change is always sent and a rolled-back one never is.

use crate::domain::change::{AuditFields, Change};
use crate::error::AppError;
use crate::services::actor::Actor;
use chrono::{DateTime, Utc};
use serde_json::{json, Value};
use sqlx::PgConnection;

/// Writes the events announcing `change`, if it is announced at all. When
/// it concerns a train, the train as it is now (tag, track, state, the
/// participants' versions) goes with it, so receivers need not call back.
pub async fn enqueue(
    conn: &mut PgConnection,
    actor: &Actor,
    change: &Change,
    audited: &AuditFields,
    at: DateTime<Utc>,
) -> Result<(), AppError> {
    let train = train_name(change, &audited.resource);
    for event_type in change.event_types() {
        let payload = json!({
            "type": event_type,
            "timestamp": at,
            "data": data(actor, audited, train.as_deref()),
        });
        insert(
            conn,
            event_type,
            audited,
            train.as_deref(),
            payload,
            at,
            change,
        )
        .await?;
    }
    Ok(())
}

async fn insert(
    conn: &mut PgConnection,
    event_type: &str,
    audited: &AuditFields,
    train: Option<&str>,
    payload: Value,
    at: DateTime<Utc>,
    change: &Change,
) -> Result<(), AppError> {
    sqlx::query!(
        r#"INSERT INTO webhook_event (event_type, ordering_key, train, track, payload, created_at)
           SELECT $1, $2, $3, COALESCE(tr.name, $4),
                  CASE WHEN t.train_id IS NULL THEN $5::jsonb
                       ELSE jsonb_set($5::jsonb, '{data,train}', ($5::jsonb #> '{data,train}')
                         || jsonb_build_object(
                              'tag', t.tag, 'track', tr.name, 'state', t.state,
                              'participants', (
                                SELECT COALESCE(jsonb_agg(jsonb_build_object(
                                         'service', s.name, 'version', p.target_version,
                                         'status', p.status)
                                       ORDER BY p.release_position, s.name), '[]'::jsonb)
                                FROM participant p JOIN service s USING (service_id)
                                WHERE p.train_id = t.train_id)))
                  END,
                  $6
           FROM (SELECT 1) AS one
           LEFT JOIN train t ON t.train_id = $7
           LEFT JOIN track tr ON tr.track_id = t.track_id"#,
        event_type,
        audited.resource,
        train,
        audited.resource.strip_prefix("track:"),
        payload,
        at,
        change.train().map(|t| t.id),
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The train a change concerns, deleted ones included.
fn train_name(change: &Change, resource: &str) -> Option<String> {
    change
        .train()
        .map(|t| t.name.clone())
        .or_else(|| resource.strip_prefix("train:").map(str::to_owned))
}

/// What every event's `data` holds: the audit record's facts, and links
/// (relative here; the sender makes them absolute with the public URL).
fn data(actor: &Actor, audited: &AuditFields, train: Option<&str>) -> Value {
    let mut data = json!({
        "resource": audited.resource,
        "actor": actor.name,
        "reason": audited.reason,
        "before": audited.before,
        "after": audited.after,
    });
    if let Some(name) = train {
        data["train"] = json!({ "name": name, "url": format!("/trains/{name}") });
    }
    data
}
