use crate::components::moment::Moment;
use crate::components::time::relative_label;
use crate::domain::blocked::{BlockedItem, BlockedKind};
use crate::domain::TrainState;
use chrono::{DateTime, Utc};
use leptos::prelude::*;

/// "Why is this blocked?": every blocker in one place.
#[component]
pub fn BlockedPanel(
    items: Vec<BlockedItem>,
    state: TrainState,
    now: DateTime<Utc>,
) -> impl IntoView {
    let finished = matches!(state, TrainState::Completed | TrainState::RolledBack);
    let body = if finished {
        view! { <p class="text-sm text-slate-600">"This train has finished; nothing holds it."</p> }
            .into_any()
    } else if items.is_empty() {
        view! { <p class="text-sm text-emerald-800">"Nothing is blocking this train."</p> }
            .into_any()
    } else {
        view! {
            <ul class="space-y-2" aria-label="Blockers">
                {items.into_iter().map(|item| {
                    let colour = match item.kind {
                        BlockedKind::FailingGate | BlockedKind::Rejected => "border-rose-300 bg-rose-50",
                        BlockedKind::Freeze => "border-indigo-300 bg-indigo-50",
                        _ => "border-amber-300 bg-amber-50",
                    };
                    view! {
                        <li class=format!("rounded border p-2 text-sm {colour}") data-kind=format!("{:?}", item.kind)>
                            <p class="font-medium">{item.title}</p>
                            <p class="text-slate-700">{item.detail}</p>
                            {item.until.map(|until| view! {
                                <p class="text-xs text-slate-600">
                                    "until "
                                    <Moment at=until />
                                    " · "
                                    {relative_label(until, now)}
                                </p>
                            })}
                        </li>
                    }
                }).collect_view()}
            </ul>
        }
        .into_any()
    };
    view! {
        <section
            aria-labelledby="blocked-heading"
            class="rounded-lg border border-slate-200 bg-white p-4 shadow-sm"
            data-testid="blocked-panel"
        >
            <h2 id="blocked-heading" class="mb-2 text-lg font-medium">"Why is this blocked?"</h2>
            {body}
        </section>
    }
}
