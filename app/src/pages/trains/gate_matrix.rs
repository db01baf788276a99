use crate::components::query::encode_value;
use crate::domain::gates::{Cell, CellStatus, GateMatrix};
use leptos::prelude::*;

const CELL_LINK: &str = concat!(
    "group relative flex items-center gap-1 rounded px-2 py-1 ring-1 ring-inset ",
    "focus:outline-none focus:ring-2 focus:ring-sky-600"
);
const TOOLTIP: &str = concat!(
    "pointer-events-none absolute left-0 top-full z-10 mt-1 hidden w-64 rounded bg-slate-900 p-2 ",
    "text-xs text-white shadow-lg group-hover:block group-focus:block"
);

/// Colour, symbol and word of a cell's status (the symbol and word keep it
/// readable without colour).
pub fn cell_style(status: CellStatus) -> (&'static str, &'static str, &'static str) {
    match status {
        CellStatus::Passed => (
            "bg-emerald-100 text-emerald-900 ring-emerald-300",
            "✓",
            "passed",
        ),
        CellStatus::Failed => ("bg-rose-100 text-rose-900 ring-rose-400", "✗", "failed"),
        CellStatus::Pending => ("bg-amber-50 text-amber-900 ring-amber-300", "…", "pending"),
        CellStatus::NotApplicable => (
            "bg-slate-50 text-slate-400 ring-slate-200",
            "–",
            "not applicable",
        ),
    }
}

/// Participants as rows, gates as columns; each cell links to its history
/// and shows its value, source and report time on hover or focus.
#[component]
pub fn GateMatrixTable(train: String, matrix: GateMatrix) -> impl IntoView {
    let stage = serde_json::to_value(matrix.stage)
        .ok()
        .and_then(|v| v.as_str().map(|s| s.replace('_', " ")))
        .unwrap_or_default();
    let gates = matrix.gates.clone();
    let rows = matrix
        .participants
        .iter()
        .zip(matrix.cells.iter())
        .map(|(participant, cells)| {
            let tds = gates
                .iter()
                .zip(cells.iter())
                .map(|(gate, cell)| view! {
                    <MatrixCell
                        train=train.clone()
                        participant=participant.clone()
                        gate=gate.name.clone()
                        cell=cell.clone()
                    />
                })
                .collect_view();
            view! {
                <tr>
                    <th scope="row" class="px-3 py-2 text-left font-medium">{participant.clone()}</th>
                    {tds}
                </tr>
            }
        })
        .collect_view();
    let warnings = matrix.warnings.clone();
    view! {
        <section aria-labelledby="gates-heading">
            <h2 id="gates-heading" class="mb-1 text-lg font-medium">"Gates"</h2>
            <p class="mb-2 text-xs text-slate-500">
                {format!("Evaluated for the {stage} stage. Select a cell for its history.")}
            </p>
            // Scrolls sideways on a narrow screen; on a wide one the cell
            // details may overflow the table instead of being cut off.
            <div class="overflow-x-auto rounded-lg border border-slate-200 bg-white lg:overflow-visible">
                <table class="min-w-full text-sm" aria-label="Gate matrix">
                    <thead class="bg-slate-50 text-xs text-slate-600">
                        <tr>
                            <th scope="col" class="px-3 py-2 text-left">"Participant"</th>
                            {gates.iter().map(|g| view! {
                                <th scope="col" class="px-3 py-2 text-left" title=g.rule.to_string()>
                                    {g.name.clone()}
                                    {(!g.blocking).then(|| view! {
                                        <span class="ml-1 font-normal text-slate-400">"(advisory)"</span>
                                    })}
                                </th>
                            }).collect_view()}
                        </tr>
                    </thead>
                    <tbody class="divide-y divide-slate-100">{rows}</tbody>
                </table>
            </div>
            {(!warnings.is_empty()).then(|| view! {
                <ul class="mt-2 text-xs text-amber-800">
                    {warnings.into_iter().map(|w| view! {
                        <li>{format!("Advisory: {} for {}: {}", w.gate, w.participant, w.detail)}</li>
                    }).collect_view()}
                </ul>
            })}
        </section>
    }
}

#[component]
fn MatrixCell(train: String, participant: String, gate: String, cell: Cell) -> impl IntoView {
    let (colour, symbol, word) = cell_style(cell.status);
    let shown = cell.observed.clone().unwrap_or_else(|| word.to_owned());
    let mut details = vec![format!("{participant} × {gate}: {word}")];
    if let Some(v) = &cell.observed {
        details.push(format!("value {v}"));
    }
    if let Some(d) = &cell.detail {
        details.push(d.clone());
    }
    if let Some(at) = cell.reported_at {
        details.push(format!("reported {}", at.format("%d %b %H:%M UTC")));
    }
    if let Some(url) = &cell.url {
        details.push(format!("source {url}"));
    }
    let label = details.join(" · ");
    let href = format!(
        "/trains/{train}?cell={}",
        encode_value(&format!("{participant}/{gate}"))
    );
    let tip = details.clone();
    view! {
        <td class="px-1 py-1">
            <a href=href
                class=format!("{CELL_LINK} {colour}")
                aria-label=label.clone()
                title=label
                data-status=word
                data-testid=format!("cell-{participant}-{gate}")>
                <span aria-hidden="true">{symbol}</span>
                <span class="truncate">{shown}</span>
                <span role="tooltip" class=TOOLTIP>
                    {tip.into_iter().map(|line| view! { <span class="block">{line}</span> }).collect_view()}
                </span>
            </a>
        </td>
    }
}
