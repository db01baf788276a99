//! Incidents as the API reads them: one with its links and suspects, or a
//! list of summaries; a fixed number of queries either way.

use crate::domain::incident::{Severity, SUSPECT_WINDOW};
use crate::error::{AppError, ResultExt};
use crate::models::incident::{IncidentSummary, IncidentView, LinkView};
use crate::services::access::authorize_read;
use crate::services::actor::Actor;
use crate::services::deployments::deployments_by_ids;
use chrono::{DateTime, Utc};
use sqlx::{PgConnection, PgPool};

/// How many incidents a list shows at most, newest first.
pub const LIST_LIMIT: i64 = 100;

fn minutes(started: DateTime<Utc>, resolved: Option<DateTime<Utc>>) -> Option<i64> {
    resolved.map(|r| (r - started).num_minutes())
}

pub async fn get_incident(pool: &PgPool, actor: &Actor, id: i64) -> Result<IncidentView, AppError> {
    authorize_read(actor)?;
    let mut conn = pool.acquire().await?;
    load(&mut conn, id).await
}

pub(super) async fn load(conn: &mut PgConnection, id: i64) -> Result<IncidentView, AppError> {
    let row = sqlx::query!(
        r#"SELECT i.incident_id, i.external_id, i.title, i.severity, e.name AS environment,
                  i.started_at, i.resolved_at, i.url, i.review_url, i.cited_tags,
                  i.reported_by, i.created_at, i.updated_at,
                  ARRAY(SELECT s.name FROM incident_service x JOIN service s USING (service_id)
                        WHERE x.incident_id = i.incident_id ORDER BY s.name) AS "services!",
                  ARRAY(SELECT c FROM unnest(i.cited_tags) AS c
                        WHERE EXISTS (SELECT 1 FROM train t WHERE t.tag = c OR t.name = c)
                           OR EXISTS (SELECT 1 FROM train_tag g WHERE g.tag = c)) AS "cited_trains!"
           FROM incident i JOIN environment e USING (environment_id)
           WHERE i.incident_id = $1"#,
        id
    )
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(|| AppError::NotFound(format!("incident {id}")))?;
    let linked = sqlx::query!(
        "SELECT deployment_id, confirmed_by, confirmed_at FROM incident_link
         WHERE incident_id = $1 ORDER BY confirmed_at, deployment_id",
        id
    )
    .fetch_all(&mut *conn)
    .await?;
    let suspects = sqlx::query_scalar!(
        "SELECT d.deployment_id FROM deployment d
         JOIN incident i ON i.environment_id = d.environment_id
         JOIN incident_service x ON x.incident_id = i.incident_id AND x.service_id = d.service_id
         WHERE i.incident_id = $1 AND d.status = 'succeeded'
           AND d.finished_at <= i.started_at AND d.finished_at >= i.started_at - $2::interval
           AND NOT EXISTS (SELECT 1 FROM incident_link l
                           WHERE l.incident_id = $1 AND l.deployment_id = d.deployment_id)
         ORDER BY d.finished_at DESC, d.deployment_id DESC
         LIMIT 20",
        id,
        pg_interval(SUSPECT_WINDOW)
    )
    .fetch_all(&mut *conn)
    .await?;
    let linked_ids: Vec<i64> = linked.iter().map(|l| l.deployment_id).collect();
    let mut found = deployments_by_ids(conn, &[linked_ids, suspects.clone()].concat()).await?;
    let mut take = |id: i64| {
        found
            .iter()
            .position(|d| d.id == id)
            .map(|i| found.swap_remove(i))
            .or_internal("a linked deployment reads back")
    };
    let links = linked
        .into_iter()
        .map(|l| {
            Ok(LinkView {
                deployment: take(l.deployment_id)?,
                confirmed_by: l.confirmed_by,
                confirmed_at: l.confirmed_at,
            })
        })
        .collect::<Result<Vec<_>, AppError>>()?;
    let suspects = suspects
        .into_iter()
        .map(&mut take)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(IncidentView {
        id: row.incident_id,
        external_id: row.external_id,
        title: row.title,
        severity: Severity::parse(&row.severity).or_internal("stored incident")?,
        services: row.services,
        environment: row.environment,
        started_at: row.started_at,
        resolved_at: row.resolved_at,
        minutes_to_restore: minutes(row.started_at, row.resolved_at),
        url: row.url,
        review_url: row.review_url,
        cited_tags: row.cited_tags,
        cited_trains: row.cited_trains,
        links,
        suspects,
        reported_by: row.reported_by,
        created_at: row.created_at,
        updated_at: row.updated_at,
    })
}

fn pg_interval(d: chrono::Duration) -> sqlx::postgres::types::PgInterval {
    sqlx::postgres::types::PgInterval {
        months: 0,
        days: 0,
        microseconds: d.num_microseconds().unwrap_or(i64::MAX),
    }
}

pub async fn list_incidents(
    pool: &PgPool,
    actor: &Actor,
) -> Result<Vec<IncidentSummary>, AppError> {
    authorize_read(actor)?;
    let rows = sqlx::query!(
        r#"SELECT i.incident_id, i.external_id, i.title, i.severity, e.name AS environment,
                  i.started_at, i.resolved_at, i.review_url, i.cited_tags,
                  ARRAY(SELECT s.name FROM incident_service x JOIN service s USING (service_id)
                        WHERE x.incident_id = i.incident_id ORDER BY s.name) AS "services!",
                  (SELECT count(*) FROM incident_link l
                   WHERE l.incident_id = i.incident_id) AS "links!"
           FROM incident i JOIN environment e USING (environment_id)
           ORDER BY i.started_at DESC, i.incident_id DESC
           LIMIT $1"#,
        LIST_LIMIT
    )
    .fetch_all(pool)
    .await?;
    rows.into_iter()
        .map(|r| {
            Ok(IncidentSummary {
                id: r.incident_id,
                external_id: r.external_id,
                title: r.title,
                severity: Severity::parse(&r.severity).or_internal("stored incident")?,
                services: r.services,
                environment: r.environment,
                started_at: r.started_at,
                resolved_at: r.resolved_at,
                minutes_to_restore: minutes(r.started_at, r.resolved_at),
                review_url: r.review_url,
                cited_tags: r.cited_tags,
                links: r.links,
            })
        })
        .collect()
}
