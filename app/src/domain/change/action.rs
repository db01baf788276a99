//! The audit trail's names of actions. They are part of the audit format
//! (stored, hashed into the chain, filtered on by people and scripts), so
//! each is spelled here once and never changes.

/// Every action the audit trail records.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AuditAction {
    AuthLogin,
    AuthLoginRefused,
    AuthLogout,
    AuthRolesChange,
    CalendarAssignOnCall,
    CalendarCut,
    CalendarMove,
    CalendarRecordHotfix,
    CalendarRollForward,
    CalendarSkip,
    EnvironmentCreate,
    EnvironmentDelete,
    EnvironmentUpdate,
    EvidenceRefuse,
    EvidenceRemove,
    EvidenceReplace,
    EvidenceSeal,
    EvidenceUpload,
    FreezeCreate,
    FreezeDelete,
    FreezeUpdate,
    GateResultsRecord,
    GateTemplateCreate,
    GateTemplateDelete,
    GateTemplateUpdate,
    HealthBreach,
    PolicyImport,
    PolicyUpdate,
    PromotionApprove,
    PromotionBreakGlass,
    PromotionCancel,
    PromotionPromote,
    PromotionReject,
    PromotionRequest,
    RotationUpdate,
    ServiceRegister,
    ServiceRetire,
    ServiceUpdate,
    ServiceUpdateStatus,
    TokenCreate,
    TokenRevoke,
    TrackArchive,
    TrackCadence,
    TrackCreate,
    TrackUpdate,
    TrainCreate,
    TrainDelete,
    TrainEdit,
    TrainGates,
    TrainParticipantVersion,
    TrainRollback,
    TrainRollbackEnvironment,
    TrainTag,
    TrainTransition,
    WebhookCreate,
    WebhookDelete,
    WebhookDisable,
    WebhookRedeliver,
    WebhookRotateSecret,
    WebhookTest,
    WebhookUpdate,
}

impl AuditAction {
    pub const ALL: [AuditAction; 61] = [
        Self::AuthLogin,
        Self::AuthLoginRefused,
        Self::AuthLogout,
        Self::AuthRolesChange,
        Self::CalendarAssignOnCall,
        Self::CalendarCut,
        Self::CalendarMove,
        Self::CalendarRecordHotfix,
        Self::CalendarRollForward,
        Self::CalendarSkip,
        Self::EnvironmentCreate,
        Self::EnvironmentDelete,
        Self::EnvironmentUpdate,
        Self::EvidenceRefuse,
        Self::EvidenceRemove,
        Self::EvidenceReplace,
        Self::EvidenceSeal,
        Self::EvidenceUpload,
        Self::FreezeCreate,
        Self::FreezeDelete,
        Self::FreezeUpdate,
        Self::GateResultsRecord,
        Self::GateTemplateCreate,
        Self::GateTemplateDelete,
        Self::GateTemplateUpdate,
        Self::HealthBreach,
        Self::PolicyImport,
        Self::PolicyUpdate,
        Self::PromotionApprove,
        Self::PromotionBreakGlass,
        Self::PromotionCancel,
        Self::PromotionPromote,
        Self::PromotionReject,
        Self::PromotionRequest,
        Self::RotationUpdate,
        Self::ServiceRegister,
        Self::ServiceRetire,
        Self::ServiceUpdate,
        Self::ServiceUpdateStatus,
        Self::TokenCreate,
        Self::TokenRevoke,
        Self::TrackArchive,
        Self::TrackCadence,
        Self::TrackCreate,
        Self::TrackUpdate,
        Self::TrainCreate,
        Self::TrainDelete,
        Self::TrainEdit,
        Self::TrainGates,
        Self::TrainParticipantVersion,
        Self::TrainRollback,
        Self::TrainRollbackEnvironment,
        Self::TrainTag,
        Self::TrainTransition,
        Self::WebhookCreate,
        Self::WebhookDelete,
        Self::WebhookDisable,
        Self::WebhookRedeliver,
        Self::WebhookRotateSecret,
        Self::WebhookTest,
        Self::WebhookUpdate,
    ];

