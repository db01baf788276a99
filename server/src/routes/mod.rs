pub mod api;
pub mod events;
pub mod evidence_form;
pub mod exposition;
pub mod form_text;
pub mod health;
pub mod ics;
