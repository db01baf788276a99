//! A new track as an admin describes it (a form, the API, a file), parsed
//! into what the calendar plans with; each problem names its field.

use super::calendar::edit::CadenceSpec;
use super::calendar::planning::{Planning, PlanningInput};
use super::gates::template::parse_template_name;
use super::promotion::{Environment, EnvironmentPolicy, Pipeline};
use super::release_naming::{Naming, NamingInput};
use super::service::{one_line_description, Invalid};
use super::track_colour::TrackColour;
use super::TrackName;
use crate::models::calendar::CadenceForm;
use chrono::Duration;
use serde::{Deserialize, Serialize};

/// A track as it arrives, before it is checked.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TrackInput {
    /// Lower-case letters, digits and `-`, starting with a letter (it appears
    /// in tags). Optional when changing a track: its address names it.
    #[serde(default)]
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// sky, violet, rose, amber, emerald or slate; none: by its position.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub colour: Option<String>,
    /// Weekly on some days at a time in a time zone; none: trains only on demand.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cadence: Option<CadenceForm>,
    /// How long before each cut the code freezes.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub freeze_offset_minutes: i64,
    /// How long a release runs clean here before it is promoted on.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub soak_hours: i64,
    /// How long CD has to confirm a rollback's redeploys before the
    /// rollback counts as stuck (seed 002's `rollback.timeout`); none: 10
    /// minutes (seed 002's `rollback_timeout: 600`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rollback_timeout_minutes: Option<i64>,
    /// The track this one's releases are promoted to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub promotes_to: Option<String>,
    /// The environments its releases go through, in order; none: every
    /// environment in the organisation's order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pipeline: Vec<String>,
    /// A direct lane (a hotfix track): its trains deploy straight to the
    /// pipeline's last environment with no soak and no wait, need only
    /// `direct_approvals`, and may break the glass during a freeze.
    #[serde(default, skip_serializing_if = "is_false")]
    pub direct: bool,
    #[serde(default, skip_serializing_if = "is_zero_u8")]
    #[cfg_attr(feature = "ssr", schema(maximum = 255))]
    pub direct_approvals: u8,
    /// The track whose current release this one's trains patch: their tags
    /// take that release's version (seed 003's hotfixes patch staging).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub patches: Option<String>,
    /// The gate template a new train of this track gets when it names no
    /// gates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gate_template: Option<String>,
    /// Whether its trains are cut with nobody on call; by default a train
    /// nobody watches is skipped at its cut (seed 003's rule).
    #[serde(default, skip_serializing_if = "is_false")]
    pub runs_without_on_call: bool,
    /// The tag, version line and release branch of its trains.
    #[serde(default, skip_serializing_if = "is_default_naming")]
    pub naming: NamingInput,
    /// How far ahead its trains are planned, who is on call for them in
    /// turn, and whether a train with nothing new is cut.
    #[serde(default, skip_serializing_if = "is_default_planning")]
    pub planning: PlanningInput,
}

fn is_default_planning(p: &PlanningInput) -> bool {
    *p == PlanningInput::default()
}

fn is_default_naming(n: &NamingInput) -> bool {
    *n == NamingInput::default()
}

fn is_false(b: &bool) -> bool {
    !*b
}

fn is_zero_u8(n: &u8) -> bool {
    *n == 0
}

fn is_zero(n: &i64) -> bool {
    *n == 0
}

/// A track, every field checked (whether `promotes_to` exists is the
/// catalog's to say).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TrackSpec {
    pub name: TrackName,
    pub description: String,
    pub cadence: Option<CadenceSpec>,
    pub freeze_offset: Duration,
    pub soak: Duration,
    pub rollback_timeout: Duration,
    pub promotes_to: Option<TrackName>,
    /// `None`: every environment, in order.
    pub pipeline: Option<Pipeline>,
    /// The approvals a direct lane asks for; `None` for a track that
    /// promotes through its pipeline.
    pub direct: Option<u8>,
    pub patches: Option<TrackName>,
    pub gate_template: Option<String>,
    pub naming: Naming,
    pub planning: Planning,
    pub runs_without_on_call: bool,
    pub colour: Option<TrackColour>,
}

/// A week: a freeze further ahead than that would cover the previous train.
pub const MAX_FREEZE_MINUTES: i64 = 7 * 24 * 60;
/// Ninety days.
pub const MAX_SOAK_HOURS: i64 = 90 * 24;
/// A rollback waits for CD at most a week, 10 minutes unless said.
pub const MAX_ROLLBACK_TIMEOUT_MINUTES: i64 = 7 * 24 * 60;
pub const DEFAULT_ROLLBACK_TIMEOUT_MINUTES: i64 = 10;

