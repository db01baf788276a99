//! Seed 001's post-release notes, written in the transaction that
//! completes a train: its changes, the health samples reported for its
//! participants since the cut, the rollback criteria that held and the
//! rollbacks. They are kept as written, recorded and sent as
//! `release.post_release_notes`.

use super::changes::load_changes;
use super::draft::train_id;
use super::notes::version_lines;
use crate::domain::access::{Action, Resource};
use crate::domain::change::{Change, NotesChange, TrainRef};
use crate::domain::evidence::digest_of;
use crate::domain::release_notes::{
    render_post_release, HealthLine, IncidentLine, NoteChange, PostReleaseFacts,
};
use crate::error::AppError;
use crate::models::release_notes::PostReleaseNotesView;
use crate::services::access::authorize;
use crate::services::actor::Actor;
use crate::services::changes;
use chrono::{DateTime, Utc};
use sqlx::{PgConnection, PgPool};

/// Writes the notes of `train`, completing at `at`; the caller's
/// transaction holds the audit chain's lock.
pub(crate) async fn write_post_release(
    conn: &mut PgConnection,
    actor: &Actor,
    train: &TrainRef,
    at: DateTime<Utc>,
) -> Result<(), AppError> {
    let facts = post_release_facts(conn, train, at).await?;
    let markdown = render_post_release(&facts);
    let sha256 = digest_of(markdown.as_bytes()).to_string();
    sqlx::query!(
        "INSERT INTO post_release_notes (train_id, markdown, sha256, generated_at)
         VALUES ($1, $2, $3, $4)
         ON CONFLICT (train_id) DO UPDATE
         SET markdown = EXCLUDED.markdown, sha256 = EXCLUDED.sha256,
             generated_at = EXCLUDED.generated_at",
        train.id,
        markdown,
        sha256,
        at
    )
    .execute(&mut *conn)
    .await?;
    let change = Change::Notes {
        train: train.clone(),
        change: NotesChange::PostRelease { sha256, markdown },
    };
    changes::record(conn, actor, change, at).await
}

async fn post_release_facts(
    conn: &mut PgConnection,
    train: &TrainRef,
    at: DateTime<Utc>,
) -> Result<PostReleaseFacts, AppError> {
    let changes = load_changes(conn, &train.name).await?;
    let head = sqlx::query!(
        "SELECT tag, COALESCE(cut_at, created_at) AS \"since!\" FROM train WHERE train_id = $1",
        train.id
    )
    .fetch_one(&mut *conn)
    .await?;
    let health = sqlx::query!(
        r#"SELECT s.name AS service, h.environment, h.metric,
                  (array_agg(h.value ORDER BY h.at DESC))[1] AS "latest!",
                  count(*) AS "samples!"
           FROM participant p
           JOIN health_sample h ON h.service_id = p.service_id
           JOIN service s ON s.service_id = p.service_id
           WHERE p.train_id = $1 AND h.at >= $2 AND h.at <= $3
           GROUP BY s.name, h.environment, h.metric
           ORDER BY s.name, h.environment, h.metric"#,
        train.id,
        head.since,
        at
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|h| HealthLine {
        service: h.service,
        environment: h.environment,
        metric: h.metric,
        latest: h.latest,
        samples: h.samples,
    })
    .collect();
    let breaches = sqlx::query!(
        "SELECT s.name, b.environment, b.criterion, b.detail, b.outcome, b.detected_at
         FROM health_breach b JOIN service s USING (service_id)
         WHERE b.train_id = $1 ORDER BY b.detected_at, b.health_breach_id",
        train.id
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|b| IncidentLine {
        at: b.detected_at,
        text: format!(
            "{} in {}: {} held ({}); {}",
            b.name,
            b.environment,
            b.criterion,
            b.detail,
            b.outcome.replace('_', " ")
        ),
    })
    .collect();
    let rollbacks = sqlx::query!(
        "SELECT reason, requested_by, status, created_at FROM rollback
         WHERE train_id = $1 ORDER BY created_at, rollback_id",
        train.id
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|r| IncidentLine {
        at: r.created_at,
        text: format!(
            "rolled back by {} ({}): {}",
            r.requested_by, r.status, r.reason
        ),
    })
    .collect();
    Ok(PostReleaseFacts {
        train: train.name.clone(),
        tag: head.tag,
        completed_at: at,
        versions: version_lines(conn, train.id).await?,
        changes: changes.into_iter().map(NoteChange::from).collect(),
        health,
        breaches,
        rollbacks,
    })
}

/// The post-release notes of a completed train.
pub async fn post_release_notes(
    pool: &PgPool,
    actor: &Actor,
    train: &str,
) -> Result<PostReleaseNotesView, AppError> {
    authorize(actor, Action::Read, &Resource::Train(train.to_owned()))?;
    let mut conn = pool.acquire().await?;
    let id = train_id(&mut conn, train).await?;
    sqlx::query_as!(
        PostReleaseNotesView,
        "SELECT markdown, sha256, generated_at FROM post_release_notes WHERE train_id = $1",
        id
    )
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(|| {
        AppError::NotFound(format!(
            "post-release notes of {train}: they are written when it completes"
        ))
    })
}
