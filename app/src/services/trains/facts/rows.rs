//! One query per kind of fact, for any number of trains, grouped by train.

use super::*;
use crate::domain::change::TimelineEvent;
use crate::domain::promotion::ReleaseStatus;

pub(super) fn group<T>(rows: impl IntoIterator<Item = (i64, T)>) -> HashMap<i64, Vec<T>> {
    let mut out: HashMap<i64, Vec<T>> = HashMap::new();
    for (id, row) in rows {
        out.entry(id).or_default().push(row);
    }
    out
}

pub(in crate::services::trains) async fn load_participants_of(
    conn: &mut PgConnection,
    ids: &[i64],
) -> Result<HashMap<i64, Vec<ParticipantStatus>>, AppError> {
    let rows = sqlx::query!(
        r#"SELECT p.train_id, s.name AS service, p.release_position AS position, p.status,
                  p.target_version, p.previous_version, s.owners
           FROM participant p JOIN service s USING (service_id)
           WHERE p.train_id = ANY($1) ORDER BY p.train_id, p.release_position, s.name"#,
        ids
    )
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter()
        .map(|r| {
            let participant = ParticipantStatus {
                service: r.service,
                position: r.position,
                status: stored_phase(&r.status)?,
                target_version: r.target_version,
                previous_version: r.previous_version,
                owners: r.owners,
            };
            Ok((r.train_id, participant))
        })
        .collect::<Result<Vec<_>, AppError>>()
        .map(group)
}

pub(super) async fn load_tags_of(
    conn: &mut PgConnection,
    ids: &[i64],
) -> Result<HashMap<i64, Vec<TagRecord>>, AppError> {
    let rows = sqlx::query!(
        "SELECT train_id, tag, kind, versions, reason, tagged_by, tagged_at FROM train_tag
         WHERE train_id = ANY($1) ORDER BY train_id, train_tag_id",
        ids
    )
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter()
        .map(|r| {
            let tag = TagRecord {
                tag: r.tag,
                kind: r.kind,
                versions: serde_json::from_value(r.versions)
                    .or_internal("a stored tag's versions")?,
                reason: r.reason,
                tagged_by: r.tagged_by,
                tagged_at: r.tagged_at,
            };
            Ok((r.train_id, tag))
        })
        .collect::<Result<Vec<_>, AppError>>()
        .map(group)
}

