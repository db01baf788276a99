pub mod audit_page;
pub mod calendar;
pub mod dashboard_page;
pub mod evidence_page;
pub mod not_found_page;
pub mod trains;

use leptos::prelude::*;

/// What a page shows when loading its data failed.
pub fn error_fallback(errors: ArcRwSignal<Errors>) -> impl IntoView {
    view! {
        <div role="alert" class="rounded border border-rose-300 bg-rose-50 p-4 text-rose-900">
            <p class="font-medium">"This page could not be loaded."</p>
            <ul class="mt-2 list-disc pl-5 text-sm">
                {move || {
                    errors
                        .get()
                        .into_iter()
                        .map(|(_, e)| view! { <li>{e.to_string()}</li> })
                        .collect_view()
                }}
            </ul>
        </div>
    }
}

/// What a page shows while its data loads.
pub fn loading() -> impl IntoView {
    view! { <p class="text-sm text-slate-500" aria-live="polite">"Loading…"</p> }
}
