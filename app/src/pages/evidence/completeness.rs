use crate::domain::evidence::{Completeness, EvidenceRequirement};
use leptos::prelude::*;

/// What the policy requires of the bundle, and what of it is missing.
#[component]
pub fn CompletenessPanel(
    completeness: Completeness,
    requirements: Vec<EvidenceRequirement>,
) -> impl IntoView {
    let summary = if completeness.complete {
        view! {
            <p class="text-sm text-emerald-800">"Complete: the bundle holds everything the policy requires."</p>
        }.into_any()
    } else {
        view! {
            <ul class="space-y-1 text-sm" aria-label="Missing evidence">
                {completeness.missing.iter().map(|m| view! {
                    <li class="rounded border border-amber-300 bg-amber-50 px-2 py-1">{m.message.clone()}</li>
                }).collect_view()}
            </ul>
        }
        .into_any()
    };
    let missing = completeness.missing.clone();
    view! {
        <section aria-labelledby="completeness-heading" class=super::CARD data-testid="evidence-completeness">
            <h2 id="completeness-heading" class="mb-2 text-lg font-medium">"Completeness"</h2>
            {summary}
            <p class="mt-3 text-xs uppercase text-slate-500">"The policy requires"</p>
            <ul class="mt-1 space-y-0.5 text-sm">
                {requirements.into_iter().map(|r| {
                    let met = !missing.iter().any(|m| m.requirement == r);
                    let (mark, class) = if met { ("✓", "text-emerald-700") } else { ("✗", "text-rose-700") };
                    view! {
                        <li><span class=class aria-hidden="true">{mark}" "</span>{r.label()}
                            <span class="sr-only">{if met { " (present)" } else { " (missing)" }}</span>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
}
