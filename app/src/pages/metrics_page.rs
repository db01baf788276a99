//! `/metrics`: what the RFC's 30-day review looks at (seed 003, Rollout
//! Plan step 4). Seed 003's success metrics against their targets with the
//! counts and items behind them and a trend sparkline each, the four DORA
//! series as charts, and calendars of deploys by kind. The filters are a
//! plain GET form, so the page works without JavaScript.

use crate::components::time::utc_label;
use crate::domain::deployment::MatchKind;
use crate::error::AppError;
use crate::models::metrics::{
    DoraMetric, DoraSeries, Heatmap, MetricsFilter, MetricsPage, SuccessMetric,
};
use crate::pages::{error_fallback, loading};
use crate::server_fns::metrics::get_metrics_page;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

const TABLE: &str =
    "min-w-full divide-y divide-slate-200 rounded border border-slate-200 bg-white text-sm";
const HEAD: &str = "bg-slate-50 text-left text-xs font-semibold uppercase text-slate-600";
const CELL: &str = "px-3 py-2 align-top";
const FIELD: &str = "mt-1 block rounded border border-slate-300 px-2 py-1 text-sm";

#[component]
pub fn MetricsPage() -> impl IntoView {
    let query = use_query_map();
    let filter = move || {
        let q = query.read();
        let text = |k: &str| q.get(k).filter(|v| !v.trim().is_empty());
        MetricsFilter {
            from: text("from"),
            days: text("days").and_then(|d| d.parse().ok()),
            interval: text("interval"),
            service: text("service"),
            track: text("track"),
            environment: text("environment"),
        }
    };
    let page = Resource::new(filter, get_metrics_page);
    view! {
        <Title text="Metrics" />
        <h1 class="mb-1 text-2xl font-semibold">"Metrics"</h1>
        <p class="mb-4 text-sm text-slate-600">
            "Seed 003's success metrics and DORA, from the deployments CD reports, the changes "
            "CI reports, rollbacks, health gates, incidents and the calendar. Also as JSON ("
            <code>"/api/v1/metrics/…"</code> ") and for Prometheus (" <code>"/metrics.prom"</code> ")."
        </p>
        <Suspense fallback=loading>
            <ErrorBoundary fallback=error_fallback>
                {move || Suspend::new(async move {
                    let page = page.await?;
                    Ok::<_, AppError>(view! { <Metrics page /> })
                })}
            </ErrorBoundary>
        </Suspense>
    }
}

#[component]
fn Metrics(page: MetricsPage) -> impl IntoView {
    let MetricsPage {
        success,
        sparklines,
        dora,
        heatmaps,
        tracks,
        services,
        environments,
        filter,
    } = page;
    let window = success.window;
    let last = window.until() - chrono::Duration::days(1);
    let span = format!(
        "{} to {} ({} days, {})",
        window.from,
        last,
        window.days,
        window.interval.as_str()
    );
    view! {
        <Filters filter tracks services environments from=window.from.to_string() days=window.days />
        <p class="mb-4 text-sm text-slate-700" data-testid="metrics-window">{span}</p>
        <section aria-labelledby="success-heading" class="mb-8">
            <h2 id="success-heading" class="mb-2 text-lg font-semibold">"Seed 003's success metrics"</h2>
            <table class=TABLE aria-label="Success metrics">
                <thead class=HEAD>
                    <tr>
                        <th class=CELL>"Goal"</th><th class=CELL>"Metric"</th><th class=CELL>"Value"</th>
                        <th class=CELL>"Target"</th><th class=CELL>"Counts"</th><th class=CELL>"Trend"</th>
                    </tr>
                </thead>
                <tbody class="divide-y divide-slate-100">
                    {success.metrics.into_iter().zip(sparklines).map(|(m, svg)| view! { <SuccessRow m svg /> }).collect_view()}
                </tbody>
            </table>
        </section>
        <section aria-labelledby="dora-heading" class="mb-8">
            <h2 id="dora-heading" class="mb-2 text-lg font-semibold">"DORA"</h2>
            <p class="mb-2 text-sm text-slate-600">
                "Production environments unless one is chosen above. Change failures are finished "
                "deploys that failed, were rolled back, breached a health criterion or were linked "
                "to an incident."
            </p>
            <div class="grid gap-4 lg:grid-cols-2">
                {dora.into_iter().map(|(series, svg)| view! { <DoraChart series svg /> }).collect_view()}
            </div>
        </section>
        <section aria-labelledby="heatmap-heading">
            <h2 id="heatmap-heading" class="mb-2 text-lg font-semibold">"Deploys by day"</h2>
            <p class="mb-2 text-sm text-slate-600">"A column per week, Monday on top; darker is more."</p>
            <div class="grid gap-4 lg:grid-cols-3">
                {heatmaps.into_iter().map(|h| view! { <HeatmapCard h /> }).collect_view()}
            </div>
        </section>
    }
}

