//! The part of a track's form that says how its calendar fills itself: how
//! far ahead trains are planned, who is on call for them in turn, the
//! version the first train takes, and whether a train with nothing new is
//! cut.

use crate::components::labelled_input::LabelledInput;
use crate::domain::calendar::planning::{split_list, Horizon, PlanningInput, FIRST_VERSION};
use crate::pages::calendar::slot_page::LABEL;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The planning fields as a form sends them (`planning[<field>]`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanningForm {
    #[serde(default)]
    pub weeks: String,
    #[serde(default)]
    pub trains: String,
    #[serde(default)]
    pub on_call: String,
    #[serde(default)]
    pub first_version: String,
    #[serde(default)]
    pub only_with_changes: Option<String>,
    #[serde(default)]
    pub participants: String,
    #[serde(default)]
    pub reminder_minutes: String,
}

impl PlanningForm {
    /// The input the form stands for; a count that is not a number names
    /// its field.
    pub fn input(&self) -> Result<PlanningInput, (&'static str, String)> {
        let count = |field: &'static str, raw: &str| -> Result<u16, (&'static str, String)> {
            match raw.trim() {
                "" => Ok(0),
                n => n
                    .parse()
                    .map_err(|_| (field, format!("{n:?} is not a whole number"))),
            }
        };
        Ok(PlanningInput {
            weeks: count("planning.weeks", &self.weeks)?,
            trains: count("planning.trains", &self.trains)?,
            on_call: split_list(&self.on_call),
            only_with_changes: self.only_with_changes.is_some(),
            first_version: self.first_version.trim().to_owned(),
            participants: split_list(&self.participants),
            reminder_minutes: split_list(&self.reminder_minutes)
                .iter()
                .map(|m| {
                    m.parse().map_err(|_| {
                        (
                            "planning.reminder_minutes",
                            format!("{m:?} is not a whole number of minutes"),
                        )
                    })
                })
                .collect::<Result<_, _>>()?,
        })
    }
}

#[component]
pub fn PlanningFields(
    /// The track's planning; empty fields show their default as a hint.
    values: PlanningInput,
    /// The message of a refused field, by name.
    error: impl Fn(&'static str) -> Option<String> + Copy + Send + 'static,
) -> impl IntoView {
    let shown = |n: u16| if n == 0 { String::new() } else { n.to_string() };
    let reminders: Vec<String> = values.reminder_minutes.iter().map(u32::to_string).collect();
    let reminders = reminders.join(", ");
    view! {
        <fieldset class="space-y-2 rounded border border-slate-200 p-3">
            <legend class=LABEL>"Planning ahead"</legend>
            <div class="grid gap-3 sm:grid-cols-2">
                <LabelledInput id="planning-weeks" name="planning[weeks]" label="Weeks planned ahead"
                    value=shown(values.weeks) hint=Horizon::DEFAULT_WEEKS.to_string()
                    error=error("planning.weeks") />
                <LabelledInput id="planning-trains" name="planning[trains]"
                    label="Trains planned ahead (at least)" value=shown(values.trains)
                    hint=Horizon::DEFAULT_TRAINS.to_string() error=error("planning.trains") />
                <LabelledInput id="planning-on-call" name="planning[on_call]" label="On-call rotation"
                    value=values.on_call.join(", ") hint="ana, ben, group:sre"
                    error=error("planning.on_call") />
                <LabelledInput id="planning-first-version" name="planning[first_version]"
                    label="First version" value=values.first_version
                    hint=FIRST_VERSION.to_string() error=error("planning.first_version") />
                <LabelledInput id="planning-participants" name="planning[participants]"
                    label="Participants" class="sm:col-span-2" value=values.participants.join(", ")
                    hint="every active service" error=error("planning.participants") />
                <LabelledInput id="planning-reminders" name="planning[reminder_minutes]"
                    label="Reminders before the cut (minutes)" class="sm:col-span-2"
                    value=reminders
                    hint="1440, 60: a day and an hour" error=error("planning.reminder_minutes") />
            </div>
            <label class="flex items-center gap-2 text-sm">
                <input type="checkbox" name="planning[only_with_changes]" value="on"
                    checked=values.only_with_changes />
                "Cut a train only when a participant has a new version since the previous one"
            </label>
            <p class="text-xs text-slate-600">
                "Trains are planned for whichever reaches further: the weeks or the number of trains. "
                "People (or group:<name>) take the on-call of planned trains in turn; owners can still "
                "change one train's on-call on the calendar."
            </p>
        </fieldset>
    }
}
