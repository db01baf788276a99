use crate::components::form_error::{field_message, form_message, FieldError, FormError};
use crate::domain::promotion::EnvironmentPolicy;
use crate::error::AppError;
use crate::pages::{error_fallback, loading};
use crate::server_fns::promotions::{promotion_policies, SavePolicy};
use leptos::prelude::*;
use leptos_meta::Title;

const INPUT: &str = "mt-1 w-28 rounded border border-slate-300 px-2 py-1 text-sm";
const FIELDS: [&str; 4] = [
    "required_approvals",
    "approver_role",
    "wait_timer",
    "soak_hours",
];

/// `/admin/policies`: what it takes to promote into each environment.
/// Everyone signed in reads them; admins change them.
#[component]
pub fn PoliciesPage() -> impl IntoView {
    let save = ServerAction::<SavePolicy>::new();
    let policies = Resource::new(move || save.version().get(), |_| promotion_policies());
    let general = form_message(&save.value().get_untracked(), &FIELDS);
    view! {
        <Title text="Promotion policies" />
        <p class="mb-2 text-sm"><a href="/admin" class="text-sky-700 underline">"← Admin"</a></p>
        <h1 class="mb-4 text-2xl font-semibold">"Promotion policies"</h1>
        <FormError message=general />
        <Transition fallback=loading>
            <ErrorBoundary fallback=error_fallback>
                {move || Suspend::new(async move {
                    let list = policies.await?;
                    Ok::<_, AppError>(view! {
                        <div class="space-y-3">
                            {list.into_iter().map(|p| view! { <PolicyRow policy=p save /> }).collect_view()}
                        </div>
                    })
                })}
            </ErrorBoundary>
        </Transition>
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
    if p.requester_may_approve {
        parts.push("requester may approve".to_owned());
    }
    parts.join(" · ")
}

#[component]
fn PolicyRow(policy: EnvironmentPolicy, save: ServerAction<SavePolicy>) -> impl IntoView {
    let env = policy.environment.to_string();
    let error = move |field: &'static str| field_message(&save.value().get_untracked(), field);
    let test_id = format!("policy-{env}");
    let heading = env.clone();
    let change = format!("Change the {env} policy…");
    let save_label = format!("Save the {env} policy");
    let ids = [
        format!("{env}-approvals-error"),
        format!("{env}-wait-error"),
        format!("{env}-soak-error"),
    ];
    let [approvals_id, wait_id, soak_id] = ids;
    let checkbox = |name: &'static str, label: &'static str, on: bool| {
        view! {
            <label class="flex items-center gap-1 text-sm"><input type="checkbox" name=name checked=on />{label}</label>
        }
    };
    view! {
        <section class="rounded-lg border border-slate-200 bg-white p-4 shadow-sm" data-testid=test_id>
            <h2 class="font-medium">{heading}</h2>
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
                        <FieldError message=error("required_approvals") id=approvals_id />
                    </label>
                    <label class="text-sm">"By role"
                        <select name="approver_role" class=INPUT>
                            {["approver:stage", "approver:prod"].map(|r| view! {
                                <option value=r selected=policy.approver_role.as_str() == r>{r}</option>
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
                        <FieldError message=error("wait_timer") id=wait_id />
                    </label>
                    <label class="text-sm">"Soak of the source (hours)"
                        <input
                            name="soak_hours"
                            type="number"
                            min="0"
                            value=policy.soak.map(|s| s.num_hours().to_string()).unwrap_or_default()
                            class=INPUT
                        />
                        <FieldError message=error("soak_hours") id=soak_id />
                    </label>
                    {checkbox("requester_may_approve", "requester may approve", policy.requester_may_approve)}
                    {checkbox("require_gates", "gates must pass", policy.require_gates)}
                    {checkbox("freeze_blocks", "freezes block", policy.freeze_blocks)}
                    {checkbox("auto_rollback", "automatic rollback", policy.auto_rollback)}
                    {checkbox("require_evidence", "complete evidence required", policy.require_evidence)}
                    <button type="submit" class="rounded bg-slate-900 px-3 py-1.5 text-sm text-white">
                        {save_label}
                    </button>
                </ActionForm>
            </details>
        </section>
    }
}
