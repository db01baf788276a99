//! An environment as pages and the API show it.

use crate::domain::promotion::EnvironmentPolicy;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct EnvironmentView {
    pub name: String,
    pub description: String,
    /// `development`, `preview`, `pre-production` or `production`.
    pub kind: String,
    /// Its place in the order of promotion (lowest first).
    pub position: i32,
    /// What promoting into it takes (durations in seconds).
    #[cfg_attr(feature = "ssr", schema(value_type = Object))]
    pub policy: EnvironmentPolicy,
    /// The tracks whose pipeline names it, or that take every environment.
    pub tracks: Vec<String>,
}
