//! The calendar: each track's cadence, the plan of trains it makes (with
//! freeze windows and the rule that skips a train nobody watches), the
//! status words of a planned train, the month grid, the edits owners make,
//! and the next train of every track.

#[cfg(feature = "ssr")]
pub mod cadence;
#[cfg(feature = "ssr")]
pub mod cut;
pub mod edit;
#[cfg(feature = "ssr")]
mod freeze;
#[cfg(feature = "ssr")]
pub mod horizon;
pub mod month;
#[cfg(feature = "ssr")]
mod plan;
pub mod planning;
pub mod reminders;
#[cfg(feature = "ssr")]
mod skip;
pub mod status;

#[cfg(feature = "ssr")]
pub use plan::*;
