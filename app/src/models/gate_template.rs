//! A gate template as pages and the API show it.

use crate::domain::gates::spec::GateSpec;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct GateTemplateView {
    pub name: String,
    pub description: String,
    pub gates: Vec<GateSpec>,
    /// The same gates as YAML, as the admin page edits them.
    pub gates_yaml: String,
    /// The tracks whose new trains get these gates.
    pub tracks: Vec<String>,
}
