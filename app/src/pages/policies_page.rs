use crate::components::form_error::{field_message, form_message, FieldError, FormError};
use crate::domain::promotion::{EnvironmentKind, EnvironmentPolicy};
use crate::error::AppError;
use crate::models::environment::EnvironmentView;
use crate::pages::{error_fallback, loading};
use crate::server_fns::environments::{get_environments, AddEnvironment, RemoveEnvironment};
use crate::server_fns::promotions::SavePolicy;
use leptos::prelude::*;
use leptos_meta::Title;

const INPUT: &str = "mt-1 w-28 rounded border border-slate-300 px-2 py-1 text-sm";

/// `/admin/policies`: the organisation's environments in the order of
/// promotion, and what it takes to promote into each. Everyone signed in
/// reads them; admins add, change and remove them.
#[component]
pub fn PoliciesPage() -> impl IntoView {
    let save = ServerAction::<SavePolicy>::new();
    let add = ServerAction::<AddEnvironment>::new();
    let remove = ServerAction::<RemoveEnvironment>::new();
    let environments = Resource::new(
        move || {
            (
                save.version().get(),
                add.version().get(),
                remove.version().get(),
            )
        },
        |_| get_environments(),
    );
    // One message each for the page: the actions are shared by every row,
    // and a message names its environment.
    let general = form_message(&save.value().get_untracked(), &[]);
    let removal = form_message(&remove.value().get_untracked(), &[]);
    view! {
        <Title text="Environments and promotion policies" />
        <p class="mb-2 text-sm"><a href="/admin" class="text-sky-700 underline">"← Admin"</a></p>
        <h1 class="mb-4 text-2xl font-semibold">"Environments and promotion policies"</h1>
        <FormError message=general />
        <FormError message=removal />
        <Transition fallback=loading>
            <ErrorBoundary fallback=error_fallback>
                {move || Suspend::new(async move {
                    let list = environments.await?;
                    let roles: Vec<String> =
                        list.iter().map(|e| format!("approver:{}", e.name)).collect();
                    let empty = list.is_empty().then(|| view! {
                        <p class="text-sm text-slate-600" data-testid="no-environments">
                            "No environments yet: add the first one below."
                        </p>
                    });
                    Ok::<_, AppError>(view! {
                        <div class="space-y-3">
                            {empty}
                            {list.into_iter().map(|e| {
                                let roles = roles.clone();
                                view! { <EnvironmentRow environment=e roles save remove /> }
                            }).collect_view()}
                        </div>
                    })
                })}
            </ErrorBoundary>
        </Transition>
        <AddEnvironmentForm add />
    }
}

#[component]
fn AddEnvironmentForm(add: ServerAction<AddEnvironment>) -> impl IntoView {
    let error = move |field: &'static str| field_message(&add.value().get_untracked(), field);
    let general = form_message(
        &add.value().get_untracked(),
        &["name", "kind", "description"],
    );
    view! {
        <section class="mt-6 rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
            <h2 class="mb-2 font-medium">"Add an environment"</h2>
            <p class="mb-2 text-sm text-slate-600">
                "It goes last in the order, with its kind's policy: development and preview need no approval, "
                "pre-production one, production two and a 10-minute wait, each by approver:<name>."
            </p>
            <FormError message=general />
            <ActionForm action=add attr:class="flex flex-wrap items-end gap-4">
                <label class="text-sm">"Name"
                    <input name="name" required aria-describedby="env-name-error" class=INPUT />
                    <FieldError message=error("name") id="env-name-error".to_owned() />
                </label>
                <label class="text-sm">"Kind"
                    <select name="kind" class=INPUT>
                        {EnvironmentKind::ALL.map(|k| view! { <option value=k.as_str()>{k.as_str()}</option> })
                            .collect_view()}
                    </select>
                </label>
                <label class="text-sm">"Description"
                    <input name="description" class="mt-1 w-64 rounded border border-slate-300 px-2 py-1 text-sm" />
                </label>
                <button type="submit" class="rounded bg-slate-900 px-3 py-1.5 text-sm text-white">
                    "Add the environment"
                </button>
            </ActionForm>
        </section>
    }
}

fn summary(p: &EnvironmentPolicy) -> String {
    let mut parts = vec![match p.required_approvals {
        0 => "no approval".to_owned(),
        n => format!(
            "{n} approval{} by {}",
            if n == 1 { "" } else { "s" },
            p.approver_role
        ),
    }];
    if !p.wait_timer.is_zero() {
        parts.push(format!("{} s wait", p.wait_timer.num_seconds()));
    }
    if let Some(soak) = p.soak {
        parts.push(format!("{} h soak", soak.num_hours()));
    }
    parts.push(
        if p.require_gates {
            "gates must pass"
        } else {
            "gates advisory"
        }
        .to_owned(),
    );
    if p.freeze_blocks {
        parts.push("freezes block".to_owned());
    }
    if p.auto_rollback {
        parts.push("automatic rollback".to_owned());
    }
    if p.require_evidence {
        parts.push("complete evidence required".to_owned());
    }
    if p.owner_review {
        parts.push("service owners review".to_owned());
    }
    parts.push(
        if p.confirmed_by_cd {
            "deploys confirmed by CD"
        } else {
            "record only (no CD confirmation)"
        }
        .to_owned(),
    );
    if p.requester_may_approve {
        parts.push("requester may approve".to_owned());
    }
    parts.join(" · ")
}

