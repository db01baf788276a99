use leptos::prelude::*;
use leptos_meta::Title;

/// `/audit`: the audit trail. Records are written once sign-in and write paths
/// exist; until then nothing has been changed through Trainyard.
#[component]
pub fn AuditPage() -> impl IntoView {
    view! {
        <Title text="Audit" />
        <h1 class="mb-2 text-2xl font-semibold">"Audit"</h1>
        <p class="text-slate-600">
            "Every change made through Trainyard (who, what, when, why and from where) is listed here. No change has been recorded yet: this instance has only its demo data."
        </p>
    }
}
