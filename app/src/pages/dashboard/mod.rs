use crate::components::live::LiveRegion;
use crate::components::moment::Moment;
use crate::components::time::relative_label;
use crate::components::track_badge::TrackBadge;
use crate::error::AppError;
use crate::models::dashboard::DashboardData;
use crate::pages::trains::{state_class, state_label};
use crate::pages::{error_fallback, loading};
use crate::server_fns::trains::dashboard;
use leptos::prelude::*;
use leptos_meta::Title;

/// `/`: what the validator team keeps open all day.
#[component]
pub fn DashboardPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| dashboard());
    view! {
        <Title text="Dashboard" />
        <h1 class="mb-4 text-2xl font-semibold">"Dashboard"</h1>
        <Transition fallback=loading>
            <ErrorBoundary fallback=error_fallback>
                {move || Suspend::new(async move {
                    let data = data.await?;
                    Ok::<_, AppError>(view! {
                        <LiveRegion id="dashboard" topics="*".to_owned()><DashboardBody data /></LiveRegion>
                    })
                })}
            </ErrorBoundary>
        </Transition>
    }
}

const CARD: &str = "rounded-lg border border-slate-200 bg-white p-4 shadow-sm";

#[component]
fn DashboardBody(data: DashboardData) -> impl IntoView {
    let now = data.now;
    let in_flight_empty = data.in_flight.is_empty();
    let waiting = (!data.waiting.is_empty()).then(|| view! {
        <section aria-labelledby="waiting" class="mb-6 rounded-lg border-2 border-sky-400 bg-sky-50 p-4">
            <h2 id="waiting" class="mb-2 text-lg font-medium">"Waiting for your approval"</h2>
            <ul class="space-y-1 text-sm" aria-label="Waiting for your approval">
                {data.waiting.iter().map(|w| view! {
                    <li>
                        <a class="font-mono text-sky-800 underline" href=format!("/trains/{}", w.train)>{w.title.clone()}</a>
                        {format!(" → {} · requested by @{} {} · {} more approval{} needed", w.environment, w.requested_by,
                            relative_label(w.requested_at, now), w.approvals_needed, if w.approvals_needed == 1 { "" } else { "s" })}
                    </li>
                }).collect_view()}
            </ul>
        </section>
    });
    let signals = (!data.signals.is_empty()).then(|| view! {
        <section aria-labelledby="signals" role="alert" class="mb-6 rounded-lg border border-rose-300 bg-rose-50 p-4">
            <h2 id="signals" class="mb-2 text-lg font-medium">"Rollback signals"</h2>
            <ul class="space-y-1 text-sm">
                {data.signals.iter().map(|s| view! {
                    <li>
                        <a class="font-mono text-sky-800 underline" href=format!("/trains/{}", s.train)>{s.train.clone()}</a>
                        {format!(" · {} in {}: {} · {} · {}", s.service, s.environment, s.detail,
                            if s.outcome == "rolled_back" { "rolled back automatically" } else { "rollback recommended" },
                            relative_label(s.at, now))}
                    </li>
                }).collect_view()}
            </ul>
        </section>
    });
    view! {
        {waiting}
        {signals}
        <div class="grid gap-6 lg:grid-cols-3">
            <section aria-labelledby="in-flight" class="lg:col-span-2">
                <h2 id="in-flight" class="mb-2 text-lg font-medium">"Trains in flight"</h2>
                {in_flight_empty.then(|| view! { <p class="text-sm text-slate-500">"No train is running right now."</p> })}
                <ul class="space-y-2" aria-label="Trains in flight">
                    {data.in_flight.into_iter().map(|t| {
                        let badge = format!("rounded-full px-2 py-0.5 text-xs ring-1 ring-inset {}", state_class(t.state));
                        let blockers = match t.blockers {
                            0 => view! { <span class="text-emerald-700">"no blockers"</span> }.into_any(),
                            n => view! { <span class="font-medium text-rose-700">{format!("{n} blocker{}", if n == 1 { "" } else { "s" })}</span> }.into_any(),
                        };
                        view! {
                            <li class=CARD>
                                <div class="flex flex-wrap items-center justify-between gap-2">
                                    <a class="font-mono text-lg text-sky-800 underline" href=format!("/trains/{}", t.name)>
                                        {t.tag.clone().unwrap_or_else(|| t.name.clone())}
                                    </a>
                                    <span class=badge>{state_label(t.state)}{t.paused_from.map(|p| format!(" (from {})", state_label(p)))}</span>
                                </div>
                                <p class="mt-1 text-sm text-slate-600">
                                    {format!("{} · phase: {} · captain: {} · ", t.track.unwrap_or_else(|| "no track".into()), t.phase,
                                        t.captain.map_or("nobody".into(), |c| format!("@{c}")))}
                                    {blockers}
                                </p>
                                <progress max="100" value=t.progress.to_string() aria-label=format!("{:.0}% released", t.progress)
                                    class="mt-2 h-2 w-full overflow-hidden rounded [&::-webkit-progress-bar]:bg-slate-200 [&::-webkit-progress-value]:bg-sky-600"></progress>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </section>
            <div class="space-y-6">
                <section aria-labelledby="freezes-now" class=CARD>
                    <h2 id="freezes-now" class="mb-2 text-lg font-medium">"Freeze windows now"</h2>
                    {if data.freezes.is_empty() {
                        view! { <p class="text-sm text-slate-500">"No freeze is active."</p> }.into_any()
                    } else {
                        view! {
                            <ul class="space-y-1 text-sm">
                                {data.freezes.into_iter().map(|f| view! {
                                    <li><strong>{f.reason.clone()}</strong>" · "{f.tracks_label()}" · until "<Moment at=f.ends_at /></li>
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    }}
                </section>
                <section aria-labelledby="rollbacks" class=CARD>
                    <h2 id="rollbacks" class="mb-2 text-lg font-medium">"Recent rollbacks"</h2>
                    {if data.rollbacks.is_empty() {
                        view! { <p class="text-sm text-slate-500">"No rollback yet."</p> }.into_any()
                    } else {
                        view! {
                            <ul class="space-y-2 text-sm" aria-label="Recent rollbacks">
                                {data.rollbacks.into_iter().map(|r| view! {
                                    <li>
                                        <a class="font-mono text-sky-800 underline" href=format!("/trains/{}", r.train)>{r.train.clone()}</a>
                                        {format!(" · {} · by {} · {} step(s)", relative_label(r.at, now), r.requested_by, r.steps)}
                                        <p class="text-slate-700">{r.reason}</p>
                                    </li>
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    }}
                </section>
            </div>
        </div>
        <section aria-labelledby="next-trains" class="mt-6">
            <h2 id="next-trains" class="mb-2 text-lg font-medium">"Next train per track"</h2>
            <ul class="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
                {data.next_trains.into_iter().map(|n| {
                    let body = match n.entry {
                        Some(e) => view! {
                            <p class="font-mono text-lg">
                                {match (e.tag.clone(), e.train.clone()) {
                                    (Some(tag), Some(name)) => view! { <a class="text-sky-800 underline" href=format!("/trains/{name}")>{tag}</a> }.into_any(),
                                    (tag, _) => tag.unwrap_or_else(|| "(cadence slot)".into()).into_any(),
                                }}
                            </p>
                            <p class="text-sm text-slate-600"><Moment at=e.at /></p>
                            <p class="text-sm font-medium">{format!("cut {}", relative_label(e.at, now))}</p>
                            <p class="text-sm">{match (e.on_call, e.warning) {
                                (Some(o), _) => format!("on-call @{o}"),
                                (None, Some(w)) => w,
                                (None, None) => String::new(),
                            }}</p>
                        }.into_any(),
                        None => view! { <p class="text-sm text-slate-500">"No planned train: this track runs on demand."</p> }.into_any(),
                    };
                    view! {
                        <li class=CARD>
                            <div class="mb-2 flex items-center justify-between gap-2">
                                <TrackBadge name=n.track.name.clone() position=n.position />
                                <span class="text-xs text-slate-500">{n.track.cadence_description.clone()}</span>
                            </div>
                            {body}
                            <a href=format!("/calendar?track={}", n.track.name) class="mt-2 inline-block text-sm text-sky-700 underline">
                                {format!("{} calendar", n.track.name)}
                            </a>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
}
