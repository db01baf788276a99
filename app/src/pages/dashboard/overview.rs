//! The dashboard's smaller parts: what waits for the viewer, rollback
//! signals, each track's next train, active freezes, recent rollbacks.

use crate::components::moment::Moment;
use crate::components::time::relative_label;
use crate::components::track_badge::TrackBadge;
use crate::models::calendar::FreezeView;
use crate::models::dashboard::{NextTrain, RecentRollback, Signal};
use crate::models::deployment::DeploymentView;
use crate::models::promotion::WaitingForYou;
use chrono::{DateTime, Utc};
use leptos::prelude::*;

pub const CARD: &str = "rounded-lg border border-slate-200 bg-white p-3 shadow-sm";

fn plural(n: impl Into<u64>, one: &str, many: &str) -> String {
    let n = n.into();
    format!("{n} {}", if n == 1 { one } else { many })
}

#[component]
pub fn Waiting(waiting: Vec<WaitingForYou>, now: DateTime<Utc>) -> impl IntoView {
    (!waiting.is_empty()).then(|| view! {
        <section aria-labelledby="waiting" class="mb-4 rounded-lg border-2 border-sky-400 bg-sky-50 p-4">
            <h2 id="waiting" class="mb-2 text-lg font-medium">"Waiting for your approval"</h2>
            <ul class="space-y-1 text-sm" aria-label="Waiting for your approval">
                {waiting.into_iter().map(|w| view! {
                    <li>
                        <a class="font-mono text-sky-800 underline" href=format!("/trains/{}", w.train)>
                            {w.title.clone()}
                        </a>
                        {format!(
                            " → {} · requested by @{} {} · {} needed",
                            w.environment,
                            w.requested_by,
                            relative_label(w.requested_at, now),
                            plural(w.approvals_needed, "more approval", "more approvals")
                        )}
                    </li>
                }).collect_view()}
            </ul>
        </section>
    })
}

#[component]
pub fn Signals(signals: Vec<Signal>, now: DateTime<Utc>) -> impl IntoView {
    (!signals.is_empty()).then(|| view! {
        <section aria-labelledby="signals" role="alert" class="mb-4 rounded-lg border border-rose-300 bg-rose-50 p-4">
            <h2 id="signals" class="mb-2 text-lg font-medium">"Rollback signals"</h2>
            <ul class="space-y-1 text-sm">
                {signals.into_iter().map(|s| view! {
                    <li>
                        <a class="font-mono text-sky-800 underline" href=format!("/trains/{}", s.train)>
                            {s.train.clone()}
                        </a>
                        {format!(" · {} in {}: {} · {} · {}", s.service, s.environment, s.detail,
                            s.outcome.label(),
                            relative_label(s.at, now))}
                    </li>
                }).collect_view()}
            </ul>
        </section>
    })
}

