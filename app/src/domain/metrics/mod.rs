//! Seed 003's success metrics and the four DORA measures, computed from
//! what the store already holds (deployments, the changes CI reported,
//! rollbacks, health breaches, incidents, postponements), over a window of
//! days cut into daily, weekly or monthly buckets. Pure: the facts come in,
//! the series go out.

#[cfg(feature = "ssr")]
pub mod cadence_days;
pub mod dora;
pub mod facts;
pub mod heatmap;
pub mod stats;
pub mod success;
pub mod window;

#[cfg(feature = "ssr")]
pub use cadence_days::CadenceDays;
pub use facts::{DeploymentFact, FailureCause, IncidentFact, MetricFacts, PostponementFact};
pub use window::{Interval, MetricWindow};

#[cfg(test)]
mod tests;