#[component]
fn EnvironmentRow(
    environment: EnvironmentView,
    /// Every environment's approver role, to choose from.
    mut roles: Vec<String>,
    save: ServerAction<SavePolicy>,
    remove: ServerAction<RemoveEnvironment>,
) -> impl IntoView {
    let policy = environment.policy.clone();
    let about = format!(
        "{} · {} {}",
        environment.kind,
        if environment.tracks.is_empty() {
            "no track uses it"
        } else {
            "used by"
        },
        environment.tracks.join(", ")
    );
    let removing = format!("Remove {}…", environment.name);
    let remove_label = format!("Remove {}", environment.name);
    let current = policy.approver_role.name();
    if !roles.contains(&current) {
        roles.push(current.clone());
    }
    let env = policy.environment.to_string();
    let test_id = format!("policy-{env}");
    let heading = env.clone();
    let change = format!("Change the {env} policy…");
    let save_label = format!("Save the {env} policy");
    let checkbox = |name: &'static str, label: &'static str, on: bool| {
        view! {
            <label class="flex items-center gap-1 text-sm"><input type="checkbox" name=name checked=on />{label}</label>
        }
    };
    view! {
        <section class="rounded-lg border border-slate-200 bg-white p-4 shadow-sm" data-testid=test_id>
            <h2 class="font-medium">{heading}</h2>
            <p class="text-xs text-slate-500" data-testid="environment-about">{about}</p>
            <p class="text-sm text-slate-600" data-testid="policy-summary">{summary(&policy)}</p>
            <details class="mt-2">
                <summary class="cursor-pointer text-sm text-sky-700">{change}</summary>
                <ActionForm action=save attr:class="mt-2 flex flex-wrap items-end gap-4">
                    <input type="hidden" name="environment" value=env />
                    <label class="text-sm">"Approvals"
                        <input
                            name="required_approvals"
                            type="number"
                            min="0"
                            max="10"
                            value=policy.required_approvals.to_string()
                            class=INPUT
                        />
                    </label>
                    <label class="text-sm">"By role"
                        <select name="approver_role" class=INPUT>
                            {roles.into_iter().map(|r| {
                                let selected = r == current;
                                let label = r.clone();
                                view! { <option value=r selected=selected>{label}</option> }
                            }).collect_view()}
                        </select>
                    </label>
                    <label class="text-sm">"Wait timer (seconds)"
                        <input
                            name="wait_timer"
                            type="number"
                            min="0"
                            value=policy.wait_timer.num_seconds().to_string()
                            class=INPUT
                        />
                    </label>
                    <label class="text-sm">"Soak of the source (hours)"
                        <input
                            name="soak_hours"
                            type="number"
                            min="0"
                            value=policy.soak.map(|s| s.num_hours().to_string()).unwrap_or_default()
                            class=INPUT
                        />
                    </label>
                    {checkbox("requester_may_approve", "requester may approve", policy.requester_may_approve)}
                    {checkbox("require_gates", "gates must pass", policy.require_gates)}
                    {checkbox("freeze_blocks", "freezes block", policy.freeze_blocks)}
                    {checkbox("auto_rollback", "automatic rollback", policy.auto_rollback)}
                    {checkbox("require_evidence", "complete evidence required", policy.require_evidence)}
                    {checkbox("owner_review", "service owners review", policy.owner_review)}
                    {checkbox("confirmed_by_cd", "deploys confirmed by CD", policy.confirmed_by_cd)}
                    <button type="submit" class="rounded bg-slate-900 px-3 py-1.5 text-sm text-white">
                        {save_label}
                    </button>
                </ActionForm>
            </details>
            <details class="mt-2">
                <summary class="cursor-pointer text-sm text-rose-700">{removing}</summary>
                <ActionForm action=remove attr:class="mt-2 flex flex-wrap items-end gap-2">
                    <input type="hidden" name="name" value=environment.name.clone() />
                    <label class="text-sm">"Why"
                        <input name="reason" required class="mt-1 w-64 rounded border border-slate-300 px-2 py-1 text-sm" />
                    </label>
                    <button type="submit" class="rounded border border-rose-300 px-3 py-1.5 text-sm text-rose-800">
                        {remove_label}
                    </button>
                </ActionForm>
            </details>
        </section>
    }
}
