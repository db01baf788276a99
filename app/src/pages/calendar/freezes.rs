use crate::components::moment::Moment;
use crate::models::calendar::FreezeView;
use chrono::{DateTime, Utc};
use leptos::prelude::*;

const FREEZE_ITEM: &str = concat!(
    "flex flex-wrap items-start justify-between gap-2 rounded border border-slate-200 bg-white ",
    "p-3 text-sm"
);

/// Active and coming freeze windows, each with its reason and tracks.
#[component]
pub fn FreezeList(freezes: Vec<FreezeView>, now: DateTime<Utc>, may_edit: bool) -> impl IntoView {
    let empty = freezes.is_empty();
    view! {
        <section aria-labelledby="freezes" class="mt-8">
            <h2 id="freezes" class="mb-2 text-lg font-medium">"Freeze windows"</h2>
            {empty.then(|| view! { <p class="text-sm text-slate-500">"No freeze window is active or planned."</p> })}
            <ul class="space-y-2" aria-label="Freeze windows">
                {freezes
                    .into_iter()
                    .map(|f| {
                        let active = f.is_active(now);
                        let effect = if f.effect == "move" {
                            "trains inside move to its end"
                        } else {
                            "trains inside do not run"
                        };
                        let active_badge = active.then(|| {
                            view! {
                                <span class="mr-2 rounded bg-rose-600 px-1.5 py-0.5 text-xs font-semibold text-white">
                                    "Active"
                                </span>
                            }
                        });
                        let edit = may_edit.then(|| {
                            view! {
                                <a href=format!("/calendar/freezes/{}", f.id) class="text-sm text-sky-700 underline"
                                    aria-label=format!("Edit freeze window: {}", f.reason)>
                                    "Edit"
                                </a>
                            }
                        });
                        view! {
                            <li class=FREEZE_ITEM data-testid="freeze-window">
                                <div>
                                    {active_badge}
                                    <strong>{f.reason.clone()}</strong>
                                    <p class="text-slate-600">
                                        <Moment at=f.starts_at />" → "<Moment at=f.ends_at />
                                    </p>
                                    <p class="text-xs text-slate-500">{format!("{} · {effect}", f.tracks_label())}</p>
                                </div>
                                {edit}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </section>
    }
}
