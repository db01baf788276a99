mod announcement_panel;
pub mod blocked_panel;
pub mod cell_history;
pub mod changes_page;
pub mod gate_matrix;
pub mod gates_form;
pub mod new_train_page;
mod notes_panel;
pub mod phases;
pub mod promotion_panel;
pub mod promotion_request;
pub mod request_decisions;
pub mod tag_history;
mod timeline;
pub mod train_actions;
pub mod train_page;
pub mod train_tabs;
pub mod trains_page;

/// The colour of a train state's badge.
pub fn state_class(state: crate::domain::TrainState) -> &'static str {
    use crate::domain::TrainState::*;
    match state {
        Planning => "bg-slate-100 text-slate-700 ring-slate-300",
        Validating | Staging => "bg-sky-100 text-sky-800 ring-sky-300",
        Executing | Verifying => "bg-indigo-100 text-indigo-800 ring-indigo-300",
        Completed => "bg-emerald-100 text-emerald-800 ring-emerald-300",
        Failed | RolledBack => "bg-rose-100 text-rose-800 ring-rose-300",
        Paused => "bg-amber-100 text-amber-800 ring-amber-300",
    }
}

/// `rolled_back` → `rolled back`.
pub fn state_label(state: crate::domain::TrainState) -> String {
    state.as_str().replace('_', " ")
}
