//! Incidents: reported by an incident tool or a person (once per external
//! id), read with the deployments that may have caused them, and linked to
//! the ones a person confirms did.

mod link;
mod pagerduty;
mod read;
mod report;

pub use link::link_deployment;
pub use pagerduty::receive_pagerduty;
pub use read::{get_incident, list_incidents};
pub use report::report_incident;
