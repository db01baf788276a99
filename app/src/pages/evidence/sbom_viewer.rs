use super::{viewer_href, TABLE, THEAD};
use crate::domain::evidence::SbomView;
use leptos::prelude::*;

/// The SBOM as a table of components, searched with a plain GET form
/// (`?q=`), so the search works without JavaScript.
#[component]
pub fn SbomViewer(
    view: SbomView,
    search: String,
    train: String,
    artifact: String,
) -> impl IntoView {
    let counts = view.counts();
    let rows: Vec<_> = view.search(&search).cloned().collect();
    let shown = rows.len();
    let licences = view
        .licences()
        .into_iter()
        .map(str::to_owned)
        .collect::<Vec<_>>()
        .join(", ");
    let summary = format!(
        "{} SBOM {} · {} component(s) · {} with a licence · {} distinct licence(s)",
        view.format.label(),
        view.spec_version,
        counts.components,
        counts.with_licence,
        counts.distinct_licences
    );
    let searching = !search.trim().is_empty();
    let showing = searching.then(|| {
        format!(
            "{shown} of {} component(s) match {:?}",
            counts.components,
            search.trim()
        )
    });
    let action = viewer_href(&train, &artifact);
    view! {
        <h2 class="mb-1 text-lg font-medium">"Components"</h2>
        <p class="text-sm text-slate-700" data-testid="sbom-counts">{summary}</p>
        {(!licences.is_empty()).then(|| view! { <p class="text-xs text-slate-600">"Licences: "{licences}</p> })}
        <form method="get" action=action.clone() role="search" class="my-3 flex flex-wrap items-end gap-2">
            <label class="flex flex-col text-xs font-medium text-slate-600" for="sbom-search">"Search components"
                <input
                    id="sbom-search"
                    type="search"
                    name="q"
                    value=search.clone()
                    placeholder="name, version, licence or purl"
                    class="mt-1 w-72 rounded border border-slate-300 px-2 py-1 text-sm text-slate-900"
                />
            </label>
            <button type="submit" class="rounded bg-slate-900 px-3 py-1.5 text-sm text-white">"Search"</button>
            {searching.then(|| view! { <a href=action.clone() class="text-sm text-sky-700 underline">"Clear"</a> })}
        </form>
        {showing.map(|s| view! {
            <p class="mb-2 text-sm text-slate-700" role="status" data-testid="sbom-showing">{s}</p>
        })}
        <div class="overflow-x-auto">
            <table class=TABLE aria-label="Components">
                <thead class=THEAD>
                    <tr>
                        <th scope="col" class="px-3 py-2">"Name"</th>
                        <th scope="col" class="px-3 py-2">"Version"</th>
                        <th scope="col" class="px-3 py-2">"Licence"</th>
                        <th scope="col" class="px-3 py-2">"purl"</th>
                    </tr>
                </thead>
                <tbody class="divide-y divide-slate-100">
                    {rows.into_iter().map(|c| view! {
                        <tr>
                            <td class="px-3 py-2 font-medium">{c.name}</td>
                            <td class="px-3 py-2 font-mono">{c.version.unwrap_or_else(|| "—".into())}</td>
                            <td class="px-3 py-2">{c.licence.unwrap_or_else(|| "not stated".into())}</td>
                            <td class="px-3 py-2 break-all font-mono text-xs">
                                {c.purl.unwrap_or_else(|| "—".into())}
                            </td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        {(shown == 0).then(|| view! { <p class="px-3 py-4 text-sm text-slate-500">"No component matches."</p> })}
    }
}
