//! Server functions: thin doors into the service layer.

pub mod calendar;
pub mod trains;
