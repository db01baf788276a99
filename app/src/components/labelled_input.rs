//! A form's input with its label above and its refusal below, tied to it
//! for screen readers: the shape every form field in Trainyard takes.

use crate::components::form_error::FieldError;
use crate::pages::calendar::slot_page::{INPUT, LABEL};
use leptos::prelude::*;

/// One `<input>` with the id `id`, sent as `name` (`id` when none is
/// given); `value` fills it, `hint` shows while it is empty, `title`
/// explains it on hover.
#[component]
pub fn LabelledInput(
    id: &'static str,
    label: &'static str,
    #[prop(optional, into)] name: Option<String>,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional, into)] value: String,
    #[prop(optional, into)] hint: String,
    #[prop(optional, into)] title: Option<String>,
    /// Classes of the field's box (`sm:col-span-2`).
    #[prop(optional)]
    class: &'static str,
    /// The server's refusal of this field, if any.
    error: Option<String>,
) -> impl IntoView {
    let error_id = format!("{id}-error");
    let name = name.unwrap_or_else(|| id.to_owned());
    view! {
        <div class=class>
            <label for=id class=LABEL>{label}</label>
            <input id=id name=name type=kind value=value placeholder=hint title=title
                aria-describedby=error_id.clone() class=INPUT />
            <FieldError message=error id=error_id />
        </div>
    }
}
