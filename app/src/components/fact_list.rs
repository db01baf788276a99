//! A few named facts about one thing (a train, an artifact): each label
//! above its value, five to a row on wide screens.

use leptos::prelude::*;

/// The facts as (label, value) pairs, in the order shown.
#[component]
pub fn FactList(facts: Vec<(&'static str, AnyView)>) -> impl IntoView {
    view! {
        <dl class="mt-3 grid grid-cols-2 gap-x-6 gap-y-1 text-sm sm:grid-cols-5">
            {facts.into_iter().map(|(k, v)| view! {
                <div><dt class="text-xs uppercase text-slate-500">{k}</dt><dd>{v}</dd></div>
            }).collect_view()}
        </dl>
    }
}
