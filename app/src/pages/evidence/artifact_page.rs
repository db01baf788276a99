use super::junit_viewer::JunitViewer;
use super::metadata_viewer::MetadataViewer;
use super::provenance_viewer::ProvenanceViewer;
use super::sbom_viewer::SbomViewer;
use super::{raw_href, CARD, TABLE, THEAD};
use crate::components::fact_list::FactList;
use crate::components::live::LiveRegion;
use crate::components::moment::Moment;
use crate::domain::byte_size;
use crate::domain::evidence::{ChecksumsView, Inspection};
use crate::error::AppError;
use crate::models::evidence::{ArtifactDetail, ArtifactView};
use crate::pages::{error_fallback, loading};
use crate::server_fns::evidence::evidence_artifact;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

/// `/trains/{name}/evidence/{artifact}`: one artifact, shown as its kind
/// reads best, with its raw download.
#[component]
pub fn ArtifactPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let train = Memo::new(move |_| params.read().get("name").unwrap_or_default());
    let artifact = Memo::new(move |_| params.read().get("artifact").unwrap_or_default());
    let data = Resource::new(
        move || (train.get(), artifact.get()),
        |(train, name)| evidence_artifact(train, name),
    );
    let topics = format!("train:{}", train.get_untracked());
    let search = Memo::new(move |_| query.read().get("q").unwrap_or_default());
    view! {
        <Title text=artifact.get_untracked() />
        <LiveRegion id="artifact" topics>
        <Transition fallback=loading>
            <ErrorBoundary fallback=error_fallback>
                {move || Suspend::new(async move {
                    let detail = data.await?;
                    Ok::<_, AppError>(view! { <ArtifactBody detail search=search.get_untracked() /> })
                })}
            </ErrorBoundary>
        </Transition>
        </LiveRegion>
    }
}

#[component]
fn ArtifactBody(detail: ArtifactDetail, search: String) -> impl IntoView {
    let text = detail.text.clone();
    let truncated = detail.text_truncated;
    view! {
        <ArtifactHeader detail=detail.clone() />
        <section aria-label="Viewer" class=CARD>
            <ArtifactViewer detail search />
            <ArtifactText text truncated />
        </section>
    }
}

/// The artifact's name, where it belongs, its facts, digest and download.
#[component]
fn ArtifactHeader(detail: ArtifactDetail) -> impl IntoView {
    let a = detail.artifact.clone();
    let train = detail.train.clone();
    let name = a.name.to_string();
    view! {
        <header class="mb-4">
            <p class="text-sm">
                <a href=format!("/trains/{train}/evidence") class="text-sky-700 underline">
                    {format!("← Evidence of {}", detail.tag.clone().unwrap_or_else(|| train.clone()))}
                </a>
            </p>
            <h1 class="mt-1 break-all font-mono text-2xl font-semibold">{name.clone()}</h1>
            {detail.sealed.then(|| view! { <p class="text-sm text-emerald-800">"Part of a sealed bundle."</p> })}
            <ArtifactFacts artifact=a.clone() />
            <p class="mt-2 text-sm">
                "SHA-256 "
                <code class="break-all text-xs" data-testid="artifact-sha256">{a.sha256.to_string()}</code>
            </p>
            <p class="mt-2">
                <a
                    href=raw_href(&train, &name)
                    rel="external"
                    download=""
                    class="inline-block rounded bg-slate-900 px-3 py-1.5 text-sm text-white"
                >
                    {format!("Download {name}")}
                </a>
            </p>
        </header>
    }
}

/// Kind, participant, size, content type and who uploaded it when.
#[component]
fn ArtifactFacts(artifact: ArtifactView) -> impl IntoView {
    let a = artifact;
    let facts: Vec<(&'static str, AnyView)> = vec![
        ("Kind", a.kind.label().into_any()),
        (
            "Participant",
            a.participant
                .clone()
                .unwrap_or_else(|| "whole train".into())
                .into_any(),
        ),
        ("Size", byte_size::label(a.size).into_any()),
        ("Content type", a.media_type.clone().into_any()),
        (
            "Uploaded",
            view! { {a.uploaded_by.clone()}" · "<Moment at=a.uploaded_at /> }.into_any(),
        ),
    ];
    view! { <FactList facts /> }
}

