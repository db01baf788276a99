//! `POST /api/v1/incidents`: recorded once; with an external id, a report
//! again is the same incident, updated (resolved, its review written).

use super::read::load;
use crate::domain::access::{Action, Resource};
use crate::domain::change::{Change, IncidentChange};
use crate::domain::incident::{IncidentReport, Severity};
use crate::error::{bad_field as bad, AppError, ResultExt};
use crate::models::incident::{IncidentInput, ReportedIncident};
use crate::services::access::authorize;
use crate::services::actor::Actor;
use crate::services::audit::begin_write;
use crate::services::changes;
use chrono::{DateTime, Utc};
use sqlx::PgConnection;
use sqlx::PgPool;

/// What a report again does to the review people wrote of the incident.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Review {
    /// The report says what the review is now.
    AsReported,
    /// The review stored when the report is written stays (an incident
    /// tool's events carry none).
    Kept,
}

/// Records the incident; with the external id of one recorded before, that
/// incident becomes what the report says.
pub async fn report_incident(
    pool: &PgPool,
    actor: &Actor,
    input: &IncidentInput,
    now: DateTime<Utc>,
) -> Result<ReportedIncident, AppError> {
    save_report(pool, actor, input, Review::AsReported, now).await
}

#[tracing::instrument(skip_all, fields(actor = %actor.name))]
pub(super) async fn save_report(
    pool: &PgPool,
    actor: &Actor,
    input: &IncidentInput,
    review: Review,
    now: DateTime<Utc>,
) -> Result<ReportedIncident, AppError> {
    authorize(actor, Action::ReportIncident, &Resource::Site)?;
    let mut report = IncidentReport::parse(input).map_err(|r| bad(r.field, r.message))?;
    let mut tx = begin_write(pool).await?;
    let environment_id = sqlx::query_scalar!(
        "SELECT environment_id FROM environment WHERE name = $1",
        report.environment
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| {
        bad(
            "environment",
            format!("no environment named {}", report.environment),
        )
    })?;
    let service_ids = sqlx::query!(
        "SELECT service_id, name FROM service WHERE name = ANY($1)",
        &report.services
    )
    .fetch_all(&mut *tx)
    .await?;
    if let Some(unknown) = report
        .services
        .iter()
        .find(|s| !service_ids.iter().any(|r| &r.name == *s))
    {
        return Err(bad(
            "services",
            format!("no service named {unknown} in the catalog"),
        ));
    }
    let service_ids: Vec<i64> = service_ids.iter().map(|r| r.service_id).collect();
    let existing = match &report.external_id {
        Some(external) => {
            sqlx::query_scalar!(
                "SELECT incident_id FROM incident WHERE external_id = $1 FOR UPDATE",
                external
            )
            .fetch_optional(&mut *tx)
            .await?
        }
        None => None,
    };
    let (id, before) = match existing {
        Some(id) => {
            // Read under the row's lock, so a review written meanwhile is
            // the one kept.
            let before = stored_fields(&mut tx, id).await?;
            if review == Review::Kept {
                report = report.keeping_review_of(&before);
            }
            sqlx::query!(
                "UPDATE incident SET title = $2, severity = $3, environment_id = $4,
                     started_at = $5, resolved_at = $6, url = $7, review_url = $8,
                     cited_tags = $9, updated_at = $10
                 WHERE incident_id = $1",
                id,
                report.title,
                report.severity.as_str(),
                environment_id,
                report.started_at,
                report.resolved_at,
                report.url,
                report.review_url,
                &report.cited_tags,
                now
            )
            .execute(&mut *tx)
            .await?;
            sqlx::query!("DELETE FROM incident_service WHERE incident_id = $1", id)
                .execute(&mut *tx)
                .await?;
            (id, Some(Box::new(before)))
        }
        None => {
            let id = sqlx::query_scalar!(
                "INSERT INTO incident (external_id, title, severity, environment_id, started_at,
                     resolved_at, url, review_url, cited_tags, reported_by, created_at,
                     updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11)
                 RETURNING incident_id",
                report.external_id,
                report.title,
                report.severity.as_str(),
                environment_id,
                report.started_at,
                report.resolved_at,
                report.url,
                report.review_url,
                &report.cited_tags,
                actor.name,
                now
            )
            .fetch_one(&mut *tx)
            .await?;
            (id, None)
        }
    };
    sqlx::query!(
        "INSERT INTO incident_service (incident_id, service_id) SELECT $1, unnest($2::bigint[])",
        id,
        &service_ids
    )
    .execute(&mut *tx)
    .await?;
    let created = before.is_none();
    let after = Box::new(report);
    if before.as_ref() != Some(&after) {
        let change = Change::Incident {
            id,
            change: IncidentChange::Saved { before, after },
        };
        changes::record(&mut tx, actor, change, now).await?;
    }
    let incident = load(&mut tx, id).await?;
    tx.commit().await?;
    Ok(ReportedIncident { incident, created })
}

/// The incident as stored, in the form a report gives it.
async fn stored_fields(conn: &mut PgConnection, id: i64) -> Result<IncidentReport, AppError> {
    let row = sqlx::query!(
        r#"SELECT i.external_id, i.title, i.severity, e.name AS environment, i.started_at, i.resolved_at,
                  i.url, i.review_url, i.cited_tags,
                  ARRAY(SELECT s.name FROM incident_service x JOIN service s USING (service_id)
                        WHERE x.incident_id = i.incident_id ORDER BY s.name) AS "services!"
           FROM incident i JOIN environment e USING (environment_id)
           WHERE i.incident_id = $1"#,
        id
    )
    .fetch_one(&mut *conn)
    .await?;
    Ok(IncidentReport {
        external_id: row.external_id,
        title: row.title,
        severity: Severity::parse(&row.severity).or_internal("stored incident")?,
        services: row.services,
        environment: row.environment,
        started_at: row.started_at,
        resolved_at: row.resolved_at,
        url: row.url,
        review_url: row.review_url,
        cited_tags: row.cited_tags,
    })
}
