//! The train page's gates form: its captain replaces the gates while the
//! train is in planning; an admin after that, with a reason.

use crate::components::form_error::{field_message, form_message, FieldError, FormError};
use crate::models::train_page::TrainPageData;
use crate::server_fns::trains::SetGates;
use leptos::prelude::*;

const AREA: &str = "mt-1 h-48 w-full rounded border border-slate-300 px-2 py-1 font-mono text-xs";

#[component]
pub fn GatesForm(data: TrainPageData) -> impl IntoView {
    let set = ServerAction::<SetGates>::new();
    let error = move |field: &'static str| field_message(&set.value().get_untracked(), field);
    let general = form_message(&set.value().get_untracked(), &["gates", "reason"]);
    let name = data.status.name.clone();
    let reason_required = data.gates_reason_required;
    let hint = if reason_required {
        "The train has left planning: changing its gates is an admin's call, with a reason."
    } else {
        "While the train is in planning its captain sets its gates; results already reported stay."
    };
    data.may_set_gates.then(move || view! {
        <details class="rounded border border-slate-200 bg-white p-2" data-testid="gates-form">
            <summary class="cursor-pointer text-sm text-sky-700">"Change the gates…"</summary>
            <p class="mt-1 text-xs text-slate-600">{hint}</p>
            <FormError message=general />
            <ActionForm action=set attr:class="mt-2 space-y-2">
                <input type="hidden" name="name" value=name.clone() />
                <label class="block text-sm">"Gates (YAML)"
                    <textarea name="gates" aria-describedby="gates-error" class=AREA>{data.gates_yaml.clone()}</textarea>
                </label>
                <FieldError message=error("gates") id="gates-error".to_owned() />
                <label class="block text-sm">
                    {if reason_required { "Why (required)" } else { "Why (optional)" }}
                    <input name="reason" required=reason_required aria-describedby="gates-reason-error"
                        class="mt-1 w-full rounded border border-slate-300 px-2 py-1 text-sm" />
                </label>
                <FieldError message=error("reason") id="gates-reason-error".to_owned() />
                <button type="submit" class="rounded bg-slate-900 px-3 py-1.5 text-sm text-white">
                    {format!("Save the gates of {name}")}
                </button>
            </ActionForm>
        </details>
    })
}
