use crate::domain::calendar::edit::{weekdays, CadenceSpec};
use crate::domain::environment_input::{EnvironmentInput, PolicyInput};
use crate::domain::gates::spec::GateSpec;
use crate::domain::gates::template::GateTemplateInput;
use crate::domain::promotion::EnvironmentPolicy;
use crate::domain::service::ServiceInput;
use crate::domain::track_input::{TrackInput, DEFAULT_ROLLBACK_TIMEOUT_MINUTES};
use crate::domain::TrainState;
use crate::error::{AppError, ResultExt};
use crate::models::calendar::CadenceForm;
use crate::models::catalog::{
    CatalogDependency, CatalogFile, CatalogTrain, EnvironmentsFile, GateTemplatesFile,
    PoliciesFile, ReleaseTrainPolicies, RollbackSettings, Schedule, ServicesFile, TracksFile,
};
use crate::models::train::ParticipantInput;
use crate::services::calendar::{stored_naming, stored_planning};
use sqlx::{PgConnection, PgPool};

/// What `trainyard export` writes.
pub struct ExportedFiles {
    /// `config/services.yaml`: the active services.
    pub services: String,
    /// `config/environments.yaml`: the environments with their policies.
    pub environments: String,
    /// `config/gate-templates.yaml`: the gate templates.
    pub gate_templates: String,
    /// `config/tracks.yaml`: the active tracks.
    pub tracks: String,
    pub catalog: String,
    /// `None` until a policy file has been imported.
    pub policies: Option<String>,
}

pub async fn export(pool: &PgPool) -> Result<ExportedFiles, AppError> {
    let mut conn = pool.acquire().await?;
    let names =
        sqlx::query_scalar!("SELECT name FROM train ORDER BY planned_start NULLS FIRST, name")
            .fetch_all(&mut *conn)
            .await?;
    let mut trains = Vec::with_capacity(names.len());
    for name in names {
        if let Some(train) = export_train(&mut conn, &name).await? {
            trains.push(train);
        }
    }
    let catalog = serde_norway::to_string(&CatalogFile { trains }).or_internal("export failed")?;
    let policies = sqlx::query_scalar!("SELECT value FROM setting WHERE key = 'release_trains'")
        .fetch_optional(&mut *conn)
        .await?
        .map(|value| {
            let release_trains: ReleaseTrainPolicies =
                serde_json::from_value(value).or_internal("export failed")?;
            serde_norway::to_string(&PoliciesFile { release_trains }).or_internal("export failed")
        })
        .transpose()?;
    let services = sqlx::query!(
        r#"SELECT s.name, s.description, s.repository, s.owners,
                  coalesce((SELECT array_agg(d.name ORDER BY d.name) FROM service_dependency sd
                            JOIN service d ON d.service_id = sd.depends_on_service_id
                            WHERE sd.service_id = s.service_id), '{}') AS "depends_on!"
           FROM service s WHERE s.retired_at IS NULL ORDER BY s.name"#
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|s| ServiceInput {
        name: s.name,
        description: s.description,
        repository: s.repository,
        owners: s.owners,
        depends_on: s.depends_on,
    })
    .collect();
    let services =
        serde_norway::to_string(&ServicesFile { services }).or_internal("export failed")?;
    let tracks = export_tracks(&mut conn).await?;
    let environments = export_environments(&mut conn).await?;
    let gate_templates = export_gate_templates(&mut conn).await?;
    Ok(ExportedFiles {
        gate_templates,
        services,
        environments,
        tracks,
        catalog,
        policies,
    })
}

/// The gate templates by name.
async fn export_gate_templates(conn: &mut PgConnection) -> Result<String, AppError> {
    let rows = sqlx::query!("SELECT name, description, gates FROM gate_template ORDER BY name")
        .fetch_all(&mut *conn)
        .await?;
    let gate_templates = rows
        .into_iter()
        .map(|t| {
            Ok(GateTemplateInput {
                name: t.name,
                description: t.description,
                gates: serde_json::from_value(t.gates).or_internal("export failed")?,
            })
        })
        .collect::<Result<Vec<_>, AppError>>()?;
    serde_norway::to_string(&GateTemplatesFile { gate_templates }).or_internal("export failed")
}

/// The environments in their order, each with its whole policy.
async fn export_environments(conn: &mut PgConnection) -> Result<String, AppError> {
    let rows = sqlx::query!(
        "SELECT name, description, kind, position, policy FROM environment ORDER BY position, name"
    )
    .fetch_all(&mut *conn)
    .await?;
    let environments = rows
        .into_iter()
        .map(|e| {
            let policy: EnvironmentPolicy =
                serde_json::from_value(e.policy).or_internal("export failed")?;
            Ok(EnvironmentInput {
                name: e.name,
                description: e.description,
                kind: e.kind,
                position: Some(e.position),
                policy: Some(PolicyInput::of(&policy)),
            })
        })
        .collect::<Result<Vec<_>, AppError>>()?;
    serde_norway::to_string(&EnvironmentsFile { environments }).or_internal("export failed")
}

