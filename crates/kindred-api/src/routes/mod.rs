//! One module per resource.

pub mod auth;
pub mod matches;
pub mod me;
pub mod notifications;
pub mod ops;
pub mod profiles;
pub mod programme;
pub mod requests;
pub mod safety;
pub mod tags;