#[component]
fn Filters(
    filter: MetricsFilter,
    tracks: Vec<String>,
    services: Vec<String>,
    environments: Vec<String>,
    from: String,
    days: u32,
) -> impl IntoView {
    let select = move |name: &'static str,
                       label: &'static str,
                       all: &'static str,
                       options: Vec<String>,
                       chosen: Option<String>| {
        view! {
            <label class="text-xs font-semibold text-slate-600">
                {label}
                <select name=name class=FIELD>
                    <option value="">{all}</option>
                    {crate::components::options::options(options, chosen)}
                </select>
            </label>
        }
    };
    let intervals = ["", "daily", "weekly", "monthly"];
    let interval = filter.interval.clone().unwrap_or_default();
    view! {
        <form method="get" action="/metrics" aria-label="Window and filters"
            class="mb-4 flex flex-wrap items-end gap-3 rounded border border-slate-200 bg-white p-3">
            <label class="text-xs font-semibold text-slate-600">
                "From"
                <input type="date" name="from" value=from class=FIELD />
            </label>
            <label class="text-xs font-semibold text-slate-600">
                "Days"
                <input type="number" name="days" min="1" max="366" value=days.to_string() class=FIELD />
            </label>
            <label class="text-xs font-semibold text-slate-600">
                "Interval"
                <select name="interval" class=FIELD>
                    {intervals.into_iter().map(|i| view! {
                        <option value=i selected=i == interval>{if i.is_empty() { "automatic" } else { i }}</option>
                    }).collect_view()}
                </select>
            </label>
            {select("track", "Track", "All tracks", tracks, filter.track.clone())}
            {select("service", "Service", "All services", services, filter.service.clone())}
            {select("environment", "Environment", "Production (DORA), all (seed 003)", environments, filter.environment.clone())}
            <button type="submit" class="rounded bg-sky-700 px-3 py-1.5 text-sm font-semibold text-white">"Show"</button>
        </form>
    }
}

fn shown(value: Option<f64>, unit: &str) -> String {
    match value {
        None => "—".into(),
        Some(v) if unit == "%" => format!("{v} %"),
        Some(v) => format!("{v} {unit}"),
    }
}

