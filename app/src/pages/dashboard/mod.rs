//! `/`: what the validator team keeps open all day. What waits for the
//! viewer comes first, then each track's next train (always in view), then
//! every train in flight as one compact table, blocked trains first, with
//! counts per state, filters and sortable columns — readable with three
//! trains and with a hundred.

mod in_flight;
mod overview;

use crate::components::live::LiveRegion;
use crate::domain::TrainState;
use crate::error::AppError;
use crate::models::dashboard::{DashboardData, InFlightQuery, SortBy};
use crate::pages::setup_page::SetupNotice;
use crate::pages::{error_fallback, loading};
use crate::server_fns::trains::dashboard;
use in_flight::InFlight;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use overview::{Freezes, NextTrains, RecentRollbacks, Signals, Unscheduled, Waiting};

#[component]
pub fn DashboardPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| dashboard());
    let query = use_query_map().get_untracked();
    let given = |key: &str| query.get(key).filter(|v| !v.trim().is_empty());
    let filter = InFlightQuery {
        track: given("track"),
        captain: given("captain"),
        state: given("state").and_then(|s| TrainState::parse(&s).ok()),
        mine: given("mine").is_some(),
        blocked: given("blocked").is_some(),
        sort: given("sort").map_or_else(SortBy::default, |s| SortBy::parse(&s)),
        descending: given("desc").is_some(),
    };
    view! {
        <Title text="Dashboard" />
        <h1 class="mb-4 text-2xl font-semibold">"Dashboard"</h1>
        <SetupNotice />
        <LiveRegion id="dashboard" topics="*".to_owned()>
            <Transition fallback=loading>
                <ErrorBoundary fallback=error_fallback>
                    {
                        let filter = filter.clone();
                        move || {
                            let filter = filter.clone();
                            Suspend::new(async move {
                                let data = data.await?;
                                Ok::<_, AppError>(view! { <DashboardBody data filter /> })
                            })
                        }
                    }
                </ErrorBoundary>
            </Transition>
        </LiveRegion>
    }
}

#[component]
fn DashboardBody(data: DashboardData, filter: InFlightQuery) -> impl IntoView {
    let now = data.now;
    view! {
        <Waiting waiting=data.waiting.clone() now />
        <Signals signals=data.signals.clone() now />
        <Unscheduled deployments=data.unscheduled.clone() now />
        <div class="mb-6 grid gap-4 lg:grid-cols-4">
            <div class="lg:col-span-3">
                <NextTrains next=data.next_trains.clone() now />
            </div>
            <Freezes freezes=data.freezes.clone() />
        </div>
        <InFlight data=data.clone() filter />
        <RecentRollbacks rollbacks=data.rollbacks.clone() now />
    }
}
