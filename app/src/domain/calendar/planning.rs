//! How far ahead a track's trains are planned, who is on call for them in
//! turn, and whether a train with nothing new is cut at all: a track's
//! planning as an admin writes it, and checked.

use super::edit::OnCall;
use super::reminders::{parse_reminders, reminders_input, DEFAULT_REMINDERS};
use crate::domain::service::{Invalid, Owner, ServiceName};
use serde::{Deserialize, Serialize};

/// A track's planning as it arrives; a zero or empty field takes its default.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PlanningInput {
    /// How many weeks ahead its trains always exist as planned trains
    /// (default 6); whichever of this and `trains` reaches further wins.
    #[serde(default, skip_serializing_if = "is_zero")]
    #[cfg_attr(feature = "ssr", schema(maximum = 65535))]
    pub weeks: u16,
    /// How many of its next trains always exist (default 4).
    #[serde(default, skip_serializing_if = "is_zero")]
    #[cfg_attr(feature = "ssr", schema(maximum = 65535))]
    pub trains: u16,
    /// Who is on call for its planned trains, in turn: user names, or
    /// `group:<name>` for everyone in an identity-provider group.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub on_call: Vec<String>,
    /// Skip a train at its cut when no participant has a new version since
    /// the track's previous train.
    #[serde(default, skip_serializing_if = "is_false")]
    pub only_with_changes: bool,
    /// The version its first train takes when no train is further along
    /// (`MAJOR.MINOR.PATCH`, default 0.1.0): an organisation that already
    /// releases says where its line stands.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub first_version: String,
    /// The services its planned trains release; none: every active
    /// service of the catalog when the train is planned.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub participants: Vec<String>,
    /// Minutes before the cut its trains are announced as upcoming
    /// (`train.upcoming`; default 1440 and 60: a day and an hour).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reminder_minutes: Vec<u32>,
}

fn is_zero(n: &u16) -> bool {
    *n == 0
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// How far ahead planned trains exist.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Horizon {
    pub weeks: u16,
    pub trains: u16,
}

impl Horizon {
    pub const DEFAULT_WEEKS: u16 = 6;
    pub const DEFAULT_TRAINS: u16 = 4;
    /// A year: further ahead nobody reads a calendar, and each planned
    /// train is rows to keep.
    pub const MAX_WEEKS: u16 = 52;
    pub const MAX_TRAINS: u16 = 52;
}

impl Default for Horizon {
    fn default() -> Self {
        Self {
            weeks: Self::DEFAULT_WEEKS,
            trains: Self::DEFAULT_TRAINS,
        }
    }
}

/// Who takes a planned train's on-call.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Watcher {
    Person(OnCall),
    /// Everyone in the group: stored on the train as `group:<name>`.
    Group(String),
}

impl Watcher {
    pub fn parse(raw: &str) -> Result<Self, String> {
        if raw.trim().starts_with(Owner::GROUP_PREFIX) {
            return match Owner::parse(raw)? {
                Owner::Group(name) => Ok(Self::Group(name)),
                Owner::Person(name) => Ok(Self::Person(
                    OnCall::parse(&name).map_err(|e| e.to_string())?,
                )),
            };
        }
        OnCall::parse(raw)
            .map(Self::Person)
            .map_err(|e| e.to_string())
    }

    /// What a train's on-call holds.
    pub fn on_call(&self) -> String {
        match self {
            Self::Person(who) => who.as_str().to_owned(),
            Self::Group(name) => format!("{}{name}", Owner::GROUP_PREFIX),
        }
    }
}

/// A track's planning, checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Planning {
    pub horizon: Horizon,
    /// Empty: planned trains start with nobody on call.
    pub rotation: Vec<Watcher>,
    pub only_with_changes: bool,
    pub first_version: semver::Version,
    /// Empty: every active service.
    pub participants: Vec<ServiceName>,
    /// Minutes before the cut, longest first.
    pub reminders: Vec<u32>,
}

