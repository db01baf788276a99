//! Config as code: seed 002's `catalog/release-trains.yaml` and
//! `config/upgrade-policies.yaml`, imported all-or-nothing and exported back.

mod export;
mod import;
mod parse;
mod report;
mod setup_files;

pub use export::{export, ExportedFiles};
pub(crate) use import::import_in;
pub use import::{import, plan};
pub use parse::{Problem, SourceFile};
pub use report::{ImportError, ImportReport};

/// What importing one entry of a file did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Imported {
    Added,
    Changed,
    Unchanged,
}
