//! The names under which changes are announced to webhook subscribers.
//! They are part of a published contract (receivers route on them), so each
//! is spelled here once, and a change's name never depends on who made it.

use crate::domain::change::{Change, DeploymentChange, IncidentChange, NotesChange};
use crate::domain::deployment::MatchKind;
use crate::domain::rollback_progress::RollbackOutcome;

/// Every type of event a subscription may ask for, with what it announces.
pub const EVENT_TYPES: &[(&str, &str)] = &[
    ("train.created", "A train was created."),
    (
        "train.state_changed",
        "A train moved from one state to another.",
    ),
    (
        "train.rolled_back",
        "A train's services were put back to their earlier versions.",
    ),
    (
        "rollback.completed",
        "CD confirmed every redeploy of a rollback (or a person recorded them by force).",
    ),
    (
        "rollback.stuck",
        "A rollback's timeout passed before CD confirmed its redeploys: names what it waits for.",
    ),
    (
        "train.edited",
        "A train's captain or target version changed.",
    ),
    ("train.gates_set", "A train's gates were replaced."),
    ("train.deleted", "A train was deleted."),
    (
        "train.version_set",
        "A participant's target version changed.",
    ),
    (
        "train.cut",
        "A train was cut at its freeze point: branch, first tag, versions.",
    ),
    (
        "train.tagged",
        "A train got its next tag (a release candidate or general availability).",
    ),
    (
        "train.changes_reported",
        "CI reported the commits a participant's version brings (for release notes and lead time).",
    ),
    (
        "release.notes_drafted",
        "A train's release-notes draft was saved (its revision and text).",
    ),
    (
        "release.announcement_drafted",
        "A train's change announcement was edited (its revision and text; it is sent with train.upcoming).",
    ),
    (
        "release.post_release_notes",
        "A train completed: its post-release notes (features and fixes, flags, migrations, SLO status and rollbacks).",
    ),
    (
        "release.notes_published",
        "A version of a train's release notes was published (its Markdown; in the evidence bundle unless sealed).",
    ),
    (
        "train.upcoming",
        "A train's cut is near (its track's reminder times; says when nobody is on call and it will be skipped), with its change announcement.",
    ),
    (
        "gate.results_recorded",
        "Gate results were recorded for a train.",
    ),
    (
        "gate.failed",
        "Gate results were recorded and at least one failed (sent besides gate.results_recorded).",
    ),
    (
        "health.breach",
        "A service's health broke a rollback threshold during a train.",
    ),
    (
        "calendar.on_call_assigned",
        "A train's on-call owner changed.",
    ),
    (
        "calendar.moved",
        "A train was moved (or postponed) on the calendar.",
    ),
    ("calendar.skipped", "A train was skipped."),
    (
        "deployment.reported",
        "A CD system reported a deployment: service, version, environment, status, and the train it belongs to (matched: scheduled, hotfix or unscheduled).",
    ),
    (
        "deployment.unscheduled",
        "A deployment no train carries was reported (seed 003's surprise deploy; sent besides deployment.reported).",
    ),
    (
        "incident.reported",
        "An incident was reported: title, severity, services, environment, start.",
    ),
    (
        "incident.updated",
        "An incident was reported again with something changed (resolved, its review written).",
    ),
    (
        "incident.linked",
        "A person confirmed that a deployment (and its train) caused an incident.",
    ),
    (
        "deployment.status_changed",
        "A reported deployment moved on (in_progress, succeeded, failed, cancelled).",
    ),
    (
        "calendar.rotation_updated",
        "The calendar's owner rotation changed.",
    ),
    ("hotfix.recorded", "A hotfix was recorded on a track."),
    (
        "hotfix.rolled_forward",
        "A hotfix's versions became the next train's baseline.",
    ),
    ("track.created", "A track was added."),
    ("track.updated", "A track's settings changed."),
    ("track.archived", "A track was archived."),
    (
        "track.cadence_changed",
        "A track's cadence changed (and the trains it moved).",
    ),
    ("freeze.saved", "A freeze window was added or changed."),
    ("freeze.deleted", "A freeze window was removed."),
    (
        "promotion.requested",
        "A promotion to an environment was requested.",
    ),
    ("promotion.approved", "A promotion request got an approval."),
    ("promotion.rejected", "A promotion request was rejected."),
    ("promotion.cancelled", "A promotion request was cancelled."),
    (
        "promotion.break_glass",
        "Somebody broke the glass to promote during a freeze.",
    ),
    (
        "promotion.promoted",
        "A train was promoted to an environment.",
    ),
    (
        "promotion.deployed",
        "CD reported every deploy of a promotion succeeded: the release runs there.",
    ),
    (
        "promotion.failed",
        "CD reported a deploy of a promotion failed.",
    ),
    (
        "promotion.waiting",
        "A promotion request waits for approvals: names the approvers' role and how many.",
    ),
    ("service.registered", "A service joined the catalog."),
    ("service.updated", "A service's settings changed."),
    ("service.retired", "A service left the catalog."),
    (
        "service.status_reported",
        "A service reported its status, version or health.",
    ),
    (
        "gate_template.saved",
        "A gate template was added or changed.",
    ),
    ("gate_template.deleted", "A gate template was removed."),
    ("environment.created", "An environment was added."),
    ("environment.updated", "An environment's settings changed."),
    ("environment.deleted", "An environment was removed."),
    (
        "policy.updated",
        "An environment's promotion policy changed.",
    ),
    ("policy.imported", "Promotion policies were imported."),
    (
        "evidence.uploaded",
        "An evidence artifact was uploaded (or replaced).",
    ),
    ("evidence.removed", "An evidence artifact was removed."),
    ("evidence.refused", "An evidence upload was refused."),
    ("evidence.sealed", "A train's evidence bundle was sealed."),
    (
        "webhook.test",
        "A test event somebody sent to one subscription.",
    ),
];

