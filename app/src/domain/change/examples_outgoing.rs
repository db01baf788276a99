//! One change of every kind about what Trainyard tells the outside world:
//! webhooks, reminders and waiting requests, reported changes.

use super::super::*;
use super::{at, train};

pub(super) fn webhooks() -> Vec<Change> {
    let fields = WebhookFields {
        url: "https://hooks.example/trainyard".into(),
        description: "CD".into(),
        events: vec!["promotion.*".into()],
        tracks: vec![],
        trains: vec![],
        enabled: true,
        format: "standard".into(),
        audience: Some("platform-team".into()),
    };
    vec![
        Change::Webhook {
            id: 3,
            change: WebhookChange::Saved {
                before: None,
                after: fields.clone(),
            },
        },
        Change::Webhook {
            id: 3,
            change: WebhookChange::Saved {
                before: Some(fields.clone()),
                after: WebhookFields {
                    enabled: false,
                    ..fields.clone()
                },
            },
        },
        Change::Webhook {
            id: 3,
            change: WebhookChange::Deleted {
                before: fields,
                reason: "moved to the new CD".into(),
            },
        },
        Change::Webhook {
            id: 3,
            change: WebhookChange::SecretRotated {
                previous_until: at(),
            },
        },
        Change::Webhook {
            id: 3,
            change: WebhookChange::Disabled {
                reason: "answered 410 Gone".into(),
            },
        },
        Change::Webhook {
            id: 3,
            change: WebhookChange::DeliveryQueued {
                message_id: "msg_1".into(),
                event_type: "train.cut".into(),
                test: false,
            },
        },
        Change::Webhook {
            id: 3,
            change: WebhookChange::DeliveryQueued {
                message_id: "msg_2".into(),
                event_type: "webhook.test".into(),
                test: true,
            },
        },
    ]
}

pub(super) fn waiting_and_upcoming() -> Vec<Change> {
    vec![
        Change::PromotionWaiting {
            train: train(),
            environment: "prod".into(),
            request: 4,
            approver_role: "approver:prod".into(),
            approvals_needed: 2,
            owners: vec!["curve".into()],
        },
        Change::TrainUpcoming {
            train: train(),
            cut_at: at(),
            before_minutes: 60,
            on_call: None,
            will_skip: true,
            announcement: "# Change announcement: 2025.09-wk3\n".into(),
        },
        Change::Notes {
            train: train(),
            change: NotesChange::PostRelease {
                sha256: "cd".repeat(32),
                markdown: "# Post-release notes: 2025.09-wk3\n".into(),
            },
        },
        Change::Notes {
            train: train(),
            change: NotesChange::AnnouncementDrafted {
                revision: 1,
                markdown: "# Change announcement: 2025.09-wk3\n".into(),
            },
        },
        Change::ChangesReported {
            train: train(),
            participant: "curve".into(),
            shas: vec!["abc1234".into()],
        },
        Change::Notes {
            train: train(),
            change: NotesChange::Drafted {
                revision: 2,
                markdown: "# 2025.09-wk3\n".into(),
            },
        },
        Change::Notes {
            train: train(),
            change: NotesChange::Published {
                version: 1,
                sha256: "ab".repeat(32),
                markdown: "# 2025.09-wk3\n".into(),
                in_evidence: true,
                reason: Some("ready for customers".into()),
            },
        },
        Change::ReleaseNoteCategoriesSet {
            before: None,
            after: serde_json::json!({ "categories": [] }),
        },
    ]
}

pub(super) fn deployments() -> Vec<Change> {
    use crate::domain::deployment::{DeploymentStatus, MatchKind};
    let deployment = DeploymentRef {
        id: 11,
        service: "curve".into(),
        version: "2.1.0".into(),
        environment: "prod".into(),
    };
    vec![
        Change::Deployment {
            deployment: deployment.clone(),
            train: None,
            change: DeploymentChange::Reported {
                status: DeploymentStatus::InProgress,
                matched: MatchKind::Unscheduled,
                pipeline_run_id: "run-81".into(),
                pipeline_url: Some("https://ci.example/runs/81".into()),
                commit_sha: Some("abcdef1".into()),
                in_freeze: false,
                match_note: None,
            },
        },
        Change::Deployment {
            deployment,
            train: Some(train()),
            change: DeploymentChange::StatusChanged {
                from: DeploymentStatus::InProgress,
                to: DeploymentStatus::Succeeded,
            },
        },
    ]
}

pub(super) fn incidents() -> Vec<Change> {
    use crate::domain::incident::{IncidentReport, Severity};
    let fields = IncidentReport {
        external_id: Some("PD-1".into()),
        title: "Prices are wrong".into(),
        severity: Severity::High,
        services: vec!["curve".into()],
        environment: "prod".into(),
        started_at: at(),
        resolved_at: None,
        url: Some("https://pager.example/PD-1".into()),
        review_url: None,
        cited_tags: vec![],
    };
    vec![
        Change::Incident {
            id: 4,
            change: IncidentChange::Saved {
                before: None,
                after: Box::new(fields.clone()),
            },
        },
        Change::Incident {
            id: 4,
            change: IncidentChange::Saved {
                before: Some(Box::new(fields.clone())),
                after: Box::new(IncidentReport {
                    resolved_at: Some(at() + chrono::Duration::hours(1)),
                    cited_tags: vec!["v2.1.0".into()],
                    ..fields
                }),
            },
        },
        Change::Incident {
            id: 4,
            change: IncidentChange::Linked {
                title: "Prices are wrong".into(),
                deployment: 11,
                service: "curve".into(),
                version: "2.1.0".into(),
                environment: "prod".into(),
                train: Some(train()),
            },
        },
    ]
}
