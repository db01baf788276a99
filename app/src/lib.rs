//! Trainyard's application crate: pure domain types, the server-only service
//! layer, server functions, and the Leptos components and pages shared by the
//! server (SSR) and the browser (hydration).
#![recursion_limit = "256"]

pub mod app;
pub mod components;
pub mod domain;
pub mod error;
pub mod models;
pub mod pages;
pub mod server_fns;
#[cfg(feature = "ssr")]
pub mod services;

pub use app::{shell, App};
