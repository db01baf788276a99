pub mod api;
pub mod events;
pub mod health;
pub mod ics;
