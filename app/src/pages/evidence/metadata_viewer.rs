use super::{TABLE, THEAD};
use crate::domain::evidence::metadata::Outcome;
use crate::domain::evidence::MetadataView;
use leptos::prelude::*;

/// The release metadata as a readable summary, with its schema result.
#[component]
pub fn MetadataViewer(view: MetadataView, train: String, tag: Option<String>) -> impl IntoView {
    let (passed, failed, skipped) = view.outcome_counts();
    let elsewhere = view.train_id != train && Some(&view.train_id) != tag.as_ref();
    let mismatch = elsewhere.then(|| {
        view! {
            <p role="alert" class="mb-2 rounded border border-amber-300 bg-amber-50 p-2 text-sm">
                {format!("The document names train {:?}, not this train ({train}).", view.train_id)}
            </p>
        }
    });
    let scope = view.change_scope.clone();
    let facts = [
        ("Train", view.train_id.clone()),
        ("Version", view.version.clone()),
        ("Tag", view.tag.clone()),
        ("Pipeline run", view.pipeline_run_id.clone()),
        (
            "Written",
            view.created_at.map_or("—".into(), |at| {
                at.format("%Y-%m-%d %H:%M UTC").to_string()
            }),
        ),
        ("Services", scope.services.join(", ")),
        (
            "Breaking change",
            if scope.breaking {
                "yes".into()
            } else {
                "no".into()
            },
        ),
    ];
    view! {
        <h2 class="mb-2 text-lg font-medium">"Release metadata"</h2>
        <p class="mb-2 text-sm text-emerald-800" data-testid="schema-result">
            {format!("Schema: valid against release metadata v{} (", view.schema_version)}
            <a class="text-sky-700 underline" href="/api/v1/schemas/release-metadata.json">"the schema"</a>
            "); every document is checked on upload and refused with each violation named."
        </p>
        {mismatch}
        <p class="mb-3 text-sm">{scope.summary}</p>
        <dl class="mb-4 grid grid-cols-2 gap-x-6 gap-y-1 text-sm sm:grid-cols-4" data-testid="metadata-facts">
            {facts.into_iter().map(|(k, v)| view! {
                <div><dt class="text-xs uppercase text-slate-500">{k}</dt><dd class="font-mono">{v}</dd></div>
            }).collect_view()}
        </dl>
        <h3 class="mb-1 font-medium">"Commits"</h3>
        <table class=TABLE aria-label="Commits">
            <thead class=THEAD>
                <tr>
                    <th scope="col" class="px-3 py-2">"Repository"</th>
                    <th scope="col" class="px-3 py-2">"Commit"</th>
                </tr>
            </thead>
            <tbody class="divide-y divide-slate-100">
                {view.commits.into_iter().map(|c| view! {
                    <tr>
                        <td class="px-3 py-2">{c.repository}</td>
                        <td class="px-3 py-2 font-mono text-xs">{c.sha}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
        <h3 class="mb-1 mt-4 font-medium">
            {format!("Verification: {passed} passed, {failed} failed, {skipped} skipped")}
        </h3>
        <table class=TABLE aria-label="Verification outcomes">
            <thead class=THEAD>
                <tr><th scope="col" class="px-3 py-2">"Check"</th><th scope="col" class="px-3 py-2">"Outcome"</th></tr>
            </thead>
            <tbody class="divide-y divide-slate-100">
                {view.verification.into_iter().map(|v| {
                    let class = match v.outcome {
                        Outcome::Passed => "text-emerald-800",
                        Outcome::Failed => "font-medium text-rose-800",
                        Outcome::Skipped => "text-slate-500",
                    };
                    let check = match v.url {
                        Some(url) => view! {
                            <a class="text-sky-700 underline" href=url rel="external">{v.check.clone()}</a>
                        }.into_any(),
                        None => v.check.clone().into_any(),
                    };
                    view! {
                        <tr>
                            <td class="px-3 py-2">{check}</td>
                            <td class=format!("px-3 py-2 {class}")>{v.outcome.label()}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}
