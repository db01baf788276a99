use crate::components::moment::Moment;
use crate::domain::release_phases::{PhaseStatus, PhaseView};
use leptos::prelude::*;

/// Seed 000's five phases as a horizontal timeline.
#[component]
pub fn Phases(phases: Vec<PhaseView>) -> impl IntoView {
    view! {
        <section aria-labelledby="phases-heading">
            <h2 id="phases-heading" class="mb-2 text-lg font-medium">"Phases"</h2>
            <ol class="grid gap-2 sm:grid-cols-5" aria-label="Release phases">
                {phases.into_iter().map(|p| {
                    let (class, word) = match p.status {
                        PhaseStatus::Done => ("border-emerald-300 bg-emerald-50", "done"),
                        PhaseStatus::Current => ("border-sky-500 bg-sky-50 ring-2 ring-sky-300", "current"),
                        PhaseStatus::Upcoming => ("border-slate-200 bg-white text-slate-500", "upcoming"),
                        PhaseStatus::Stopped => ("border-rose-400 bg-rose-50", "stopped here"),
                    };
                    let when = p.at.map(|at| view! {
                        <p class="text-xs">{if p.planned { "planned " } else { "" }}<Moment at /></p>
                    });
                    view! {
                        <li
                            class=format!("rounded border p-2 text-sm {class}")
                            aria-current=(p.status == PhaseStatus::Current).then_some("step")
                        >
                            <p class="font-medium">{p.name}</p>
                            <p class="text-xs uppercase tracking-wide">{word}</p>
                            {when}
                        </li>
                    }
                }).collect_view()}
            </ol>
        </section>
    }
}
