//! Seed 003's success metrics, DORA and the deploy heat-map: the facts of a
//! window read in five queries whatever its size, computed by
//! `domain::metrics`, and drawn for `/metrics`.

mod charts;
mod facts;
mod page;
mod report;

pub use page::metrics_page;
pub use report::{deploy_days, dora, success};
