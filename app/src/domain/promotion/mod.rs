//! Promotions: moving a train's release from one environment to the next.
//!
//! The pieces, in the order a promotion meets them:
//!
//! - [`Pipeline`]: the track's environments in order (`dev → stage → prod`).
//! - [`EnvironmentKind`]: what an environment is for; its policy's defaults.
//! - [`EnvironmentPolicy`]: what promoting into an environment takes —
//!   approvals by a role, a wait timer, gates, a soak, freezes.
//! - [`PromotionRequest`]: made by a captain with a note; open until it is
//!   promoted, rejected, cancelled or superseded.
//! - [`approve`] / [`reject`]: who may decide. An approval holds for one
//!   [`Fingerprint`] of what would be promoted; when that changes, older
//!   approvals are dismissed with the [`diff`] as the reason.
//! - [`evaluate`]: the verdict, with the blockers panel's lines, computed
//!   from [`PromotionFacts`] at `now`. The service layer promotes only when
//!   a fresh evaluation at the moment of promotion says `ready`.
//! - [`soak_clock`] and [`breaches`]: the soak in the source environment and
//!   seed 001's rollback criteria over health samples.
//!
//! Everything here is pure and compiles for the browser too.

mod approval;
mod confirmation;
mod environment;
mod evaluate;
mod fingerprint;
#[cfg(test)]
mod fixtures;
mod freeze;
mod health;
mod kind;
#[cfg(test)]
mod owner_review_tests;
mod policy;
mod request;
mod soak;

pub use approval::{
    approve, check_approver, reject, waits_for, Approval, ApprovalOutcome, ApprovalRefusal,
    Reviewer,
};
pub use confirmation::{settle, ReleaseStatus, Settlement};
pub use environment::{Environment, EnvironmentError, Pipeline, PipelineError};
pub use evaluate::{evaluate, Evaluation, PromotionBlocker, PromotionFacts, SetAside};
pub use fingerprint::{diff, Fingerprint, FingerprintError};
pub use freeze::{ActiveFreeze, BreakGlass, BreakGlassError};
pub use health::{
    breaches, recommend, Breach, Criterion, Metric, RollbackRecommendation, Sample, UnknownMetric,
    BURN_RATE_LIMIT, ERROR_RATE_PCT_LIMIT, MAX_GAP, P95_LATENCY_MS_LIMIT, SATURATION_PCT_LIMIT,
};
pub use kind::EnvironmentKind;
pub use policy::{EnvironmentPolicy, PolicyError};
pub use request::{PromotionRequest, Rejection, RequestError, RequestState};
pub use soak::{clean_means, soak_clock, Disturbance, DisturbanceKind, SoakClock, SoakFacts};
