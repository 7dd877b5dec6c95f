//! Matches: matching runs, manual pairing, the transitions and their rules,
//! and what each viewer may see of a match.

pub mod actions;
pub mod runs;
pub mod transitions;
pub mod views;

pub use transitions::Actor;