/// The active tracks in their order, each as `POST /api/v1/tracks` takes it.
async fn export_tracks(conn: &mut PgConnection) -> Result<String, AppError> {
    let rows = sqlx::query!(
        r#"SELECT t.name, t.description, t.cadence_rrule,
                  (extract(epoch FROM t.freeze_offset) / 60)::bigint AS "freeze!",
                  (extract(epoch FROM t.soak) / 3600)::bigint AS "soak!",
                  (extract(epoch FROM t.rollback_timeout) / 60)::bigint AS "rollback_timeout!",
                  p.name AS "promotes_to?", t.environments, t.direct, t.direct_approvals,
                  h.name AS "patches?", g.name AS "gate_template?", t.naming,
                  t.runs_without_on_call, t.colour, t.planning
           FROM track t LEFT JOIN track p ON p.track_id = t.promotes_to_track_id
                        LEFT JOIN track h ON h.track_id = t.patches
                        LEFT JOIN gate_template g ON g.gate_template_id = t.gate_template_id
           WHERE t.archived_at IS NULL ORDER BY t.position, t.name"#
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut tracks = Vec::with_capacity(rows.len());
    for t in rows {
        let cadence = match t.cadence_rrule.as_deref() {
            None => None,
            Some(rule) => Some(CadenceSpec::from_rule(rule).map(form_of).ok_or_else(|| {
                AppError::Conflict(format!(
                    "track {}'s cadence ({rule}) is not a weekly rule a tracks file can hold",
                    t.name
                ))
            })?),
        };
        tracks.push(TrackInput {
            name: t.name,
            description: t.description,
            cadence,
            freeze_offset_minutes: t.freeze,
            soak_hours: t.soak,
            rollback_timeout_minutes: (t.rollback_timeout != DEFAULT_ROLLBACK_TIMEOUT_MINUTES)
                .then_some(t.rollback_timeout),
            promotes_to: t.promotes_to,
            pipeline: t.environments.unwrap_or_default(),
            direct: t.direct,
            direct_approvals: u8::try_from(t.direct_approvals).unwrap_or(0),
            patches: t.patches,
            gate_template: t.gate_template,
            naming: stored_naming(t.naming)?.to_input(),
            planning: stored_planning(t.planning)?.to_input(),
            runs_without_on_call: t.runs_without_on_call,
            colour: t.colour,
        });
    }
    serde_norway::to_string(&TracksFile { tracks }).or_internal("export failed")
}

fn form_of(spec: CadenceSpec) -> CadenceForm {
    let days = spec
        .days
        .iter()
        .filter_map(|d| {
            weekdays()
                .find(|(w, _, _)| w == d)
                .map(|(_, code, _)| code.to_owned())
        })
        .collect();
    CadenceForm {
        every: spec.every_weeks.to_string(),
        days,
        time: spec.time.format("%H:%M").to_string(),
        starts_on: spec.starts_on.format("%Y-%m-%d").to_string(),
        zone: spec.zone,
    }
}

/// One train as a catalog entry, or `None` if there is no such train.
pub(super) async fn export_train(
    conn: &mut PgConnection,
    name: &str,
) -> Result<Option<CatalogTrain>, AppError> {
    let Some(t) = sqlx::query!(
        r#"SELECT t.train_id, t.name, t.target_version, t.state, t.planned_start, t.config,
                  k.name AS "track?", t.tag, t.captain, t.on_call
           FROM train t LEFT JOIN track k USING (track_id) WHERE t.name = $1"#,
        name
    )
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Ok(None);
    };
    let participants = sqlx::query!(
        "SELECT s.name, p.target_version, p.previous_version
         FROM participant p JOIN service s USING (service_id)
         WHERE p.train_id = $1 ORDER BY p.release_position, s.name",
        t.train_id
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|p| {
        if p.previous_version.is_none() && p.target_version == t.target_version {
            ParticipantInput::Name(p.name)
        } else {
            ParticipantInput::Detailed {
                service: p.name,
                target_version: p.target_version,
                previous_version: p.previous_version,
            }
        }
    })
    .collect();
    let dependencies = sqlx::query!(
        "SELECT kind, name, versions FROM train_requirement WHERE train_id = $1 ORDER BY kind DESC, name",
        t.train_id
    )
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(|r| {
        let text = if r.versions == "*" { r.name } else { format!("{} {}", r.name, r.versions) };
        match r.kind.as_str() {
            "library" => CatalogDependency { spec: None, library: Some(text) },
            _ => CatalogDependency { spec: Some(text), library: None },
        }
    })
    .collect();
    let specs = sqlx::query_scalar!(
        "SELECT spec FROM gate_definition WHERE train_id = $1 ORDER BY position, name",
        t.train_id
    )
    .fetch_all(&mut *conn)
    .await?;
    // Trains that named no gates got the policy's; they export without any.
    let gates = if specs.iter().all(Option::is_none) {
        None
    } else {
        Some(
            specs
                .into_iter()
                .flatten()
                .map(serde_json::from_value::<GateSpec>)
                .collect::<Result<Vec<_>, _>>()
                .or_internal("export failed")?,
        )
    };
    let estimated_duration = t
        .config
        .get("estimated_duration")
        .and_then(|v| v.as_str())
        .map(str::to_owned);
    let schedule =
        (t.planned_start.is_some() || estimated_duration.is_some()).then_some(Schedule {
            start_time: t.planned_start,
            estimated_duration,
        });
    let rollback: Option<RollbackSettings> = t
        .config
        .get("rollback")
        .cloned()
        .map(serde_json::from_value)
        .transpose()
        .or_internal("export failed")?;
    Ok(Some(CatalogTrain {
        name: t.name,
        target_version: t.target_version,
        participants,
        dependencies,
        gates,
        status: Some(TrainState::parse(&t.state).or_internal("export failed")?),
        schedule,
        rollback,
        track: t.track,
        tag: t.tag,
        captain: t.captain,
        on_call: t.on_call,
    }))
}
