//! What an environment is for. Its promotion policy starts from its kind's
//! defaults, so that no rule depends on what an organisation calls it.

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum EnvironmentKind {
    /// Where every merge lands first (seed 003's `dev`).
    Development,
    /// Short-lived or per-change deployments (seed 001's preview).
    Preview,
    /// The last stop before users (`stage`, `staging`, a testnet).
    PreProduction,
    /// Where users are (`prod`, `live`, a mainnet).
    Production,
}

impl EnvironmentKind {
    pub const ALL: [EnvironmentKind; 4] = [
        EnvironmentKind::Development,
        EnvironmentKind::Preview,
        EnvironmentKind::PreProduction,
        EnvironmentKind::Production,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EnvironmentKind::Development => "development",
            EnvironmentKind::Preview => "preview",
            EnvironmentKind::PreProduction => "pre-production",
            EnvironmentKind::Production => "production",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, String> {
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == raw.trim())
            .ok_or_else(|| {
                format!(
                    "{raw:?} is not a kind of environment \
                     (development, preview, pre-production or production)"
                )
            })
    }
}

impl fmt::Display for EnvironmentKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_parses_back_from_its_name_and_json_agrees() {
        for kind in EnvironmentKind::ALL {
            assert_eq!(EnvironmentKind::parse(kind.as_str()), Ok(kind));
            assert_eq!(
                serde_json::to_value(kind).unwrap(),
                serde_json::json!(kind.as_str())
            );
        }
        let err = EnvironmentKind::parse("prod").unwrap_err();
        assert!(err.contains("production"), "{err}");
    }
}
