use crate::error::AppError;
use crate::models::setup::SetupStatus;
use crate::pages::{error_fallback, loading};
use crate::server_fns::admin::setup_status;
use leptos::prelude::*;
use leptos_meta::Title;

const ASK: &str = "Ask an administrator (someone with the admin role in your identity provider) \
                   to add the services your trains release and the tracks they run on.";

/// `/setup`: what an install holds and what is missing, with the way to
/// each admin page and to config as code. Everyone reads it; the links to
/// change things are for admins.
#[component]
pub fn SetupPage() -> impl IntoView {
    let status = Resource::new(|| (), |_| setup_status());
    view! {
        <Title text="Set up Trainyard" />
        <h1 class="mb-4 text-2xl font-semibold">"Set up Trainyard"</h1>
        <Suspense fallback=loading>
            <ErrorBoundary fallback=error_fallback>
                {move || Suspend::new(async move {
                    let status = status.await?;
                    Ok::<_, AppError>(view! { <Checklist status /> })
                })}
            </ErrorBoundary>
        </Suspense>
    }
}

fn count(n: i64, one: &str, many: &str) -> String {
    match n {
        0 => format!("no {many} yet"),
        1 => format!("1 {one}"),
        n => format!("{n} {many}"),
    }
}

#[component]
fn Checklist(status: SetupStatus) -> impl IntoView {
    let steps = [
        (
            status.services > 0,
            "Services",
            "/admin/services",
            count(status.services, "service", "services"),
            "what your trains release: owners, repository, the services each depends on",
        ),
        (
            status.environments > 0,
            "Environments",
            "/admin/policies",
            count(status.environments, "environment", "environments"),
            "where releases go, in order, and what promoting into each takes",
        ),
        (
            status.tracks > 0,
            "Tracks",
            "/admin/tracks",
            count(status.tracks, "track", "tracks"),
            "your release lanes: a cadence in your time zone, the freeze before each cut",
        ),
        (
            status.has_trains,
            "A first train",
            "/calendar",
            if status.has_trains {
                "trains exist".to_owned()
            } else {
                "no train yet".to_owned()
            },
            "from a planned slot on the calendar, or POST /api/v1/release-trains from CI",
        ),
    ];
    let intro = match (status.is_set_up(), status.may_set_up) {
        (true, _) => "Trains have services to release, environments to go to and tracks to run on.",
        (false, true) => "Trainyard is not set up yet. Start with services and tracks.",
        (false, false) => "Trainyard is not set up yet.",
    };
    let ask = (!status.may_set_up && !status.is_set_up())
        .then(|| view! { <p class="mb-3 text-sm">{ASK}</p> });
    let may = status.may_set_up;
    view! {
        <p class="mb-2" data-testid="setup-state">{intro}</p>
        {ask}
        <ol class="mb-6 max-w-3xl space-y-2" aria-label="Set-up steps">
            {steps.into_iter().map(|(done, title, href, state, what)| {
                let mark = if done { "✓" } else { "○" };
                let heading = if may {
                    view! { <a href=href class="font-medium text-sky-700 underline">{title}</a> }.into_any()
                } else {
                    view! { <span class="font-medium">{title}</span> }.into_any()
                };
                view! {
                    <li class="flex gap-3 rounded border border-slate-200 bg-white p-3 text-sm"
                        data-done=done.to_string()>
                        <span aria-hidden="true" class="w-4">{mark}</span>
                        <div>
                            {heading}
                            <span class="ml-2 text-slate-600">{state}</span>
                            <p class="text-slate-600">{what}</p>
                        </div>
                    </li>
                }
            }).collect_view()}
        </ol>
        <h2 class="mb-1 text-lg font-semibold">"Or keep the set-up in your repository"</h2>
        <p class="max-w-3xl text-sm text-slate-700">
            "On the server, " <code>"server import"</code> " reads a services file and seed 002's catalog "
            "and policy files, all or nothing, and " <code>"server export DIR"</code> " writes them back. "
            "A CI job with a " <code>"config:write"</code> " token keeps services and tracks with "
            <code>"POST /api/v1/services"</code> " and " <code>"POST /api/v1/tracks"</code> "."
        </p>
    }
}

/// The dashboard's line for an install without services or tracks.
#[component]
pub fn SetupNotice() -> impl IntoView {
    let status = Resource::new(|| (), |_| setup_status());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let status = status.await.ok().filter(|s| !s.is_set_up())?;
                let action = if status.may_set_up {
                    view! { <a href="/setup" class="font-medium underline">"Set it up"</a> }.into_any()
                } else {
                    view! { <span>{ASK}</span> }.into_any()
                };
                Some(view! {
                    <p role="status" data-testid="setup-notice"
                        class="mb-4 rounded border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900">
                        "Trainyard is not set up yet: it has no services or no tracks. " {action}
                    </p>
                })
            })}
        </Suspense>
    }
}
