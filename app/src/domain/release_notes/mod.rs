//! Release notes from what CI reported a train's participants contain:
//! each change sorted into seed 004's sections (Highlights, Infrastructure
//! Changes, Known Issues) by its labels or its conventional-commit type,
//! breaking changes called out, and the participants' versions.

pub mod announcement;
pub mod commit;
pub mod document;
pub mod markdown;
pub mod post_release;
pub mod sections;

pub use announcement::{render_announcement, AnnouncementFacts};
pub use commit::{CommitInput, ConventionalType};
pub use document::{notes_document, TrainDocument};
pub use markdown::{render, NoteChange, NotesContext, VersionLine};
pub use post_release::{render_post_release, HealthLine, IncidentLine, PostReleaseFacts};
pub use sections::{Categories, Category};
