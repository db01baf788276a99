//! Promotions through a track's environments: requests, approvals, the
//! verdict of the domain's policy, and the promotion itself (exactly once).

mod coalesce;
mod confirm;
mod context;
mod decide;
mod panel;
mod policy;
mod promote;
mod requests;
mod waiting;

pub(crate) use confirm::{settle_promotions, FinishedDeploy};
pub(crate) use context::{load_contexts, TrainContext};
pub use decide::{
    approve_promotion, break_glass, cancel_promotion, reject_promotion, request_promotion, Outcome,
};
pub(crate) use panel::{panel_for, trains_with_open_requests, OpenRequests};
pub use panel::{promotion_panel, waiting_for};
pub(crate) use policy::policy_for as policy_in;
pub(crate) use policy::write_policy;
pub use policy::{list_policies, save_policy, store_policy, PolicyForm};
pub(crate) use promote::{promote_due, trains_due};
