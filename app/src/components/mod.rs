pub mod form_error;
pub mod layout;
pub mod live;
pub mod moment;
pub mod query;
pub mod time;
pub mod track_badge;
pub mod user_menu;
