//! Deployments as the API and the pages read them, and what runs where.

use crate::domain::deployment::{DeploymentStatus, MatchKind};
use crate::error::{AppError, ResultExt};
use crate::models::deployment::{DeploymentView, RunningMatrix, RunningRow, RunningVersion};
use crate::services::access::authorize_read;
use crate::services::actor::Actor;
use crate::services::read_cache::ReadCache;
use chrono::{DateTime, Utc};
use sqlx::{PgConnection, PgPool};
use std::collections::HashMap;

/// How many deployments a list shows at most, newest first.
pub const LIST_LIMIT: i64 = 100;
/// How many unscheduled deployments the matrix lists.
const UNSCHEDULED_SHOWN: i64 = 20;

/// Which deployments a list holds (each unset: any).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DeploymentFilter {
    pub service: Option<String>,
    pub environment: Option<String>,
    pub matched: Option<MatchKind>,
}

struct Row {
    deployment_id: i64,
    service: String,
    version: String,
    environment: String,
    status: String,
    commit_sha: Option<String>,
    pipeline_run_id: String,
    pipeline_url: Option<String>,
    started_at: Option<DateTime<Utc>>,
    finished_at: Option<DateTime<Utc>>,
    train: Option<String>,
    matched: String,
    match_note: Option<String>,
    in_freeze: bool,
    reported_by: String,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl Row {
    fn view(self) -> Result<DeploymentView, AppError> {
        Ok(DeploymentView {
            id: self.deployment_id,
            service: self.service,
            version: self.version,
            environment: self.environment,
            status: DeploymentStatus::parse(&self.status).or_internal("stored deployment")?,
            commit_sha: self.commit_sha,
            pipeline_run_id: self.pipeline_run_id,
            pipeline_url: self.pipeline_url,
            started_at: self.started_at,
            finished_at: self.finished_at,
            train: self.train,
            matched: MatchKind::parse(&self.matched)
                .ok_or_else(|| format!("unknown match {:?}", self.matched))
                .or_internal("stored deployment")?,
            match_note: self.match_note,
            in_freeze: self.in_freeze,
            reported_by: self.reported_by,
            created_at: self.created_at,
            updated_at: self.updated_at,
        })
    }
}

/// Deployments newest first, as `filter` and `ids` (when given) say; at
/// most `limit`.
async fn select(
    conn: &mut PgConnection,
    filter: &DeploymentFilter,
    ids: Option<&[i64]>,
    limit: i64,
) -> Result<Vec<DeploymentView>, AppError> {
    let rows = sqlx::query_as!(
        Row,
        r#"SELECT d.deployment_id, s.name AS service, d.version, e.name AS environment,
                  d.status, d.commit_sha, d.pipeline_run_id, d.pipeline_url, d.started_at,
                  d.finished_at, t.name AS "train?", d.matched, d.match_note, d.in_freeze,
                  d.reported_by, d.created_at, d.updated_at
           FROM deployment d
           JOIN service s USING (service_id)
           JOIN environment e USING (environment_id)
           LEFT JOIN train t ON t.train_id = d.train_id
           WHERE ($1::text IS NULL OR s.name = $1)
             AND ($2::text IS NULL OR e.name = $2)
             AND ($3::text IS NULL OR d.matched = $3)
             AND ($4::bigint[] IS NULL OR d.deployment_id = ANY($4))
           ORDER BY d.created_at DESC, d.deployment_id DESC
           LIMIT $5"#,
        filter.service,
        filter.environment,
        filter.matched.map(MatchKind::as_str),
        ids,
        limit
    )
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter().map(Row::view).collect()
}

pub(super) async fn load(conn: &mut PgConnection, id: i64) -> Result<DeploymentView, AppError> {
    select(conn, &DeploymentFilter::default(), Some(&[id]), 1)
        .await?
        .pop()
        .ok_or_else(|| AppError::NotFound(format!("deployment {id}")))
}

/// The deployments with these ids, newest first.
pub(crate) async fn deployments_by_ids(
    conn: &mut PgConnection,
    ids: &[i64],
) -> Result<Vec<DeploymentView>, AppError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let limit = i64::try_from(ids.len()).unwrap_or(i64::MAX);
    select(conn, &DeploymentFilter::default(), Some(ids), limit).await
}

