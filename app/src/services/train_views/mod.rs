//! Read models of the train page, the trains list and the dashboard: loaded
//! here, judged by the domain.

mod cell_history;
mod chart;
mod dashboard;
mod list;
mod page;
mod verdict;

pub use cell_history::cell_history;
pub(crate) use chart::line_chart;
pub use dashboard::dashboard;
pub use list::train_list;
pub use page::train_page;
