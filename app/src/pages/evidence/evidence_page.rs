use super::{TABLE, THEAD};
use crate::components::live::LiveRegion;
use crate::components::moment::Moment;
use crate::components::page_nav::PageNav;
use crate::domain::byte_size;
use crate::error::AppError;
use crate::models::evidence::BundleRow;
use crate::pages::trains::{state_class, state_label};
use crate::pages::{error_fallback, loading};
use crate::server_fns::evidence::evidence_bundles;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// `/evidence`: every train's bundle with its size, seal and completeness.
#[component]
pub fn EvidencePage() -> impl IntoView {
    let query = use_query_map();
    let rows = Resource::new(
        move || (query.get().get("after"), query.get().get("before")),
        |(after, before)| evidence_bundles(after, before),
    );
    view! {
        <Title text="Evidence" />
        <h1 class="mb-1 text-2xl font-semibold">"Evidence"</h1>
        <p class="mb-4 text-sm text-slate-600">
            "Each train's evidence bundle: SBOMs, test results, provenance, checksums, signatures and \
             release metadata, checked on upload and sealed when the train completes. \
             The release metadata schema is at "
            <a class="text-sky-700 underline" href="/api/v1/schemas/release-metadata.json">
                "/api/v1/schemas/release-metadata.json"
            </a>
            "."
        </p>
        <Transition fallback=loading>
            <ErrorBoundary fallback=error_fallback>
                {move || Suspend::new(async move {
                    let listing = rows.await?;
                    Ok::<_, AppError>(view! {
                        <LiveRegion id="bundles" topics="train:".to_owned()>
                            <BundleTable rows=listing.bundles />
                            <PageNav path="/evidence" filters=Vec::new() links=listing.links />
                        </LiveRegion>
                    })
                })}
            </ErrorBoundary>
        </Transition>
    }
}

#[component]
fn BundleTable(rows: Vec<BundleRow>) -> impl IntoView {
    let empty = rows.is_empty();
    view! {
        <div class="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
            <table class=TABLE aria-label="Evidence bundles">
                <thead class=THEAD>
                    <tr>
                        <th scope="col" class="px-4 py-2">"Train"</th>
                        <th scope="col" class="px-4 py-2">"State"</th>
                        <th scope="col" class="px-4 py-2">"Artifacts"</th>
                        <th scope="col" class="px-4 py-2">"Size"</th>
                        <th scope="col" class="px-4 py-2">"Sealed"</th>
                        <th scope="col" class="px-4 py-2">"Completeness"</th>
                    </tr>
                </thead>
                <tbody class="divide-y divide-slate-100">
                    {rows.into_iter().map(|row| {
                        let badge = format!(
                            "rounded-full px-2 py-0.5 text-xs ring-1 ring-inset {}",
                            state_class(row.state)
                        );
                        let sealed = match row.sealed_at {
                            Some(at) => view! {
                                <span class="text-emerald-800">"sealed "<Moment at /></span>
                            }.into_any(),
                            None => view! { <span class="text-slate-500">"not sealed"</span> }.into_any(),
                        };
                        let completeness = if row.completeness.complete {
                            view! { <span class="font-medium text-emerald-800">"complete"</span> }.into_any()
                        } else {
                            view! {
                                <span class="font-medium text-amber-800">
                                    {format!("{} missing", row.completeness.missing.len())}
                                </span>
                                <ul class="mt-1 list-disc pl-4 text-xs text-slate-700">
                                    {row.completeness.missing.iter().map(|m| view! {
                                        <li>{m.message.clone()}</li>
                                    }).collect_view()}
                                </ul>
                            }.into_any()
                        };
                        view! {
                            <tr data-testid=format!("bundle-{}", row.train)>
                                <td class="px-4 py-2 font-mono whitespace-nowrap">
                                    <a class="text-sky-800 underline" href=format!("/trains/{}/evidence", row.train)>
                                        {row.tag.clone().unwrap_or_else(|| row.train.clone())}
                                    </a>
                                </td>
                                <td class="px-4 py-2"><span class=badge>{state_label(row.state)}</span></td>
                                <td class="px-4 py-2">{row.artifacts}</td>
                                <td class="px-4 py-2 whitespace-nowrap">{byte_size::label(row.total_size)}</td>
                                <td class="px-4 py-2">{sealed}</td>
                                <td class="px-4 py-2">{completeness}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            {empty.then(|| view! {
                <p class="px-4 py-6 text-center text-sm text-slate-500">"No train holds evidence yet."</p>
            })}
        </div>
    }
}
