//! `POST /api/v1/incidents/pagerduty`: PagerDuty's V3 webhook as a second
//! door for incidents. Each `incident.*` event reports its incident again
//! (`pagerduty:<id>`), so a trigger records it and a resolve ends it; what a
//! person added since (the review, the tags it cites) is kept, read in the
//! same transaction that writes the report.

use super::report::{save_report, Review};
use crate::domain::access::{Action, Resource};
use crate::domain::pagerduty::{file_under, read_event};
use crate::error::{bad_field as bad, AppError};
use crate::models::incident::IncidentInput;
use crate::models::pagerduty::{PagerDutyOutcome, PagerDutyRoute, PagerDutyWebhook};
use crate::services::access::authorize;
use crate::services::actor::Actor;
use chrono::{DateTime, Utc};
use sqlx::PgPool;

pub async fn receive_pagerduty(
    pool: &PgPool,
    actor: &Actor,
    route: &PagerDutyRoute,
    hook: &PagerDutyWebhook,
    now: DateTime<Utc>,
) -> Result<PagerDutyOutcome, AppError> {
    authorize(actor, Action::ReportIncident, &Resource::Site)?;
    let paged = match read_event(&hook.event) {
        Ok(paged) => paged,
        Err(why) => {
            return Ok(PagerDutyOutcome {
                ignored: Some(why),
                reported: None,
            })
        }
    };
    let known = sqlx::query!(
        r#"SELECT ARRAY(SELECT name FROM environment WHERE kind = 'production' ORDER BY position) AS "production!",
                  (SELECT name FROM service WHERE lower(name) = lower($1) LIMIT 1) AS named_like"#,
        paged.service.as_deref().or(route.service.as_deref()),
    )
    .fetch_one(pool)
    .await?;
    let (environment, service) = file_under(
        route,
        &known.production,
        known.named_like,
        paged.service.as_deref(),
    )
    .map_err(|(field, message)| bad(field, message))?;
    let input = IncidentInput {
        external_id: Some(paged.external_id),
        title: paged.title,
        severity: paged.severity,
        services: vec![service],
        environment,
        started_at: paged.started_at,
        resolved_at: paged.resolved_at,
        url: paged.url,
        review_url: None,
        cited_tags: Vec::new(),
    };
    let reported = save_report(pool, actor, &input, Review::Kept, now).await?;
    Ok(PagerDutyOutcome {
        ignored: None,
        reported: Some(reported),
    })
}
