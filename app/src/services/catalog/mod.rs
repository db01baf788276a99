//! Config as code: seed 002's `catalog/release-trains.yaml` and
//! `config/upgrade-policies.yaml`, imported all-or-nothing and exported back.

mod export;
mod import;
mod parse;
mod setup_files;

pub use export::{export, ExportedFiles};
pub(crate) use import::import_in;
pub use import::{import, plan, ImportError, ImportReport};
pub use parse::{Problem, SourceFile};

/// What importing one entry of a file did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Imported {
    Added,
    Changed,
    Unchanged,
}