/// The latest deployments no train carried, reported since `since`.
pub(crate) async fn recent_unscheduled(
    conn: &mut PgConnection,
    since: DateTime<Utc>,
    limit: i64,
) -> Result<Vec<DeploymentView>, AppError> {
    let filter = DeploymentFilter {
        matched: Some(MatchKind::Unscheduled),
        ..DeploymentFilter::default()
    };
    let mut found = select(conn, &filter, None, limit).await?;
    found.retain(|d| d.created_at >= since);
    Ok(found)
}

pub async fn get_deployment(
    pool: &PgPool,
    actor: &Actor,
    id: i64,
) -> Result<DeploymentView, AppError> {
    authorize_read(actor)?;
    let mut conn = pool.acquire().await?;
    load(&mut conn, id).await
}

pub async fn list_deployments(
    pool: &PgPool,
    actor: &Actor,
    filter: &DeploymentFilter,
) -> Result<Vec<DeploymentView>, AppError> {
    authorize_read(actor)?;
    let mut conn = pool.acquire().await?;
    select(&mut conn, filter, None, LIST_LIMIT).await
}

/// What runs where: every environment (in their order) × every service of
/// the catalog, with the version running, the train and tag it came from
/// and since when; and the latest unscheduled deployments. Three queries,
/// however long the history, once per change for every reader.
pub async fn running_matrix(
    pool: &PgPool,
    reads: &ReadCache,
    actor: &Actor,
) -> Result<RunningMatrix, AppError> {
    authorize_read(actor)?;
    let pool = pool.clone();
    reads
        .read_for_everyone("running", move || async move { load_running(&pool).await })
        .await
}

async fn load_running(pool: &PgPool) -> Result<RunningMatrix, AppError> {
    let mut conn = pool.acquire().await?;
    let environments = sqlx::query_scalar!("SELECT name FROM environment ORDER BY position, name")
        .fetch_all(&mut *conn)
        .await?;
    let cells = sqlx::query!(
        r#"SELECT s.name AS service, r.environment AS "environment?", r.version,
                  t.name AS "train?", t.tag AS "tag?", r.deployed_at AS "deployed_at?",
                  r.deployment_id
           FROM service s
           LEFT JOIN environment_release r ON r.service_id = s.service_id
           LEFT JOIN train t ON t.train_id = r.train_id
           WHERE s.retired_at IS NULL
           ORDER BY s.name"#
    )
    .fetch_all(&mut *conn)
    .await?;
    let column: HashMap<&str, usize> = environments
        .iter()
        .enumerate()
        .map(|(i, e)| (e.as_str(), i))
        .collect();
    let mut rows: Vec<RunningRow> = Vec::new();
    for cell in cells {
        if rows.last().is_none_or(|r| r.service != cell.service) {
            rows.push(RunningRow {
                service: cell.service.clone(),
                cells: vec![None; environments.len()],
            });
        }
        let row = rows.last_mut().expect("pushed above");
        if let (Some(env), Some(since)) = (cell.environment.as_deref(), cell.deployed_at) {
            if let Some(&i) = column.get(env) {
                row.cells[i] = Some(RunningVersion {
                    version: cell.version,
                    train: cell.train,
                    tag: cell.tag,
                    since,
                    deployment: cell.deployment_id,
                });
            }
        }
    }
    let unscheduled = DeploymentFilter {
        matched: Some(MatchKind::Unscheduled),
        ..DeploymentFilter::default()
    };
    Ok(RunningMatrix {
        environments,
        rows,
        unscheduled: select(&mut conn, &unscheduled, None, UNSCHEDULED_SHOWN).await?,
    })
}