impl Default for Planning {
    fn default() -> Self {
        Self {
            horizon: Horizon::default(),
            rotation: Vec::new(),
            only_with_changes: false,
            first_version: FIRST_VERSION,
            participants: Vec::new(),
            reminders: DEFAULT_REMINDERS.to_vec(),
        }
    }
}

/// The version line of an organisation with no train yet.
pub const FIRST_VERSION: semver::Version = semver::Version::new(0, 1, 0);

/// At most this many take turns.
pub const MAX_ROTATION: usize = 50;

impl PlanningInput {
    /// Each problem names its field as `planning.<field>`.
    pub fn parse(&self) -> Result<Planning, Invalid> {
        let weeks = match self.weeks {
            0 => Horizon::DEFAULT_WEEKS,
            n if n <= Horizon::MAX_WEEKS => n,
            _ => {
                return Err(Invalid::new(
                    "planning.weeks",
                    format!("plan 1 to {} weeks ahead", Horizon::MAX_WEEKS),
                ))
            }
        };
        let trains = match self.trains {
            0 => Horizon::DEFAULT_TRAINS,
            n if n <= Horizon::MAX_TRAINS => n,
            _ => {
                return Err(Invalid::new(
                    "planning.trains",
                    format!("plan 1 to {} trains ahead", Horizon::MAX_TRAINS),
                ))
            }
        };
        if self.on_call.len() > MAX_ROTATION {
            return Err(Invalid::new(
                "planning.on_call",
                format!("at most {MAX_ROTATION} people or groups take turns"),
            ));
        }
        let mut rotation: Vec<Watcher> = Vec::with_capacity(self.on_call.len());
        for raw in self.on_call.iter().filter(|r| !r.trim().is_empty()) {
            let watcher = Watcher::parse(raw)
                .map_err(|e| Invalid::new("planning.on_call", format!("{raw:?}: {e}")))?;
            if rotation.iter().any(|w| w.on_call() == watcher.on_call()) {
                return Err(Invalid::new(
                    "planning.on_call",
                    format!("{raw:?} is listed twice"),
                ));
            }
            rotation.push(watcher);
        }
        let first_version = match self.first_version.trim().trim_start_matches('v') {
            "" => FIRST_VERSION,
            raw => semver::Version::parse(raw)
                .ok()
                .filter(|v| v.pre.is_empty() && v.build.is_empty())
                .ok_or_else(|| {
                    Invalid::new(
                        "planning.first_version",
                        format!("{raw:?} is not a version MAJOR.MINOR.PATCH such as 1.4.0"),
                    )
                })?,
        };
        let mut participants: Vec<ServiceName> = Vec::new();
        for raw in self.participants.iter().filter(|r| !r.trim().is_empty()) {
            let name = ServiceName::parse(raw.trim())
                .map_err(|e| Invalid::new("planning.participants", format!("{raw:?}: {e}")))?;
            if participants.contains(&name) {
                return Err(Invalid::new(
                    "planning.participants",
                    format!("{raw:?} is listed twice"),
                ));
            }
            participants.push(name);
        }
        Ok(Planning {
            horizon: Horizon { weeks, trains },
            rotation,
            only_with_changes: self.only_with_changes,
            first_version,
            participants,
            reminders: parse_reminders(&self.reminder_minutes)?,
        })
    }
}

impl Planning {
    /// The input that parses to this planning, leaving out every default.
    pub fn to_input(&self) -> PlanningInput {
        PlanningInput {
            weeks: unless_default(self.horizon.weeks, Horizon::DEFAULT_WEEKS),
            trains: unless_default(self.horizon.trains, Horizon::DEFAULT_TRAINS),
            on_call: self.rotation.iter().map(Watcher::on_call).collect(),
            only_with_changes: self.only_with_changes,
            first_version: if self.first_version == FIRST_VERSION {
                String::new()
            } else {
                self.first_version.to_string()
            },
            participants: self
                .participants
                .iter()
                .map(|p| p.as_str().to_owned())
                .collect(),
            reminder_minutes: reminders_input(&self.reminders),
        }
    }

