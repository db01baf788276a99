//! What the audit trail keeps of each change: what was before and after.

use super::{Change, SessionChange, TokenChange};
use serde_json::{json, Value};

impl Change {
    pub(super) fn before_and_after(&self) -> (Option<Value>, Option<Value>) {
        let timeline_detail = || self.timeline().first().map(|entry| entry.event.detail());
        match self {
            Self::TrainCreated {
                target_version,
                participants,
                gates,
                track,
                tag,
                ..
            } => (
                None,
                Some(json!({
                    "target_version": target_version, "participants": participants,
                    "gates": gates, "track": track, "tag": tag,
                })),
            ),
            Self::TrainTransitioned { states, .. } => (
                Some(json!({ "state": states.from })),
                Some(json!({ "state": states.to })),
            ),
            Self::TrainRolledBack {
                states: Some(states),
                steps,
                ..
            } => (
                Some(json!({ "state": states.from })),
                Some(json!({ "state": states.to, "steps": steps })),
            ),
            Self::TrainRolledBack {
                states: None,
                environment,
                steps,
                ..
            } => (
                None,
                Some(json!({ "environment": environment, "steps": steps })),
            ),
            Self::TrainEdited { before, after, .. } => (Some(json!(before)), Some(json!(after))),
            Self::TrainGatesSet { before, after, .. } => (
                Some(json!({ "gates": before })),
                Some(json!({ "gates": after })),
            ),
            Self::TrainDeleted { state, .. } => (Some(json!({ "state": state })), None),
            Self::ParticipantVersionSet {
                participant,
                version,
                ..
            } => (
                Some(json!({ "participant": participant, "target_version": version.from })),
                Some(json!({ "participant": participant, "target_version": version.to })),
            ),
            Self::ServiceRegistered { fields, .. } => (None, Some(json!(fields))),
            Self::TrackCreated { fields, .. } => (None, Some(json!(fields))),
            Self::TrackUpdated { before, after, .. } => (Some(json!(before)), Some(json!(after))),
            Self::TrackArchived { before, .. } => (Some(json!(before)), None),
            Self::EnvironmentCreated { fields, policy, .. } => {
                (None, Some(json!({ "fields": fields, "policy": policy })))
            }
            Self::EnvironmentUpdated { before, after, .. } => {
                (Some(json!(before)), Some(json!(after)))
            }
            Self::EnvironmentDeleted { before, .. } => (Some(json!(before)), None),
            Self::GateTemplateSaved { before, after, .. } => (before.clone(), Some(after.clone())),
            Self::GateTemplateDeleted { before, .. } => (Some(before.clone()), None),
            Self::ServiceUpdated { before, after, .. } => (Some(json!(before)), Some(json!(after))),
            Self::ServiceRetired { before, .. } => (Some(json!(before)), None),
            Self::ServiceStatusReported {
                status,
                version,
                health_status,
                before,
                ..
            } => (
                Some(json!(before)),
                Some(json!({
                    "status": status.as_str(), "version": version, "health_status": health_status,
                })),
            ),
            Self::OnCallAssigned { on_call, .. } => {
                (Some(json!({ "on_call": on_call.from })), timeline_detail())
            }
            Self::TrainMoved { moved, .. } => (
                Some(json!({ "planned_start": moved.from })),
                timeline_detail(),
            ),
            Self::TrainSkipped { .. } => (Some(json!({ "status": "open" })), timeline_detail()),
            Self::TrainCut { .. } => (
                Some(json!({ "status": "open", "state": "planning" })),
                timeline_detail(),
            ),
            Self::CadenceChanged {
                before,
                after,
                moved,
                ..
            } => {
                let moved: Vec<Value> = moved
                    .iter()
                    .map(|(t, m)| json!({ "train": t.name, "from": m.from, "to": m.to }))
                    .collect();
                (
                    Some(json!(before)),
                    Some(json!({ "cadence": after.cadence, "rule": after.rule, "moved": moved })),
                )
            }
            Self::FreezeSaved { before, after, .. } => {
                let mut settings = json!(after);
                if let Some(map) = settings.as_object_mut() {
                    map.remove("reason");
                }
                (before.as_ref().map(|b| json!(b)), Some(settings))
            }
            Self::FreezeDeleted { before, .. } => (Some(json!(before)), None),
            Self::RotationUpdated { before, after } => {
                (before.as_ref().map(|b| json!(b)), Some(json!(after)))
            }
            Self::PolicyUpdated { before, after, .. } => (before.clone(), Some(after.clone())),
            Self::PolicyImported { policy } => (None, Some(policy.clone())),
            Self::ReleaseNoteCategoriesSet { before, after } => {
                (before.clone(), Some(after.clone()))
            }
            Self::ChangesReported {
                participant, shas, ..
            } => (
                None,
                Some(json!({ "participant": participant, "shas": shas })),
            ),
            Self::Notes { change, .. } => change.before_and_after(),
            Self::Deployment { .. } => self.deployment_values(),
            Self::Incident { .. } => self.incident_values(),
            Self::EvidenceUploaded {
                artifact, replaced, ..
            } => (replaced.as_ref().map(|r| json!(r)), Some(json!(artifact))),
            Self::EvidenceRemoved { artifact, .. } => (Some(json!(artifact)), None),
            Self::EvidenceRefused { upload, .. } => (None, Some(json!(upload))),
            Self::EvidenceSealed {
                manifest_sha256,
                artifacts,
                total_size,
                sealed_at,
                ..
            } => (
                None,
                Some(json!({
                    "manifest_sha256": manifest_sha256, "artifacts": artifacts,
                    "total_size": total_size, "sealed_at": sealed_at,
                })),
            ),
            Self::Session { change, .. } => match change {
                SessionChange::SignedIn { roles, groups } => {
                    (None, Some(json!({ "roles": roles, "groups": groups })))
                }
                SessionChange::Refused { groups, .. } => (None, Some(json!({ "groups": groups }))),
                SessionChange::RolesChanged { from, to } => {
                    (Some(json!({ "roles": from })), Some(json!({ "roles": to })))
                }
                SessionChange::SignedOut { everywhere } => (
                    None,
                    everywhere.map(|ended| json!({ "everywhere": true, "sessions_ended": ended })),
                ),
            },
            Self::Token {
                change:
                    TokenChange::Created {
                        scopes,
                        tracks,
                        trains,
                        prefix,
                        expires_at,
                    },
                ..
            } => {
                let mut after =
                    json!({ "scopes": scopes, "prefix": prefix, "expires_at": expires_at });
                // A token that reaches every train is recorded as every
                // token was before reaches existed.
                for (key, names) in [("tracks", tracks), ("trains", trains)] {
                    if !names.is_empty() {
                        after[key] = json!(names);
                    }
                }
                (None, Some(after))
            }
            Self::Token {
                change: TokenChange::Revoked { prefix },
                ..
            } => (Some(json!({ "prefix": prefix })), None),
            Self::Webhook { change, .. } => change.before_and_after(),
            // The timeline's detail is the whole story of these.
            Self::GateResultsRecorded { .. }
            | Self::HealthBreached { .. }
            | Self::HotfixRecorded { .. }
            | Self::TrainTagged { .. }
            | Self::HotfixRolledForward { .. }
            | Self::PromotionRequested { .. }
            | Self::PromotionApproved { .. }
            | Self::PromotionRejected { .. }
            | Self::PromotionCancelled { .. }
            | Self::GlassBroken { .. }
            | Self::Promoted { .. }
            | Self::PromotionSettled { .. }
            | Self::RollbackSettled { .. } => (None, timeline_detail()),
            Self::PromotionWaiting {
                environment,
                request,
                approver_role,
                approvals_needed,
                owners,
                ..
            } => (
                None,
                Some(json!({
                    "environment": environment, "request": request,
                    "approver_role": approver_role, "approvals_needed": approvals_needed,
                    "owners": owners,
                })),
            ),
            Self::TrainUpcoming {
                cut_at,
                before_minutes,
                on_call,
                will_skip,
                announcement,
                ..
            } => (
                None,
                Some(json!({
                    "cut_at": cut_at, "before_minutes": before_minutes,
                    "on_call": on_call, "will_skip": will_skip,
                    "announcement": announcement,
                })),
            ),
        }
    }
}
