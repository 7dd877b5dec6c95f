//! # kindred-matching
//!
//! Kindred's matching engine: decides who supports whom. A pure library (no
//! database, no HTTP, no async, no clock) called by the API and the CLI.
//!
//! ## Input ([`Problem`])
//! * [`Taxonomy`]: tags with `slug`, `category` and `sensitive`.
//! * [`MenteeRequest`]s: `id`, `mentee_id`, `languages`, `timezone` (IANA),
//!   weekly `availability` ([`Window`]s in local time), `meeting_modes`,
//!   `region`, `public_tags`, `private_tags`, `required_tags`,
//!   `excluded_regions`, `waited_days`.
//! * [`Mentor`]s: the same profile fields plus `capacity_remaining`,
//!   `current_load`, `accepting`.
//! * `excluded_pairs` ([`ExcludedPair`]): blocked or previously
//!   rejected/declined/expired/ended pairs, keyed by request id or mentee id;
//!   `excluded_positions`: the same by dense position (8 bytes a pair).
//! * [`Weights`]: the `[matching.weights]` config table (serde, defaults,
//!   `deny_unknown_fields`).
//! * `reference_monday`: the week used for DST-correct time-zone conversion.
//!
//! ## Output
//! * [`run`] / [`Engine::run`] → [`RunResult`]: proposed pairs with score and
//!   [`Explanation`], unmatched requests with an [`UnmatchedReason`], the
//!   optimality [`Certificate`], and a [`FairnessReport`] (which always
//!   compares optimal, stable and greedy totals).
//! * [`suggest`] / [`Engine::suggest`] → top-K [`Suggestion`]s for one request.
//!   Build the [`Engine`] once and call `suggest` per API request.
//!
//! ## Guarantees
//! * Hard rules are never broken by any proposed or suggested pair.
//! * [`Mode::Optimal`] maximises Σ (score − convex load penalty) over **all**
//!   feasible pairs; the result carries a dual certificate
//!   (`certificate.held`).
//! * [`Mode::Stable`] is mentee-proposing deferred acceptance; its blocking
//!   pairs are counted in the fairness report (always 0).
//! * Deterministic: the same input gives the same output.
//! * Explanations never name a tag that either person keeps private.
//!
//! See `docs/matching.md` for the model, the default weights and complexity.

// Dense numeric code indexes several parallel arrays with one loop variable.
#![allow(clippy::needless_range_loop, clippy::type_complexity)]

mod cands;
mod circles;
mod flow;
mod index;
mod model;
mod rng;
mod run;
mod score;
mod stable;
#[cfg(test)]
mod unit_tests;
mod zero_path;

/// The benchmark's synthetic populations and driver (feature `bench`).
#[cfg(feature = "bench")]
pub mod bench;

pub use circles::{
    check_circle, form_circles, BlockedPair, CircleCategoryCounts, CircleConfig, CircleError,
    CircleOptions, CircleProblem, CircleReport, CircleRequest, CircleResult, CircleSlot,
    CircleViolation, CircleWeights, Facilitator, MemberExplanation, ProposedCircle, SearchStats,
    Unplaced, UnplacedReason,
};
pub use model::{
    ExcludedPair, MeetingMode, MenteeRequest, Mentor, Mode, Problem, Tag, Taxonomy, Weekday,
    Weights, Window,
};
pub use run::{
    run, suggest, CategoryCounts, Certificate, Engine, FairnessReport, MatchedPair, PhaseTimes,
    RunResult, ScoreBucket, SolverOptions, Suggestion, Unmatched, UnmatchedReason,
};
pub use score::{Component, Explanation};

/// Invalid input.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MatchError {
    #[error("duplicate id {0:?}")]
    DuplicateId(String),
    #[error("duplicate tag slug {0:?} in the taxonomy")]
    DuplicateTag(String),
    #[error("unknown tag {0:?} on {1:?}")]
    UnknownTag(String, String),
    #[error("unknown time zone {0:?} on {1:?}")]
    UnknownTimezone(String, String),
    #[error("invalid availability window on {0:?} (need 0 <= start < end <= 1440)")]
    InvalidWindow(String),
    #[error("the taxonomy has more than 65535 tags")]
    TooManyTags,
    #[error("weights too large: a pair's maximum score must stay below 2^29")]
    WeightsTooLarge,
    #[error("unknown request {0:?}")]
    UnknownRequest(String),
    #[error("excluded position [{0}, {1}] is outside the requests or mentors")]
    ExcludedPositionOutOfRange(usize, usize),
}

/// Internals exposed for tests and the benchmark only; not a stable API.
#[doc(hidden)]
pub mod internals {
    pub use crate::flow::UNMATCHED;
    pub use crate::rng::Rng;

