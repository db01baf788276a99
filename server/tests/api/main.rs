//! The server's integration tests: each test gets a fresh database, and the
//! HTTP tests a server on a free port.

mod api_client;
mod api_lifecycle;
mod api_reads;
mod api_refusals;
mod audit;
mod calendar_edit;
mod calendar_page;
mod calendar_rules;
mod catalog;
mod demo_data;
mod errors;
mod evidence_bundle;
mod evidence_pages;
mod evidence_refusals;
mod evidence_upload;
mod health;
mod health_signals;
mod helpers;
mod indexes;
mod ingest_races;
mod live_and_feed;
mod oidc;
mod page_cache;
mod permissions;
mod pool;
mod promotion_races;
mod promotion_rules;
mod promotions;
mod read_cache;
mod schema;
mod service_catalog;
mod sign_in;
mod static_assets;
mod tracks;
mod train_pages;
