//! A form's input with its label above and its refusal below, tied to it
//! for screen readers: the shape every form field in Trainyard takes.

use crate::components::form_error::FieldError;
use crate::pages::calendar::slot_page::{INPUT, LABEL};
use leptos::prelude::*;

/// One `<input>` named `id`; `value` fills it, `hint` shows while it is empty.
#[component]
pub fn LabelledInput(
    id: &'static str,
    label: &'static str,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] value: &'static str,
    #[prop(optional)] hint: &'static str,
    /// The server's refusal of this field, if any.
    error: Option<String>,
) -> impl IntoView {
    let error_id = format!("{id}-error");
    view! {
        <div>
            <label for=id class=LABEL>{label}</label>
            <input id=id name=id type=kind value=value placeholder=hint aria-describedby=error_id.clone()
                class=INPUT />
            <FieldError message=error id=error_id />
        </div>
    }
}
