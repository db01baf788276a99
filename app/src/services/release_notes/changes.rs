//! Changes CI reports: idempotent by commit hash, one transaction with the
//! audit record, only for a participant of the train.

use super::categories::load_categories;
use crate::domain::access::Action;
use crate::domain::change::{Change, TrainRef};
use crate::domain::release_notes::commit::{is_breaking, parse_sha};
use crate::domain::release_notes::ConventionalType;
use crate::domain::text::{http_url, FieldText, LINE, PERSON, PROSE};
use crate::error::{bad_field as bad, optional_text_field, text_field, AppError};
use crate::models::release_notes::{ChangeView, ChangesRecorded, ChangesReport};
use crate::services::access::authorize_train;
use crate::services::actor::Actor;
use crate::services::audit::begin_write;
use crate::services::changes;
use chrono::{DateTime, Utc};
use sqlx::{PgConnection, PgPool};

/// A commit, checked.
struct Commit {
    sha: String,
    title: String,
    body: Option<String>,
    author: String,
    committed_at: DateTime<Utc>,
    pr_number: Option<i32>,
    pr_url: Option<String>,
    labels: Vec<String>,
    breaking: bool,
}

#[tracing::instrument(skip(pool, report), fields(changes = report.changes.len()))]
pub async fn report_changes(
    pool: &PgPool,
    actor: &Actor,
    train: &str,
    report: &ChangesReport,
    now: DateTime<Utc>,
) -> Result<ChangesRecorded, AppError> {
    authorize_train(pool, actor, Action::ManageTrains, train).await?;
    if report.changes.is_empty() || report.changes.len() > 1000 {
        return Err(bad("changes", "report 1 to 1,000 changes at a time"));
    }
    let commits = report
        .changes
        .iter()
        .enumerate()
        .map(|(i, c)| parse(i, c))
        .collect::<Result<Vec<_>, _>>()?;
    let mut tx = begin_write(pool).await?;
    let (train_id, service_id) = participant(&mut tx, train, &report.participant).await?;
    let added =
        sqlx::query_scalar!(
        "INSERT INTO train_change (train_id, sha, service_id, title, body, author, committed_at,
                                   pr_number, pr_url, labels, breaking, reported_by, reported_at)
         SELECT $1, c.sha, $2, c.title, c.body, c.author, c.committed_at, c.pr_number, c.pr_url,
                COALESCE((SELECT array_agg(l) FROM jsonb_array_elements_text(c.labels) AS l),
                         '{}'),
                c.breaking, $12, $13
         FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::timestamptz[],
                     $8::int[], $9::text[], $10::jsonb[], $11::bool[])
              AS c (sha, title, body, author, committed_at, pr_number, pr_url, labels, breaking)
         ON CONFLICT (train_id, sha) DO NOTHING
         RETURNING sha",
        train_id,
        service_id,
        &commits.iter().map(|c| c.sha.clone()).collect::<Vec<_>>(),
        &commits.iter().map(|c| c.title.clone()).collect::<Vec<_>>(),
        &commits.iter().map(|c| c.body.clone()).collect::<Vec<Option<String>>>() as _,
        &commits.iter().map(|c| c.author.clone()).collect::<Vec<_>>(),
        &commits.iter().map(|c| c.committed_at).collect::<Vec<_>>(),
        &commits.iter().map(|c| c.pr_number).collect::<Vec<Option<i32>>>() as _,
        &commits.iter().map(|c| c.pr_url.clone()).collect::<Vec<Option<String>>>() as _,
        &commits
            .iter()
            .map(|c| serde_json::json!(c.labels))
            .collect::<Vec<_>>(),
        &commits.iter().map(|c| c.breaking).collect::<Vec<_>>(),
        actor.name,
        now,
    )
        .fetch_all(&mut *tx)
        .await?;
    let recorded = ChangesRecorded {
        added: added.len(),
        already_known: commits.len() - added.len(),
    };
    if !added.is_empty() {
        let change = Change::ChangesReported {
            train: TrainRef::new(train_id, train),
            participant: report.participant.trim().to_owned(),
            shas: added,
        };
        changes::record(&mut tx, actor, change, now).await?;
    }
    tx.commit().await?;
    Ok(recorded)
}

