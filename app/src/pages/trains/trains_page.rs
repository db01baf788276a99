use crate::components::time::utc_label;
use crate::error::AppError;
use crate::pages::{error_fallback, loading};
use crate::server_fns::trains::list_trains;
use leptos::prelude::*;
use leptos_meta::Title;

/// `/trains`: every train, newest first.
#[component]
pub fn TrainsPage() -> impl IntoView {
    let trains = Resource::new(|| (), |_| list_trains());
    view! {
        <Title text="Trains" />
        <h1 class="mb-4 text-2xl font-semibold">"Trains"</h1>
        <Suspense fallback=loading>
            <ErrorBoundary fallback=error_fallback>
                {move || Suspend::new(async move {
                    let rows = trains.await?;
                    Ok::<_, AppError>(view! {
                        <div class="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
                            <table class="min-w-full divide-y divide-slate-200 text-sm" aria-label="Trains">
                                <thead class="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-600">
                                    <tr>
                                        <th scope="col" class="px-4 py-2">"Tag"</th>
                                        <th scope="col" class="px-4 py-2">"Track"</th>
                                        <th scope="col" class="px-4 py-2">"Planned start (UTC)"</th>
                                        <th scope="col" class="px-4 py-2">"Status"</th>
                                    </tr>
                                </thead>
                                <tbody class="divide-y divide-slate-100">
                                    {rows
                                        .into_iter()
                                        .map(|t| view! {
                                            <tr>
                                                <td class="px-4 py-2 font-mono">{t.tag}</td>
                                                <td class="px-4 py-2">{t.track}</td>
                                                <td class="px-4 py-2">{utc_label(t.planned_start)}</td>
                                                <td class="px-4 py-2">{t.status.label()}</td>
                                            </tr>
                                        })
                                        .collect_view()}
                                </tbody>
                            </table>
                        </div>
                    })
                })}
            </ErrorBoundary>
        </Suspense>
    }
}
