//! The part of a track's form that says how its calendar fills itself: how
//! far ahead trains are planned, who is on call for them in turn, the
//! version the first train takes, and whether a train with nothing new is
//! cut.

use crate::components::form_error::FieldError;
use crate::domain::calendar::planning::{split_list, Horizon, PlanningInput};
use crate::pages::calendar::slot_page::{INPUT, LABEL};
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
    view! {
        <fieldset class="space-y-2 rounded border border-slate-200 p-3">
            <legend class=LABEL>"Planning ahead"</legend>
            <div class="grid gap-3 sm:grid-cols-2">
                <div>
                    <label for="planning-weeks" class=LABEL>"Weeks planned ahead"</label>
                    <input id="planning-weeks" name="planning[weeks]" inputmode="numeric"
                        value=shown(values.weeks) placeholder=Horizon::DEFAULT_WEEKS.to_string()
                        aria-describedby="planning-weeks-error" class=INPUT />
                    <FieldError message=error("planning.weeks") id="planning-weeks-error".to_owned() />
                </div>
                <div>
                    <label for="planning-trains" class=LABEL>"Trains planned ahead (at least)"</label>
                    <input id="planning-trains" name="planning[trains]" inputmode="numeric"
                        value=shown(values.trains) placeholder=Horizon::DEFAULT_TRAINS.to_string()
                        aria-describedby="planning-trains-error" class=INPUT />
                    <FieldError message=error("planning.trains") id="planning-trains-error".to_owned() />
                </div>
                <div>
                    <label for="planning-on-call" class=LABEL>"On-call rotation"</label>
                    <input id="planning-on-call" name="planning[on_call]" value=values.on_call.join(", ")
                        placeholder="ana, ben, group:sre" aria-describedby="planning-on-call-error"
                        class=INPUT />
                    <FieldError message=error("planning.on_call") id="planning-on-call-error".to_owned() />
                </div>
                <div>
                    <label for="planning-first-version" class=LABEL>"First version"</label>
                    <input id="planning-first-version" name="planning[first_version]"
                        value=values.first_version placeholder="0.1.0"
                        aria-describedby="planning-first-version-error" class=INPUT />
                    <FieldError message=error("planning.first_version")
                        id="planning-first-version-error".to_owned() />
                </div>
                <div class="sm:col-span-2">
                    <label for="planning-participants" class=LABEL>"Participants"</label>
                    <input id="planning-participants" name="planning[participants]"
                        value=values.participants.join(", ") placeholder="every active service"
                        aria-describedby="planning-participants-error" class=INPUT />
                    <FieldError message=error("planning.participants")
                        id="planning-participants-error".to_owned() />
                </div>
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
