//! Deployments as a CD system reports them: how one goes (its status and
//! the moves it may make), and which train, if any, it belongs to.

pub mod matching;
pub mod report;
pub mod status;

pub use matching::{match_deployment, rollback_redeploy, Candidate, MatchKind, Matched};
pub use report::{DeploymentReport, ReportError};
pub use status::DeploymentStatus;
