use super::graph::DependencyGraph;
use crate::components::time::utc_label;
use crate::error::AppError;
use crate::models::service::{ServiceCatalog, ServiceView};
use crate::pages::{error_fallback, loading};
use crate::server_fns::services::get_service_catalog;
use leptos::prelude::*;
use leptos_meta::Title;

const PRIMARY: &str = "rounded bg-slate-900 px-3 py-1.5 text-sm text-white hover:bg-slate-700";
const TABLE: &str =
    "min-w-full divide-y divide-slate-200 rounded border border-slate-200 bg-white text-sm";

/// `/admin/services`: every service, its owners and dependencies, and the
/// dependency graph. Everyone signed in reads it; admins change it.
#[component]
pub fn ServicesPage() -> impl IntoView {
    let catalog = Resource::new(|| (), |_| get_service_catalog());
    view! {
        <Title text="Services" />
        <p class="mb-2 text-sm"><a href="/admin" class="text-sky-700 underline">"← Admin"</a></p>
        <h1 class="mb-4 text-2xl font-semibold">"Services"</h1>
        <Suspense fallback=loading>
            <ErrorBoundary fallback=error_fallback>
                {move || Suspend::new(async move {
                    let catalog = catalog.await?;
                    Ok::<_, AppError>(view! { <Catalog catalog /> })
                })}
            </ErrorBoundary>
        </Suspense>
    }
}

#[component]
fn Catalog(catalog: ServiceCatalog) -> impl IntoView {
    let add = catalog.may_manage.then(|| {
        view! {
            <p class="mb-4">
                <a href="/admin/services/new" class=PRIMARY>
                    "Add a service"
                </a>
            </p>
        }
    });
    let count = catalog
        .services
        .iter()
        .filter(|s| s.retired_at.is_none())
        .count();
    view! {
        {add}
        <section aria-labelledby="graph-heading" class="mb-6">
            <h2 id="graph-heading" class="mb-2 text-lg font-semibold">"Dependency graph"</h2>
            <p class="mb-2 text-sm text-slate-600">
                {format!("{count} active service{}; ", if count == 1 { "" } else { "s" })}
                "trains release them left to right: each service after the services it depends on."
            </p>
            <DependencyGraph services=catalog.services.clone() />
        </section>
        <section aria-labelledby="list-heading">
            <h2 id="list-heading" class="mb-2 text-lg font-semibold">"Catalog"</h2>
            <div class="overflow-x-auto">
                <table class=TABLE aria-label="Services">
                    <thead class="bg-slate-50 text-left text-xs font-semibold uppercase text-slate-600">
                        <tr>
                            <th scope="col" class="px-3 py-2">"Service"</th>
                            <th scope="col" class="px-3 py-2">"Owners"</th>
                            <th scope="col" class="px-3 py-2">"Depends on"</th>
                            <th scope="col" class="px-3 py-2">"Open trains"</th>
                            <th scope="col" class="px-3 py-2">"State"</th>
                        </tr>
                    </thead>
                    <tbody class="divide-y divide-slate-100">
                        {catalog.services.into_iter().map(|s| view! { <Row s /> }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}

fn or_none(list: &[String]) -> String {
    if list.is_empty() {
        "—".to_owned()
    } else {
        list.join(", ")
    }
}

#[component]
fn Row(s: ServiceView) -> impl IntoView {
    let href = format!("/admin/services/{}", s.name);
    let state = match s.retired_at {
        Some(at) => format!("retired {}", utc_label(at)),
        None => match &s.deployed_version {
            Some(v) => format!("{} {v}", s.status),
            None => s.status.clone(),
        },
    };
    view! {
        <tr data-testid=format!("service-{}", s.name)>
            <td class="px-3 py-2">
                <a href=href class="font-medium text-sky-700 underline">{s.name.clone()}</a>
                <p class="max-w-md text-xs text-slate-600">{s.description.clone()}</p>
            </td>
            <td class="px-3 py-2">{or_none(&s.owners)}</td>
            <td class="px-3 py-2">{or_none(&s.depends_on)}</td>
            <td class="px-3 py-2 tabular-nums">{s.open_trains}</td>
            <td class="px-3 py-2 whitespace-nowrap">{state}</td>
        </tr>
    }
}
