//! Release communications: the changes CI reports for a train's
//! participants, the organisation's note sections, and the notes.

mod announcement;
mod categories;
mod changes;
mod draft;
mod notes;
mod page;
mod post_release;
mod since;
mod versions;

pub(crate) use announcement::announcement_to_send;
pub use announcement::{announcement, save_announcement};
pub use categories::{get_categories, set_categories};
pub use changes::{list_changes, report_changes};
pub use draft::{notes_draft, save_document, save_draft};
pub use notes::release_notes;
pub use page::changes_page;
pub use post_release::post_release_notes;
pub(crate) use post_release::write_post_release;
pub use since::changes_by_service;
pub use versions::{notes_version, notes_versions, publish_notes, NOTES_ARTIFACT};
