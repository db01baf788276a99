//! The Trainyard server: configuration, HTTP wiring and process lifecycle.
//! Business rules live in `app` (domain and service layer); this crate only
//! connects them to axum, Postgres and the operating system.

pub mod assets;
pub mod auth;
pub mod body_deadline;
pub mod cli;
pub mod config;
pub mod csp;
pub mod evidence_store;
pub mod live;
pub mod page_cache;
pub mod routes;
pub mod scheduler;
pub mod security_headers;
pub mod serve;
pub mod startup;
pub mod telemetry;
pub mod webhooks;

pub use startup::Application;
