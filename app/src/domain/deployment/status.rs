//! A deployment's status, named as GitHub and GitLab deployments name
//! theirs, and the moves between them: forward only, and a finished
//! deployment stays finished.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DeploymentStatus {
    Queued,
    InProgress,
    Succeeded,
    Failed,
    Cancelled,
}

impl DeploymentStatus {
    pub const ALL: [Self; 5] = [
        Self::Queued,
        Self::InProgress,
        Self::Succeeded,
        Self::Failed,
        Self::Cancelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Queued => "queued",
            Self::InProgress => "in_progress",
            Self::Succeeded => "succeeded",
            Self::Failed => "failed",
            Self::Cancelled => "cancelled",
        }
    }

    /// The status named `raw`; anything else is refused, listing the names.
    pub fn parse(raw: &str) -> Result<Self, String> {
        Self::ALL
            .into_iter()
            .find(|s| s.as_str() == raw.trim())
            .ok_or_else(|| {
                format!(
                    "{raw:?} is not a deployment status: {}",
                    Self::ALL.map(Self::as_str).join(", ")
                )
            })
    }

    /// Whether the deployment is over (it will not move again).
    pub fn is_final(self) -> bool {
        matches!(self, Self::Succeeded | Self::Failed | Self::Cancelled)
    }

    /// Whether a deployment now in `self` may report `next`: forward only
    /// (queued, in progress, then one final status); repeating the current
    /// status is no move and always allowed.
    pub fn may_become(self, next: Self) -> Result<(), String> {
        let rank = |s: Self| match s {
            Self::Queued => 0,
            Self::InProgress => 1,
            _ => 2,
        };
        if next == self || (!self.is_final() && rank(next) > rank(self)) {
            return Ok(());
        }
        Err(if self.is_final() {
            format!(
                "the deployment {} already; a finished deployment does not change \
                 (report the next attempt as a new pipeline run)",
                self.as_str()
            )
        } else {
            format!(
                "a deployment {} does not go back to {}",
                self.as_str(),
                next.as_str()
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use DeploymentStatus::*;

    #[test]
    fn each_status_parses_back_from_its_name() {
        for s in DeploymentStatus::ALL {
            assert_eq!(DeploymentStatus::parse(s.as_str()), Ok(s));
            assert_eq!(serde_json::to_value(s).unwrap(), s.as_str());
        }
        let err = DeploymentStatus::parse("done").unwrap_err();
        assert!(
            err.contains("\"done\"") && err.contains("in_progress"),
            "{err}"
        );
    }

    #[test]
    fn a_deployment_moves_forward_and_a_finished_one_stays() {
        assert!(Queued.may_become(InProgress).is_ok());
        assert!(Queued.may_become(Succeeded).is_ok());
        assert!(InProgress.may_become(Failed).is_ok());
        assert!(InProgress.may_become(InProgress).is_ok());
        assert!(
            Succeeded.may_become(Succeeded).is_ok(),
            "a repeat is no move"
        );
        assert!(InProgress
            .may_become(Queued)
            .unwrap_err()
            .contains("does not go back"));
        for done in [Succeeded, Failed, Cancelled] {
            for other in DeploymentStatus::ALL.into_iter().filter(|s| *s != done) {
                let err = done.may_become(other).unwrap_err();
                assert!(err.contains("already"), "{err}");
            }
        }
    }
}
