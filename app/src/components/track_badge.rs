use leptos::prelude::*;

/// Tailwind classes for a track's colour, fixed by the track's position so that
/// a track keeps its colour on every page.
pub fn track_colour(position: usize) -> &'static str {
    const PALETTE: [&str; 6] = [
        "bg-sky-100 text-sky-800 ring-sky-300",
        "bg-violet-100 text-violet-800 ring-violet-300",
        "bg-rose-100 text-rose-800 ring-rose-300",
        "bg-amber-100 text-amber-800 ring-amber-300",
        "bg-emerald-100 text-emerald-800 ring-emerald-300",
        "bg-slate-200 text-slate-800 ring-slate-300",
    ];
    PALETTE[position % PALETTE.len()]
}

#[component]
pub fn TrackBadge(name: String, position: usize) -> impl IntoView {
    let class = format!(
        "inline-flex items-center rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset {}",
        track_colour(position)
    );
    view! { <span class=class>{name}</span> }
}
