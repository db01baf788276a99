pub mod agenda;
pub mod calendar_page;