pub(super) async fn load_requirements_of(
    conn: &mut PgConnection,
    ids: &[i64],
) -> Result<HashMap<i64, Vec<RequirementStatus>>, AppError> {
    let rows = sqlx::query!(
        "SELECT train_id, kind, name, versions FROM train_requirement
         WHERE train_id = ANY($1) ORDER BY train_id, kind, name",
        ids
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(group(rows.into_iter().map(|r| {
        (
            r.train_id,
            RequirementStatus {
                kind: r.kind,
                name: r.name,
                versions: r.versions,
            },
        )
    })))
}

pub(in crate::services::trains) async fn load_definitions_of(
    conn: &mut PgConnection,
    ids: &[i64],
) -> Result<HashMap<i64, Vec<GateDefinition>>, AppError> {
    let rows = sqlx::query!(
        r#"SELECT train_id, name, rule, blocking, stages, applies_to FROM gate_definition
           WHERE train_id = ANY($1) ORDER BY train_id, position, name"#,
        ids
    )
    .fetch_all(&mut *conn)
    .await?;
    let rows = rows
        .into_iter()
        .map(|r| {
            let stages = r
                .stages
                .iter()
                .map(|s| serde_json::from_value(serde_json::Value::String(s.clone())))
                .collect::<Result<Vec<GateStage>, _>>()
                .or_internal("stored data does not parse")?;
            Ok((
                r.train_id,
                GateDefinition {
                    name: r.name,
                    rule: serde_json::from_value(r.rule)
                        .or_internal("stored data does not parse")?,
                    blocking: r.blocking,
                    stages,
                    applies_to: r.applies_to,
                },
            ))
        })
        .collect::<Result<Vec<_>, AppError>>()?;
    Ok(group(rows))
}

/// The newest result per train × participant × key: one row per cell of the
/// gate matrix (`gate_cell` keeps which one it is), however often CI
/// reported.
pub(in crate::services::trains) async fn load_reports_of(
    conn: &mut PgConnection,
    ids: &[i64],
) -> Result<HashMap<i64, Vec<Report>>, AppError> {
    let rows = sqlx::query!(
        r#"SELECT r.train_id, s.name AS participant, r.key, r.value_number, r.value_pass,
                  r.reported_at, r.source, r.url
           FROM gate_cell c
           JOIN gate_result r ON r.gate_result_id = c.gate_result_id
           JOIN service s ON s.service_id = r.service_id
           WHERE c.train_id = ANY($1)"#,
        ids
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(group(rows.into_iter().filter_map(|r| {
        let value = match (r.value_number, r.value_pass) {
            (Some(n), _) => Observed::Number(n),
            (None, Some(p)) => Observed::Pass(p),
            (None, None) => return None,
        };
        Some((
            r.train_id,
            Report {
                participant: r.participant,
                key: r.key,
                value,
                reported_at: r.reported_at,
                source: r.source,
                url: r.url,
            },
        ))
    })))
}

pub(super) async fn load_evidence_of(
    conn: &mut PgConnection,
    ids: &[i64],
) -> Result<HashMap<i64, Vec<(EvidenceKind, Option<String>)>>, AppError> {
    let rows = sqlx::query!(
        r#"SELECT a.train_id, a.kind, s.name AS "participant?"
           FROM evidence_artifact a LEFT JOIN service s USING (service_id)
           WHERE a.train_id = ANY($1)"#,
        ids
    )
    .fetch_all(&mut *conn)
    .await?;
    let rows = rows
        .into_iter()
        .map(|r| {
            let kind = EvidenceKind::parse(&r.kind).or_internal("stored data does not parse")?;
            Ok((r.train_id, (kind, r.participant)))
        })
        .collect::<Result<Vec<_>, AppError>>()?;
    Ok(group(rows))
}

pub(super) async fn load_deployments_of(
    conn: &mut PgConnection,
    ids: &[i64],
) -> Result<HashMap<i64, Vec<EnvironmentStep>>, AppError> {
    let rows = sqlx::query!(
        "SELECT train_id, environment, deployed_at, rolled_back_at, status FROM train_environment
         WHERE train_id = ANY($1)",
        ids
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(group(rows.into_iter().map(|r| {
        let status = ReleaseStatus::parse(&r.status);
        (
            r.train_id,
            EnvironmentStep {
                environment: r.environment,
                // Running there only once CD confirmed it (or at once,
                // recording only): soaks count from then.
                deployed_at: (status == Some(ReleaseStatus::Deployed)).then_some(r.deployed_at),
                rolled_back_at: r.rolled_back_at,
                status,
            },
        )
    })))
}

pub(super) async fn load_transitions_of(
    conn: &mut PgConnection,
    ids: &[i64],
) -> Result<HashMap<i64, Vec<Step>>, AppError> {
    let transition = TimelineEvent::Transition { steps: None };
    let rows = sqlx::query!(
        r#"SELECT train_id, at, from_state AS "from_state!", to_state AS "to_state!"
           FROM train_event
           WHERE train_id = ANY($1) AND kind = $2
             AND from_state IS NOT NULL AND to_state IS NOT NULL
           ORDER BY train_id, at, train_event_id"#,
        ids,
        transition.kind()
    )
    .fetch_all(&mut *conn)
    .await?;
    let rows = rows
        .into_iter()
        .map(|r| {
            Ok((
                r.train_id,
                Step {
                    at: r.at,
                    from: TrainState::parse(&r.from_state)
                        .or_internal("stored data does not parse")?,
                    to: TrainState::parse(&r.to_state).or_internal("stored data does not parse")?,
                },
            ))
        })
        .collect::<Result<Vec<_>, AppError>>()?;
    Ok(group(rows))
}

/// A `participant.status` as stored.
fn stored_phase(raw: &str) -> Result<Phase, AppError> {
    Phase::parse(raw).ok_or_else(|| {
        AppError::internal(
            "stored data does not parse",
            format!("participant status {raw:?}"),
        )
    })
}
