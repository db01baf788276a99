//! `/deployments`: what runs in each environment (service × environment,
//! with the train and tag each version came from and since when), the
//! deployments no train carried, and the latest ones CD reported.

use crate::components::time::utc_label;
use crate::domain::deployment::MatchKind;
use crate::error::AppError;
use crate::models::deployment::{DeploymentView, DeploymentsPage, RunningMatrix, RunningVersion};
use crate::pages::environment_diff::CompareEnvironments;
use crate::pages::{error_fallback, loading};
use crate::server_fns::deployments::get_deployments_page;
use leptos::prelude::*;
use leptos_meta::Title;

const TABLE: &str =
    "min-w-full divide-y divide-slate-200 rounded border border-slate-200 bg-white text-sm";
const HEAD: &str = "bg-slate-50 text-left text-xs font-semibold uppercase text-slate-600";
const CELL: &str = "px-3 py-2 align-top";

#[component]
pub fn DeploymentsPage() -> impl IntoView {
    let page = Resource::new(|| (), |_| get_deployments_page());
    view! {
        <Title text="What runs where" />
        <h1 class="mb-1 text-2xl font-semibold">"What runs where"</h1>
        <p class="mb-4 text-sm text-slate-600">
            "The versions running in each environment, as promotions and the deployments CD "
            "reports (" <code>"POST /api/v1/deployments"</code> ") put them in place."
        </p>
        <Suspense fallback=loading>
            <ErrorBoundary fallback=error_fallback>
                {move || Suspend::new(async move {
                    let page = page.await?;
                    Ok::<_, AppError>(view! { <Deployments page /> })
                })}
            </ErrorBoundary>
        </Suspense>
    }
}

#[component]
fn Deployments(page: DeploymentsPage) -> impl IntoView {
    let DeploymentsPage { running, recent } = page;
    let unscheduled = running.unscheduled.clone();
    let environments = running.environments.clone();
    view! {
        <Matrix running />
        {(environments.len() > 1).then(|| view! { <CompareEnvironments environments /> })}
        <section aria-labelledby="unscheduled-heading" class="mb-6">
            <h2 id="unscheduled-heading" class="mb-2 text-lg font-semibold">
                "Deployed without a train"
            </h2>
            <p class="mb-2 text-sm text-slate-600">
                "Deployments no train carries (seed 003's surprise deploys): each was sent as "
                <code>"deployment.unscheduled"</code> "."
            </p>
            <DeploymentTable label="Unscheduled deployments" list=unscheduled
                empty="None: every deployment reported came with a train." />
        </section>
        <section aria-labelledby="recent-heading">
            <h2 id="recent-heading" class="mb-2 text-lg font-semibold">"Latest deployments"</h2>
            <DeploymentTable label="Latest deployments" list=recent
                empty="No deployment reported yet." />
        </section>
    }
}

#[component]
fn Matrix(running: RunningMatrix) -> impl IntoView {
    if running.environments.is_empty() || running.rows.is_empty() {
        return view! {
            <p class="mb-6 text-sm text-slate-600">
                "Nothing to show yet: add environments and services (Admin), then promote a "
                "train or report a deployment."
            </p>
        }
        .into_any();
    }
    let environments = running.environments.clone();
    view! {
        <div class="mb-6 overflow-x-auto">
            <table class=TABLE aria-label="What runs where">
                <thead class=HEAD>
                    <tr>
                        <th scope="col" class="px-3 py-2">"Service"</th>
                        {environments.into_iter().map(|e| view! {
                            <th scope="col" class="px-3 py-2">{e}</th>
                        }).collect_view()}
                    </tr>
                </thead>
                <tbody class="divide-y divide-slate-100">
                    {running.rows.into_iter().map(|row| view! {
                        <tr>
                            <th scope="row" class="px-3 py-2 text-left font-medium">
                                <a href=format!("/services/{}", row.service) class="text-sky-700 underline">{row.service.clone()}</a>
                            </th>
                            {row.cells.into_iter().map(|cell| view! {
                                <td class=CELL>{cell.map(running_cell)}</td>
                            }).collect_view()}
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

fn running_cell(cell: RunningVersion) -> impl IntoView {
    let train = cell.train.map(|name| {
        let label = match &cell.tag {
            Some(tag) => format!("{name} ({tag})"),
            None => name.clone(),
        };
        view! {
            <a href=format!("/trains/{name}") class="block text-xs text-sky-700 underline">{label}</a>
        }
    });
    let how = if cell.deployment.is_some() {
        "reported by CD"
    } else {
        "promoted"
    };
    view! {
        <span class="font-mono text-sm">{cell.version.unwrap_or_else(|| "—".to_owned())}</span>
        {train}
        <span class="block text-xs text-slate-500">
            {format!("since {} · {how}", utc_label(cell.since))}
        </span>
    }
}

#[component]
fn DeploymentTable(
    label: &'static str,
    list: Vec<DeploymentView>,
    empty: &'static str,
) -> impl IntoView {
    if list.is_empty() {
        return view! { <p class="text-sm text-slate-600">{empty}</p> }.into_any();
    }
    view! {
        <div class="overflow-x-auto">
            <table class=TABLE aria-label=label>
                <thead class=HEAD>
                    <tr>
                        <th scope="col" class="px-3 py-2">"Service"</th>
                        <th scope="col" class="px-3 py-2">"Version"</th>
                        <th scope="col" class="px-3 py-2">"Environment"</th>
                        <th scope="col" class="px-3 py-2">"Status"</th>
                        <th scope="col" class="px-3 py-2">"Train"</th>
                        <th scope="col" class="px-3 py-2">"Reported"</th>
                        <th scope="col" class="px-3 py-2">"Pipeline"</th>
                    </tr>
                </thead>
                <tbody class="divide-y divide-slate-100">
                    {list.into_iter().map(deployment_row).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

fn deployment_row(d: DeploymentView) -> impl IntoView {
    let train = match (&d.train, d.matched) {
        (Some(name), kind) => view! {
            <a href=format!("/trains/{name}") class="text-sky-700 underline">{name.clone()}</a>
            {match kind {
                MatchKind::Hotfix => " (hotfix)",
                MatchKind::Rollback => " (rollback redeploy)",
                _ => "",
            }}
        }
        .into_any(),
        (None, _) => view! {
            <span class="rounded bg-amber-100 px-1.5 py-0.5 text-xs font-medium text-amber-900">
                "unscheduled"
            </span>
            {d.match_note.clone().map(|n| view! { <span class="block text-xs text-slate-500">{n}</span> })}
        }
        .into_any(),
    };
    let freeze = d.in_freeze.then_some(" · during a freeze");
    let pipeline = match d.pipeline_url.clone() {
        Some(url) => view! {
            <a href=url rel="external noopener" class="text-sky-700 underline">{d.pipeline_run_id.clone()}</a>
        }
        .into_any(),
        None => view! { <span>{d.pipeline_run_id.clone()}</span> }.into_any(),
    };
    view! {
        <tr>
            <td class=CELL>{d.service}</td>
            <td class=format!("{CELL} font-mono")>{d.version}</td>
            <td class=CELL>{d.environment}</td>
            <td class=CELL>{d.status.as_str().replace('_', " ")}{freeze}</td>
            <td class=CELL>{train}</td>
            <td class=CELL>{format!("{} by {}", utc_label(d.created_at), d.reported_by)}</td>
            <td class=CELL>{pipeline}</td>
        </tr>
    }
}
