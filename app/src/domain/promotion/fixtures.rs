//! Shared test fixtures: a prod promotion of a two-service train, requested
//! by carla on a train captained by cole.

use super::*;
use crate::domain::access::{Role, RoleSet};
use crate::domain::TrackName;
use chrono::{DateTime, Duration, Utc};

pub const REQUESTER: &str = "carla";
pub const CAPTAIN: &str = "cole";

/// `minutes` after the request was made (2026-11-24 14:00 UTC).
pub fn t(minutes: i64) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-24T14:00:00Z")
        .unwrap()
        .with_timezone(&Utc)
        + Duration::minutes(minutes)
}

pub fn v1() -> Fingerprint {
    Fingerprint::new([("scenario", "2.0.0"), ("curve", "1.4.0")]).unwrap()
}

pub fn v2() -> Fingerprint {
    Fingerprint::new([("scenario", "2.0.1"), ("curve", "1.4.0")]).unwrap()
}

/// Seed 001's and seed 003's environments: `dev`, `stage` and `prod` as
/// their kinds have them, and `staging` with its week of soak in `dev`.
pub fn policy(env: &str) -> EnvironmentPolicy {
    let name = Environment::parse(env).unwrap();
    match env {
        "dev" => EnvironmentPolicy::defaults_for(&name, EnvironmentKind::Development),
        "stage" => EnvironmentPolicy::defaults_for(&name, EnvironmentKind::PreProduction),
        "staging" => EnvironmentPolicy {
            soak: Some(Duration::days(7)),
            ..EnvironmentPolicy::defaults_for(&name, EnvironmentKind::PreProduction)
        },
        _ => EnvironmentPolicy::defaults_for(&name, EnvironmentKind::Production),
    }
}

pub fn roles(roles: &[Role]) -> RoleSet {
    RoleSet::new(roles.iter().cloned())
}

/// Someone deciding on a request, in no identity-provider group.
pub struct Person {
    subject: String,
    roles: RoleSet,
}

impl Person {
    pub fn reviewer(&self) -> Reviewer<'_> {
        Reviewer {
            subject: &self.subject,
            roles: &self.roles,
            groups: &[],
        }
    }
}

pub fn person(who: &str, held: &[Role]) -> Person {
    Person {
        subject: who.to_owned(),
        roles: roles(held),
    }
}

pub fn approval(who: &str, minute: i64, fingerprint: Fingerprint) -> Approval {
    Approval {
        approver: who.to_owned(),
        at: t(minute),
        comment: None,
        fingerprint,
        as_approver: true,
        owner_of: Vec::new(),
    }
}

/// An open request into `env`, with nothing approved, failing or frozen.
pub fn facts(env: &str) -> PromotionFacts {
    let request = PromotionRequest::open(
        Environment::parse(env).unwrap(),
        REQUESTER,
        "weekly train 2026-11-24",
        v1(),
        t(0),
    )
    .unwrap();
    PromotionFacts {
        request,
        approvals: vec![],
        current_fingerprint: v1(),
        captain: Some(CAPTAIN.to_owned()),
        track: Some(TrackName::parse("dev").unwrap()),
        failing_gates: vec![],
        missing_evidence: vec![],
        soak: None,
        active_freezes: vec![],
        direct_lane: false,
        break_glass: None,
        owners: Vec::new(),
    }
}
