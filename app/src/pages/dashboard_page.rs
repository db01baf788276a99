use crate::components::time::{relative_label, utc_label};
use crate::components::track_badge::TrackBadge;
use crate::error::AppError;
use crate::models::CalendarView;
use crate::pages::{error_fallback, loading};
use crate::server_fns::calendar::get_calendar_view;
use leptos::prelude::*;
use leptos_meta::Title;

/// `/`: the next train of each track and the time left until its cut.
#[component]
pub fn DashboardPage() -> impl IntoView {
    let calendar = Resource::new(|| (), |_| get_calendar_view());
    view! {
        <Title text="Dashboard" />
        <h1 class="mb-4 text-2xl font-semibold">"Dashboard"</h1>
        <section aria-labelledby="next-trains">
            <h2 id="next-trains" class="mb-2 text-lg font-medium">"Next train per track"</h2>
            <Suspense fallback=loading>
                <ErrorBoundary fallback=error_fallback>
                    {move || Suspend::new(async move {
                        let data = calendar.await?;
                        Ok::<_, AppError>(next_train_cards(data))
                    })}
                </ErrorBoundary>
            </Suspense>
        </section>
    }
}

fn next_train_cards(data: CalendarView) -> impl IntoView {
    let now = data.now;
    let cards = data
        .tracks
        .iter()
        .enumerate()
        .map(|(position, track)| {
            let next = data.trains.iter().find(|t| t.track == track.name && t.planned_start > now);
            let body = match next {
                Some(train) => view! {
                    <p class="font-mono text-lg">{train.tag.clone()}</p>
                    <p class="text-sm text-slate-600">
                        <time datetime=train.planned_start.to_rfc3339()>{utc_label(train.planned_start)}</time>
                    </p>
                    <p class="text-sm font-medium">{format!("cut {}", relative_label(train.planned_start, now))}</p>
                }
                .into_any(),
                None => view! { <p class="text-sm text-slate-500">"No planned train: this track runs on demand."</p> }
                    .into_any(),
            };
            view! {
                <li class="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
                    <div class="mb-2 flex items-center justify-between gap-2">
                        <TrackBadge name=track.name.clone() position />
                        <span class="text-xs text-slate-500">{track.cadence_description.clone()}</span>
                    </div>
                    {body}
                    <a href=format!("/calendar?track={}", track.name) class="mt-2 inline-block text-sm text-sky-700 underline">
                        {format!("{} calendar", track.name)}
                    </a>
                </li>
            }
        })
        .collect_view();
    view! { <ul class="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">{cards}</ul> }
}
