//! What the audit trail records of a change: its action, the resource it
//! concerns, what was before and after, and why.

use super::{
    AuditAction as A, Change, DeploymentChange, FromTo, IncidentChange, NotesChange, SessionChange,
    TimelineEvent, TokenChange, WebhookChange,
};
use crate::domain::TrainState;
use serde_json::Value;

/// The audit record of a change, before the chain links it.
#[derive(Clone, Debug, PartialEq)]
pub struct AuditFields {
    pub action: A,
    /// `train:<name>`, `service:<name>`, `freeze:<id>`, …
    pub resource: String,
    pub before: Option<Value>,
    pub after: Option<Value>,
    pub reason: Option<String>,
}

/// An entry a change appends to a train's timeline.
#[derive(Clone, Debug, PartialEq)]
pub struct TimelineEntry {
    pub train_id: i64,
    pub event: TimelineEvent,
    pub states: Option<FromTo<TrainState>>,
    pub reason: Option<String>,
}

impl Change {
    /// The audit trail's action.
    pub fn action(&self) -> A {
        match self {
            Self::TrainCreated { .. } => A::TrainCreate,
            Self::TrainTransitioned { .. } => A::TrainTransition,
            Self::TrainRolledBack {
                states: Some(_), ..
            } => A::TrainRollback,
            Self::TrainRolledBack { states: None, .. } => A::TrainRollbackEnvironment,
            Self::TrainEdited { .. } => A::TrainEdit,
            Self::TrainGatesSet { .. } => A::TrainGates,
            Self::TrainDeleted { .. } => A::TrainDelete,
            Self::ParticipantVersionSet { .. } => A::TrainParticipantVersion,
            Self::GateResultsRecorded { .. } => A::GateResultsRecord,
            Self::ChangesReported { .. } => A::TrainReportChanges,
            Self::Notes { change, .. } => match change {
                NotesChange::Drafted { .. } => A::TrainReleaseNotesDraft,
                NotesChange::Published { .. } => A::TrainReleaseNotesPublish,
                NotesChange::AnnouncementDrafted { .. } => A::TrainAnnouncementDraft,
                NotesChange::PostRelease { .. } => A::TrainPostReleaseNotes,
            },
            Self::HealthBreached { .. } => A::HealthBreach,
            Self::ServiceRegistered { .. } => A::ServiceRegister,
            Self::ServiceUpdated { .. } => A::ServiceUpdate,
            Self::ServiceRetired { .. } => A::ServiceRetire,
            Self::ServiceStatusReported { .. } => A::ServiceUpdateStatus,
            Self::OnCallAssigned { .. } => A::CalendarAssignOnCall,
            Self::TrainMoved { .. } => A::CalendarMove,
            Self::TrainSkipped { .. } => A::CalendarSkip,
            Self::TrainUpcoming { .. } => A::CalendarRemind,
            Self::TrainCut { .. } => A::CalendarCut,
            Self::TrainTagged { .. } => A::TrainTag,
            Self::HotfixRolledForward { .. } => A::CalendarRollForward,
            Self::HotfixRecorded { .. } => A::CalendarRecordHotfix,
            Self::CadenceChanged { .. } => A::TrackCadence,
            Self::TrackCreated { .. } => A::TrackCreate,
            Self::TrackUpdated { .. } => A::TrackUpdate,
            Self::TrackArchived { .. } => A::TrackArchive,
            Self::FreezeSaved { before: None, .. } => A::FreezeCreate,
            Self::FreezeSaved {
                before: Some(_), ..
            } => A::FreezeUpdate,
            Self::FreezeDeleted { .. } => A::FreezeDelete,
            Self::RotationUpdated { .. } => A::RotationUpdate,
            Self::PromotionRequested { .. } => A::PromotionRequest,
            Self::PromotionApproved { .. } => A::PromotionApprove,
            Self::PromotionRejected { .. } => A::PromotionReject,
            Self::PromotionCancelled { .. } => A::PromotionCancel,
            Self::GlassBroken { .. } => A::PromotionBreakGlass,
            Self::Promoted { .. } => A::PromotionPromote,
            Self::PromotionSettled { .. } => A::PromotionSettle,
            Self::RollbackSettled { .. } => A::TrainRollbackSettle,
            Self::PromotionWaiting { .. } => A::PromotionWait,
            Self::GateTemplateSaved { before: None, .. } => A::GateTemplateCreate,
            Self::GateTemplateSaved { .. } => A::GateTemplateUpdate,
            Self::GateTemplateDeleted { .. } => A::GateTemplateDelete,
            Self::EnvironmentCreated { .. } => A::EnvironmentCreate,
            Self::EnvironmentUpdated { .. } => A::EnvironmentUpdate,
            Self::EnvironmentDeleted { .. } => A::EnvironmentDelete,
            Self::PolicyUpdated { .. } => A::PolicyUpdate,
            Self::PolicyImported { .. } => A::PolicyImport,
            Self::ReleaseNoteCategoriesSet { .. } => A::ReleaseNotesCategories,
            Self::EvidenceUploaded { replaced: None, .. } => A::EvidenceUpload,
            Self::EvidenceUploaded {
                replaced: Some(_), ..
            } => A::EvidenceReplace,
            Self::EvidenceRemoved { .. } => A::EvidenceRemove,
            Self::EvidenceRefused { .. } => A::EvidenceRefuse,
            Self::EvidenceSealed { .. } => A::EvidenceSeal,
            Self::Session { change, .. } => match change {
                SessionChange::SignedIn { .. } => A::AuthLogin,
                SessionChange::Refused { .. } => A::AuthLoginRefused,
                SessionChange::SignedOut { .. } => A::AuthLogout,
                SessionChange::RolesChanged { .. } => A::AuthRolesChange,
            },
            Self::Token {
                change: TokenChange::Created { .. },
                ..
            } => A::TokenCreate,
            Self::Deployment {
                change: DeploymentChange::Reported { .. },
                ..
            } => A::DeploymentReport,
            Self::Deployment { .. } => A::DeploymentStatus,
            Self::Incident {
                change: IncidentChange::Saved { before: None, .. },
                ..
            } => A::IncidentReport,
            Self::Incident {
                change: IncidentChange::Saved { .. },
                ..
            } => A::IncidentUpdate,
            Self::Incident { .. } => A::IncidentLink,
            Self::Token {
                change: TokenChange::Revoked { .. },
                ..
            } => A::TokenRevoke,
            Self::Webhook { change, .. } => match change {
                WebhookChange::Saved { before: None, .. } => A::WebhookCreate,
                WebhookChange::Saved { .. } => A::WebhookUpdate,
                WebhookChange::Deleted { .. } => A::WebhookDelete,
                WebhookChange::SecretRotated { .. } => A::WebhookRotateSecret,
                WebhookChange::Disabled { .. } => A::WebhookDisable,
                WebhookChange::DeliveryQueued { test: true, .. } => A::WebhookTest,
                WebhookChange::DeliveryQueued { .. } => A::WebhookRedeliver,
            },
        }
    }

