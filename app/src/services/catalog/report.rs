//! What an import did, or why it changed nothing.

use super::parse::Problem;
use crate::error::AppError;

/// What an import did (or, planned, would do): names per kind of entry.
#[derive(Debug, Default, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct ImportReport {
    /// Services added (or brought back) and changed.
    pub services_added: Vec<String>,
    pub services_changed: Vec<String>,
    /// Gate templates added and changed.
    pub gate_templates_added: Vec<String>,
    pub gate_templates_changed: Vec<String>,
    /// Environments added and changed.
    pub environments_added: Vec<String>,
    pub environments_changed: Vec<String>,
    /// Tracks added and changed.
    pub tracks_added: Vec<String>,
    pub tracks_changed: Vec<String>,
    /// Trains created, redefined (still in planning) and left alone.
    pub created: Vec<String>,
    pub replaced: Vec<String>,
    pub unchanged: Vec<String>,
    /// Whether the release-train policy was replaced.
    pub policies: bool,
    /// Subscriptions the imported notification policy keeps quiet, each
    /// with why (`webhook 3 (slack, finance, https://…): the notification
    /// policy does not list the stakeholder finance`).
    pub notifications_muted: Vec<String>,
    /// Stakeholders and channels the policy lists that no enabled
    /// subscription reaches (`release-managers by email`): add one with that
    /// format and audience, or they hear nothing.
    pub notifications_unreached: Vec<String>,
}

/// Why an import changed nothing.
#[derive(Debug)]
pub enum ImportError {
    Problems(Vec<Problem>),
    Failed(AppError),
}

impl From<AppError> for ImportError {
    fn from(e: AppError) -> Self {
        Self::Failed(e)
    }
}

impl From<sqlx::Error> for ImportError {
    fn from(e: sqlx::Error) -> Self {
        Self::Failed(e.into())
    }
}