    /// Every field written out, defaults too: what a reader is shown.
    pub fn spelled_out(&self) -> PlanningInput {
        PlanningInput {
            weeks: self.horizon.weeks,
            trains: self.horizon.trains,
            first_version: self.first_version.to_string(),
            reminder_minutes: self.reminders.clone(),
            ..self.to_input()
        }
    }

    /// Whether its planned trains release `service` (every active service
    /// when the track lists none).
    pub fn releases(&self, service: &str) -> bool {
        self.participants.is_empty() || self.participants.iter().any(|p| p.as_str() == service)
    }

    /// Who is on call for the track's `n`-th planned train (counting from
    /// 0), in turn; nobody without a rotation.
    pub fn on_call_for(&self, n: usize) -> Option<String> {
        (!self.rotation.is_empty()).then(|| self.rotation[n % self.rotation.len()].on_call())
    }
}

/// `value`, or 0 (an input's "the default") when it is the default.
fn unless_default(value: u16, default: u16) -> u16 {
    if value == default {
        0
    } else {
        value
    }
}

/// A comma- or line-separated list from a form field.
pub fn split_list(raw: &str) -> Vec<String> {
    raw.split([',', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_said_is_six_weeks_or_four_trains_and_nobody_on_call() {
        let planning = PlanningInput::default().parse().unwrap();
        assert_eq!(planning, Planning::default());
        assert_eq!(planning.to_input(), PlanningInput::default());
        assert_eq!(planning.spelled_out().weeks, 6);
        assert_eq!(planning.spelled_out().trains, 4);
        assert_eq!(planning.on_call_for(3), None);
    }

    #[test]
    fn people_and_groups_take_turns_in_the_order_given() {
        let input = PlanningInput {
            weeks: 8,
            on_call: split_list("@ana, ben\ngroup:sre"),
            participants: split_list("curve, scenario"),
            ..PlanningInput::default()
        };
        let planning = input.parse().unwrap();
        let turns: Vec<_> = (0..4).filter_map(|n| planning.on_call_for(n)).collect();
        assert_eq!(turns, ["ana", "ben", "group:sre", "ana"]);
        let round_trip = planning.to_input();
        assert_eq!(round_trip.on_call, ["ana", "ben", "group:sre"]);
        assert_eq!(round_trip.participants, ["curve", "scenario"]);
        assert!(planning.releases("curve") && !planning.releases("backtesting"));
        assert!(Planning::default().releases("backtesting"));
        assert_eq!((round_trip.weeks, round_trip.trains), (8, 0));
        assert_eq!(round_trip.parse().unwrap(), planning);
    }

    #[test]
    fn each_problem_names_its_field() {
        let cases = [
            (
                PlanningInput {
                    weeks: 53,
                    ..PlanningInput::default()
                },
                "planning.weeks",
                "1 to 52 weeks",
            ),
            (
                PlanningInput {
                    trains: 60,
                    ..PlanningInput::default()
                },
                "planning.trains",
                "1 to 52 trains",
            ),
            (
                PlanningInput {
                    on_call: vec!["TBD".into()],
                    ..PlanningInput::default()
                },
                "planning.on_call",
                "is nobody",
            ),
            (
                PlanningInput {
                    on_call: vec!["ana".into(), "@ana".into()],
                    ..PlanningInput::default()
                },
                "planning.on_call",
                "listed twice",
            ),
            (
                PlanningInput {
                    on_call: vec!["group:".into()],
                    ..PlanningInput::default()
                },
                "planning.on_call",
                "not empty",
            ),
            (
                PlanningInput {
                    participants: vec!["Curve Service".into()],
                    ..PlanningInput::default()
                },
                "planning.participants",
                "Curve Service",
            ),
            (
                PlanningInput {
                    first_version: "1.2".into(),
                    ..PlanningInput::default()
                },
                "planning.first_version",
                "MAJOR.MINOR.PATCH",
            ),
        ];
        for (input, field, message) in cases {
            let e = input.parse().unwrap_err();
            assert_eq!(e.field, field, "{input:?}");
            assert!(e.message.contains(message), "{input:?}: {}", e.message);
        }
    }
}
