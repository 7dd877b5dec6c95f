//! Candidate generation (one pass over every pair: top-K per mentee and
//! top-K′ per mentor) and the dual certificate over all pairs.
//!
//! Modules: [`scoring`] (the pass over every pair), [`top`] (its bounded
//! top-K lists), [`graph`] (the first candidate graph), [`certify`] (the
//! certificate).

mod certify;
mod graph;
mod scoring;
mod top;

pub(crate) use certify::{certify, CertPass};
pub(crate) use graph::candidate_graph;
pub(crate) use scoring::generate;

pub(crate) fn threads() -> usize {
    std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 64)
}

/// Result of the scoring pass.
pub(crate) struct Candidates {
    /// Per mentee: its top-K feasible mentors, best first (score desc, mentor asc).
    pub top: Vec<Vec<(u32, i64)>>,
    /// Per mentee: number of feasible mentors over all pairs.
    pub feasible: Vec<u32>,
    /// Per mentor: its top-K′ mentees by regret `score − best[e]` (desc,
    /// mentee asc), stored as (regret, mentee).
    pub mtop: Vec<Vec<(i64, u32)>>,
    /// Per mentee: its best feasible score (0 if none).
    pub best: Vec<i64>,
    /// Per mentor: bound on the regret of any pair not in `mtop` (`i64::MIN`
    /// if `mtop` holds all the mentor's feasible mentees).
    pub sigma: Vec<i64>,
    pub pairs_scanned: u64,
    /// Of those, pairs ruled out by the language rule a whole run at a time
    /// (no score computed).
    pub pairs_skipped_by_language: u64,
}

pub(crate) fn sort_top(top: &mut [(u32, i64)]) {
    top.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
}
