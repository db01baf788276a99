use super::agenda::Agenda;
use crate::error::AppError;
use crate::pages::{error_fallback, loading};
use crate::server_fns::calendar::get_calendar_view;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// `/calendar`: the upcoming trains of every track, filterable by track.
#[component]
pub fn CalendarPage() -> impl IntoView {
    let calendar = Resource::new(|| (), |_| get_calendar_view());
    let query = use_query_map();
    let selected = Memo::new(move |_| query.read().get("track").filter(|t| !t.is_empty()));
    view! {
        <Title text="Calendar" />
        <div class="mb-4">
            <h1 class="text-2xl font-semibold">"Calendar"</h1>
            <p class="text-sm text-slate-600">"Planned trains of every track, from today on. Times in UTC."</p>
        </div>
        <Suspense fallback=loading>
            <ErrorBoundary fallback=error_fallback>
                {move || Suspend::new(async move {
                    let data = calendar.await?;
                    Ok::<_, AppError>(view! { <Agenda data selected /> })
                })}
            </ErrorBoundary>
        </Suspense>
    }
}
