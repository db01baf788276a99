//! The facts of a window, narrowed by service, track and environment.

use crate::domain::calendar::cadence::Cadence;
use crate::domain::deployment::{DeploymentStatus, MatchKind};
use crate::domain::metrics::cadence_days::on_cadence;
use crate::domain::metrics::{
    CadenceDays, DeploymentFact, FailureCause, IncidentFact, MetricFacts, MetricWindow,
    PostponementFact,
};
use crate::error::{bad_field, AppError};
use crate::models::metrics::MetricsFilter;
use sqlx::PgConnection;

/// The names a filter may use.
#[derive(Clone, Debug, Default)]
pub struct Names {
    pub tracks: Vec<String>,
    pub services: Vec<String>,
    pub environments: Vec<String>,
}

impl Names {
    pub async fn load(conn: &mut PgConnection) -> Result<Self, AppError> {
        let row = sqlx::query!(
            r#"SELECT ARRAY(SELECT name FROM track WHERE archived_at IS NULL ORDER BY position, name) AS "tracks!",
                      ARRAY(SELECT name FROM service ORDER BY name) AS "services!",
                      ARRAY(SELECT name FROM environment ORDER BY position, name) AS "environments!""#
        )
        .fetch_one(&mut *conn)
        .await?;
        Ok(Self {
            tracks: row.tracks,
            services: row.services,
            environments: row.environments,
        })
    }

    /// Refuses a filter naming something that does not exist, by field.
    pub fn check(&self, filter: &MetricsFilter) -> Result<(), AppError> {
        let checks = [
            ("service", &filter.service, &self.services),
            ("track", &filter.track, &self.tracks),
            ("environment", &filter.environment, &self.environments),
        ];
        for (field, named, known) in checks {
            if let Some(name) = named.as_deref().filter(|n| !known.iter().any(|k| k == n)) {
                return Err(bad_field(
                    field,
                    format!("there is no {field} named {name:?}"),
                ));
            }
        }
        Ok(())
    }
}

pub async fn load(
    conn: &mut PgConnection,
    window: &MetricWindow,
    filter: &MetricsFilter,
) -> Result<MetricFacts, AppError> {
    let cadences = cadence_days(conn, window).await?;
    let deployments = deployments(conn, window, filter).await?;
    let on_cadence = deployments
        .iter()
        .map(|d| on_cadence(&cadences, d.track.as_deref(), &d.environment, d.at))
        .collect();
    Ok(MetricFacts {
        on_cadence,
        deployments,
        incidents: incidents(conn, window, filter).await?,
        postponements: postponements(conn, window, filter).await?,
    })
}

/// Every cadenced track's days in the window, archived ones too: their
/// deploys happened.
async fn cadence_days(
    conn: &mut PgConnection,
    window: &MetricWindow,
) -> Result<Vec<CadenceDays>, AppError> {
    let rows = sqlx::query!(
        r#"SELECT name, cadence_rrule AS "rule!", coalesce(environments, '{}') AS "environments!"
           FROM track WHERE cadence_rrule IS NOT NULL ORDER BY track_id"#
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            let cadence = Cadence::parse(Some(&r.rule)).ok()?;
            Some(CadenceDays::within(r.name, r.environments, cadence, window))
        })
        .collect())
}

async fn deployments(
    conn: &mut PgConnection,
    window: &MetricWindow,
    filter: &MetricsFilter,
) -> Result<Vec<DeploymentFact>, AppError> {
    let (from, until) = window.instants();
    let rows = sqlx::query!(
        r#"SELECT d.deployment_id, s.name AS service, d.version, e.name AS environment,
                  e.kind = 'production' AS "production!", t.name AS "train?", tr.name AS "track?",
                  d.matched, d.status, coalesce(d.finished_at, d.created_at) AS "at!",
                  ARRAY(SELECT c.committed_at FROM train_change c
                        WHERE c.train_id = d.train_id AND c.service_id = d.service_id
                        ORDER BY c.committed_at) AS "commits!",
                  CASE WHEN d.status = 'succeeded' AND d.train_id IS NOT NULL
                            AND ($5::text IS NOT NULL OR e.kind = 'production')
                       THEN EXISTS (SELECT 1 FROM deployment p JOIN environment pe ON pe.environment_id = p.environment_id
                                    WHERE p.train_id = d.train_id AND p.service_id = d.service_id
                                      AND p.status = 'succeeded' AND coalesce(p.finished_at, p.created_at) < $1
                                      AND (pe.environment_id = d.environment_id
                                           OR ($5::text IS NULL AND pe.kind = 'production')))
                       ELSE false END AS "shipped_before!",
                  EXISTS (SELECT 1 FROM rollback r
                          WHERE r.train_id = d.train_id AND r.created_at >= coalesce(d.finished_at, d.created_at)
                            AND (r.environment IS NULL OR r.environment = e.name)) AS "rolled_back!",
                  EXISTS (SELECT 1 FROM health_breach b
                          WHERE b.train_id = d.train_id AND b.service_id = d.service_id
                            AND b.environment = e.name
                            AND b.detected_at >= coalesce(d.finished_at, d.created_at)) AS "breached!",
                  EXISTS (SELECT 1 FROM incident_link l WHERE l.deployment_id = d.deployment_id) AS "linked!",
                  (SELECT min(coalesce(n.finished_at, n.created_at)) FROM deployment n
                   WHERE d.status = 'failed' AND n.service_id = d.service_id
                     AND n.environment_id = d.environment_id AND n.status = 'succeeded'
                     AND coalesce(n.finished_at, n.created_at) > coalesce(d.finished_at, d.created_at)) AS recovered_at
           FROM deployment d
           JOIN service s USING (service_id)
           JOIN environment e USING (environment_id)
           LEFT JOIN train t ON t.train_id = d.train_id
           LEFT JOIN track tr ON tr.track_id = t.track_id
           WHERE coalesce(d.finished_at, d.created_at) >= $1 AND coalesce(d.finished_at, d.created_at) < $2
             AND ($3::text IS NULL OR s.name = $3)
             AND ($4::text IS NULL OR tr.name = $4)
             AND ($5::text IS NULL OR e.name = $5)
           ORDER BY 10, d.deployment_id"#,
        from,
        until,
        filter.service,
        filter.track,
        filter.environment
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            let status = DeploymentStatus::parse(&r.status).ok()?;
            Some(DeploymentFact {
                id: r.deployment_id,
                service: r.service,
                version: r.version,
                environment: r.environment,
                production: r.production,
                train: r.train,
                track: r.track,
                matched: MatchKind::parse(&r.matched)?,
                status,
                at: r.at,
                commits: r.commits,
                shipped_before: r.shipped_before,
                failure: FailureCause::first(
                    status == DeploymentStatus::Failed,
                    r.rolled_back,
                    r.breached,
                    r.linked,
                ),
                recovered_at: r.recovered_at,
            })
        })
        .collect())
}

