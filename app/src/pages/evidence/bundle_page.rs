use super::upload_form::{Flash, UploadForm};
use super::{raw_href, viewer_href, CompletenessPanel, CARD, TABLE, THEAD};
use crate::components::form_error::{form_message, FormError};
use crate::components::live::LiveRegion;
use crate::components::moment::Moment;
use crate::domain::byte_size;
use crate::error::AppError;
use crate::models::evidence::{ArtifactView, BundleView};
use crate::pages::trains::train_tabs::{TrainTab, TrainTabs};
use crate::pages::trains::{state_class, state_label};
use crate::pages::{error_fallback, loading};
use crate::server_fns::evidence::{evidence_bundle, RemoveEvidence};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

/// `/trains/{name}/evidence`: the train's bundle, its completeness, the
/// archive download and, for captains, the upload form.
#[component]
pub fn BundlePage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let name = Memo::new(move |_| params.read().get("name").unwrap_or_default());
    let data = Resource::new(move || name.get(), evidence_bundle);
    let topics = format!("train:{}", name.get_untracked());
    let flash = Memo::new(move |_| {
        let q = query.read();
        Flash {
            uploaded: q.get("uploaded"),
            error: q.get("error"),
            field: q.get("field"),
        }
    });
    view! {
        <Title text=format!("Evidence of {}", name.get_untracked()) />
        <LiveRegion id="bundle" topics>
        <Transition fallback=loading>
            <ErrorBoundary fallback=error_fallback>
                {move || Suspend::new(async move {
                    let bundle = data.await?;
                    Ok::<_, AppError>(view! { <BundleBody bundle flash=flash.get_untracked() /> })
                })}
            </ErrorBoundary>
        </Transition>
        </LiveRegion>
    }
}

#[component]
fn BundleBody(bundle: BundleView, flash: Flash) -> impl IntoView {
    let train = bundle.train.clone();
    let badge = format!(
        "inline-flex items-center rounded-full px-2.5 py-0.5 text-sm font-medium ring-1 ring-inset {}",
        state_class(bundle.state)
    );
    let archive = format!("/api/v1/release-trains/{train}/evidence.tar.gz");
    let seal = match &bundle.seal {
        Some(seal) => view! {
            <p class="text-sm text-emerald-900" data-testid="seal">
                "Sealed "<Moment at=seal.sealed_at />" by "{seal.sealed_by.clone()}
                {format!(
                    " when the train completed: {} artifact(s), nothing can be added, replaced or removed.",
                    seal.artifacts
                )}
            </p>
            <p class="mt-1 text-xs text-slate-600">"Manifest SHA-256 (recorded in the audit trail): "
                <code class="break-all" data-testid="manifest-sha256">{seal.manifest_sha256.to_string()}</code>
            </p>
        }
        .into_any(),
        None => view! {
            <p class="text-sm text-slate-700" data-testid="seal">
                "Not sealed: artifacts can be added, replaced or removed until the train completes. "
                "The archive's manifest is provisional, dated when you download it."
            </p>
        }
        .into_any(),
    };
    let may_change = bundle.may_upload && bundle.seal.is_none();
    let upload = may_change.then(|| {
        view! {
            <UploadForm
                train=train.clone()
                participants=bundle.participants.clone()
                max_bytes=bundle.max_bytes
                flash=flash.clone()
            />
        }
    });
    let refusal = flash.error.clone().filter(|_| !may_change);
    view! {
        <header class="mb-4">
            <p class="text-sm"><a href="/evidence" class="text-sky-700 underline">"← Evidence"</a></p>
            <div class="mt-1 flex flex-wrap items-center gap-3">
                <h1 class="font-mono text-2xl font-semibold">{bundle.tag.clone().unwrap_or_else(|| train.clone())}</h1>
                <span class=badge>{state_label(bundle.state)}</span>
            </div>
        </header>
        <TrainTabs train=train.clone() current=TrainTab::Evidence />
        {refusal.map(|e| view! {
            <p role="alert" class="mb-3 rounded border border-rose-300 bg-rose-50 p-2 text-sm text-rose-800">{e}</p>
        })}
        <div class="grid gap-6 lg:grid-cols-3">
            <div class="min-w-0 space-y-6 lg:col-span-2">
                <section aria-labelledby="bundle-heading" class=CARD>
                    <h2 id="bundle-heading" class="mb-2 text-lg font-medium">"Evidence bundle"</h2>
                    <p class="mb-2 text-sm" data-testid="bundle-summary">
                        {format!("{} artifact(s) · {}", bundle.artifacts.len(), byte_size::label(bundle.total_size))}
                    </p>
                    {seal}
                    <p class="mt-3">
                        <a href=archive download="" rel="external" data-testid="download-archive"
                            class="inline-block rounded bg-slate-900 px-3 py-1.5 text-sm text-white">
                            "Download bundle (.tar.gz)"
                        </a>
                        <span class="ml-2 text-xs text-slate-600">
                            "Check it offline: tar xzf … && cd "
                            {format!("{train}-evidence")}
                            " && sha256sum -c SHA256SUMS"
                        </span>
                    </p>
                </section>
            </div>
            <div class="order-first space-y-6 lg:order-none">
                <CompletenessPanel completeness=bundle.completeness.clone() requirements=bundle.requirements.clone() />
            </div>
        </div>
        <div class="mt-6 grid gap-6 xl:grid-cols-4">
            <div class="min-w-0 xl:col-span-3">
                <ArtifactTable train=train.clone() artifacts=bundle.artifacts.clone() may_remove=may_change />
            </div>
            <div>{upload}</div>
        </div>
    }
}

