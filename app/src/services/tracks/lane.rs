//! Where a track's releases go: its pipeline's environments and the track
//! it patches, checked against what exists.

use crate::domain::track_input::TrackSpec;
use crate::error::{bad_field, AppError};
use sqlx::PgConnection;

/// A track's pipeline and the row of the track it patches, once both are
/// known to exist.
pub(super) struct Lane {
    pub pipeline: Option<Vec<String>>,
    pub patches: Option<i64>,
    pub gate_template: Option<i64>,
}

pub(super) async fn lane_of(
    conn: &mut PgConnection,
    spec: &TrackSpec,
    track_id: Option<i64>,
) -> Result<Lane, AppError> {
    let pipeline: Option<Vec<String>> = spec
        .pipeline
        .as_ref()
        .map(|p| p.environments().iter().map(ToString::to_string).collect());
    let row = sqlx::query!(
        r#"SELECT
             ARRAY(SELECT n FROM unnest($1::text[]) AS n
                   WHERE NOT EXISTS (SELECT 1 FROM environment e WHERE e.name = n)) AS "missing!",
             (SELECT track_id FROM track WHERE name = $2 AND archived_at IS NULL
                AND track_id IS DISTINCT FROM $3) AS patches,
             (SELECT gate_template_id FROM gate_template WHERE name = $4) AS gate_template"#,
        pipeline.as_deref().unwrap_or(&[]) as &[String],
        spec.patches.as_ref().map(|t| t.as_str()),
        track_id,
        spec.gate_template.as_deref()
    )
    .fetch_one(&mut *conn)
    .await?;
    if let Some(missing) = row.missing.first() {
        return Err(bad_field(
            "pipeline",
            format!("there is no environment {missing}: add it first"),
        ));
    }
    if let (Some(name), None) = (&spec.patches, row.patches) {
        return Err(bad_field(
            "patches",
            format!("there is no other active track {name}"),
        ));
    }
    if let (Some(name), None) = (&spec.gate_template, row.gate_template) {
        return Err(bad_field(
            "gate_template",
            format!("there is no gate template {name}: add it first"),
        ));
    }
    Ok(Lane {
        pipeline,
        patches: row.patches,
        gate_template: row.gate_template,
    })
}