/// Each track's next train, in one row that stays at the top.
#[component]
pub fn NextTrains(next: Vec<NextTrain>, now: DateTime<Utc>) -> impl IntoView {
    view! {
        <section aria-labelledby="next-trains">
            <h2 id="next-trains" class="mb-2 text-lg font-medium">"Next train per track"</h2>
            <ul class="grid gap-3 sm:grid-cols-2 xl:grid-cols-3">
                {next.into_iter().map(|n| {
                    let body = match n.entry {
                        Some(e) => {
                            let tag = match (e.tag.clone(), e.train.clone()) {
                                (Some(tag), Some(name)) => view! {
                                    <a class="text-sky-800 underline" href=format!("/trains/{name}")>{tag}</a>
                                }.into_any(),
                                (tag, _) => tag.unwrap_or_else(|| "(cadence slot)".into()).into_any(),
                            };
                            let watch = match (e.on_call, e.warning) {
                                (Some(o), _) => view! { <span>{format!("on-call @{o}")}</span> }.into_any(),
                                (None, Some(w)) => view! { <span class="text-amber-800">{w}</span> }.into_any(),
                                (None, None) => ().into_any(),
                            };
                            view! {
                                <p class="font-mono">{tag}</p>
                                <p class="text-sm">
                                    <span class="font-medium">{format!("cut {}", relative_label(e.at, now))}</span>
                                    " · "
                                    <Moment at=e.at />
                                </p>
                                <p class="text-xs">{watch}</p>
                            }.into_any()
                        }
                        None => view! {
                            <p class="text-sm text-slate-500">"No planned train: this track runs on demand."</p>
                        }.into_any(),
                    };
                    view! {
                        <li class=CARD>
                            <div class="mb-1 flex items-center justify-between gap-2">
                                <TrackBadge name=n.track.name.clone() colour=n.track.colour.clone() />
                                <a
                                    href=format!("/calendar?track={}", n.track.name)
                                    class="text-xs text-sky-700 underline"
                                    title=n.track.cadence_description.clone()
                                >
                                    {format!("{} calendar", n.track.name)}
                                </a>
                            </div>
                            {body}
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
}

#[component]
pub fn Freezes(freezes: Vec<FreezeView>) -> impl IntoView {
    view! {
        <section aria-labelledby="freezes-now" class=CARD>
            <h2 id="freezes-now" class="mb-2 text-lg font-medium">"Freeze windows now"</h2>
            {if freezes.is_empty() {
                view! { <p class="text-sm text-slate-500">"No freeze is active."</p> }.into_any()
            } else {
                view! {
                    <ul class="space-y-1 text-sm">
                        {freezes.into_iter().map(|f| view! {
                            <li>
                                <strong>{f.reason.clone()}</strong>
                                " · "
                                {f.tracks_label()}
                                " · until "
                                <Moment at=f.ends_at />
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}

#[component]
pub fn RecentRollbacks(rollbacks: Vec<RecentRollback>, now: DateTime<Utc>) -> impl IntoView {
    view! {
        <section aria-labelledby="rollbacks" class="mt-6">
            <h2 id="rollbacks" class="mb-2 text-lg font-medium">"Recent rollbacks"</h2>
            {if rollbacks.is_empty() {
                view! { <p class="text-sm text-slate-500">"No rollback yet."</p> }.into_any()
            } else {
                view! {
                    <ul class="grid gap-2 text-sm md:grid-cols-2" aria-label="Recent rollbacks">
                        {rollbacks.into_iter().map(|r| view! {
                            <li class=CARD>
                                <a class="font-mono text-sky-800 underline" href=format!("/trains/{}", r.train)>
                                    {r.train.clone()}
                                </a>
                                {format!(
                                    " · {} · by {} · {}",
                                    relative_label(r.at, now),
                                    r.requested_by,
                                    plural(r.steps as u64, "step", "steps")
                                )}
                                <p class="text-slate-700">{r.reason}</p>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}

/// Deployments nobody scheduled, flagged while they are recent; nothing at
/// all when there are none.
#[component]
pub fn Unscheduled(deployments: Vec<DeploymentView>, now: DateTime<Utc>) -> impl IntoView {
    (!deployments.is_empty()).then(|| {
        view! {
            <section aria-labelledby="unscheduled" class="mb-6 rounded-lg border border-amber-300 bg-amber-50 p-3">
                <h2 id="unscheduled" class="mb-1 text-lg font-medium">"Deployed without a train"</h2>
                <ul class="text-sm" aria-label="Deployed without a train">
                    {deployments.into_iter().map(|d| view! {
                        <li>
                            <a class="text-sky-800 underline" href=format!("/services/{}", d.service)>{d.service.clone()}</a>
                            {format!(
                                " {} to {} · {} · {} · reported by {}",
                                d.version,
                                d.environment,
                                d.status.as_str().replace('_', " "),
                                relative_label(d.created_at, now),
                                d.reported_by
                            )}
                        </li>
                    }).collect_view()}
                </ul>
                <a href="/deployments" class="text-sm text-sky-700 underline">"What runs where"</a>
            </section>
        }
    })
}
