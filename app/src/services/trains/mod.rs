//! Release trains: create, read, transition, gate results, rollback.

mod create;
mod facts;
mod gate_results;
mod gates;
mod load;
mod roll_forward;
mod rollback;
mod rollback_confirm;
mod rollback_timeout;
mod tags;
mod transition;

pub(crate) use create::parse_gates;
pub use create::{create_train, create_train_in};
pub(crate) use facts::{load_facts, train_ids, TrainFacts};
pub use gate_results::{record_gate_results, record_gate_results_once};
pub use gates::set_train_gates;
pub(crate) use load::{facts_of, load_participants, load_train, StoredEvent};
pub use load::{list_trains, train_events, train_status};
pub(crate) use roll_forward::roll_forward;
pub(crate) use rollback::last_rollback;
pub(crate) use rollback::rollback_in;
pub use rollback::{rollback, rollback_status};
pub(crate) use rollback_confirm::{rollback_awaiting, settle_rollbacks};
pub(crate) use rollback_timeout::{mark_stuck, rollbacks_overdue};
pub use tags::cut_candidate;
pub(crate) use tags::cut_train;
pub use transition::{delete_train, set_participant_version, update_train};

use crate::domain::train_name::TrainName;
use crate::error::bad_field as bad;
use crate::error::bad_field as unprocessable;
use crate::error::AppError;

fn parse_train_name(name: &str) -> Result<TrainName, AppError> {
    TrainName::parse(name).map_err(|e| bad("name", e))
}
