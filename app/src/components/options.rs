//! The `<option>`s of a GET form's `<select>`: each name as its own value,
//! the chosen one selected, so the form says what the page shows.

use leptos::prelude::*;

pub fn options(names: Vec<String>, chosen: Option<String>) -> impl IntoView {
    names
        .into_iter()
        .map(|name| {
            let selected = chosen.as_deref() == Some(name.as_str());
            let value = name.clone();
            view! { <option value=value selected=selected>{name}</option> }
        })
        .collect_view()
}
