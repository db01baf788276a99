//! The dependency graph as a picture: server-rendered SVG, one column per
//! layer of release order, an arrow from each dependency to its dependent.

use crate::domain::service::graph::{layout, Node, BOX_HEIGHT, BOX_WIDTH};
use crate::models::service::ServiceView;
use leptos::prelude::*;

#[component]
pub fn DependencyGraph(services: Vec<ServiceView>) -> impl IntoView {
    let active: Vec<&ServiceView> = services.iter().filter(|s| s.retired_at.is_none()).collect();
    let nodes: Vec<Node> = active
        .iter()
        .map(|s| Node {
            service: &s.name,
            depends_on: s.depends_on.iter().map(String::as_str).collect(),
        })
        .collect();
    let Ok(picture) = layout(&nodes) else {
        // The service layer refuses cycles; a graph that has one anyway is
        // not drawn rather than drawn wrong.
        return view! { <p class="text-sm text-rose-700">"The dependency graph has a cycle."</p> }
            .into_any();
    };
    if picture.boxes.is_empty() {
        return view! { <p class="text-sm text-slate-600">"No services yet."</p> }.into_any();
    }
    let (width, height) = (picture.width.to_string(), picture.height.to_string());
    let view_box = format!("0 0 {width} {height}");
    let label = format!(
        "Dependency graph of {} services in release order, left to right",
        picture.boxes.len()
    );
    view! {
        <div class="overflow-x-auto rounded-lg border border-slate-200 bg-white p-2 shadow-sm">
            <svg
                role="img"
                aria-label=label
                data-testid="dependency-graph"
                width=width
                height=height
                viewBox=view_box
                xmlns="http://www.w3.org/2000/svg"
            >
                <defs>
                    <marker id="arrow" viewBox="0 0 8 8" refX="8" refY="4"
                        markerWidth="8" markerHeight="8" orient="auto">
                        <path d="M0,0 L8,4 L0,8 z" fill="#64748b" />
                    </marker>
                </defs>
                {picture.arrows.into_iter().map(|a| {
                    let mid = (a.from.0 + a.to.0) / 2;
                    let d = format!(
                        "M{},{} C{mid},{} {mid},{} {},{}",
                        a.from.0, a.from.1, a.from.1, a.to.1, a.to.0, a.to.1
                    );
                    view! { <path d=d fill="none" stroke="#94a3b8" stroke-width="1.5" marker-end="url(#arrow)" /> }
                }).collect_view()}
                {picture.boxes.into_iter().map(|b| {
                    let href = format!("/admin/services/{}", b.service);
                    let (x, y) = (b.x.to_string(), b.y.to_string());
                    let (tx, ty) = ((b.x + 8).to_string(), (b.y + BOX_HEIGHT / 2 + 4).to_string());
                    let shown = if b.service.chars().count() > 22 {
                        format!("{}…", b.service.chars().take(21).collect::<String>())
                    } else {
                        b.service.clone()
                    };
                    view! {
                        <a href=href data-service=b.service.clone()>
                            <title>{b.service.clone()}</title>
                            <rect x=x y=y width=BOX_WIDTH.to_string() height=BOX_HEIGHT.to_string() rx="4"
                                fill="#f8fafc" stroke="#334155" />
                            <text x=tx y=ty font-size="13" fill="#0f172a">{shown}</text>
                        </a>
                    }
                }).collect_view()}
            </svg>
        </div>
    }
    .into_any()
}
