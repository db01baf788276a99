use crate::components::moment::Moment;
use crate::error::AppError;
use crate::pages::{error_fallback, loading};
use crate::server_fns::trains::get_cell_history;
use leptos::prelude::*;

/// The history of one gate-matrix cell: every report, newest first, and a
/// chart when they are numbers.
#[component]
pub fn CellHistoryPanel(train: String, participant: String, gate: String) -> impl IntoView {
    let history = Resource::new(
        {
            let (t, p, g) = (train.clone(), participant.clone(), gate.clone());
            move || (t.clone(), p.clone(), g.clone())
        },
        |(t, p, g)| get_cell_history(t, p, g),
    );
    let close = format!("/trains/{train}");
    view! {
        <section
            aria-labelledby="cell-history"
            class="rounded-lg border border-sky-200 bg-white p-4 shadow-sm"
            data-testid="cell-history"
        >
            <div class="flex items-center justify-between">
                <h2 id="cell-history" class="text-lg font-medium">{format!("History: {participant} × {gate}")}</h2>
                <a href=close class="text-sm text-sky-700 underline">"Close"</a>
            </div>
            <Transition fallback=loading>
                <ErrorBoundary fallback=error_fallback>
                    {move || Suspend::new(async move {
                        let h = history.await?;
                        let empty = h.results.is_empty();
                        Ok::<_, AppError>(view! {
                            <p class="text-sm text-slate-600">{format!("Rule: {}", h.rule)}</p>
                            {h.chart_svg.map(|svg| view! {
                                <div
                                    class="mt-2 overflow-x-auto"
                                    role="img"
                                    aria-label=format!("Chart of {} over time", h.key.clone().unwrap_or_default())
                                    inner_html=svg
                                >
                                </div>
                            })}
                            {empty.then(|| view! {
                                <p class="mt-2 text-sm text-slate-500">
                                    "Nothing has been reported for this cell yet."
                                </p>
                            })}
                            <table class="mt-2 min-w-full text-sm" aria-label="Reports">
                                <thead class="text-left text-xs uppercase text-slate-500">
                                    <tr>
                                        <th class="py-1">"Reported (UTC)"</th>
                                        <th>"Value"</th>
                                        <th>"By"</th>
                                        <th>"Source"</th>
                                    </tr>
                                </thead>
                                <tbody class="divide-y divide-slate-100">
                                    {h.results.into_iter().map(|r| {
                                        let source = match (r.url, r.source) {
                                            (Some(url), source) => {
                                                let text = source.unwrap_or_else(|| url.clone());
                                                view! {
                                                    <a
                                                        class="text-sky-700 underline"
                                                        href=url
                                                        rel="noopener noreferrer"
                                                    >
                                                        {text}
                                                    </a>
                                                }.into_any()
                                            }
                                            (None, Some(source)) => source.into_any(),
                                            (None, None) => "—".into_any(),
                                        };
                                        view! {
                                            <tr>
                                                <td class="py-1"><Moment at=r.at /></td>
                                                <td class="font-mono">{r.value}</td>
                                                <td>{r.reported_by}</td>
                                                <td>{source}</td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        })
                    })}
                </ErrorBoundary>
            </Transition>
        </section>
    }
}
