//! The server's integration tests: each test gets a fresh database, and the
//! HTTP tests a server on a free port.

mod calendar_page;
mod demo_data;
mod health;
mod helpers;
mod schema;
mod trains_api;