#[component]
fn SuccessRow(m: SuccessMetric, svg: Option<String>) -> impl IntoView {
    let verdict = match m.met {
        Some(true) => (
            "met",
            "rounded bg-emerald-100 px-2 text-xs font-semibold text-emerald-800",
        ),
        Some(false) => (
            "missed",
            "rounded bg-rose-100 px-2 text-xs font-semibold text-rose-800",
        ),
        None => (
            "nothing to measure",
            "rounded bg-slate-100 px-2 text-xs text-slate-600",
        ),
    };
    let counts = match m.of {
        Some(of) => format!("{} of {of}", m.counted),
        None => m.counted.to_string(),
    };
    let categories = (!m.categories.is_empty()).then(|| {
        let text = m
            .categories
            .iter()
            .map(|(c, n)| format!("{c}: {n}"))
            .collect::<Vec<_>>()
            .join(", ");
        view! { <span class="block text-xs text-slate-500">{text}</span> }
    });
    let items = m.items.clone();
    let label = m.label.clone();
    view! {
        <tr data-metric=format!("{:?}", m.key)>
            <td class=CELL>{m.goal.clone()}</td>
            <td class=CELL>
                {m.label.clone()}
                {categories}
                <details class="mt-1 text-xs">
                    <summary class="cursor-pointer text-sky-700 underline">{format!("{} behind it", items.len())}</summary>
                    <ul class="mt-1 space-y-0.5" aria-label=format!("Items behind {label}")>
                        {items.into_iter().map(|i| view! {
                            <li class=if i.counted { "" } else { "text-slate-500" }>
                                <span class="font-mono">{utc_label(i.at)}</span>" "
                                {match i.link {
                                    Some(href) => view! { <a href=href class="text-sky-700 underline">{i.label}</a> }.into_any(),
                                    None => view! { <span>{i.label}</span> }.into_any(),
                                }}
                                " — " {i.note}
                            </li>
                        }).collect_view()}
                    </ul>
                </details>
            </td>
            <td class=CELL>
                <span class="font-semibold" data-testid="metric-value">{shown(m.value, &m.unit)}</span>" "
                <span class=verdict.1>{verdict.0}</span>
            </td>
            <td class=CELL>{m.target.clone()}</td>
            <td class=CELL data-testid="metric-counts">{counts}</td>
            <td class=CELL>
                {svg.map(|svg| view! {
                    <div role="img" aria-label=format!("Trend of {}", m.label) inner_html=svg></div>
                })}
            </td>
        </tr>
    }
}

#[component]
fn DoraChart(series: DoraSeries, svg: Option<String>) -> impl IntoView {
    let title = series.metric.title();
    let overall = match series.metric {
        DoraMetric::DeploymentFrequency => shown(series.overall, "a day"),
        _ => shown(series.overall, &series.unit),
    };
    let counts = match series.metric {
        DoraMetric::DeploymentFrequency => {
            format!("{} deploys in {} days", series.counted, series.of)
        }
        DoraMetric::LeadTimeForChanges => format!(
            "median of {} changes in {} deploys",
            series.counted, series.of
        ),
        DoraMetric::ChangeFailureRate => {
            format!("{} failed of {} deploys", series.counted, series.of)
        }
        DoraMetric::TimeToRestoreService => format!(
            "median of {} restores of {} failures",
            series.counted, series.of
        ),
    };
    view! {
        <figure class="rounded border border-slate-200 bg-white p-3" data-dora=series.metric.as_str()>
            <figcaption class="mb-1 text-sm">
                <span class="font-semibold">{title}</span>": "
                <span data-testid="dora-overall">{overall}</span>
                <span class="block text-xs text-slate-500">{counts}</span>
            </figcaption>
            {match svg {
                Some(svg) => view! {
                    <div class="overflow-x-auto" role="img" aria-label=format!("Chart of {title}") inner_html=svg></div>
                }.into_any(),
                None => view! { <p class="text-sm text-slate-500">"Nothing to chart."</p> }.into_any(),
            }}
        </figure>
    }
}

#[component]
fn HeatmapCard(h: Heatmap) -> impl IntoView {
    let name = match h.matched {
        MatchKind::Scheduled => "Scheduled",
        MatchKind::Hotfix => "Hotfix",
        MatchKind::Unscheduled => "Unscheduled",
        MatchKind::Rollback => "Rollback redeploys",
    };
    let busiest = h
        .busiest
        .map(|d| format!("busiest {}: {}", d.date, d.count))
        .unwrap_or_else(|| "none".into());
    view! {
        <figure class="rounded border border-slate-200 bg-white p-3" data-heatmap=h.matched.as_str()>
            <figcaption class="mb-1 text-sm">
                <span class="font-semibold">{name}</span>": "
                <span data-testid="heatmap-total">{h.total}</span>" deploys, " {busiest}
            </figcaption>
            {h.svg.map(|svg| view! {
                <div class="overflow-x-auto" role="img" aria-label=format!("Calendar of {name} deploys") inner_html=svg></div>
            })}
        </figure>
    }
}
