//! One change of every kind (and of both shapes where one variant records
//! two actions), for the tests that every kind is told everywhere.

use super::*;
use chrono::TimeZone;

#[path = "examples_calendar.rs"]
mod calendar;
#[path = "examples_outgoing.rs"]
mod outgoing;

fn train() -> TrainRef {
    TrainRef::new(7, "curve-2.1-rollout")
}

fn at() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 1, 10, 0, 0).unwrap()
}

fn artifact() -> ArtifactLine {
    ArtifactLine {
        name: "curve.cdx.json".into(),
        kind: "cyclonedx_sbom".into(),
        participant: Some("curve".into()),
        size: 120,
        sha256: "ab".repeat(32),
    }
}

fn service_fields() -> ServiceFields {
    ServiceFields {
        description: "Yield curves".into(),
        repository: Some("https://git.example/curve".into()),
        owners: vec!["alice".into()],
        depends_on: vec!["api".into()],
    }
}

fn freeze() -> FreezeFields {
    FreezeFields {
        starts_at: at(),
        ends_at: at() + chrono::Duration::days(2),
        tracks: vec!["dev".into()],
        effect: "block".into(),
        reason: "year-end".into(),
    }
}

fn steps() -> Vec<RollbackLine> {
    vec![RollbackLine {
        service: "curve".into(),
        from_version: Some("2.1.0".into()),
        to_version: Some("2.0.3".into()),
        status: "rolled_back".into(),
    }]
}

