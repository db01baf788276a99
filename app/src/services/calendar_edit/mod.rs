//! Owners editing the calendar: on-call, moves, skips, hotfixes recorded
//! after the fact, freeze windows and cadences; admins set the rotation.
//! Each edit is one transaction with its timeline event and audit record.

mod cadence;
mod freezes;
mod hotfix;
mod page;
mod rotation;
mod slots;

pub(crate) use cadence::change_cadence;
pub use cadence::{cadence_view, save_cadence};
pub use freezes::{delete_freeze, freeze_view, list_freezes, save_freeze, FreezeForm};
pub use hotfix::{record_hotfix, HotfixForm};
pub use page::calendar_page;
pub use rotation::{rotation_view, save_rotation};
pub use slots::{assign_on_call, move_train, skip_train, slot_view};

use crate::error::bad_field as field;