    /// Solves a bare transportation instance with our solver:
    /// `arcs[e]` = (mentor, score) pairs, `pens[m]` = marginal costs of the
    /// mentor's 1st, 2nd, … new mentee. Returns (objective, assignment).
    pub fn solve_raw(arcs: &[Vec<(u32, i64)>], pens: &[Vec<i64>]) -> (i64, Vec<u32>) {
        let mut lists = arcs.to_vec();
        for l in &mut lists {
            l.sort_unstable_by_key(|x| x.0);
        }
        let g = crate::flow::Graph::from_lists(&lists);
        let p = crate::index::Csr::from_rows(pens.iter().cloned());
        let f = crate::flow::solve(&g, &p);
        (f.objective, f.assign)
    }

    /// Every feasible pair's score computed one pair at a time by the
    /// reference scorer (not the scanning pass), keyed by original indices,
    /// plus each active mentor's marginal load penalties.
    #[allow(clippy::type_complexity)]
    pub fn reference_scores(
        problem: &crate::Problem,
    ) -> Result<(Vec<Vec<(usize, i64)>>, Vec<(usize, Vec<i64>)>), crate::MatchError> {
        let ix = crate::index::Index::new(problem)?;
        let mut out = vec![Vec::new(); problem.requests.len()];
        for e in 0..ix.n_mentees() {
            for m in 0..ix.n_mentors() {
                if let Some(p) = ix.pair(e, m) {
                    out[ix.e.orig[e] as usize].push((ix.m.orig[m] as usize, ix.score_of(&p)));
                }
            }
        }
        let pens = (0..ix.n_mentors())
            .map(|m| {
                (
                    ix.m.orig[m] as usize,
                    (1..=ix.m_cap[m]).map(|k| ix.pen(m, k)).collect(),
                )
            })
            .collect();
        Ok((out, pens))
    }

    /// Scores from the scanning pass over an index whose mentors are
    /// renumbered by a pseudo-random permutation (from `seed`), each request
    /// scanned against a pseudo-random prefix only, as the certificate does.
    /// Returns per request (original index): the prefix's mentors (original
    /// indices, sorted) and the feasible pairs found, sorted by mentor.
    #[allow(clippy::type_complexity)]
    pub fn scan_scores_prefix(
        problem: &crate::Problem,
        seed: u64,
    ) -> Result<Vec<(Vec<usize>, Vec<(usize, i64)>)>, crate::MatchError> {
        let ix = crate::index::Index::new(problem)?;
        let n_m = ix.n_mentors();
        let mut rng = crate::rng::Rng::new(seed);
        let mut order: Vec<u32> = (0..n_m as u32).collect();
        for i in (1..n_m).rev() {
            order.swap(i, rng.below(i as u64 + 1) as usize);
        }
        let pix = ix.with_mentor_order(&order);
        let mut out = vec![(Vec::new(), Vec::new()); problem.requests.len()];
        let mut scratch = crate::score::Scratch::new(n_m);
        for e in 0..pix.n_mentees() {
            let limit = rng.below(n_m as u64 + 1) as usize;
            let sc = pix.scan_scores_prefix(e, &mut scratch, limit);
            let (allowed, pairs) = &mut out[pix.e.orig[e] as usize];
            for (i, &s) in sc.iter().enumerate() {
                let orig = pix.m.orig[i] as usize;
                allowed.push(orig);
                if s != crate::score::INFEASIBLE {
                    pairs.push((orig, i64::from(s)));
                }
            }
            allowed.sort_unstable();
            pairs.sort_unstable();
        }
        Ok(out)
    }

    /// The exhaustive optimum of a tiny circle problem (≤ 16 requests) over
    /// the engine's compiled instance, or `None` when too large.
    pub fn circles_optimum(
        problem: &crate::CircleProblem,
    ) -> Result<Option<i64>, crate::CircleError> {
        let inst = crate::circles::problem::Inst::new(problem)?;
        Ok(crate::circles::oracle::optimum(&inst))
    }

    /// Number of language runs the dense pass uses (1 = not grouped).
    pub fn lang_runs(problem: &crate::Problem) -> Result<usize, crate::MatchError> {
        Ok(crate::index::Index::new(problem)?.lang_runs.len())
    }

    /// Scores from the scanning pass, for comparison with `reference_scores`.
    pub fn scan_scores(
        problem: &crate::Problem,
    ) -> Result<Vec<Vec<(usize, i64)>>, crate::MatchError> {
        let ix = crate::index::Index::new(problem)?;
        let mut out = vec![Vec::new(); problem.requests.len()];
        let mut scratch = crate::score::Scratch::new(ix.n_mentors());
        for e in 0..ix.n_mentees() {
            let row = &mut out[ix.e.orig[e] as usize];
            ix.scan_mentee(e, &mut scratch, |m, s| {
                row.push((ix.m.orig[m as usize] as usize, s))
            });
        }
        Ok(out)
    }
}
