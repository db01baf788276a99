//! Every kind of change by name, so that a test can tell that the examples
//! cover them all.

use super::*;

/// Which kind of change this is. The match has no catch-all, so a new kind
/// does not compile until it is named here (and given an example in `examples`).
pub fn kind_of(change: &Change) -> &'static str {
    match change {
        Change::TrainCreated { .. } => "TrainCreated",
        Change::TrainTransitioned { .. } => "TrainTransitioned",
        Change::TrainRolledBack { .. } => "TrainRolledBack",
        Change::TrainEdited { .. } => "TrainEdited",
        Change::TrainGatesSet { .. } => "TrainGatesSet",
        Change::TrainDeleted { .. } => "TrainDeleted",
        Change::ParticipantVersionSet { .. } => "ParticipantVersionSet",
        Change::GateResultsRecorded { .. } => "GateResultsRecorded",
        Change::HealthBreached { .. } => "HealthBreached",
        Change::ServiceRegistered { .. } => "ServiceRegistered",
        Change::ServiceUpdated { .. } => "ServiceUpdated",
        Change::ServiceRetired { .. } => "ServiceRetired",
        Change::ServiceStatusReported { .. } => "ServiceStatusReported",
        Change::OnCallAssigned { .. } => "OnCallAssigned",
        Change::TrainMoved { .. } => "TrainMoved",
        Change::TrainSkipped { .. } => "TrainSkipped",
        Change::TrainCut { .. } => "TrainCut",
        Change::TrainTagged { .. } => "TrainTagged",
        Change::HotfixRolledForward { .. } => "HotfixRolledForward",
        Change::HotfixRecorded { .. } => "HotfixRecorded",
        Change::CadenceChanged { .. } => "CadenceChanged",
        Change::TrackCreated { .. } => "TrackCreated",
        Change::TrackUpdated { .. } => "TrackUpdated",
        Change::TrackArchived { .. } => "TrackArchived",
        Change::FreezeSaved { .. } => "FreezeSaved",
        Change::FreezeDeleted { .. } => "FreezeDeleted",
        Change::RotationUpdated { .. } => "RotationUpdated",
        Change::PromotionRequested { .. } => "PromotionRequested",
        Change::PromotionApproved { .. } => "PromotionApproved",
        Change::PromotionRejected { .. } => "PromotionRejected",
        Change::PromotionCancelled { .. } => "PromotionCancelled",
        Change::GlassBroken { .. } => "GlassBroken",
        Change::Promoted { .. } => "Promoted",
        Change::PromotionSettled { .. } => "PromotionSettled",
        Change::RollbackSettled { .. } => "RollbackSettled",
        Change::PromotionWaiting { .. } => "PromotionWaiting",
        Change::TrainUpcoming { .. } => "TrainUpcoming",
        Change::ChangesReported { .. } => "ChangesReported",
        Change::Notes { change, .. } => match change {
            NotesChange::Drafted { .. } => "ReleaseNotesDrafted",
            NotesChange::Published { .. } => "ReleaseNotesPublished",
            NotesChange::AnnouncementDrafted { .. } => "AnnouncementDrafted",
            NotesChange::PostRelease { .. } => "PostReleaseNotesWritten",
        },
        Change::ReleaseNoteCategoriesSet { .. } => "ReleaseNoteCategoriesSet",
        Change::GateTemplateSaved { .. } => "GateTemplateSaved",
        Change::GateTemplateDeleted { .. } => "GateTemplateDeleted",
        Change::EnvironmentCreated { .. } => "EnvironmentCreated",
        Change::EnvironmentUpdated { .. } => "EnvironmentUpdated",
        Change::EnvironmentDeleted { .. } => "EnvironmentDeleted",
        Change::PolicyUpdated { .. } => "PolicyUpdated",
        Change::PolicyImported { .. } => "PolicyImported",
        Change::EvidenceUploaded { .. } => "EvidenceUploaded",
        Change::EvidenceRemoved { .. } => "EvidenceRemoved",
        Change::EvidenceRefused { .. } => "EvidenceRefused",
        Change::EvidenceSealed { .. } => "EvidenceSealed",
        Change::Session { change, .. } => match change {
            SessionChange::SignedIn { .. } => "SignedIn",
            SessionChange::RolesChanged { .. } => "RolesChanged",
            SessionChange::Refused { .. } => "SignInRefused",
            SessionChange::SignedOut { .. } => "SignedOut",
        },
        Change::Token { change, .. } => match change {
            TokenChange::Created { .. } => "TokenCreated",
            TokenChange::Revoked { .. } => "TokenRevoked",
        },
        Change::Webhook { change, .. } => match change {
            WebhookChange::Saved { .. } => "WebhookSaved",
            WebhookChange::Deleted { .. } => "WebhookDeleted",
            WebhookChange::SecretRotated { .. } => "WebhookSecretRotated",
            WebhookChange::Disabled { .. } => "WebhookDisabled",
            WebhookChange::DeliveryQueued { .. } => "WebhookDeliveryQueued",
        },
        Change::Deployment { change, .. } => match change {
            DeploymentChange::Reported { .. } => "DeploymentReported",
            DeploymentChange::StatusChanged { .. } => "DeploymentStatusChanged",
        },
        Change::Incident { change, .. } => match change {
            IncidentChange::Saved { before: None, .. } => "IncidentReported",
            IncidentChange::Saved { .. } => "IncidentUpdated",
            IncidentChange::Linked { .. } => "IncidentLinked",
        },
    }
}

/// How many arms `kind_of` has.
pub const KINDS: usize = 70;
