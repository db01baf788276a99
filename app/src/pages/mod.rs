pub mod admin_page;
pub mod audit_page;
pub mod calendar;
pub mod dashboard;
pub mod deployments_page;
pub mod environment_diff;
pub mod evidence;
pub mod gates_page;
pub mod metrics_page;
pub mod not_found_page;
pub mod policies_page;
pub mod services;
pub mod setup_page;
pub mod track_colour_field;
pub mod track_lane_fields;
pub mod track_naming_fields;
pub mod track_page;
pub mod track_planning_fields;
pub mod tracks_page;
pub mod trains;
pub mod webhook_deliveries;
pub mod webhook_fields;
pub mod webhooks_page;

use crate::error::AppError;
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
                        .map(|(_, e)| {
                            let message = e.to_string();
                            let sign_in = matches!(e.downcast_ref::<AppError>(), Some(AppError::Unauthenticated))
                                .then(|| view! {
                                    " " <a rel="external" href="/auth/login" class="font-medium underline">"Sign in"</a>
                                });
                            view! { <li>{message}{sign_in}</li> }
                        })
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
