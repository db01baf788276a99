//! `/services/{name}`: where a service runs and which train brought each
//! version, its deployments, and its health and performance as charts
//! against seed 001's rollback thresholds (`?hours=` widens the window).

use crate::components::time::utc_label;
use crate::error::AppError;
use crate::models::monitoring::{MetricChart, ServiceMonitorPage};
use crate::pages::{error_fallback, loading};
use crate::server_fns::monitoring::get_service_monitor;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

const TABLE: &str =
    "min-w-full divide-y divide-slate-200 rounded border border-slate-200 bg-white text-sm";
const CELL: &str = "px-3 py-2 align-top";

#[component]
pub fn ServiceMonitorPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let key = move || {
        let name = params.read().get("name").unwrap_or_default();
        let hours = query.read().get("hours").and_then(|h| h.parse().ok());
        (name, hours)
    };
    let page = Resource::new(key, |(name, hours)| get_service_monitor(name, hours));
    view! {
        <Title text="Service" />
        <p class="mb-2 text-sm"><a href="/deployments" class="text-sky-700 underline">"← What runs where"</a></p>
        <Suspense fallback=loading>
            <ErrorBoundary fallback=error_fallback>
                {move || Suspend::new(async move {
                    let page = page.await?;
                    Ok::<_, AppError>(view! { <Monitor page /> })
                })}
            </ErrorBoundary>
        </Suspense>
    }
}

#[component]
fn Monitor(page: ServiceMonitorPage) -> impl IntoView {
    let ServiceMonitorPage {
        service,
        hours,
        running,
        deployments,
        charts,
        breaches,
    } = page;
    let windows = [24, 168, 720].map(|h| {
        let label = match h {
            24 => "24 hours",
            168 => "7 days",
            _ => "30 days",
        };
        let current = (h == hours).then_some("page");
        view! {
            <a href=format!("?hours={h}") aria-current=current
                class="rounded px-2 py-1 text-sky-700 underline aria-[current=page]:bg-slate-200 aria-[current=page]:no-underline">
                {label}
            </a>
        }
    });
    view! {
        <h1 class="mb-4 text-2xl font-semibold">{format!("Service {service}")}</h1>
        <section aria-labelledby="where-heading" class="mb-6">
            <h2 id="where-heading" class="mb-2 text-lg font-semibold">"Where it runs"</h2>
            <ul class="grid gap-2 sm:grid-cols-3" aria-label="Environments">
                {running.into_iter().map(|(env, cell)| view! {
                    <li class="rounded border border-slate-200 bg-white p-3 text-sm">
                        <span class="block text-xs font-semibold uppercase text-slate-500">{env}</span>
                        {match cell {
                            Some(c) => view! {
                                <span class="font-mono">{c.version.unwrap_or_else(|| "—".into())}</span>
                                {c.train.map(|t| view! {
                                    <a href=format!("/trains/{t}") class="block text-xs text-sky-700 underline">{t.clone()}</a>
                                })}
                                <span class="block text-xs text-slate-500">{format!("since {}", utc_label(c.since))}</span>
                            }.into_any(),
                            None => view! { <span class="text-slate-500">"nothing recorded"</span> }.into_any(),
                        }}
                    </li>
                }).collect_view()}
            </ul>
        </section>
        <section aria-labelledby="health-heading" class="mb-6">
            <h2 id="health-heading" class="mb-2 text-lg font-semibold">"Health and performance"</h2>
            <nav aria-label="Window" class="mb-2 flex gap-2 text-sm">{windows}</nav>
            <Charts charts />
            {(!breaches.is_empty()).then(|| view! {
                <h3 class="mb-1 mt-4 font-medium">"Rollback criteria that held"</h3>
                <ul class="list-disc pl-5 text-sm" aria-label="Breaches">
                    {breaches.into_iter().map(|b| view! {
                        <li>{format!("{} · {} in {} during {}: {} ({})", utc_label(b.detected_at),
                            b.criterion.replace('_', " "), b.environment, b.train, b.detail,
                            b.outcome.replace('_', " "))}</li>
                    }).collect_view()}
                </ul>
            })}
        </section>
        <section aria-labelledby="deployments-heading">
            <h2 id="deployments-heading" class="mb-2 text-lg font-semibold">"Deployments"</h2>
            {if deployments.is_empty() {
                view! { <p class="text-sm text-slate-600">"No deployment reported yet."</p> }.into_any()
            } else {
                view! {
                    <table class=TABLE aria-label="Deployments">
                        <thead class="bg-slate-50 text-left text-xs font-semibold uppercase text-slate-600">
                            <tr>
                                <th scope="col" class="px-3 py-2">"Reported"</th>
                                <th scope="col" class="px-3 py-2">"Version"</th>
                                <th scope="col" class="px-3 py-2">"Environment"</th>
                                <th scope="col" class="px-3 py-2">"Status"</th>
                                <th scope="col" class="px-3 py-2">"Train"</th>
                            </tr>
                        </thead>
                        <tbody class="divide-y divide-slate-100">
                            {deployments.into_iter().map(|d| view! {
                                <tr>
                                    <td class=CELL>{utc_label(d.created_at)}</td>
                                    <td class=format!("{CELL} font-mono")>{d.version}</td>
                                    <td class=CELL>{d.environment}</td>
                                    <td class=CELL>{d.status.as_str().replace('_', " ")}</td>
                                    <td class=CELL>{d.train.unwrap_or_else(|| d.matched.as_str().to_owned())}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn Charts(charts: Vec<MetricChart>) -> impl IntoView {
    if charts.is_empty() {
        return view! {
            <p class="text-sm text-slate-600">
                "No health samples in this window (" <code>"POST /api/v1/services/{name}/health"</code> ")."
            </p>
        }
        .into_any();
    }
    view! {
        <div class="grid gap-4 lg:grid-cols-2">
            {charts.into_iter().map(|c| {
                let label = format!("{} in {}", c.metric, c.environment);
                let numbers = format!(
                    "latest {} {unit} · peak {} {unit} · rollback above {} {unit} ({})",
                    c.latest.map_or("—".into(), |v| format!("{v:.1}")),
                    c.peak.map_or("—".into(), |v| format!("{v:.1}")),
                    c.threshold, c.criterion, unit = c.unit,
                );
                view! {
                    <figure class="rounded border border-slate-200 bg-white p-3">
                        <figcaption class="mb-1 text-sm font-medium">{label.clone()}</figcaption>
                        {c.svg.map(|svg| view! {
                            <div class="overflow-x-auto" role="img" aria-label=format!("Chart of {label}") inner_html=svg></div>
                        })}
                        <p class="mt-1 text-xs text-slate-600">{numbers}</p>
                    </figure>
                }
            }).collect_view()}
        </div>
    }
    .into_any()
}
