//! Matches: matching runs, manual pairing, the transitions and their rules,
//! what each viewer may see of a match, and a person's own matches (`mine`,
//! for the web app's pages).

pub mod actions;
pub mod mine;
pub mod runs;
pub mod transitions;
pub mod views;

pub use transitions::Actor;
