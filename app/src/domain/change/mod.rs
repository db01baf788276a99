//! The typed vocabulary of changes. Everything that changes Trainyard is one
//! [`Change`]; the train timeline's entries, the audit record (its action,
//! resource, before, after and reason) and the live notice are all derived
//! from it (see `record.rs`), and the service layer writes them through one
//! function (`services::changes::record`).

mod access_change;
mod action;
mod audit_values;
mod deployment_record;
mod entries;
mod fields;
mod incident_record;
mod notes_record;
mod record;
mod timeline;
mod webhook_change;
mod webhook_record;

pub use access_change::{SessionChange, TokenChange};
pub use action::AuditAction;
pub use deployment_record::{DeploymentChange, DeploymentRef};
pub use fields::{
    CadenceFields, EnvironmentFields, FreezeFields, RefusedUpload, RotationFields, ServiceFields,
    ServiceReport, TrackFields, TrainFields, TrainRef, WebhookFields,
};
pub use incident_record::IncidentChange;
pub use notes_record::NotesChange;
pub use record::{AuditFields, TimelineEntry};
pub use timeline::{
    ArtifactLine, BreachOutcome, CalendarEvent, Edit, EvidenceEvent, FromTo, GateResultLine,
    NotesEvent, PromotionEvent, RollbackLine, TimelineEvent, VersionChange,
};
pub use webhook_change::WebhookChange;

use crate::domain::participant::ServiceState;
use crate::domain::TrainState;
use chrono::{DateTime, Utc};
use serde_json::Value;