/// The viewer for the artifact's kind, from what was extracted at upload.
#[component]
fn ArtifactViewer(detail: ArtifactDetail, search: String) -> impl IntoView {
    let train = detail.train.clone();
    let name = detail.artifact.name.to_string();
    match detail.inspection.clone() {
        Inspection::Sbom(view) => {
            view! { <SbomViewer view search train=train.clone() artifact=name.clone() /> }
                .into_any()
        }
        Inspection::Junit(view) => view! { <JunitViewer view /> }.into_any(),
        Inspection::Provenance(view) => view! { <ProvenanceViewer view /> }.into_any(),
        Inspection::ReleaseMetadata(view) => {
            view! { <MetadataViewer view train=train.clone() tag=detail.tag.clone() /> }.into_any()
        }
        Inspection::Checksums(view) => {
            view! { <ChecksumsViewer view others=detail.others.clone() /> }.into_any()
        }
        Inspection::Text { lines } => view! {
            <p class="mb-2 text-sm text-slate-600">{format!("{lines} line(s) of text, kept as uploaded.")}</p>
        }
        .into_any(),
        Inspection::Opaque => view! {
            <p class="text-sm text-slate-700" data-testid="signature-note">
                "A signature, stored and shown as uploaded. \
                 Verifying it against the release artifacts comes in a later step."
            </p>
        }
        .into_any(),
    }
}

/// The file's text as uploaded, and a note when only its beginning is shown.
#[component]
fn ArtifactText(text: Option<String>, truncated: bool) -> impl IntoView {
    text.map(|text| {
        let cut = truncated.then(|| {
            view! {
                <p class="mt-1 text-xs text-slate-500">
                    "Only the beginning is shown; download the file for all of it."
                </p>
            }
        });
        view! {
            <pre
                class="max-h-[32rem] overflow-auto rounded border border-slate-200 bg-slate-50 p-3 text-xs"
                data-testid="artifact-text"
            >
                {text}
            </pre>
            {cut}
        }
    })
}

/// Each line of a `SHA256SUMS`, and whether the bundle holds that file.
#[component]
fn ChecksumsViewer(view: ChecksumsView, others: Vec<ArtifactView>) -> impl IntoView {
    view! {
        <h2 class="mb-2 text-lg font-medium">{format!("{} checksum(s)", view.entries.len())}</h2>
        <table class=TABLE aria-label="Checksums">
            <thead class=THEAD>
                <tr>
                    <th scope="col" class="px-3 py-2">"File"</th>
                    <th scope="col" class="px-3 py-2">"SHA-256"</th>
                    <th scope="col" class="px-3 py-2">"In this bundle"</th>
                </tr>
            </thead>
            <tbody class="divide-y divide-slate-100">
                {view.entries.into_iter().map(|e| {
                    let held = others.iter().find(|o| o.name.as_str() == e.name);
                    let status = match held {
                        Some(o) if o.sha256 == e.sha256 => view! {
                            <span class="text-emerald-800">"✓ same bytes"</span>
                        }.into_any(),
                        Some(_) => view! { <span class="font-medium text-rose-800">"✗ differs"</span> }.into_any(),
                        None => view! { <span class="text-slate-500">"not in the bundle"</span> }.into_any(),
                    };
                    view! {
                        <tr>
                            <td class="px-3 py-2 font-mono">{e.name.clone()}</td>
                            <td class="px-3 py-2"><code class="break-all text-xs">{e.sha256.to_string()}</code></td>
                            <td class="px-3 py-2 text-sm">{status}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}