async fn incidents(
    conn: &mut PgConnection,
    window: &MetricWindow,
    filter: &MetricsFilter,
) -> Result<Vec<IncidentFact>, AppError> {
    let (from, until) = window.instants();
    let rows = sqlx::query!(
        r#"SELECT i.incident_id, i.title, e.name AS environment, e.kind = 'production' AS "production!",
                  i.started_at, i.resolved_at, i.review_url, i.cited_tags,
                  ARRAY(SELECT c FROM unnest(i.cited_tags) AS c
                        WHERE EXISTS (SELECT 1 FROM train t WHERE t.tag = c OR t.name = c)
                           OR EXISTS (SELECT 1 FROM train_tag g WHERE g.tag = c)) AS "cited_trains!",
                  ARRAY(SELECT s.name || ' ' || d.version || ' to ' || de.name
                        FROM incident_link l
                        JOIN deployment d USING (deployment_id)
                        JOIN service s ON s.service_id = d.service_id
                        JOIN environment de ON de.environment_id = d.environment_id
                        WHERE l.incident_id = i.incident_id AND d.matched = 'unscheduled'
                        ORDER BY d.deployment_id) AS "unscheduled!"
           FROM incident i JOIN environment e USING (environment_id)
           WHERE i.started_at >= $1 AND i.started_at < $2
             AND ($3::text IS NULL OR EXISTS (SELECT 1 FROM incident_service x JOIN service s USING (service_id)
                                              WHERE x.incident_id = i.incident_id AND s.name = $3))
             AND ($4::text IS NULL OR EXISTS (SELECT 1 FROM incident_link l
                                              JOIN deployment d USING (deployment_id)
                                              JOIN train t ON t.train_id = d.train_id
                                              JOIN track tr ON tr.track_id = t.track_id
                                              WHERE l.incident_id = i.incident_id AND tr.name = $4))
             AND ($5::text IS NULL OR e.name = $5)
           ORDER BY i.started_at, i.incident_id"#,
        from,
        until,
        filter.service,
        filter.track,
        filter.environment
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| IncidentFact {
            id: r.incident_id,
            title: r.title,
            environment: r.environment,
            production: r.production,
            started_at: r.started_at,
            resolved_at: r.resolved_at,
            review_url: r.review_url,
            cited_tags: r.cited_tags,
            cited_trains: r.cited_trains,
            unscheduled_deploys: r.unscheduled,
        })
        .collect())
}

/// Each time a train was moved past its slot, with its category.
async fn postponements(
    conn: &mut PgConnection,
    window: &MetricWindow,
    filter: &MetricsFilter,
) -> Result<Vec<PostponementFact>, AppError> {
    let (from, until) = window.instants();
    let rows = sqlx::query!(
        r#"SELECT t.name AS train, tr.name AS "track?", ev.detail->>'postponed' AS "category!",
                  ev.reason, ev.at
           FROM train_event ev
           JOIN train t USING (train_id)
           LEFT JOIN track tr ON tr.track_id = t.track_id
           WHERE ev.kind = 'calendar' AND ev.detail ? 'postponed'
             AND ev.at >= $1 AND ev.at < $2
             AND ($3::text IS NULL OR tr.name = $3)
           ORDER BY ev.at, ev.train_event_id"#,
        from,
        until,
        filter.track
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| PostponementFact {
            train: r.train,
            track: r.track,
            category: r.category,
            reason: r.reason,
            at: r.at,
        })
        .collect())
}
