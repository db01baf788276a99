use crate::components::form_error::{field_message, form_message, FieldError, FormError};
use crate::components::time::utc_label;
use crate::domain::service::MAX_DESCRIPTION;
use crate::error::AppError;
use crate::models::service::{ServicePage as Page, ServiceView};
use crate::pages::calendar::slot_page::{INPUT, LABEL, PRIMARY};
use crate::pages::{error_fallback, loading};
use crate::server_fns::services::{get_service_page, RetireService, SaveService};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

const RETIRE: &str =
    "rounded border border-rose-300 px-3 py-1.5 text-sm text-rose-800 hover:bg-rose-50";
const FIELDS: [&str; 5] = ["name", "description", "repository", "owners", "depends_on"];

/// `/admin/services/new` and `/admin/services/{name}`: a service's
/// description, repository, owners and dependencies; retiring it.
#[component]
pub fn ServicePage() -> impl IntoView {
    let params = use_params_map();
    let name = move || params.read().get("name");
    let page = Resource::new(name, get_service_page);
    view! {
        <Title text="Service" />
        <p class="mb-2 text-sm"><a href="/admin/services" class="text-sky-700 underline">"← Services"</a></p>
        <Suspense fallback=loading>
            <ErrorBoundary fallback=error_fallback>
                {move || Suspend::new(async move {
                    let page = page.await?;
                    Ok::<_, AppError>(view! { <ServiceForm page /> })
                })}
            </ErrorBoundary>
        </Suspense>
    }
}

#[component]
fn ServiceForm(page: Page) -> impl IntoView {
    let save = ServerAction::<SaveService>::new();
    let error = move |field: &'static str| field_message(&save.value().get_untracked(), field);
    let general = form_message(&save.value().get_untracked(), &FIELDS);
    let s = page.service.clone();
    let heading = s.as_ref().map_or("Add a service".to_owned(), |s| {
        format!("Service {}", s.name)
    });
    let existing = s
        .as_ref()
        .map(|s| view! { <input type="hidden" name="existing" value=s.name.clone() /> });
    let name = s.as_ref().map(|s| s.name.clone()).unwrap_or_default();
    let description = s
        .as_ref()
        .map(|s| s.description.clone())
        .unwrap_or_default();
    let repository = s
        .as_ref()
        .and_then(|s| s.repository.clone())
        .unwrap_or_default();
    let owners = s.as_ref().map(|s| s.owners.join("\n")).unwrap_or_default();
    let chosen = s.as_ref().map(|s| s.depends_on.clone()).unwrap_or_default();
    let retired = s.as_ref().and_then(|s| s.retired_at);
    let read_only = !page.may_manage || retired.is_some();
    let notice = match (retired, page.may_manage) {
        (Some(at), _) => Some(format!(
            "Retired {}: no new train may include it.",
            utc_label(at)
        )),
        (None, false) => Some("Only admins change services.".to_owned()),
        (None, true) => None,
    };
    let retire = s
        .filter(|s| page.may_manage && s.retired_at.is_none())
        .map(|service| {
            view! { <Retire service /> }
        });
    view! {
        <h1 class="mb-4 text-2xl font-semibold">{heading}</h1>
        {notice.map(|n| view! { <p class="mb-3 rounded border border-slate-200 bg-white p-3 text-sm">{n}</p> })}
        <FormError message=general />
        <ActionForm
            action=save
            attr:class="max-w-xl space-y-3 rounded-lg border border-slate-200 bg-white p-4 shadow-sm"
        >
            {existing}
            <div>
                <label for="name" class=LABEL>"Name"</label>
                <input id="name" name="name" value=name.clone() required readonly=!name.is_empty()
                    pattern="[a-z0-9][a-z0-9._\\-]{0,62}" aria-describedby="name-error" class=INPUT />
                <FieldError message=error("name") id="name-error".to_owned() />
            </div>
            <div>
                <label for="description" class=LABEL>"Description"</label>
                <textarea id="description" name="description" rows="2" maxlength=MAX_DESCRIPTION.to_string()
                    aria-describedby="description-error" class=INPUT>{description}</textarea>
                <FieldError message=error("description") id="description-error".to_owned() />
            </div>
            <div>
                <label for="repository" class=LABEL>"Repository"</label>
                <input id="repository" name="repository" value=repository placeholder="https://github.com/acme/ledger"
                    aria-describedby="repository-error" class=INPUT />
                <FieldError message=error("repository") id="repository-error".to_owned() />
            </div>
            <div>
                <label for="owners" class=LABEL>"Owners"</label>
                <p class="text-xs text-slate-600">
                    "One per line: a user name, or group:<name> for a group of your identity provider."
                </p>
                <textarea id="owners" name="owners" rows="3" aria-describedby="owners-error" class=INPUT>
                    {owners}
                </textarea>
                <FieldError message=error("owners") id="owners-error".to_owned() />
            </div>
            <fieldset>
                <legend class=LABEL>"Depends on (released before it)"</legend>
                <div class="mt-1 flex max-h-48 flex-wrap gap-x-4 gap-y-1 overflow-y-auto">
                    {page.others.into_iter().map(|other| {
                        let checked = chosen.contains(&other);
                        view! {
                            <label class="flex items-center gap-1 text-sm">
                                <input type="checkbox" name="depends_on[]" value=other.clone() checked=checked />
                                {other.clone()}
                            </label>
                        }
                    }).collect_view()}
                </div>
                <FieldError message=error("depends_on") id="depends_on-error".to_owned() />
            </fieldset>
            <button type="submit" class=PRIMARY disabled=read_only>"Save service"</button>
        </ActionForm>
        <OpenTrains trains=page.open_trains />
        {retire}
    }
}

#[component]
fn OpenTrains(trains: Vec<String>) -> impl IntoView {
    (!trains.is_empty()).then(|| {
        view! {
            <section class="mt-6 max-w-xl">
                <h2 class="mb-1 text-lg font-semibold">"Open trains that include it"</h2>
                <ul class="list-disc pl-5 text-sm">
                    {trains.into_iter().map(|t| {
                        let href = format!("/trains/{t}");
                        view! { <li><a href=href class="text-sky-700 underline">{t}</a></li> }
                    }).collect_view()}
                </ul>
            </section>
        }
    })
}

#[component]
fn Retire(service: ServiceView) -> impl IntoView {
    let retire = ServerAction::<RetireService>::new();
    let error = move |field: &'static str| field_message(&retire.value().get_untracked(), field);
    let general = form_message(&retire.value().get_untracked(), &["reason"]);
    view! {
        <section class="mt-6 max-w-xl rounded-lg border border-rose-200 bg-white p-4">
            <h2 class="mb-1 text-lg font-semibold">"Retire"</h2>
            <p class="mb-2 text-sm text-slate-600">
                "A retired service stays in past trains; no new train may include it. "
                "It cannot be retired while an open train includes it or a service depends on it."
            </p>
            <FormError message=general />
            <ActionForm action=retire attr:class="space-y-2">
                <input type="hidden" name="name" value=service.name.clone() />
                <label for="reason" class=LABEL>"Why"</label>
                <input id="reason" name="reason" required aria-describedby="reason-error" class=INPUT />
                <FieldError message=error("reason") id="reason-error".to_owned() />
                <button type="submit" class=RETIRE>
                    {format!("Retire {}", service.name)}
                </button>
            </ActionForm>
        </section>
    }
}
