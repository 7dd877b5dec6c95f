//! One module per resource.

pub mod auth;
pub mod me;
pub mod ops;
pub mod profiles;
pub mod tags;