    /// The name stored in `audit_record.action`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::AuthLogin => "auth.login",
            Self::AuthLoginRefused => "auth.login_refused",
            Self::AuthLogout => "auth.logout",
            Self::AuthRolesChange => "auth.roles_change",
            Self::CalendarAssignOnCall => "calendar.assign_on_call",
            Self::CalendarCut => "calendar.cut",
            Self::CalendarMove => "calendar.move",
            Self::CalendarRecordHotfix => "calendar.record_hotfix",
            Self::CalendarRollForward => "calendar.roll_forward",
            Self::CalendarSkip => "calendar.skip",
            Self::EnvironmentCreate => "environment.create",
            Self::EnvironmentDelete => "environment.delete",
            Self::EnvironmentUpdate => "environment.update",
            Self::EvidenceRefuse => "evidence.refuse",
            Self::EvidenceRemove => "evidence.remove",
            Self::EvidenceReplace => "evidence.replace",
            Self::EvidenceSeal => "evidence.seal",
            Self::EvidenceUpload => "evidence.upload",
            Self::FreezeCreate => "freeze.create",
            Self::FreezeDelete => "freeze.delete",
            Self::FreezeUpdate => "freeze.update",
            Self::GateResultsRecord => "gate_results.record",
            Self::GateTemplateCreate => "gate_template.create",
            Self::GateTemplateDelete => "gate_template.delete",
            Self::GateTemplateUpdate => "gate_template.update",
            Self::HealthBreach => "health.breach",
            Self::PolicyImport => "policy.import",
            Self::PolicyUpdate => "policy.update",
            Self::PromotionApprove => "promotion.approve",
            Self::PromotionBreakGlass => "promotion.break_glass",
            Self::PromotionCancel => "promotion.cancel",
            Self::PromotionPromote => "promotion.promote",
            Self::PromotionReject => "promotion.reject",
            Self::PromotionRequest => "promotion.request",
            Self::RotationUpdate => "rotation.update",
            Self::ServiceRegister => "service.register",
            Self::ServiceRetire => "service.retire",
            Self::ServiceUpdate => "service.update",
            Self::ServiceUpdateStatus => "service.update_status",
            Self::TokenCreate => "token.create",
            Self::TokenRevoke => "token.revoke",
            Self::TrackCadence => "track.cadence",
            Self::TrackCreate => "track.create",
            Self::TrackUpdate => "track.update",
            Self::TrackArchive => "track.archive",
            Self::TrainCreate => "train.create",
            Self::TrainDelete => "train.delete",
            Self::TrainEdit => "train.edit",
            Self::TrainGates => "train.gates",
            Self::TrainParticipantVersion => "train.participant_version",
            Self::TrainRollback => "train.rollback",
            Self::TrainRollbackEnvironment => "train.rollback_environment",
            Self::TrainTag => "train.tag",
            Self::TrainTransition => "train.transition",
            Self::WebhookCreate => "webhook.create",
            Self::WebhookDelete => "webhook.delete",
            Self::WebhookDisable => "webhook.disable",
            Self::WebhookRedeliver => "webhook.redeliver",
            Self::WebhookRotateSecret => "webhook.rotate_secret",
            Self::WebhookTest => "webhook.test",
            Self::WebhookUpdate => "webhook.update",
        }
    }

    /// The action a stored name stands for.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.as_str() == name)
    }
}

impl std::fmt::Display for AuditAction {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_has_its_own_name_that_reads_back() {
        let mut names: Vec<&str> = AuditAction::ALL.iter().map(|a| a.as_str()).collect();
        for a in AuditAction::ALL {
            assert_eq!(AuditAction::parse(a.as_str()), Some(a));
        }
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), AuditAction::ALL.len());
    }
}