fn parse(i: usize, c: &crate::domain::release_notes::CommitInput) -> Result<Commit, AppError> {
    let field = |name: &str| format!("changes[{i}].{name}");
    let pr_url = match c.pr_url.as_deref().map(str::trim).filter(|u| !u.is_empty()) {
        None => None,
        Some(url) => {
            let f = field("pr_url");
            Some(http_url(url).map_err(|e| bad(f.clone(), FieldText(&f, &e)))?)
        }
    };
    if c.labels.len() > 20 {
        return Err(bad(field("labels"), "at most 20 labels"));
    }
    let labels = c
        .labels
        .iter()
        .map(|l| text_field(&field("labels"), LINE, l))
        .collect::<Result<Vec<_>, _>>()?;
    let title = text_field(&field("title"), LINE, &c.title)?;
    let body = optional_text_field(&field("body"), PROSE, c.body.as_deref())?;
    Ok(Commit {
        sha: parse_sha(&c.sha).map_err(|m| bad(field("sha"), m))?,
        breaking: is_breaking(&title, body.as_deref(), c.breaking),
        title,
        body,
        author: text_field(&field("author"), PERSON, &c.author)?,
        committed_at: c.committed_at,
        pr_number: c
            .pr_number
            .map(|n| i32::try_from(n).map_err(|_| bad(field("pr_number"), "too large")))
            .transpose()?,
        pr_url,
        labels,
    })
}

/// The train's id and the participant's service id; a service that is not
/// a participant is refused naming it.
async fn participant(
    conn: &mut PgConnection,
    train: &str,
    service: &str,
) -> Result<(i64, i64), AppError> {
    let train_id = sqlx::query_scalar!("SELECT train_id FROM train WHERE name = $1", train)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("train {train}")))?;
    let service_id = sqlx::query_scalar!(
        "SELECT p.service_id FROM participant p JOIN service s USING (service_id)
         WHERE p.train_id = $1 AND s.name = $2",
        train_id,
        service.trim()
    )
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(|| {
        bad(
            "participant",
            format!("{} is not a participant of {train}", service.trim()),
        )
    })?;
    Ok((train_id, service_id))
}

/// A train's changes, newest first, each with the section it goes to.
pub async fn list_changes(
    pool: &PgPool,
    actor: &Actor,
    train: &str,
) -> Result<Vec<ChangeView>, AppError> {
    crate::services::access::authorize(
        actor,
        Action::Read,
        &crate::domain::access::Resource::Train(train.to_owned()),
    )?;
    let mut conn = pool.acquire().await?;
    let categories = load_categories(&mut conn).await?;
    let rows = load_changes(&mut conn, train).await?;
    Ok(rows
        .into_iter()
        .map(|c| {
            let kind = ConventionalType::of(&c.title).map(|t| t.kind);
            let section = categories
                .place(&c.labels, kind.as_deref())
                .map(|at| categories.categories[at].title.clone());
            ChangeView { section, ..c }
        })
        .collect())
}

/// The train's changes as stored (no section yet); `NotFound` for no train.
pub(super) async fn load_changes(
    conn: &mut PgConnection,
    train: &str,
) -> Result<Vec<ChangeView>, AppError> {
    let exists = sqlx::query_scalar!("SELECT train_id FROM train WHERE name = $1", train)
        .fetch_optional(&mut *conn)
        .await?;
    if exists.is_none() {
        return Err(AppError::NotFound(format!("train {train}")));
    }
    let rows = sqlx::query!(
        "SELECT s.name AS participant, c.sha, c.title, c.body, c.author, c.committed_at,
                c.pr_number, c.pr_url, c.labels, c.breaking, c.reported_at
         FROM train_change c JOIN train t USING (train_id) JOIN service s USING (service_id)
         WHERE t.name = $1
         ORDER BY c.committed_at DESC, c.sha",
        train
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| ChangeView {
            participant: r.participant,
            sha: r.sha,
            title: r.title,
            body: r.body,
            author: r.author,
            committed_at: r.committed_at,
            pr_number: r.pr_number.and_then(|n| u32::try_from(n).ok()),
            pr_url: r.pr_url,
            labels: r.labels,
            breaking: r.breaking,
            section: None,
            reported_at: r.reported_at,
        })
        .collect())
}