    /// The resource the audit record names.
    pub fn resource(&self) -> String {
        match self {
            Self::TrainDeleted { train, .. } | Self::EvidenceRefused { train, .. } => {
                format!("train:{train}")
            }
            Self::ServiceRegistered { service, .. }
            | Self::ServiceUpdated { service, .. }
            | Self::ServiceRetired { service, .. }
            | Self::ServiceStatusReported { service, .. } => {
                format!("service:{service}")
            }
            Self::CadenceChanged { track, .. }
            | Self::TrackCreated { track, .. }
            | Self::TrackUpdated { track, .. }
            | Self::TrackArchived { track, .. } => {
                format!("track:{track}")
            }
            Self::FreezeSaved { id, .. } | Self::FreezeDeleted { id, .. } => format!("freeze:{id}"),
            Self::RotationUpdated { .. } => "calendar:rotation".to_owned(),
            Self::PolicyUpdated { environment, .. }
            | Self::EnvironmentCreated { environment, .. }
            | Self::EnvironmentUpdated { environment, .. }
            | Self::EnvironmentDeleted { environment, .. } => format!("environment:{environment}"),
            Self::PolicyImported { .. } => "policy:release_trains".to_owned(),
            Self::ReleaseNoteCategoriesSet { .. } => "setting:release_notes".to_owned(),
            Self::GateTemplateSaved { template, .. }
            | Self::GateTemplateDeleted { template, .. } => {
                format!("gate_template:{template}")
            }
            Self::Session { user, .. } => {
                format!("user:{user}")
            }
            Self::Token { name, .. } => {
                format!("token:{name}")
            }
            Self::Webhook { id, .. } => format!("webhook:{id}"),
            Self::Deployment { deployment, .. } => format!("deployment:{}", deployment.id),
            Self::Incident { id, .. } => format!("incident:{id}"),
            other => match other.train() {
                Some(train) => format!("train:{}", train.name),
                None => unreachable!("every other change concerns one train"),
            },
        }
    }

