//! "What changed between this train and the last one", per service: each
//! participant's version, the last earlier train that shipped the service
//! (it completed) with the version it shipped, and the changes CI reported
//! this train's version brings.

use super::changes::list_changes;
use crate::error::AppError;
use crate::models::release_notes::{ServiceChanges, ShippedBefore};
use crate::services::actor::Actor;
use sqlx::PgPool;

pub async fn changes_by_service(
    pool: &PgPool,
    actor: &Actor,
    train: &str,
) -> Result<Vec<ServiceChanges>, AppError> {
    let changes = list_changes(pool, actor, train).await?;
    let rows = sqlx::query!(
        r#"SELECT s.name AS service, p.target_version, p.previous_version,
                  prev.name AS "prev_train?", prev.tag AS "prev_tag?",
                  prev.target_version AS "prev_version?"
           FROM train t
           JOIN participant p ON p.train_id = t.train_id
           JOIN service s ON s.service_id = p.service_id
           LEFT JOIN LATERAL (
               SELECT t2.name, t2.tag, p2.target_version
               FROM participant p2 JOIN train t2 ON t2.train_id = p2.train_id
               WHERE p2.service_id = p.service_id AND t2.train_id <> t.train_id
                 AND t2.state = 'completed' AND t2.created_at < t.created_at
               ORDER BY t2.created_at DESC, t2.train_id DESC
               LIMIT 1
           ) prev ON true
           WHERE t.name = $1
           ORDER BY p.release_position, s.name"#,
        train
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| ServiceChanges {
            changes: changes
                .iter()
                .filter(|c| c.participant == r.service)
                .cloned()
                .collect(),
            service: r.service,
            version: r.target_version,
            previous_version: r.previous_version,
            since: r.prev_train.map(|train| ShippedBefore {
                train,
                tag: r.prev_tag,
                version: r.prev_version,
            }),
        })
        .collect())
}
