use crate::components::page_nav::PageNav;
use crate::components::time::utc_label;
use crate::error::AppError;
use crate::models::audit::{AuditFilter, AuditListing};
use crate::pages::{error_fallback, loading};
use crate::server_fns::audit::audit_records;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

const FIELDS: [(&str, &str, &str); 5] = [
    ("who", "Who", "subject, token or name"),
    ("action", "Action", "train. or auth.login"),
    ("train", "Train", "train name"),
    ("from", "From (UTC)", "YYYY-MM-DD"),
    ("to", "To (UTC)", "YYYY-MM-DD"),
];

/// `/audit`: every recorded change, newest first, filtered by who, action,
/// train and time range; a plain GET form, so it works without JavaScript.
#[component]
pub fn AuditPage() -> impl IntoView {
    let query = use_query_map();
    let filter = move || {
        let q = query.get();
        AuditFilter {
            who: q.get("who"),
            action: q.get("action"),
            train: q.get("train"),
            from: q.get("from"),
            to: q.get("to"),
            after: q.get("after"),
            before: q.get("before"),
        }
    };
    let listing = Resource::new(filter, audit_records);
    view! {
        <Title text="Audit" />
        <h1 class="mb-4 text-2xl font-semibold">"Audit"</h1>
        <form
            method="get"
            action="/audit"
            class="mb-4 flex flex-wrap items-end gap-3"
            aria-label="Filter the audit trail"
        >
            {FIELDS
                .into_iter()
                .map(|(name, label, hint)| {
                    let value = move || query.get().get(name).unwrap_or_default();
                    view! {
                        <label class="flex flex-col text-xs font-medium text-slate-600">
                            {label}
                            <input name=name placeholder=hint prop:value=value value=value
                                class="mt-1 w-40 rounded border border-slate-300 px-2 py-1 text-sm text-slate-900" />
                        </label>
                    }
                })
                .collect_view()}
            <button type="submit" class="rounded bg-slate-900 px-3 py-1.5 text-sm text-white">"Filter"</button>
            <a href="/audit" class="text-sm text-blue-700 underline">"Clear"</a>
        </form>
        <Suspense fallback=loading>
            <ErrorBoundary fallback=error_fallback>
                {move || Suspend::new(async move {
                    let listing = listing.await?;
                    Ok::<_, AppError>(view! { <AuditTable listing filter=filter() /> })
                })}
            </ErrorBoundary>
        </Suspense>
    }
}

#[component]
fn AuditTable(listing: AuditListing, filter: AuditFilter) -> impl IntoView {
    let summary = format!(
        "{} · newest first",
        listing.total.label("record", "records")
    );
    let filters = vec![
        ("who", filter.who),
        ("action", filter.action),
        ("train", filter.train),
        ("from", filter.from),
        ("to", filter.to),
    ];
    view! {
        <p class="mb-2 text-sm text-slate-600" data-testid="audit-summary">{summary}</p>
        <div class="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
            <table class="min-w-full divide-y divide-slate-200 text-sm" aria-label="Audit records">
                <thead class="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-600">
                    <tr>
                        <th scope="col" class="px-3 py-2">"#"</th>
                        <th scope="col" class="px-3 py-2">"When (UTC)"</th>
                        <th scope="col" class="px-3 py-2">"Who"</th>
                        <th scope="col" class="px-3 py-2">"Action"</th>
                        <th scope="col" class="px-3 py-2">"Resource"</th>
                        <th scope="col" class="px-3 py-2">"Why"</th>
                        <th scope="col" class="px-3 py-2">"Change"</th>
                        <th scope="col" class="px-3 py-2">"From"</th>
                    </tr>
                </thead>
                <tbody class="divide-y divide-slate-100 align-top">
                    {listing.records.into_iter().map(|r| {
                        let who = r.actor_name.clone().unwrap_or_else(|| r.actor.clone());
                        let roles = format!("{} · {}", r.actor_kind, r.actor_roles.join(", "));
                        let change = [r.before.map(|b| format!("before {b}")), r.after.map(|a| format!("after {a}"))]
                            .into_iter().flatten().collect::<Vec<_>>().join(" → ");
                        view! {
                            <tr>
                                <td class="px-3 py-2 font-mono text-xs text-slate-500">{r.id}</td>
                                <td class="whitespace-nowrap px-3 py-2">{utc_label(r.at)}</td>
                                <td class="px-3 py-2">
                                    <span class="font-medium">{who}</span>
                                    <br/>
                                    <span class="text-xs text-slate-500">{roles}</span>
                                </td>
                                <td class="px-3 py-2 font-mono text-xs">{r.action}</td>
                                <td class="px-3 py-2 font-mono text-xs">{r.resource}</td>
                                <td class="px-3 py-2">{r.reason.unwrap_or_default()}</td>
                                <td class="max-w-xs break-all px-3 py-2 font-mono text-xs text-slate-600">{change}</td>
                                <td class="px-3 py-2 text-xs text-slate-500">
                                    {r.ip.unwrap_or_default()}
                                    <br/>
                                    {r.user_agent.unwrap_or_default()}
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        <PageNav path="/audit" filters links=listing.links />
    }
}
