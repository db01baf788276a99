//! Release trains: create, read, transition, gate results, rollback.

mod create;
mod gate_results;
mod load;
mod rollback;
mod transition;

pub use create::{create_train, create_train_in};
pub use gate_results::record_gate_results;
pub use load::{list_trains, train_events, train_status};
pub use rollback::{rollback, rollback_status};
pub use transition::{delete_train, update_train};

use crate::error::AppError;

fn bad(field: impl Into<String>, message: impl ToString) -> AppError {
    AppError::BadRequest {
        field: Some(field.into()),
        message: message.to_string(),
    }
}

fn unprocessable(field: impl Into<String>, message: impl ToString) -> AppError {
    AppError::Unprocessable {
        field: Some(field.into()),
        message: message.to_string(),
    }
}

/// Train names are URL path segments and appear in branch names.
fn parse_train_name(name: &str) -> Result<&str, AppError> {
    let ok = !name.is_empty()
        && name.len() <= 100
        && name
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
    if ok {
        Ok(name)
    } else {
        Err(bad("name", format!("train name {name:?} must be 1-100 letters, digits, '.', '_' or '-', starting with a letter or digit")))
    }
}
