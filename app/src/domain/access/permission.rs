use super::{Reach, Role, RoleSet, Scope, ScopeSet};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Who is asking, as far as permissions go.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Principal {
    /// Nobody signed in; `may_read` is the deployment's choice.
    Anonymous {
        may_read: bool,
    },
    User {
        roles: RoleSet,
    },
    Token {
        scopes: ScopeSet,
        /// The trains it may act on; absent (as serialized before reaches
        /// existed): every train.
        #[serde(default)]
        reach: Reach,
    },
    /// Trainyard itself: the command line, the demo loader, the importer.
    System,
}

/// Everything a principal can ask to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Action {
    /// See trains, the calendar, gates, services.
    Read,
    /// See the audit trail (it holds names and addresses).
    ReadAudit,
    EditCalendar,
    /// Create, update, delete and transition trains.
    ManageTrains,
    RecordGateResults,
    UploadEvidence,
    ReportServiceStatus,
    Rollback,
    RequestPromotion,
    /// Approve or reject promotions: which environment's is the policy's to
    /// say (its approver role).
    Approve,
    /// Approve or reject promotions as an owner of a service in the train
    /// (seed 004's component owners): any signed-in person may try; whether
    /// they own a participant and the policy asks owners is the promotion's
    /// to say.
    ReviewAsOwner,
    /// Promote during a freeze, with a reason.
    BreakGlass,
    ManageTracks,
    /// Add, change and retire services of the catalog.
    ManageServices,
    ManageGates,
    ManageTokens,
    VerifyAudit,
    /// Set which team owns the calendar each month.
    ManageRotation,
    /// Change an environment's promotion policy.
    ManagePolicy,
    /// Add, change and remove outgoing webhooks, and read their delivery
    /// log (it holds what receivers answered).
    ManageWebhooks,
    /// Edit a train's release notes and change announcement, and publish
    /// them.
    EditReleaseNotes,
    /// Report what was deployed where, and how the deployment went (a CD
    /// pipeline; a captain by hand).
    ReportDeployment,
    /// Report an incident (an incident tool; a captain by hand).
    ReportIncident,
    /// Confirm that a deployment caused an incident: a person's judgement,
    /// never a token's.
    ConfirmIncidentLink,
}

impl Action {
    pub const ALL: [Action; 24] = [
        Action::Read,
        Action::ReadAudit,
        Action::EditCalendar,
        Action::ManageTrains,
        Action::RecordGateResults,
        Action::UploadEvidence,
        Action::ReportServiceStatus,
        Action::Rollback,
        Action::RequestPromotion,
        Action::Approve,
        Action::ReviewAsOwner,
        Action::BreakGlass,
        Action::ManageTracks,
        Action::ManageServices,
        Action::ManageGates,
        Action::ManageTokens,
        Action::VerifyAudit,
        Action::ManageRotation,
        Action::ManagePolicy,
        Action::ManageWebhooks,
        Action::EditReleaseNotes,
        Action::ReportDeployment,
        Action::ReportIncident,
        Action::ConfirmIncidentLink,
    ];

    /// What the action is, for refusal messages: "… may not {verb}".
    pub fn verb(self) -> &'static str {
        match self {
            Action::Read => "read",
            Action::ReadAudit => "read the audit trail",
            Action::EditCalendar => "edit the calendar",
            Action::ManageTrains => "change trains",
            Action::RecordGateResults => "record gate results",
            Action::UploadEvidence => "upload evidence",
            Action::ReportServiceStatus => "report service status",
            Action::Rollback => "roll back",
            Action::RequestPromotion => "request promotions",
            Action::Approve => "approve promotions",
            Action::ReviewAsOwner => "review promotions as a service owner",
            Action::BreakGlass => "break the glass during a freeze",
            Action::ManageTracks => "manage tracks",
            Action::ManageServices => "manage services",
            Action::ManageGates => "manage gates",
            Action::ManageTokens => "manage tokens",
            Action::VerifyAudit => "verify the audit trail",
            Action::ManageRotation => "change the calendar's owner rotation",
            Action::ManagePolicy => "change promotion policies",
            Action::ManageWebhooks => "manage webhooks",
            Action::EditReleaseNotes => "edit release notes",
            Action::ReportDeployment => "report deployments",
            Action::ReportIncident => "report incidents",
            Action::ConfirmIncidentLink => "link incidents to deployments",
        }
    }

    /// Whether holding `role` grants the action. Admin is not a superuser:
    /// approving, running trains and editing the calendar stay with their
    /// owners, so that separation of duties holds.
    pub fn granted_by(self, role: &Role) -> bool {
        match self {
            Action::Read | Action::ReadAudit | Action::ReviewAsOwner => true,
            Action::EditCalendar => *role == Role::Owner,
            Action::ManageTrains
            | Action::RecordGateResults
            | Action::UploadEvidence
            | Action::ReportServiceStatus
            | Action::ReportDeployment
            | Action::ReportIncident
            | Action::ConfirmIncidentLink
            | Action::Rollback
            | Action::RequestPromotion => *role == Role::Captain,
            Action::Approve => role.is_approver(),
            Action::EditReleaseNotes => matches!(role, Role::Captain | Role::Communications),
            Action::BreakGlass
            | Action::ManageTracks
            | Action::ManageServices
            | Action::ManageGates
            | Action::ManageTokens
            | Action::VerifyAudit
            | Action::ManageRotation
            | Action::ManagePolicy
            | Action::ManageWebhooks => *role == Role::Admin,
        }
    }

    /// The roles that grant the action, as a refusal names them.
    pub fn needs(self) -> &'static str {
        match self {
            Action::Read | Action::ReadAudit | Action::ReviewAsOwner => "any",
            Action::EditCalendar => "owner",
            Action::ManageTrains
            | Action::RecordGateResults
            | Action::UploadEvidence
            | Action::ReportServiceStatus
            | Action::ReportDeployment
            | Action::ReportIncident
            | Action::ConfirmIncidentLink
            | Action::Rollback
            | Action::RequestPromotion => "captain",
            Action::Approve => "approver:<environment>",
            Action::EditReleaseNotes => "captain or communications",
            _ => "admin",
        }
    }

    /// The token scope that grants the action, if a token may do it at all.
    pub fn scope(self) -> Option<Scope> {
        match self {
            Action::RecordGateResults => Some(Scope::GatesWrite),
            Action::UploadEvidence => Some(Scope::EvidenceWrite),
            Action::ReportDeployment => Some(Scope::DeploymentsWrite),
            Action::ReportIncident => Some(Scope::IncidentsWrite),
            Action::ManageTrains
            | Action::ReportServiceStatus
            | Action::Rollback
            | Action::EditReleaseNotes => Some(Scope::TrainsWrite),
            Action::ManageServices
            | Action::ManageTracks
            | Action::ManagePolicy
            | Action::ManageGates => Some(Scope::ConfigWrite),
            _ => None,
        }
    }
}

