//! What changed between two environments: what each runs per service, and
//! the changes of the trains between the older train and the newer one.
//! Three queries, whatever the number of services and trains.

use crate::error::{bad_field as bad, AppError};
use crate::models::environment_diff::{DiffChange, Drift, EnvironmentDiff, ServiceDiff};
use crate::services::access::authorize_read;
use crate::services::actor::Actor;
use sqlx::PgPool;
use std::collections::HashMap;

/// Changes listed per service at most.
const CHANGES_SHOWN: usize = 200;

pub async fn compare_environments(
    pool: &PgPool,
    actor: &Actor,
    from: &str,
    to: &str,
) -> Result<EnvironmentDiff, AppError> {
    authorize_read(actor)?;
    if from == to {
        return Err(bad("to", "compare two different environments"));
    }
    let mut conn = pool.acquire().await?;
    let known: Vec<String> = sqlx::query_scalar!(
        "SELECT name FROM environment WHERE name = ANY($1)",
        &[from.to_owned(), to.to_owned()]
    )
    .fetch_all(&mut *conn)
    .await?;
    for (field, name) in [("from", from), ("to", to)] {
        if !known.iter().any(|k| k == name) {
            return Err(bad(
                field,
                format!("there is no environment named {name:?}"),
            ));
        }
    }
    let rows = sqlx::query!(
        r#"SELECT s.service_id, s.name AS service,
                  f.version AS from_version, ft.train_id AS "from_train_id?", ft.name AS "from_train?",
                  t.version AS to_version, tt.train_id AS "to_train_id?", tt.name AS "to_train?"
           FROM service s
           LEFT JOIN environment_release f ON f.service_id = s.service_id AND f.environment = $1
           LEFT JOIN train ft ON ft.train_id = f.train_id
           LEFT JOIN environment_release t ON t.service_id = s.service_id AND t.environment = $2
           LEFT JOIN train tt ON tt.train_id = t.train_id
           WHERE f.service_id IS NOT NULL OR t.service_id IS NOT NULL
           ORDER BY s.name"#,
        from,
        to
    )
    .fetch_all(&mut *conn)
    .await?;
    // Per service, the trains strictly after the older one up to the newer.
    let bounds: Vec<(i64, i64, i64)> = rows
        .iter()
        .filter(|r| r.from_version != r.to_version)
        .filter_map(|r| {
            let (older, newer) = match (r.from_train_id, r.to_train_id) {
                (Some(a), Some(b)) if a != b => (a.min(b), a.max(b)),
                (Some(a), None) => (0, a),
                (None, Some(b)) => (0, b),
                _ => return None,
            };
            Some((r.service_id, older, newer))
        })
        .collect();
    let (ids, lows, highs): (Vec<i64>, Vec<i64>, Vec<i64>) = bounds.iter().fold(
        (Vec::new(), Vec::new(), Vec::new()),
        |(mut a, mut b, mut c), (s, lo, hi)| {
            a.push(*s);
            b.push(*lo);
            c.push(*hi);
            (a, b, c)
        },
    );
    let between = sqlx::query!(
        r#"SELECT b.service_id AS "service_id!", t.name AS train,
                  c.sha AS "sha?", c.title AS "title?", c.author AS "author?",
                  c.breaking AS "breaking?", c.pr_url
           FROM unnest($1::bigint[], $2::bigint[], $3::bigint[]) AS b (service_id, low, high)
           JOIN participant p ON p.service_id = b.service_id AND p.train_id > b.low AND p.train_id <= b.high
           -- A train still being planned has shipped nothing yet.
           JOIN train t ON t.train_id = p.train_id AND (t.state <> 'planning' OR t.train_id = b.high)
           LEFT JOIN train_change c ON c.train_id = p.train_id AND c.service_id = b.service_id
           ORDER BY b.service_id, t.train_id DESC, c.committed_at DESC, c.sha"#,
        &ids,
        &lows,
        &highs
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut trains: HashMap<i64, Vec<String>> = HashMap::new();
    let mut changes: HashMap<i64, Vec<DiffChange>> = HashMap::new();
    for row in between {
        let listed = trains.entry(row.service_id).or_default();
        if listed.last() != Some(&row.train) {
            listed.push(row.train.clone());
        }
        let (Some(sha), Some(title), Some(author)) = (row.sha, row.title, row.author) else {
            continue;
        };
        let list = changes.entry(row.service_id).or_default();
        if list.len() < CHANGES_SHOWN && !list.iter().any(|c| c.sha == sha) {
            list.push(DiffChange {
                sha,
                title,
                author,
                breaking: row.breaking.unwrap_or(false),
                train: row.train,
                pr_url: row.pr_url,
            });
        }
    }
    let mut services: Vec<ServiceDiff> = rows
        .into_iter()
        .map(|r| {
            let drift = match (&r.from_version, &r.to_version) {
                (a, b) if a == b => Drift::Same,
                (Some(_), None) => Drift::Ahead,
                (None, Some(_)) => Drift::Behind,
                _ => match (r.from_train_id, r.to_train_id) {
                    (Some(a), Some(b)) if a > b => Drift::Ahead,
                    (Some(a), Some(b)) if a < b => Drift::Behind,
                    _ => Drift::Differs,
                },
            };
            ServiceDiff {
                trains: trains.remove(&r.service_id).unwrap_or_default(),
                changes: changes.remove(&r.service_id).unwrap_or_default(),
                service: r.service,
                drift,
                from_version: r.from_version,
                from_train: r.from_train,
                to_version: r.to_version,
                to_train: r.to_train,
            }
        })
        .collect();
    services.sort_by_key(|s| s.drift == Drift::Same);
    Ok(EnvironmentDiff {
        from: from.to_owned(),
        to: to.to_owned(),
        services,
    })
}
