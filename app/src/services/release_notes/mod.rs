//! Release communications: the changes CI reports for a train's
//! participants, the organisation's note sections, and the notes.

mod categories;
mod changes;
mod notes;

pub use categories::{get_categories, set_categories};
pub use changes::{list_changes, report_changes};
pub use notes::release_notes;
