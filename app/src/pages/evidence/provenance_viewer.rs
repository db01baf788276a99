use super::{TABLE, THEAD};
use crate::domain::evidence::ProvenanceView;
use leptos::prelude::*;

/// Build provenance: who built it, from which source and commit, how.
#[component]
pub fn ProvenanceViewer(view: ProvenanceView) -> impl IntoView {
    let or_dash = |v: Option<String>| v.unwrap_or_else(|| "—".into());
    let signatures = match view.envelope_signatures {
        Some(n) => format!("DSSE envelope with {n} signature(s): shown, not verified yet"),
        None => "a bare statement, without an envelope or signature".to_owned(),
    };
    let facts = [
        ("Builder", or_dash(view.builder_id)),
        ("Source repository", or_dash(view.source_repo)),
        ("Source ref", or_dash(view.source_ref)),
        ("Commit", or_dash(view.commit)),
        ("Build invocation", or_dash(view.invocation)),
        ("Build type", or_dash(view.build_type)),
        ("Predicate", view.predicate_type),
        ("Signatures", signatures),
    ];
    view! {
        <h2 class="mb-2 text-lg font-medium">"Build provenance"</h2>
        <dl class="mb-4 grid gap-x-6 gap-y-2 text-sm sm:grid-cols-[12rem_1fr]" data-testid="provenance">
            {facts.into_iter().map(|(k, v)| view! {
                <dt class="text-xs uppercase text-slate-500">{k}</dt>
                <dd class="break-all font-mono text-xs">{v}</dd>
            }).collect_view()}
        </dl>
        <h3 class="mb-1 font-medium">{format!("Subjects ({})", view.subjects.len())}</h3>
        <table class=TABLE aria-label="Subjects">
            <thead class=THEAD>
                <tr>
                    <th scope="col" class="px-3 py-2">"Artifact"</th>
                    <th scope="col" class="px-3 py-2">"SHA-256"</th>
                </tr>
            </thead>
            <tbody class="divide-y divide-slate-100">
                {view.subjects.into_iter().map(|s| view! {
                    <tr>
                        <td class="px-3 py-2 font-mono">{s.name}</td>
                        <td class="px-3 py-2">
                            <code class="break-all text-xs">{s.sha256.map_or("—".into(), |d| d.to_string())}</code>
                        </td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}
