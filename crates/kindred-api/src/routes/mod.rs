//! One module per resource; each handler extracts its input, calls one
//! `kindred_service` function and renders the result.

pub mod admin;
pub mod auth;
pub mod circle_requests;
pub mod circles;
pub mod facilitators;
pub mod imports;
pub mod matches;
pub mod me;
pub mod notifications;
pub mod ops;
pub mod profiles;
pub mod programme;
pub mod requests;
pub mod runs;
pub mod safety;
pub mod tags;
pub mod transitions;
