//! Pure domain rules: no IO, no clock reads (`now` is always a parameter).

pub mod access;
#[cfg(feature = "ssr")]
pub mod audit;
pub mod blocked;
pub mod byte_size;
pub mod calendar;
pub mod change;
#[cfg(feature = "ssr")]
pub mod control_text;
pub mod environment_input;
pub mod evidence;
pub mod gates;
pub mod hotfix;
pub mod idempotency_key;
pub mod keyset;
pub mod participant;
pub mod promotion;
pub mod release_branch;
pub mod release_naming;
pub mod release_order;
pub mod release_phases;
pub mod requirement;
pub mod service;
#[cfg(feature = "ssr")]
pub mod track;
pub mod track_colour;
pub mod track_input;
pub mod track_name;
pub mod train_name;
pub mod train_state;
pub mod train_tag;

pub use calendar::status::CalendarStatus;
pub use track_name::TrackName;
pub use train_state::TrainState;
pub use train_tag::TrainTag;