fn invalid(field: impl Into<String>, message: impl ToString) -> Invalid {
    Invalid::new(field, message)
}

impl TrackInput {
    pub fn parse(&self) -> Result<TrackSpec, Invalid> {
        let name = TrackName::parse(self.name.trim()).map_err(|e| invalid("name", e))?;
        let description = one_line_description(&self.description)?;
        let cadence = match &self.cadence {
            None => None,
            Some(f) => Some(
                CadenceSpec::parse(&f.every, &f.days, &f.time, &f.starts_on, &f.zone)
                    .map_err(|e| invalid(format!("cadence.{}", e.field), e.message))?,
            ),
        };
        if !(0..=MAX_FREEZE_MINUTES).contains(&self.freeze_offset_minutes) {
            return Err(invalid(
                "freeze_offset_minutes",
                format!(
                    "a freeze starts 0 to {MAX_FREEZE_MINUTES} minutes (a week) before the cut"
                ),
            ));
        }
        if !(0..=MAX_SOAK_HOURS).contains(&self.soak_hours) {
            return Err(invalid(
                "soak_hours",
                format!("a soak lasts 0 to {MAX_SOAK_HOURS} hours (90 days)"),
            ));
        }
        let rollback_timeout = self
            .rollback_timeout_minutes
            .unwrap_or(DEFAULT_ROLLBACK_TIMEOUT_MINUTES);
        if !(1..=MAX_ROLLBACK_TIMEOUT_MINUTES).contains(&rollback_timeout) {
            return Err(invalid(
                "rollback_timeout_minutes",
                format!(
                    "CD gets 1 to {MAX_ROLLBACK_TIMEOUT_MINUTES} minutes (a week) to confirm a \
                     rollback before it counts as stuck"
                ),
            ));
        }
        let promotes_to = match self.promotes_to.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(raw) => Some(TrackName::parse(raw).map_err(|e| invalid("promotes_to", e))?),
        };
        if promotes_to.as_ref() == Some(&name) {
            return Err(invalid(
                "promotes_to",
                format!("{name} cannot promote to itself"),
            ));
        }
        let pipeline = match self.pipeline.as_slice() {
            [] => None,
            names => Some(
                names
                    .iter()
                    .map(|n| Environment::parse(n.trim()))
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(|e| invalid("pipeline", e))
                    .and_then(|envs| Pipeline::new(envs).map_err(|e| invalid("pipeline", e)))?,
            ),
        };
        if self.direct_approvals > EnvironmentPolicy::MAX_APPROVALS {
            return Err(invalid(
                "direct_approvals",
                format!(
                    "a lane asks for 0 to {} approvals",
                    EnvironmentPolicy::MAX_APPROVALS
                ),
            ));
        }
        if !self.direct && self.direct_approvals > 0 {
            return Err(invalid(
                "direct_approvals",
                "only a direct lane has approvals of its own; its environments' policies apply otherwise",
            ));
        }
        let patches = match self.patches.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(raw) => Some(TrackName::parse(raw).map_err(|e| invalid("patches", e))?),
        };
        if patches.as_ref() == Some(&name) {
            return Err(invalid("patches", format!("{name} cannot patch itself")));
        }
        let gate_template = match self.gate_template.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(raw) => {
                Some(parse_template_name(raw).map_err(|e| invalid("gate_template", e.message))?)
            }
        };
        let naming = self.naming.parse()?;
        if patches.is_some() && naming.tag.has_candidates() {
            return Err(invalid(
                "naming.tag",
                "a track that patches another numbers its patches (v{version}-{track}.{n} or v{version}-<word>.{n}), \
                 not release candidates",
            ));
        }
        Ok(TrackSpec {
            name,
            description,
            cadence,
            freeze_offset: Duration::minutes(self.freeze_offset_minutes),
            soak: Duration::hours(self.soak_hours),
            rollback_timeout: Duration::minutes(rollback_timeout),
            promotes_to,
            pipeline,
            direct: self.direct.then_some(self.direct_approvals),
            patches,
            gate_template,
            naming,
            planning: self.planning.parse()?,
            runs_without_on_call: self.runs_without_on_call,
            colour: match self.colour.as_deref().map(str::trim) {
                None | Some("") => None,
                Some(raw) => Some(TrackColour::parse(raw).map_err(|e| invalid("colour", e))?),
            },
        })
    }
}

impl TrackSpec {
    /// What people read: the cadence's description, or "On demand".
    pub fn cadence_description(&self) -> String {
        self.cadence
            .as_ref()
            .map_or_else(|| "On demand".to_owned(), CadenceSpec::describe)
    }
}

#[cfg(test)]
#[path = "track_input_tests.rs"]
mod tests;
