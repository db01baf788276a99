//! Deployments a CD system reports: recorded once per pipeline run,
//! matched to the train that carries them (or flagged as unscheduled),
//! moved through their statuses, and, when one succeeds, what runs in its
//! environment.

mod compare;
mod read;
mod report;
mod status;

pub use compare::compare_environments;
pub(crate) use read::{deployments_by_ids, recent_unscheduled};
pub use read::{get_deployment, list_deployments, running_matrix, DeploymentFilter};
pub use report::report_deployment;
pub use status::update_deployment;
