//! Seed 002's monitoring endpoints: a train as it progresses, and a
//! service's health and performance as series against their rollback
//! thresholds.

mod page;
mod series;
mod train;

pub use page::service_monitor_page;
pub use series::service_series;
pub use train::train_monitoring;
