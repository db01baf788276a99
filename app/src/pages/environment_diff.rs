//! The Deployments page's "Compare environments": a GET form choosing two
//! environments, and per service what each runs and the changes of the
//! trains between them.

use crate::components::options::options;
use crate::error::AppError;
use crate::models::environment_diff::{Drift, EnvironmentDiff, ServiceDiff};
use crate::pages::{error_fallback, loading};
use crate::server_fns::deployments::get_environment_diff;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

const FIELD: &str = "mt-1 block rounded border border-slate-300 px-2 py-1 text-sm";

#[component]
pub fn CompareEnvironments(environments: Vec<String>) -> impl IntoView {
    let query = use_query_map();
    let chosen = move || {
        let q = query.read();
        let from = q.get("from").filter(|v| !v.is_empty());
        let to = q.get("to").filter(|v| !v.is_empty());
        from.zip(to)
    };
    let diff = Resource::new(chosen, |pair| async move {
        match pair {
            Some((from, to)) => get_environment_diff(from, to).await.map(Some),
            None => Ok(None),
        }
    });
    let (from, to) = chosen().unzip();
    let default_from = from.or_else(|| environments.iter().rev().nth(1).cloned());
    let default_to = to.or_else(|| environments.last().cloned());
    let select = |name: &'static str, label: &'static str, picked: Option<String>| {
        let names = environments.clone();
        view! {
            <label class="text-xs font-semibold text-slate-600">
                {label}
                <select name=name class=FIELD>
                    {options(names, picked)}
                </select>
            </label>
        }
    };
    view! {
        <section aria-labelledby="compare-heading" class="mb-6">
            <h2 id="compare-heading" class="mb-2 text-lg font-semibold">"Compare environments"</h2>
            <form method="get" action="/deployments" aria-label="Compare environments"
                class="mb-2 flex flex-wrap items-end gap-3">
                {select("from", "From", default_from)}
                {select("to", "To", default_to)}
                <button type="submit" class="rounded bg-sky-700 px-3 py-1.5 text-sm font-semibold text-white">"Compare"</button>
            </form>
            <Suspense fallback=loading>
                <ErrorBoundary fallback=error_fallback>
                    {move || Suspend::new(async move {
                        let diff = diff.await?;
                        Ok::<_, AppError>(diff.map(|diff| view! { <Diff diff /> }))
                    })}
                </ErrorBoundary>
            </Suspense>
        </section>
    }
}

#[component]
fn Diff(diff: EnvironmentDiff) -> impl IntoView {
    let EnvironmentDiff { from, to, services } = diff;
    let label = format!("What changed from {from} to {to}");
    if services.is_empty() {
        return view! { <p class="text-sm text-slate-600">"Neither runs anything yet."</p> }
            .into_any();
    }
    view! {
        <ul class="space-y-2" aria-label=label>
            {services.into_iter().map(|s| view! { <ServiceLine s from=from.clone() to=to.clone() /> }).collect_view()}
        </ul>
    }
    .into_any()
}

#[component]
fn ServiceLine(s: ServiceDiff, from: String, to: String) -> impl IntoView {
    let version = |v: &Option<String>| v.clone().unwrap_or_else(|| "nothing".into());
    let drift = match s.drift {
        Drift::Same => "same".to_owned(),
        Drift::Ahead => format!("{from} is ahead"),
        Drift::Behind => format!("{to} is ahead"),
        Drift::Differs => "differs".to_owned(),
    };
    let trains =
        (!s.trains.is_empty()).then(|| format!("trains in between: {}", s.trains.join(", ")));
    view! {
        <li class="rounded border border-slate-200 bg-white p-3 text-sm" data-service=s.service.clone()>
            <span class="font-semibold">{s.service.clone()}</span>" "
            <span class="font-mono">{format!("{} → {}", version(&s.from_version), version(&s.to_version))}</span>" "
            <span class="rounded bg-slate-100 px-2 text-xs">{drift}</span>
            {trains.map(|t| view! { <span class="block text-xs text-slate-500">{t}</span> })}
            {(!s.changes.is_empty()).then(|| view! {
                <ul class="mt-1 list-disc pl-5 text-xs" aria-label=format!("Changes to {}", s.service)>
                    {s.changes.into_iter().map(|c| view! {
                        <li>
                            <span class="font-mono">{c.sha.chars().take(8).collect::<String>()}</span>" "
                            {c.title}
                            {c.breaking.then_some(" (breaking)")}
                            <span class="text-slate-500">{format!(" — {} in {}", c.author, c.train)}</span>
                        </li>
                    }).collect_view()}
                </ul>
            })}
        </li>
    }
}