    /// The train a change to one train concerns.
    pub fn train(&self) -> Option<&super::TrainRef> {
        match self {
            Self::TrainCreated { train, .. }
            | Self::TrainTransitioned { train, .. }
            | Self::TrainRolledBack { train, .. }
            | Self::TrainEdited { train, .. }
            | Self::TrainGatesSet { train, .. }
            | Self::ParticipantVersionSet { train, .. }
            | Self::GateResultsRecorded { train, .. }
            | Self::ChangesReported { train, .. }
            | Self::Notes { train, .. }
            | Self::HealthBreached { train, .. }
            | Self::OnCallAssigned { train, .. }
            | Self::TrainMoved { train, .. }
            | Self::TrainSkipped { train, .. }
            | Self::TrainCut { train, .. }
            | Self::TrainTagged { train, .. }
            | Self::HotfixRolledForward { into: train, .. }
            | Self::HotfixRecorded { train, .. }
            | Self::PromotionRequested { train, .. }
            | Self::PromotionApproved { train, .. }
            | Self::PromotionRejected { train, .. }
            | Self::PromotionCancelled { train, .. }
            | Self::GlassBroken { train, .. }
            | Self::Promoted { train, .. }
            | Self::PromotionSettled { train, .. }
            | Self::RollbackSettled { train, .. }
            | Self::PromotionWaiting { train, .. }
            | Self::TrainUpcoming { train, .. }
            | Self::EvidenceUploaded { train, .. }
            | Self::EvidenceRemoved { train, .. }
            | Self::EvidenceSealed { train, .. } => Some(train),
            Self::Deployment { train, .. } => train.as_ref(),
            Self::Incident {
                change: IncidentChange::Linked { train, .. },
                ..
            } => train.as_ref(),
            _ => None,
        }
    }

    /// Why, in the words of whoever made the change.
    pub fn reason(&self) -> Option<&str> {
        match self {
            Self::TrainTransitioned { reason, .. }
            | Self::TrainEdited { reason, .. }
            | Self::TrainGatesSet { reason, .. }
            | Self::TrainMoved { reason, .. }
            | Self::TrainTagged { reason, .. }
            | Self::Notes {
                change: NotesChange::Published { reason, .. },
                ..
            }
            | Self::PromotionApproved {
                comment: reason, ..
            } => reason.as_deref(),
            Self::TrainRolledBack { reason, .. }
            | Self::HealthBreached { reason, .. }
            | Self::TrainSkipped { reason, .. }
            | Self::HotfixRecorded { reason, .. }
            | Self::PromotionRequested { note: reason, .. }
            | Self::PromotionRejected {
                comment: reason, ..
            }
            | Self::GlassBroken { reason, .. }
            | Self::Promoted { reason, .. }
            | Self::PromotionSettled { detail: reason, .. }
            | Self::RollbackSettled { detail: reason, .. }
            | Self::EvidenceRefused { reason, .. }
            | Self::ServiceRetired { reason, .. }
            | Self::TrackArchived { reason, .. }
            | Self::EnvironmentDeleted { reason, .. }
            | Self::GateTemplateDeleted { reason, .. }
            | Self::Webhook {
                change: WebhookChange::Deleted { reason, .. } | WebhookChange::Disabled { reason },
                ..
            }
            | Self::Session {
                change: SessionChange::Refused { reason, .. },
                ..
            } => Some(reason),
            Self::FreezeSaved { after, .. } => Some(&after.reason),
            _ => None,
        }
    }

    /// The audit record of this change.
    pub fn audit(&self) -> AuditFields {
        let (before, after) = self.before_and_after();
        AuditFields {
            action: self.action(),
            resource: self.resource(),
            before,
            after,
            reason: self.reason().map(str::to_owned),
        }
    }
}
