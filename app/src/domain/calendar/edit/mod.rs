//! The rules of editing the calendar: who is on call, moving, skipping and
//! recording trains, the cadence form and the owner rotation.

mod cadence_spec;
mod form_time;
mod on_call;
mod reason;
mod rotation;
mod slot;

pub use cadence_spec::{weekdays, CadenceSpec, CadenceSpecError, UTC};
pub use form_time::{input_value, parse_date, parse_utc};
pub use on_call::{OnCall, OnCallError};
pub use reason::{parse_category, Reason, ReasonError, MAX_CATEGORY, MAX_REASON};
pub use rotation::{month_of, Rotation, RotationError};
pub use slot::{check_hotfix, HotfixRecordError, Movement, Slot, SlotError};
