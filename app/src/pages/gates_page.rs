//! `/admin/gates`: gate templates. A track's template is what its new
//! trains get when they name no gates; seed 001's required checks and seed
//! 002's quality thresholds are presets an admin adds with one click.

use crate::components::form_error::{field_message, form_message, FieldError, FormError};
use crate::error::AppError;
use crate::models::gate_template::GateTemplateView;
use crate::pages::{error_fallback, loading};
use crate::server_fns::gate_templates::{
    get_gate_templates, AddGatePreset, AddGateTemplate, RemoveGateTemplate, SaveGateTemplate,
};
use leptos::prelude::*;
use leptos_meta::Title;

const INPUT: &str = "mt-1 w-full rounded border border-slate-300 px-2 py-1 text-sm";
const AREA: &str = "mt-1 h-40 w-full rounded border border-slate-300 px-2 py-1 font-mono text-xs";
const BUTTON: &str = "rounded bg-slate-900 px-3 py-1.5 text-sm text-white";
const PRESETS: [(&str, &str); 2] = [
    (
        "seed-001-required-checks",
        "Add seed 001's 17 required checks",
    ),
    ("seed-002-quality", "Add seed 002's quality thresholds"),
];

#[component]
pub fn GatesPage() -> impl IntoView {
    let add = ServerAction::<AddGateTemplate>::new();
    let preset = ServerAction::<AddGatePreset>::new();
    let save = ServerAction::<SaveGateTemplate>::new();
    let remove = ServerAction::<RemoveGateTemplate>::new();
    let templates = Resource::new(
        move || {
            (
                add.version().get(),
                preset.version().get(),
                save.version().get(),
                remove.version().get(),
            )
        },
        |_| get_gate_templates(),
    );
    // One message each: the actions are shared by every row.
    let saved = form_message(&save.value().get_untracked(), &[]);
    let removed = form_message(&remove.value().get_untracked(), &[]);
    let preset_error = form_message(&preset.value().get_untracked(), &[]);
    view! {
        <Title text="Gate templates" />
        <p class="mb-2 text-sm"><a href="/admin" class="text-sky-700 underline">"← Admin"</a></p>
        <h1 class="mb-1 text-2xl font-semibold">"Gate templates"</h1>
        <p class="mb-4 text-sm text-slate-600">
            "A track's template is what its new trains get when they name no gates; a train keeps the gates "
            "it was given when its template changes."
        </p>
        <FormError message=saved />
        <FormError message=removed />
        <FormError message=preset_error />
        <div class="mb-4 flex flex-wrap gap-2">
            {PRESETS.map(|(name, label)| view! {
                <ActionForm action=preset>
                    <input type="hidden" name="name" value=name />
                    <button type="submit" class="rounded border border-slate-300 px-3 py-1.5 text-sm">{label}</button>
                </ActionForm>
            }).collect_view()}
        </div>
        <Transition fallback=loading>
            <ErrorBoundary fallback=error_fallback>
                {move || Suspend::new(async move {
                    let list = templates.await?;
                    let empty = list.is_empty().then(|| view! {
                        <p class="text-sm text-slate-600">"No gate templates yet."</p>
                    });
                    Ok::<_, AppError>(view! {
                        <div class="space-y-3">
                            {empty}
                            {list.into_iter().map(|t| view! { <TemplateRow template=t save remove /> })
                                .collect_view()}
                        </div>
                    })
                })}
            </ErrorBoundary>
        </Transition>
        <NewTemplate add />
    }
}

#[component]
fn TemplateRow(
    template: GateTemplateView,
    save: ServerAction<SaveGateTemplate>,
    remove: ServerAction<RemoveGateTemplate>,
) -> impl IntoView {
    let used = if template.tracks.is_empty() {
        "no track uses it".to_owned()
    } else {
        format!("used by {}", template.tracks.join(", "))
    };
    let summary = format!("{} gates · {used}", template.gates.len());
    let yaml = template.gates_yaml.clone();
    let name = template.name.clone();
    let (change, save_label) = (format!("Change {name}…"), format!("Save {name}"));
    let (removing, remove_label) = (format!("Remove {name}…"), format!("Remove {name}"));
    let (save_name, remove_name) = (name.clone(), name.clone());
    view! {
        <section class="rounded-lg border border-slate-200 bg-white p-4 shadow-sm"
            data-testid=format!("template-{}", template.name)>
            <h2 class="font-medium">{template.name.clone()}</h2>
            <p class="text-sm text-slate-600">{template.description.clone()}</p>
            <p class="text-xs text-slate-500" data-testid="template-summary">{summary}</p>
            <details class="mt-2">
                <summary class="cursor-pointer text-sm text-sky-700">{change}</summary>
                <ActionForm action=save attr:class="mt-2 space-y-2">
                    <input type="hidden" name="name" value=save_name />
                    <label class="block text-sm">"Description"
                        <input name="description" value=template.description.clone() class=INPUT />
                    </label>
                    <label class="block text-sm">"Gates (YAML)"
                        <textarea name="gates" class=AREA>{yaml}</textarea>
                    </label>
                    <button type="submit" class=BUTTON>{save_label}</button>
                </ActionForm>
            </details>
            <details class="mt-2">
                <summary class="cursor-pointer text-sm text-rose-700">{removing}</summary>
                <ActionForm action=remove attr:class="mt-2 flex flex-wrap items-end gap-2">
                    <input type="hidden" name="name" value=remove_name />
                    <label class="text-sm">"Why"<input name="reason" required class=INPUT /></label>
                    <button type="submit" class="rounded border border-rose-300 px-3 py-1.5 text-sm text-rose-800">
                        {remove_label}
                    </button>
                </ActionForm>
            </details>
        </section>
    }
}

#[component]
fn NewTemplate(add: ServerAction<AddGateTemplate>) -> impl IntoView {
    let error = move |field: &'static str| field_message(&add.value().get_untracked(), field);
    let general = form_message(
        &add.value().get_untracked(),
        &["name", "description", "gates"],
    );
    view! {
        <section class="mt-6 max-w-2xl rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
            <h2 class="mb-2 font-medium">"Add a template"</h2>
            <FormError message=general />
            <ActionForm action=add attr:class="space-y-2">
                <label class="block text-sm">"Name"
                    <input name="name" required aria-describedby="template-name-error" class=INPUT />
                </label>
                <FieldError message=error("name") id="template-name-error".to_owned() />
                <label class="block text-sm">"Description"<input name="description" class=INPUT /></label>
                <label class="block text-sm">"Gates (YAML: - check: build, - no_open_critical_vulns, …)"
                    <textarea name="gates" aria-describedby="template-gates-error" class=AREA>
                        "- check: build\n- all_participants_quality >=80\n"
                    </textarea>
                </label>
                <FieldError message=error("gates") id="template-gates-error".to_owned() />
                <button type="submit" class=BUTTON>"Add the template"</button>
            </ActionForm>
        </section>
    }
}
