//! `/trains/{name}/changes`: what each participant's version brings since
//! the last train that shipped it, and the release notes: the draft, its
//! editor for the captain and communications, and the published versions.

use super::announcement_panel::AnnouncementPanel;
use super::notes_panel::NotesPanel;
use super::train_tabs::{TrainTab, TrainTabs};
use super::{state_class, state_label};
use crate::components::live::LiveRegion;
use crate::components::moment::Moment;
use crate::error::AppError;
use crate::models::release_notes::{ChangeView, ServiceChanges, TrainChangesView};
use crate::pages::evidence::{CARD, TABLE, THEAD};
use crate::pages::{error_fallback, loading};
use crate::server_fns::release_notes::train_changes;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn ChangesPage() -> impl IntoView {
    let params = use_params_map();
    let name = Memo::new(move |_| params.read().get("name").unwrap_or_default());
    let data = Resource::new(move || name.get(), train_changes);
    let topics = format!("train:{}", name.get_untracked());
    view! {
        <Title text=format!("Changes of {}", name.get_untracked()) />
        <LiveRegion id="changes" topics>
            <Transition fallback=loading>
                <ErrorBoundary fallback=error_fallback>
                    {move || Suspend::new(async move {
                        let view = data.await?;
                        Ok::<_, AppError>(view! { <ChangesBody view /> })
                    })}
                </ErrorBoundary>
            </Transition>
        </LiveRegion>
    }
}

#[component]
fn ChangesBody(view: TrainChangesView) -> impl IntoView {
    let train = view.train.clone();
    let badge = format!(
        "inline-flex items-center rounded-full px-2.5 py-0.5 text-sm font-medium ring-1 ring-inset {}",
        state_class(view.state)
    );
    let count: usize = view.services.iter().map(|s| s.changes.len()).sum();
    view! {
        <header class="mb-4">
            <p class="text-sm"><a href="/trains" class="text-sky-700 underline">"← Trains"</a></p>
            <div class="mt-1 flex flex-wrap items-center gap-3">
                <h1 class="font-mono text-2xl font-semibold">{view.tag.clone().unwrap_or_else(|| train.clone())}</h1>
                <span class=badge>{state_label(view.state)}</span>
            </div>
        </header>
        <TrainTabs train=train.clone() current=TrainTab::Changes />
        <div class="grid gap-6 xl:grid-cols-2">
            <section aria-labelledby="changes-heading" class="min-w-0 space-y-4">
                <h2 id="changes-heading" class="text-lg font-medium">
                    {format!("Changes ({count})")}
                </h2>
                <p class="text-sm text-slate-600">
                    "What CI reported each participant's version brings, since the last train that "
                    "shipped the service ("<code>"POST /api/v1/release-trains/"{train.clone()}"/changes"</code>")."
                </p>
                {view.services.into_iter().map(|s| view! { <ServiceCard service=s /> }).collect_view()}
            </section>
            <div class="min-w-0 space-y-6">
                <NotesPanel
                    train=train.clone()
                    notes=view.notes
                    may_edit=view.may_edit
                    sealed=view.sealed
                />
                {view.post_release.map(|notes| view! {
                    <section aria-labelledby="post-release-heading" class=format!("{CARD} space-y-2")>
                        <h2 id="post-release-heading" class="text-lg font-medium">"Post-release notes"</h2>
                        <p class="text-xs text-slate-600">
                            "Written when the train completed, "<Moment at=notes.generated_at />"."
                        </p>
                        <pre class="max-h-96 overflow-auto whitespace-pre-wrap rounded bg-slate-50 p-2 text-xs"
                            data-testid="post-release-notes">{notes.markdown}</pre>
                    </section>
                })}
                <AnnouncementPanel
                    train=train.clone()
                    announcement=view.announcement
                    may_edit=view.may_edit
                />
            </div>
        </div>
    }
}

#[component]
fn ServiceCard(service: ServiceChanges) -> impl IntoView {
    let version = match (&service.previous_version, &service.version) {
        (Some(from), Some(to)) => format!("{from} → {to}"),
        (None, Some(to)) => to.clone(),
        _ => "version not set".to_owned(),
    };
    let since = match &service.since {
        Some(before) => {
            let shipped = before.version.clone().unwrap_or_else(|| "—".into());
            let href = format!("/trains/{}/changes", before.train);
            view! {
                <span>
                    "since "
                    <a class="text-sky-700 underline" href=href>
                        {before.tag.clone().unwrap_or_else(|| before.train.clone())}
                    </a>
                    {format!(" (shipped {shipped})")}
                </span>
            }
            .into_any()
        }
        None => view! { <span>"no earlier train shipped it"</span> }.into_any(),
    };
    let empty = service.changes.is_empty();
    view! {
        <article class=CARD data-testid=format!("service-changes-{}", service.service)>
            <h3 class="font-medium">
                {service.service.clone()}
                <span class="ml-2 font-mono text-sm text-slate-600">{version}</span>
            </h3>
            <p class="mb-2 text-xs text-slate-600">{since}</p>
            {if empty {
                view! { <p class="text-sm text-slate-500">"No changes reported."</p> }.into_any()
            } else {
                view! { <ChangeTable changes=service.changes /> }.into_any()
            }}
        </article>
    }
}

#[component]
fn ChangeTable(changes: Vec<ChangeView>) -> impl IntoView {
    view! {
        <div class="overflow-x-auto">
            <table class=TABLE aria-label="Changes">
                <thead class=THEAD>
                    <tr>
                        <th scope="col" class="px-2 py-1">"Change"</th>
                        <th scope="col" class="px-2 py-1">"Section"</th>
                        <th scope="col" class="px-2 py-1">"Author"</th>
                    </tr>
                </thead>
                <tbody class="divide-y divide-slate-100">
                    {changes.into_iter().map(|c| {
                        let short = c.sha.chars().take(7).collect::<String>();
                        let pr = match (c.pr_number, c.pr_url.clone()) {
                            (Some(n), Some(url)) => view! {
                                <a class="ml-1 text-sky-700 underline" href=url rel="external">{format!("#{n}")}</a>
                            }.into_any(),
                            (Some(n), None) => view! { <span class="ml-1">{format!("#{n}")}</span> }.into_any(),
                            _ => ().into_any(),
                        };
                        let breaking = c.breaking.then(|| view! {
                            <span class="ml-1 rounded bg-rose-100 px-1 text-xs text-rose-800">"breaking"</span>
                        });
                        view! {
                            <tr>
                                <td class="px-2 py-1">
                                    {c.title.clone()}{pr}{breaking}
                                    <code class="ml-1 text-xs text-slate-500">{short}</code>
                                </td>
                                <td class="px-2 py-1 text-xs">
                                    {c.section.clone().unwrap_or_else(|| "left out".into())}
                                </td>
                                <td class="px-2 py-1 text-xs">{c.author.clone()}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