/// What is acted on; named in refusals and in the audit trail.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Resource {
    Site,
    Calendar,
    Train(String),
    /// A train whose track is known: what a token limited to some tracks
    /// needs to be judged by.
    TrainOnTrack {
        name: String,
        track: String,
    },
    Service(String),
    Tracks,
    Gates,
    Tokens,
    Webhooks,
    Audit,
}

impl fmt::Display for Resource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Resource::Site => f.write_str("Trainyard"),
            Resource::Calendar => f.write_str("the calendar"),
            Resource::Train(name) | Resource::TrainOnTrack { name, .. } => {
                write!(f, "train {name}")
            }
            Resource::Service(name) => write!(f, "service {name}"),
            Resource::Tracks => f.write_str("tracks"),
            Resource::Gates => f.write_str("gates"),
            Resource::Tokens => f.write_str("tokens"),
            Resource::Webhooks => f.write_str("webhooks"),
            Resource::Audit => f.write_str("the audit trail"),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Decision {
    Allow,
    /// Nobody is signed in and the action needs someone who is.
    SignIn(String),
    /// Refused, with the reason shown to the user.
    Deny(String),
}

impl Decision {
    pub fn is_allowed(&self) -> bool {
        matches!(self, Decision::Allow)
    }
}

/// The one permission function. The service layer calls it before every
/// change; the UI calls it only to hide what would be refused anyway.
pub fn permit(principal: &Principal, action: Action, resource: &Resource) -> Decision {
    match principal {
        Principal::System => Decision::Allow,
        Principal::Anonymous { may_read } => {
            if action == Action::Read && *may_read {
                Decision::Allow
            } else {
                Decision::SignIn(format!("sign in to {} on {resource}", action.verb()))
            }
        }
        Principal::User { roles } => {
            if roles.iter().any(|r| action.granted_by(r)) {
                return Decision::Allow;
            }
            let held = if roles.is_empty() {
                "no role".to_owned()
            } else {
                roles.names().join(", ")
            };
            Decision::Deny(format!(
                "you may not {} on {resource}: that needs the {} role, and you have {held}",
                action.verb(),
                action.needs()
            ))
        }
        Principal::Token { scopes, reach } => match action.scope() {
            _ if action == Action::Read => Decision::Allow,
            Some(scope) if scopes.contains(scope) && within(reach, resource) => Decision::Allow,
            Some(scope) if scopes.contains(scope) => Decision::Deny(format!(
                "this token may act only on {reach}; it may not {} on {resource}",
                action.verb()
            )),
            Some(scope) => Decision::Deny(format!(
                "this token may not {} on {resource}: it needs the {scope} scope, and has {}",
                action.verb(),
                scopes.names().join(", ")
            )),
            None => Decision::Deny(format!(
                "tokens may not {} on {resource}: sign in as a person with the {} role",
                action.verb(),
                action.needs()
            )),
        },
    }
}

/// Whether `resource` is within a token's reach. A limited token acts on its
/// trains only: services, tracks, gate templates and the configuration are
/// shared by every track, so changing them is for unlimited tokens. A train
/// whose track the caller did not give is judged by its name alone, so a
/// service that forgets the track refuses rather than allows.
fn within(reach: &Reach, resource: &Resource) -> bool {
    match resource {
        _ if reach.is_everywhere() => true,
        Resource::Train(name) => reach.allows(name, None),
        Resource::TrainOnTrack { name, track } => reach.allows(name, Some(track)),
        Resource::Site
        | Resource::Calendar
        | Resource::Service(_)
        | Resource::Tracks
        | Resource::Gates
        | Resource::Tokens
        | Resource::Webhooks
        | Resource::Audit => false,
    }
}
