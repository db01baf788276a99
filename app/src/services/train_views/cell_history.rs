use super::chart::line_chart;
use crate::domain::gates::GateRule;
use crate::error::AppError;
use crate::models::train_page::{CellHistory, CellReport};
use crate::services::access::authorize_read;
use crate::services::actor::Actor;
use sqlx::PgPool;

/// The keys a gate reads: its metric, its check, or the identifiers its
/// expression mentions.
fn keys_of(rule: &GateRule) -> Vec<String> {
    match rule {
        GateRule::Threshold { metric, .. } => vec![metric.clone()],
        GateRule::Check { context } => vec![context.clone()],
        GateRule::Expression { source } => source
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .filter(|w| {
                w.chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            })
            .map(str::to_owned)
            .collect(),
    }
}

/// Every result behind one cell of the gate matrix, newest first, with a
/// chart when the results are numbers.
#[tracing::instrument(skip(pool))]
pub async fn cell_history(
    pool: &PgPool,
    actor: &Actor,
    train: &str,
    participant: &str,
    gate: &str,
) -> Result<CellHistory, AppError> {
    authorize_read(actor)?;
    let definition = sqlx::query!(
        "SELECT g.rule FROM gate_definition g JOIN train t USING (train_id) WHERE t.name = $1 AND g.name = $2",
        train,
        gate
    )
    .fetch_optional(pool)
    .await?
    .ok_or_else(|| AppError::NotFound(format!("gate {gate:?} of release train {train:?}")))?;
    let rule: GateRule = serde_json::from_value(definition.rule).map_err(|e| {
        tracing::error!(error = %e, "stored gate rule does not parse");
        AppError::Internal
    })?;
    let keys = keys_of(&rule);
    let rows = sqlx::query!(
        "SELECT r.reported_at, r.key, r.value_number, r.value_pass, r.source, r.url, r.reported_by
         FROM gate_result r JOIN train t USING (train_id) JOIN service s ON s.service_id = r.service_id
         WHERE t.name = $1 AND s.name = $2 AND r.key = ANY($3)
         ORDER BY r.reported_at DESC, r.gate_result_id DESC LIMIT 200",
        train,
        participant,
        &keys
    )
    .fetch_all(pool)
    .await?;
    let numbers: Vec<(chrono::DateTime<chrono::Utc>, f64)> = rows
        .iter()
        .filter_map(|r| r.value_number.map(|v| (r.reported_at, v)))
        .rev()
        .collect();
    let limit = match &rule {
        GateRule::Threshold { limit, .. } => Some(*limit),
        _ => None,
    };
    let results = rows
        .into_iter()
        .map(|r| {
            let value = match (r.value_number, r.value_pass) {
                (Some(n), _) => n.to_string(),
                (None, Some(true)) => "passed".to_owned(),
                (None, Some(false)) => "failed".to_owned(),
                (None, None) => "—".to_owned(),
            };
            CellReport {
                at: r.reported_at,
                value: if keys.len() > 1 {
                    format!("{} = {value}", r.key)
                } else {
                    value
                },
                source: r.source,
                url: r.url,
                reported_by: r.reported_by,
            }
        })
        .collect();
    Ok(CellHistory {
        participant: participant.to_owned(),
        gate: gate.to_owned(),
        rule: rule.to_string(),
        key: (keys.len() == 1).then(|| keys[0].clone()),
        results,
        chart_svg: (numbers.len() >= 2)
            .then(|| line_chart(&numbers, limit))
            .flatten(),
    })
}
