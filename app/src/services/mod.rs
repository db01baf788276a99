//! The service layer (server only): every server function and API route calls
//! into these functions, which load, call the pure domain, and store.

pub mod access;
pub mod actor;
pub mod audit;
pub mod audit_log;
pub mod calendar;
pub mod calendar_cut;
pub mod calendar_edit;
pub mod calendar_horizon;
pub mod calendar_plan;
pub(crate) mod calendar_remind;
pub mod catalog;
pub mod changes;
pub mod demo;
pub mod deployments;
pub mod environments;
pub mod evidence;
pub mod gate_templates;
pub mod health;
pub mod ics;
pub(crate) mod idempotency;
pub mod incidents;
pub mod monitoring;
pub mod promotions;
pub mod read_cache;
pub mod release_notes;
pub mod scheduler;
pub mod service_catalog;
pub mod service_status;
pub mod setup;
pub mod sign_in;
pub mod tokens;
pub mod tracks;
pub mod train_views;
pub mod trains;
pub mod webhooks;
