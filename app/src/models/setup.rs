//! What an install holds of the set-up an organisation needs.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetupStatus {
    /// Active services of the catalog.
    pub services: i64,
    pub tracks: i64,
    /// Environments, each with its promotion policy.
    pub environments: i64,
    /// Whether any train was ever created.
    pub has_trains: bool,
    /// Whether the viewer may do the set-up.
    pub may_set_up: bool,
}

impl SetupStatus {
    /// Trains need services to release, environments to go to and tracks
    /// to run on.
    pub fn is_set_up(&self) -> bool {
        self.services > 0 && self.environments > 0 && self.tracks > 0
    }
}
