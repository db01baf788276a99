//! Tracks from a `tracks:` file, inside the import's transaction: added,
//! changed (a new cadence moves the planned trains as the cadence page
//! would), or left alone when nothing differs.

use super::{apply_settings, fields_of, insert, parse_input, stored};
use crate::domain::track_input::TrackInput;
use crate::error::{bad_field, AppError};
use crate::services::actor::Actor;
use crate::services::calendar_edit::change_cadence;
use crate::services::catalog::Imported;
use chrono::{DateTime, Utc};
use sqlx::PgConnection;

/// Imports one track. A track it promotes to must be imported first.
pub(crate) async fn import_track(
    conn: &mut PgConnection,
    actor: &Actor,
    input: &TrackInput,
    now: DateTime<Utc>,
) -> Result<Imported, AppError> {
    let (spec, rule) = parse_input(input)?;
    let name = spec.name.to_string();
    let before = match stored(conn, &name).await {
        Ok(before) => before,
        Err(AppError::NotFound(_)) => {
            insert(conn, actor, &spec, rule, now).await?;
            return Ok(Imported::Added);
        }
        Err(e) => return Err(e),
    };
    if before.archived_at.is_some() {
        return Err(AppError::Conflict(format!(
            "track {name} is archived: add the track under another name"
        )));
    }
    if fields_of(&spec, rule.clone()) == before.fields {
        return Ok(Imported::Unchanged);
    }
    if rule != before.fields.rule {
        let Some(cadence) = &spec.cadence else {
            return Err(bad_field(
                "cadence",
                format!("{name} has a cadence: archive it and add an on-demand track instead"),
            ));
        };
        change_cadence(conn, actor, &name, cadence, now).await?;
    }
    apply_settings(conn, actor, &name, before, &spec, now).await?;
    Ok(Imported::Changed)
}

/// Puts the tracks one import added in the order their file lists them
/// (`names`), in the positions they were given: an import adds a track only
/// after the ones it refers to, but people read them in the file's order.
pub(crate) async fn order_as_listed(
    conn: &mut PgConnection,
    names: &[String],
) -> Result<(), AppError> {
    sqlx::query!(
        "UPDATE track t SET position = o.position
         FROM (SELECT u.name,
                      (array(SELECT position FROM track WHERE name = ANY($1) ORDER BY position))[u.ord::int]
                        AS position
               FROM unnest($1::text[]) WITH ORDINALITY AS u(name, ord)) o
         WHERE t.name = o.name",
        names
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}
