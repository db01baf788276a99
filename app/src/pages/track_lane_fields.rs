//! The part of a track's form that says where its releases go: the
//! pipeline, a direct lane's approvals, the track it patches, whether its
//! trains run with nobody on call, and the gate template its new trains get.

use crate::components::form_error::FieldError;
use crate::pages::calendar::slot_page::{INPUT, LABEL};
use leptos::prelude::*;

/// A track's lane as the form shows it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LaneValues {
    pub pipeline: String,
    pub direct: bool,
    pub direct_approvals: String,
    pub patches: String,
    pub gate_template: String,
    pub runs_without_on_call: bool,
}

#[component]
pub fn LaneFields(
    values: LaneValues,
    /// The other tracks, which this one may patch.
    others: Vec<String>,
    /// The message of a refused field, by name.
    error: impl Fn(&'static str) -> Option<String> + Copy + Send + 'static,
) -> impl IntoView {
    let current = values.patches.clone();
    view! {
        <fieldset class="space-y-2 rounded border border-slate-200 p-3">
            <legend class=LABEL>"Where releases go"</legend>
            <div>
                <label for="pipeline" class=LABEL>"Pipeline (environments in order, separated by commas)"</label>
                <input id="pipeline" name="pipeline" value=values.pipeline placeholder="every environment, in order"
                    aria-describedby="pipeline-error" class=INPUT />
                <FieldError message=error("pipeline") id="pipeline-error".to_owned() />
            </div>
            <label class="flex items-center gap-1 text-sm">
                <input type="checkbox" name="direct" value="on" checked=values.direct />
                "Direct lane: deploy straight to the last environment, no soak, no wait; may break the glass in a freeze"
            </label>
            <div class="grid gap-3 sm:grid-cols-2">
                <div>
                    <label for="direct_approvals" class=LABEL>"Approvals a direct lane asks for"</label>
                    <input id="direct_approvals" name="direct_approvals" type="number" min="0" max="10"
                        value=values.direct_approvals aria-describedby="direct_approvals-error" class=INPUT />
                    <FieldError message=error("direct_approvals") id="direct_approvals-error".to_owned() />
                </div>
                <div>
                    <label for="patches" class=LABEL>"Patches the release of"</label>
                    <select id="patches" name="patches" class=INPUT>
                        <option value="">"— no track —"</option>
                        {others.into_iter().map(|t| {
                            let selected = t == current;
                            view! { <option value=t.clone() selected=selected>{t.clone()}</option> }
                        }).collect_view()}
                    </select>
                    <FieldError message=error("patches") id="patches-error".to_owned() />
                </div>
            </div>
            <label class="flex items-center gap-1 text-sm">
                <input type="checkbox" name="runs_without_on_call" value="on" checked=values.runs_without_on_call />
                "Cut its trains with nobody on call (otherwise such a train is skipped at its cut)"
            </label>
            <div>
                <label for="gate_template" class=LABEL>"Gate template (new trains get its gates)"</label>
                <input id="gate_template" name="gate_template" value=values.gate_template
                    placeholder="none: the release-train policy's quality gates"
                    aria-describedby="gate_template-error" class=INPUT />
                <FieldError message=error("gate_template") id="gate_template-error".to_owned() />
            </div>
        </fieldset>
    }
}