#[component]
fn ArtifactTable(train: String, artifacts: Vec<ArtifactView>, may_remove: bool) -> impl IntoView {
    let remove = ServerAction::<RemoveEvidence>::new();
    let remove_error = form_message(&remove.value().get_untracked(), &[]);
    let empty = artifacts.is_empty();
    view! {
        <section aria-labelledby="artifacts-heading">
            <h2 id="artifacts-heading" class="mb-2 text-lg font-medium">"Artifacts"</h2>
            <FormError message=remove_error />
            <div class="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
                <table class=TABLE aria-label="Artifacts">
                    <thead class=THEAD>
                        <tr>
                            <th scope="col" class="px-3 py-2">"Name"</th>
                            <th scope="col" class="px-3 py-2">"Kind"</th>
                            <th scope="col" class="px-3 py-2">"Participant"</th>
                            <th scope="col" class="px-3 py-2">"Size"</th>
                            <th scope="col" class="px-3 py-2">"SHA-256"</th>
                            <th scope="col" class="px-3 py-2">"Uploaded"</th>
                            <th scope="col" class="px-3 py-2"><span class="sr-only">"Actions"</span></th>
                        </tr>
                    </thead>
                    <tbody class="divide-y divide-slate-100">
                        {artifacts.into_iter().map(|a| {
                            let name = a.name.to_string();
                            let (train_field, name_field) = (train.clone(), name.clone());
                            let removal = may_remove.then(move || view! {
                                <details class="mt-1">
                                    <summary class="cursor-pointer text-xs text-rose-800">"Remove…"</summary>
                                    <ActionForm action=remove>
                                        <input type="hidden" name="train" value=train_field />
                                        <input type="hidden" name="name" value=name_field.clone() />
                                        <button
                                            type="submit"
                                            class="mt-1 rounded bg-rose-700 px-2 py-1 text-xs text-white"
                                        >
                                            {format!("Confirm: remove {name_field}")}
                                        </button>
                                    </ActionForm>
                                </details>
                            });
                            view! {
                                <tr data-testid=format!("artifact-{name}")>
                                    <td class="px-3 py-2 font-mono">
                                        <a class="text-sky-800 underline" href=viewer_href(&train, &name)>
                                            {name.clone()}
                                        </a>
                                    </td>
                                    <td class="px-3 py-2">{a.kind.label()}</td>
                                    <td class="px-3 py-2">
                                        {a.participant.clone().unwrap_or_else(|| "whole train".into())}
                                    </td>
                                    <td class="px-3 py-2 whitespace-nowrap">{byte_size::label(a.size)}</td>
                                    <td class="px-3 py-2">
                                        // The full digest is in the title and on the artifact's page.
                                        <code class="text-xs" title=a.sha256.to_string()>
                                            {format!("{}…", &a.sha256.as_str()[..12])}
                                        </code>
                                    </td>
                                    <td class="px-3 py-2 text-xs">
                                        {a.uploaded_by.clone()}
                                        <br />
                                        <Moment at=a.uploaded_at />
                                    </td>
                                    <td class="px-3 py-2 text-xs">
                                        <a
                                            class="text-sky-700 underline"
                                            href=raw_href(&train, &name)
                                            rel="external"
                                            download=""
                                            aria-label=format!("Download {name}")
                                        >
                                            "Raw"
                                        </a>
                                        {removal}
                                    </td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
                {empty.then(|| view! {
                    <p class="px-4 py-6 text-center text-sm text-slate-500">"Nothing has been uploaded yet."</p>
                })}
            </div>
        </section>
    }
}
