use leptos::prelude::*;

use crate::domain::track_colour::TrackColour;

/// Tailwind classes for a track's colour (`TrackSummary::colour`), the same
/// on every page.
pub fn track_colour(colour: &str) -> &'static str {
    match TrackColour::parse(colour).unwrap_or(TrackColour::Slate) {
        TrackColour::Sky => "bg-sky-100 text-sky-800 ring-sky-300",
        TrackColour::Violet => "bg-violet-100 text-violet-800 ring-violet-300",
        TrackColour::Rose => "bg-rose-100 text-rose-800 ring-rose-300",
        TrackColour::Amber => "bg-amber-100 text-amber-800 ring-amber-300",
        TrackColour::Emerald => "bg-emerald-100 text-emerald-800 ring-emerald-300",
        TrackColour::Slate => "bg-slate-200 text-slate-800 ring-slate-300",
    }
}

#[component]
pub fn TrackBadge(name: String, colour: String) -> impl IntoView {
    let class = format!(
        "inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset {}",
        track_colour(&colour)
    );
    view! { <span class=class>{name}</span> }
}
