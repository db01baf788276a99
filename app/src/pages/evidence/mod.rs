//! Evidence bundles: `/evidence`, a train's bundle and each artifact's viewer.

pub mod artifact_page;
pub mod bundle_page;
mod completeness;
pub mod evidence_page;
mod junit_viewer;
mod metadata_viewer;
mod provenance_viewer;
mod sbom_viewer;
mod upload_form;

pub use completeness::CompletenessPanel;

/// Where an artifact's raw bytes are downloaded from.
pub fn raw_href(train: &str, artifact: &str) -> String {
    format!("/api/v1/release-trains/{train}/evidence/{artifact}")
}

/// Where an artifact's viewer is.
pub fn viewer_href(train: &str, artifact: &str) -> String {
    format!("/trains/{train}/evidence/{artifact}")
}

pub const TABLE: &str = "min-w-full divide-y divide-slate-200 text-sm";
pub const THEAD: &str =
    "bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-600";
pub const CARD: &str = "rounded-lg border border-slate-200 bg-white p-4 shadow-sm";
