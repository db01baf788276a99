//! The service catalog's pages: every service with the dependency graph,
//! and one service's settings.

mod catalog_page;
mod graph;
mod monitor_page;
mod service_page;

pub use catalog_page::ServicesPage;
pub use monitor_page::ServiceMonitorPage;
pub use service_page::ServicePage;
