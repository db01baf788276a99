//! Seed 003: "a hotfix that succeeds becomes the basis for the next staging
//! tag". When a hotfix train of a track that patches another completes (or
//! is recorded after the fact), its participants' versions become the
//! baseline of the patched track's next planned train: the versions that
//! train starts from, and returns to if it is rolled back.

use crate::domain::change::{Change, TrainRef};
use crate::error::AppError;
use crate::services::actor::Actor;
use crate::services::changes;
use chrono::{DateTime, Utc};
use sqlx::PgConnection;

/// Rolls the completed hotfix `hotfix` forward into the next train of the
/// track its track patches, if there is one still planned.
pub(crate) async fn roll_forward(
    conn: &mut PgConnection,
    actor: &Actor,
    hotfix: &TrainRef,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let next = sqlx::query!(
        r#"SELECT n.train_id, n.name FROM train h
           JOIN track k ON k.track_id = h.track_id
           JOIN train n ON n.track_id = k.patches
           WHERE h.train_id = $1 AND n.status IN ('open', 'postponed') AND n.state = 'planning'
             AND n.planned_start > coalesce(h.planned_start, $2)
           ORDER BY n.planned_start LIMIT 1
           FOR NO KEY UPDATE OF n"#,
        hotfix.id,
        now
    )
    .fetch_optional(&mut *conn)
    .await?;
    let Some(next) = next else {
        return Ok(());
    };
    let versions = sqlx::query_scalar!(
        r#"WITH hotfix AS (
               SELECT p.service_id, p.target_version FROM participant p
               WHERE p.train_id = $1 AND p.target_version IS NOT NULL),
           moved AS (
               UPDATE participant p SET previous_version = h.target_version, updated_at = $3
               FROM hotfix h WHERE p.train_id = $2 AND p.service_id = h.service_id
               RETURNING p.service_id)
           SELECT coalesce(jsonb_object_agg(s.name, h.target_version), '{}'::jsonb) AS "v!"
           FROM hotfix h JOIN service s USING (service_id)"#,
        hotfix.id,
        next.train_id,
        now
    )
    .fetch_one(&mut *conn)
    .await?;
    sqlx::query!(
        "UPDATE train SET baseline_train_id = $2, updated_at = $3 WHERE train_id = $1",
        next.train_id,
        hotfix.id,
        now
    )
    .execute(&mut *conn)
    .await?;
    let change = Change::HotfixRolledForward {
        hotfix: hotfix.clone(),
        into: TrainRef::new(next.train_id, next.name),
        versions,
    };
    changes::record(conn, actor, change, now).await
}