pub fn examples() -> Vec<Change> {
    let states = FromTo {
        from: TrainState::Executing,
        to: TrainState::RolledBack,
    };
    let fields = |captain: &str| TrainFields {
        captain: Some(captain.into()),
        target_version: Some("2.1.0".into()),
    };
    let versions = serde_json::json!([{ "service": "curve", "version": "2.1.0" }]);
    vec![
        Change::TrainCreated {
            train: train(),
            target_version: Some("2.1.0".into()),
            participants: vec!["curve".into(), "api".into()],
            gates: vec!["quality_score".into()],
            track: Some("dev".into()),
            tag: Some("v0.5.0-dev.3".into()),
        },
        Change::TrainTransitioned {
            train: train(),
            states: FromTo {
                from: TrainState::Planning,
                to: TrainState::Validating,
            },
            reason: None,
        },
        Change::TrainRolledBack {
            train: train(),
            states: Some(states),
            environment: None,
            steps: steps(),
            reason: "error rate".into(),
        },
        Change::TrainRolledBack {
            train: train(),
            states: None,
            environment: Some("prod".into()),
            steps: steps(),
            reason: "error rate".into(),
        },
        Change::TrainGatesSet {
            train: train(),
            before: vec!["quality".into()],
            after: vec!["build".into(), "unit-tests".into()],
            reason: None,
        },
        Change::TrainEdited {
            train: train(),
            before: fields("ana"),
            after: fields("bo"),
            reason: Some("rota".into()),
        },
        Change::TrainDeleted {
            train: "curve-2.2".into(),
            state: TrainState::Planning,
        },
        Change::ParticipantVersionSet {
            train: train(),
            participant: "curve".into(),
            version: VersionChange {
                from: Some("2.1.0".into()),
                to: "2.1.1".into(),
            },
        },
        Change::GateResultsRecorded {
            train: train(),
            results: vec![GateResultLine {
                participant: "curve".into(),
                gate: "quality_score".into(),
                value: Some(92.0),
                passed: None,
            }],
        },
        Change::HealthBreached {
            train: train(),
            service: "curve".into(),
            environment: "prod".into(),
            breaches: vec!["error rate 7% over 5%".into()],
            outcome: BreachOutcome::Recommended,
            reason: "curve in prod: error rate".into(),
        },
        Change::ServiceRegistered {
            service: "curve".into(),
            fields: service_fields(),
        },
        Change::ServiceUpdated {
            service: "curve".into(),
            before: service_fields(),
            after: ServiceFields {
                owners: vec!["group:quants".into()],
                ..service_fields()
            },
        },
        Change::ServiceRetired {
            service: "curve".into(),
            before: service_fields(),
            reason: "replaced by curve2".into(),
        },
        Change::ServiceStatusReported {
            service: "curve".into(),
            status: ServiceState::Deployed,
            version: Some("2.1.0".into()),
            health_status: None,
            before: ServiceReport {
                status: "deploying".into(),
                version: None,
                health_status: "unknown".into(),
            },
            trains: vec![train()],
        },
    ]
    .into_iter()
    .chain(calendar::examples())
    .chain(vec![
        Change::PromotionRequested {
            train: train(),
            environment: "stage".into(),
            request: 1,
            versions: versions.clone(),
            note: "ready".into(),
        },
        Change::PromotionApproved {
            train: train(),
            environment: "stage".into(),
            request: 1,
            comment: None,
        },
        Change::PromotionRejected {
            train: train(),
            environment: "stage".into(),
            request: 1,
            comment: "not yet".into(),
        },
        Change::PromotionCancelled {
            train: train(),
            environment: "stage".into(),
            request: 1,
        },
        Change::GlassBroken {
            train: train(),
            environment: "prod".into(),
            request: 1,
            reason: "outage fix".into(),
        },
        Change::Promoted {
            train: train(),
            environment: "prod".into(),
            request: 1,
            versions,
            break_glass: Some("break-glass by ana: outage fix".into()),
            reason: "outage fix".into(),
        },
        Change::PromotionSettled {
            train: train(),
            environment: "prod".into(),
            deployed: true,
            detail: "api 2.0.0 runs in prod".into(),
        },
        Change::PromotionSettled {
            train: train(),
            environment: "prod".into(),
            deployed: false,
            detail: "the deploy of api 2.0.0 to prod failed".into(),
        },
        Change::RollbackSettled {
            train: train(),
            environment: Some("prod".into()),
            outcome: crate::domain::rollback_progress::RollbackOutcome::Completed,
            detail: "CD redeployed api 1.9.0 in prod".into(),
        },
        Change::RollbackSettled {
            train: train(),
            environment: None,
            outcome: crate::domain::rollback_progress::RollbackOutcome::Stuck,
            detail: "waiting for CD to redeploy api 1.9.0 in prod".into(),
        },
        Change::GateTemplateSaved {
            template: "release-checks".into(),
            before: None,
            after: serde_json::json!([{ "check": "build" }]),
        },
        Change::GateTemplateSaved {
            template: "release-checks".into(),
            before: Some(serde_json::json!([{ "check": "build" }])),
            after: serde_json::json!([{ "check": "build" }, { "check": "e2e-tests" }]),
        },
        Change::GateTemplateDeleted {
            template: "release-checks".into(),
            before: serde_json::json!([{ "check": "build" }]),
            reason: "replaced by seed 001's checks".into(),
        },
        Change::EnvironmentCreated {
            environment: "preview".into(),
            fields: EnvironmentFields {
                kind: "preview".into(),
                ..EnvironmentFields::default()
            },
            policy: serde_json::json!({ "required_approvals": 0 }),
        },
        Change::EnvironmentUpdated {
            environment: "preview".into(),
            before: EnvironmentFields::default(),
            after: EnvironmentFields {
                position: 2,
                ..EnvironmentFields::default()
            },
        },
        Change::EnvironmentDeleted {
            environment: "preview".into(),
            before: EnvironmentFields::default(),
            reason: "previews moved to the CI system".into(),
        },
        Change::PolicyUpdated {
            environment: "prod".into(),
            before: None,
            after: serde_json::json!({ "approvals": 2 }),
        },
        Change::PolicyImported {
            policy: serde_json::json!({ "quality_gates": {} }),
        },
        Change::EvidenceUploaded {
            train: train(),
            artifact: artifact(),
            replaced: None,
        },
        Change::EvidenceUploaded {
            train: train(),
            artifact: artifact(),
            replaced: Some(artifact()),
        },
        Change::EvidenceRemoved {
            train: train(),
            artifact: artifact(),
        },
        Change::EvidenceRefused {
            train: "curve-2.1-rollout".into(),
            upload: RefusedUpload {
                name: Some("big.bin".into()),
                kind: None,
                participant: None,
                sha256: None,
                size: Some(1 << 30),
                status: 413,
            },
            reason: "too large".into(),
        },
        Change::EvidenceSealed {
            train: train(),
            manifest_sha256: "cd".repeat(32),
            artifacts: 4,
            total_size: 4096,
            sealed_at: at(),
        },
        Change::Session {
            user: "ana".into(),
            change: SessionChange::RolesChanged {
                from: vec!["approver:prod".into()],
                to: vec!["viewer".into()],
            },
        },
        Change::Session {
            user: "ana".into(),
            change: SessionChange::SignedIn {
                roles: vec!["approver".into()],
                groups: vec!["payments".into()],
            },
        },
        Change::Session {
            user: "eve".into(),
            change: SessionChange::Refused {
                groups: vec![],
                reason: "no role".into(),
            },
        },
        Change::Session {
            user: "ana".into(),
            change: SessionChange::SignedOut { everywhere: None },
        },
        Change::Session {
            user: "ana".into(),
            change: SessionChange::SignedOut {
                everywhere: Some(3),
            },
        },
        Change::Token {
            name: "ci-main".into(),
            change: TokenChange::Created {
                scopes: vec!["gates:write".into()],
                tracks: vec![],
                trains: vec![],
                prefix: "ty_ab12".into(),
                expires_at: None,
            },
        },
        Change::Token {
            name: "ci-dev".into(),
            change: TokenChange::Created {
                scopes: vec!["gates:write".into(), "trains:write".into()],
                tracks: vec!["dev".into()],
                trains: vec!["Q4-curve-upgrade".into()],
                prefix: "ty_cd34".into(),
                expires_at: None,
            },
        },
        Change::Token {
            name: "ci-main".into(),
            change: TokenChange::Revoked {
                prefix: "ty_ab12".into(),
            },
        },
    ])
    .chain(outgoing::webhooks())
    .chain(outgoing::waiting_and_upcoming())
    .chain(outgoing::deployments())
    .chain(outgoing::incidents())
    .collect()
}