/// Everything that can change in Trainyard, with what each change needs
/// to be told: to the timeline, to the audit trail, to open pages.
#[derive(Clone, Debug, PartialEq)]
pub enum Change {
    // --- trains ---
    TrainCreated {
        train: TrainRef,
        target_version: Option<String>,
        participants: Vec<String>,
        gates: Vec<String>,
        track: Option<String>,
        tag: Option<String>,
    },
    TrainTransitioned {
        train: TrainRef,
        states: FromTo<TrainState>,
        reason: Option<String>,
    },
    /// Services put back to their earlier versions, everywhere (the train
    /// changes state) or in one environment (it does not).
    TrainRolledBack {
        train: TrainRef,
        states: Option<FromTo<TrainState>>,
        environment: Option<String>,
        steps: Vec<RollbackLine>,
        reason: String,
    },
    TrainEdited {
        train: TrainRef,
        before: TrainFields,
        after: TrainFields,
        reason: Option<String>,
    },
    /// Its gates replaced: by a captain while it is in planning, by an
    /// admin with a reason after that.
    TrainGatesSet {
        train: TrainRef,
        before: Vec<String>,
        after: Vec<String>,
        reason: Option<String>,
    },
    TrainDeleted {
        train: String,
        state: TrainState,
    },
    ParticipantVersionSet {
        train: TrainRef,
        participant: String,
        version: VersionChange,
    },
    GateResultsRecorded {
        train: TrainRef,
        results: Vec<GateResultLine>,
    },
    /// Commits CI reported a participant's version contains (only those
    /// the train did not have yet).
    ChangesReported {
        train: TrainRef,
        participant: String,
        shas: Vec<String>,
    },
    /// A train's release notes, change announcement or post-release notes.
    Notes {
        train: TrainRef,
        change: NotesChange,
    },
    HealthBreached {
        train: TrainRef,
        service: String,
        environment: String,
        breaches: Vec<String>,
        outcome: BreachOutcome,
        reason: String,
    },
    // --- services ---
    ServiceRegistered {
        service: String,
        fields: ServiceFields,
    },
    ServiceUpdated {
        service: String,
        before: ServiceFields,
        after: ServiceFields,
    },
    /// Out of the catalog: no new train may include it (past trains keep it).
    ServiceRetired {
        service: String,
        before: ServiceFields,
        reason: String,
    },
    /// A service's report; the executing trains it takes part in follow it.
    ServiceStatusReported {
        service: String,
        status: ServiceState,
        version: Option<String>,
        health_status: Option<String>,
        before: ServiceReport,
        trains: Vec<TrainRef>,
    },
    // --- the calendar ---
    OnCallAssigned {
        train: TrainRef,
        on_call: FromTo<Option<String>>,
    },
    /// Moved by an owner; past its slot it is postponed, with a category
    /// (seed 003 counts postponements per month by category).
    TrainMoved {
        train: TrainRef,
        moved: FromTo<DateTime<Utc>>,
        reason: Option<String>,
        postponed: Option<String>,
    },
    /// Cut at its track's freeze point: out of planning, on its release
    /// branch, with its first tag and the participants' versions.
    TrainCut {
        train: TrainRef,
        release_id: String,
        branch: String,
        tag: String,
        versions: Value,
    },
    /// A completed hotfix's versions became the baseline of the next train
    /// of the track it patches (seed 003: "a hotfix that succeeds becomes
    /// the basis for the next staging tag").
    HotfixRolledForward {
        hotfix: TrainRef,
        into: TrainRef,
        versions: Value,
    },
    /// A cut train's next tag: a release candidate, or general
    /// availability at completion.
    TrainTagged {
        train: TrainRef,
        tag: String,
        general_availability: bool,
        versions: Value,
        reason: Option<String>,
    },
    /// A reminder that a train's cut is near (one of its track's reminder
    /// times before it); with nobody on call, it will be skipped.
    TrainUpcoming {
        train: TrainRef,
        cut_at: DateTime<Utc>,
        before_minutes: i64,
        on_call: Option<String>,
        will_skip: bool,
        /// The change announcement (seed 001's pre-train template): the
        /// saved one, or the one drafted from the train.
        announcement: String,
    },
    TrainSkipped {
        train: TrainRef,
        reason: String,
        /// By the rule that skips a train nobody is on call for.
        by_rule: bool,
    },
    HotfixRecorded {
        train: TrainRef,
        track: String,
        ran_at: DateTime<Utc>,
        on_call: String,
        reason: String,
    },
    /// A track's new cadence, and the planned trains it moved.
    TrackCreated {
        track: String,
        fields: TrackFields,
    },
    /// Boxed: two tracks' settings are far larger than other changes.
    TrackUpdated {
        track: String,
        before: Box<TrackFields>,
        after: Box<TrackFields>,
    },
    /// It plans no more trains; its future planned ones were skipped.
    TrackArchived {
        track: String,
        before: TrackFields,
        reason: String,
    },
    CadenceChanged {
        track: String,
        before: CadenceFields,
        after: CadenceFields,
        moved: Vec<(TrainRef, FromTo<DateTime<Utc>>)>,
    },
    FreezeSaved {
        id: i64,
        before: Option<FreezeFields>,
        after: FreezeFields,
    },
    FreezeDeleted {
        id: i64,
        before: FreezeFields,
    },
    RotationUpdated {
        before: Option<RotationFields>,
        after: RotationFields,
    },
    // --- promotions ---
    PromotionRequested {
        train: TrainRef,
        environment: String,
        request: i64,
        versions: Value,
        note: String,
    },
    PromotionApproved {
        train: TrainRef,
        environment: String,
        request: i64,
        comment: Option<String>,
    },
    PromotionRejected {
        train: TrainRef,
        environment: String,
        request: i64,
        comment: String,
    },
    PromotionCancelled {
        train: TrainRef,
        environment: String,
        request: i64,
    },
    GlassBroken {
        train: TrainRef,
        environment: String,
        request: i64,
        reason: String,
    },
    /// A request that did not promote at once waits for people: its
    /// approvers (a role) and the owners of services still to review.
    PromotionWaiting {
        train: TrainRef,
        environment: String,
        request: i64,
        approver_role: String,
        approvals_needed: u8,
        owners: Vec<String>,
    },
    Promoted {
        train: TrainRef,
        environment: String,
        request: i64,
        versions: Value,
        break_glass: Option<String>,
        reason: String,
    },
    /// CD reported the deploys of a promotion into an environment whose
    /// deploys it confirms: every one succeeded (`deployed`), or one failed.
    PromotionSettled {
        train: TrainRef,
        environment: String,
        deployed: bool,
        /// What ran, or which deploy failed.
        detail: String,
    },
    /// A rollback that waited for CD's redeploys ended: every one
    /// confirmed (or recorded by force), or its timeout passed first.
    RollbackSettled {
        train: TrainRef,
        /// The environment rolled back, or none for the whole train.
        environment: Option<String>,
        outcome: crate::domain::rollback_progress::RollbackOutcome,
        /// What was redeployed, or what it still waits for.
        detail: String,
    },
    /// A gate template added (`before` none) or changed.
    GateTemplateSaved {
        template: String,
        before: Option<Value>,
        after: Value,
    },
    GateTemplateDeleted {
        template: String,
        before: Value,
        reason: String,
    },
    EnvironmentCreated {
        environment: String,
        fields: EnvironmentFields,
        policy: Value,
    },
    EnvironmentUpdated {
        environment: String,
        before: EnvironmentFields,
        after: EnvironmentFields,
    },
    EnvironmentDeleted {
        environment: String,
        before: EnvironmentFields,
        reason: String,
    },
    PolicyUpdated {
        environment: String,
        before: Option<Value>,
        after: Value,
    },
    PolicyImported {
        policy: Value,
    },
    /// The sections release notes sort changes into.
    ReleaseNoteCategoriesSet {
        before: Option<Value>,
        after: Value,
    },
    // --- evidence ---
    EvidenceUploaded {
        train: TrainRef,
        artifact: ArtifactLine,
        replaced: Option<ArtifactLine>,
    },
    EvidenceRemoved {
        train: TrainRef,
        artifact: ArtifactLine,
    },
    EvidenceRefused {
        train: String,
        upload: RefusedUpload,
        reason: String,
    },
    EvidenceSealed {
        train: TrainRef,
        manifest_sha256: String,
        artifacts: usize,
        total_size: u64,
        sealed_at: DateTime<Utc>,
    },
    // --- people and tokens ---
    /// A person signed in, was refused, had their roles changed under
    /// their session, or signed out.
    Session {
        user: String,
        change: SessionChange,
    },
    /// An API token created or revoked.
    Token {
        name: String,
        change: TokenChange,
    },
    // --- outgoing webhooks ---
    /// A change to outgoing webhook subscription `id`.
    Webhook {
        id: i64,
        change: WebhookChange,
    },
    /// A deployment a CD system reported, and the train it belongs to.
    Deployment {
        deployment: DeploymentRef,
        train: Option<TrainRef>,
        change: DeploymentChange,
    },
    /// An incident reported, updated, or linked to a deployment.
    Incident {
        id: i64,
        change: IncidentChange,
    },
}

#[cfg(test)]
pub(crate) mod examples;
#[cfg(test)]
mod kinds;
#[cfg(test)]
mod tests;
