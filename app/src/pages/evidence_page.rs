use leptos::prelude::*;
use leptos_meta::Title;

/// `/evidence`: evidence bundles per train. Bundles arrive with the evidence
/// API; until then there is nothing stored to list, and the page says so.
#[component]
pub fn EvidencePage() -> impl IntoView {
    view! {
        <Title text="Evidence" />
        <h1 class="mb-2 text-2xl font-semibold">"Evidence"</h1>
        <p class="text-slate-600">
            "Evidence bundles (SBOMs, test results, provenance, checksums and release metadata) are listed here per train once CI uploads them. No bundle is stored yet."
        </p>
    }
}
