pub mod layout;
pub mod query;
pub mod time;
pub mod track_badge;
pub mod user_menu;
