//! Services of the catalog: their names, how a team describes them, and the
//! graph of what each depends on.

pub mod graph;
mod name;
mod spec;

pub use name::{ServiceName, ServiceNameError};
pub use spec::{
    one_line_description, Invalid, Owner, RepositoryUrl, ServiceInput, ServiceSpec, MAX_DESCRIPTION,
};
