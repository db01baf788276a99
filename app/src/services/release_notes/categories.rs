//! The organisation's release-note sections: seed 004's three until an
//! admin (or a `config:write` job) sets others.

use crate::domain::access::{Action, Resource};
use crate::domain::change::Change;
use crate::domain::release_notes::Categories;
use crate::domain::text::LINE;
use crate::error::{bad_field as bad, text_field, AppError, ResultExt};
use crate::services::access::authorize;
use crate::services::actor::Actor;
use crate::services::audit::begin_write;
use crate::services::changes;
use chrono::{DateTime, Utc};
use sqlx::{PgConnection, PgPool};

pub async fn get_categories(pool: &PgPool, actor: &Actor) -> Result<Categories, AppError> {
    authorize(actor, Action::Read, &Resource::Site)?;
    let mut conn = pool.acquire().await?;
    load_categories(&mut conn).await
}

pub async fn set_categories(
    pool: &PgPool,
    actor: &Actor,
    input: &Categories,
    now: DateTime<Utc>,
) -> Result<Categories, AppError> {
    authorize(actor, Action::ManageTracks, &Resource::Tracks)?;
    let categories = checked(input)?;
    let after = serde_json::to_value(&categories).or_internal("release-note categories")?;
    let mut tx = begin_write(pool).await?;
    let before = sqlx::query_scalar!("SELECT value FROM setting WHERE key = 'release_notes'")
        .fetch_optional(&mut *tx)
        .await?;
    sqlx::query!(
        "INSERT INTO setting (key, value, updated_at) VALUES ('release_notes', $1, $2)
         ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = EXCLUDED.updated_at",
        after,
        now
    )
    .execute(&mut *tx)
    .await?;
    let change = Change::ReleaseNoteCategoriesSet { before, after };
    changes::record(&mut tx, actor, change, now).await?;
    tx.commit().await?;
    Ok(categories)
}

pub(super) async fn load_categories(conn: &mut PgConnection) -> Result<Categories, AppError> {
    let stored = sqlx::query_scalar!("SELECT value FROM setting WHERE key = 'release_notes'")
        .fetch_optional(&mut *conn)
        .await?;
    match stored {
        None => Ok(Categories::default()),
        Some(value) => serde_json::from_value(value).or_internal("stored release-note categories"),
    }
}

/// 1 to 10 sections with distinct one-line titles, plain labels and types.
fn checked(input: &Categories) -> Result<Categories, AppError> {
    if input.categories.is_empty() || input.categories.len() > 10 {
        return Err(bad("categories", "name 1 to 10 sections"));
    }
    let mut out = Categories {
        categories: Vec::new(),
        exclude_labels: names("exclude_labels", &input.exclude_labels)?,
    };
    for (i, c) in input.categories.iter().enumerate() {
        let title = text_field(&format!("categories[{i}].title"), LINE, &c.title)?;
        if out.categories.iter().any(|o| o.title == title) {
            return Err(bad(
                format!("categories[{i}].title"),
                format!("{title} is named twice"),
            ));
        }
        out.categories.push(crate::domain::release_notes::Category {
            title,
            labels: names(&format!("categories[{i}].labels"), &c.labels)?,
            types: names(&format!("categories[{i}].types"), &c.types)?,
        });
    }
    Ok(out)
}

fn names(field: &str, raw: &[String]) -> Result<Vec<String>, AppError> {
    if raw.len() > 50 {
        return Err(bad(field, "at most 50"));
    }
    raw.iter().map(|n| text_field(field, LINE, n)).collect()
}