/// Whether `name` is a type of event Trainyard sends.
pub fn is_event_type(name: &str) -> bool {
    EVENT_TYPES.iter().any(|(known, _)| *known == name)
}

impl Change {
    /// The types of event this change is announced as: its own, and for
    /// gate results with a failure `gate.failed` besides (a pager listens
    /// for that alone). None for changes that stay inside Trainyard
    /// (sign-ins, tokens, webhooks themselves: who may call in, and where
    /// Trainyard calls out, are not news for receivers and would only widen
    /// what a leaked endpoint learns).
    pub fn event_types(&self) -> Vec<&'static str> {
        let own = self.own_event_type();
        match self {
            Self::GateResultsRecorded { results, .. }
                if results.iter().any(|r| r.passed == Some(false)) =>
            {
                own.into_iter().chain(["gate.failed"]).collect()
            }
            Self::Deployment {
                change:
                    DeploymentChange::Reported {
                        matched: MatchKind::Unscheduled,
                        ..
                    },
                ..
            } => own.into_iter().chain(["deployment.unscheduled"]).collect(),
            _ => own.into_iter().collect(),
        }
    }

    fn own_event_type(&self) -> Option<&'static str> {
        Some(match self {
            Self::TrainCreated { .. } => "train.created",
            Self::TrainTransitioned { .. } => "train.state_changed",
            Self::TrainRolledBack { .. } => "train.rolled_back",
            Self::TrainEdited { .. } => "train.edited",
            Self::TrainGatesSet { .. } => "train.gates_set",
            Self::TrainDeleted { .. } => "train.deleted",
            Self::ParticipantVersionSet { .. } => "train.version_set",
            Self::GateResultsRecorded { .. } => "gate.results_recorded",
            Self::HealthBreached { .. } => "health.breach",
            Self::ServiceRegistered { .. } => "service.registered",
            Self::ServiceUpdated { .. } => "service.updated",
            Self::ServiceRetired { .. } => "service.retired",
            Self::ServiceStatusReported { .. } => "service.status_reported",
            Self::OnCallAssigned { .. } => "calendar.on_call_assigned",
            Self::TrainMoved { .. } => "calendar.moved",
            Self::TrainSkipped { .. } => "calendar.skipped",
            Self::TrainCut { .. } => "train.cut",
            Self::TrainTagged { .. } => "train.tagged",
            Self::HotfixRolledForward { .. } => "hotfix.rolled_forward",
            Self::HotfixRecorded { .. } => "hotfix.recorded",
            Self::TrackCreated { .. } => "track.created",
            Self::TrackUpdated { .. } => "track.updated",
            Self::TrackArchived { .. } => "track.archived",
            Self::CadenceChanged { .. } => "track.cadence_changed",
            Self::FreezeSaved { .. } => "freeze.saved",
            Self::FreezeDeleted { .. } => "freeze.deleted",
            Self::RotationUpdated { .. } => "calendar.rotation_updated",
            Self::PromotionRequested { .. } => "promotion.requested",
            Self::PromotionApproved { .. } => "promotion.approved",
            Self::PromotionRejected { .. } => "promotion.rejected",
            Self::PromotionCancelled { .. } => "promotion.cancelled",
            Self::GlassBroken { .. } => "promotion.break_glass",
            Self::Promoted { .. } => "promotion.promoted",
            Self::PromotionSettled { deployed: true, .. } => "promotion.deployed",
            Self::PromotionSettled { .. } => "promotion.failed",
            Self::RollbackSettled {
                outcome: RollbackOutcome::Completed,
                ..
            } => "rollback.completed",
            Self::RollbackSettled { .. } => "rollback.stuck",
            Self::PromotionWaiting { .. } => "promotion.waiting",
            Self::TrainUpcoming { .. } => "train.upcoming",
            Self::ChangesReported { .. } => "train.changes_reported",
            Self::Notes { change, .. } => match change {
                NotesChange::Drafted { .. } => "release.notes_drafted",
                NotesChange::Published { .. } => "release.notes_published",
                NotesChange::AnnouncementDrafted { .. } => "release.announcement_drafted",
                NotesChange::PostRelease { .. } => "release.post_release_notes",
            },
            Self::GateTemplateSaved { .. } => "gate_template.saved",
            Self::GateTemplateDeleted { .. } => "gate_template.deleted",
            Self::EnvironmentCreated { .. } => "environment.created",
            Self::EnvironmentUpdated { .. } => "environment.updated",
            Self::EnvironmentDeleted { .. } => "environment.deleted",
            Self::PolicyUpdated { .. } => "policy.updated",
            Self::PolicyImported { .. } => "policy.imported",
            Self::EvidenceUploaded { .. } => "evidence.uploaded",
            Self::EvidenceRemoved { .. } => "evidence.removed",
            Self::EvidenceRefused { .. } => "evidence.refused",
            Self::EvidenceSealed { .. } => "evidence.sealed",
            Self::Deployment { change, .. } => match change {
                DeploymentChange::Reported { .. } => "deployment.reported",
                DeploymentChange::StatusChanged { .. } => "deployment.status_changed",
            },
            Self::Incident { change, .. } => match change {
                IncidentChange::Saved { before: None, .. } => "incident.reported",
                IncidentChange::Saved { .. } => "incident.updated",
                IncidentChange::Linked { .. } => "incident.linked",
            },
            Self::Session { .. }
            | Self::Token { .. }
            | Self::ReleaseNoteCategoriesSet { .. }
            | Self::Webhook { .. } => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::change::examples::examples;

    #[test]
    fn every_announced_change_has_a_published_type() {
        for change in examples() {
            for name in change.event_types() {
                assert!(is_event_type(name), "{name} is not in EVENT_TYPES");
            }
        }
    }

    #[test]
    fn a_failed_gate_is_announced_besides_the_results() {
        use crate::domain::change::{GateResultLine, TrainRef};
        let results = |passed| Change::GateResultsRecorded {
            train: TrainRef::new(1, "t"),
            results: vec![GateResultLine {
                participant: "api".into(),
                gate: "unit-tests".into(),
                value: None,
                passed: Some(passed),
            }],
        };
        assert_eq!(results(true).event_types(), ["gate.results_recorded"]);
        assert_eq!(
            results(false).event_types(),
            ["gate.results_recorded", "gate.failed"]
        );
        let signed_in = Change::Session {
            user: "ana".into(),
            change: crate::domain::change::SessionChange::SignedOut { everywhere: None },
        };
        assert!(signed_in.event_types().is_empty());
    }

    #[test]
    fn names_are_lowercase_dotted_and_unique() {
        let mut seen = std::collections::HashSet::new();
        for (name, description) in EVENT_TYPES {
            assert!(seen.insert(*name), "{name} twice");
            let (group, verb) = name.split_once('.').expect("group.verb");
            for part in [group, verb] {
                assert!(
                    !part.is_empty() && part.chars().all(|c| c.is_ascii_lowercase() || c == '_')
                );
            }
            assert!(description.ends_with('.'));
        }
    }
}
