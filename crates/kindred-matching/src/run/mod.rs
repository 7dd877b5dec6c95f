//! Orchestration: candidates → solve → certify (→ re-solve) → stable, greedy,
//! explanations, fairness report; and suggestions.
//!
//! Modules: [`types`] (options and results), [`optimal`] (the certified
//! optimal pipeline), [`present`] (pairs, explanations, fairness report),
//! [`suggest`] (top-K suggestions for one request).

mod optimal;
mod present;
mod suggest;
mod types;

use std::time::Instant;

pub use types::{
    CategoryCounts, Certificate, FairnessReport, MatchedPair, PhaseTimes, RunResult, ScoreBucket,
    SolverOptions, Suggestion, Unmatched, UnmatchedReason,
};

use crate::cands::Candidates;
use crate::flow::{Flow, Graph};
use crate::index::{Csr, Index};
use crate::model::{Mode, Problem};
use crate::MatchError;

/// Process CPU time (user + system, all threads) in ms from `/proc/self/stat`
/// (clock ticks of 10 ms); 0 where unavailable.
pub(crate) fn cpu_ms() -> f64 {
    let Ok(st) = std::fs::read_to_string("/proc/self/stat") else {
        return 0.0;
    };
    // fields after the parenthesised command name; utime, stime are 14, 15
    let Some(rest) = st.rsplit_once(')').map(|x| x.1) else {
        return 0.0;
    };
    let f: Vec<&str> = rest.split_whitespace().collect();
    let tick = |i: usize| f.get(i).and_then(|x| x.parse::<f64>().ok()).unwrap_or(0.0);
    (tick(11) + tick(12)) * 10.0
}

/// A validated, indexed problem. Build once, then `run` or `suggest` many times.
pub struct Engine<'p> {
    problem: &'p Problem,
    ix: Index,
    pens: Csr<i64>,
    index_ms: f64,
}

/// Outcome of the optimal pipeline before presentation (used by the bench).
pub(crate) struct Solved {
    pub cands: Candidates,
    pub flow: Flow,
    pub cert: Certificate,
    pub graph: Graph,
}

fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1e3
}

impl<'p> Engine<'p> {
    pub fn new(problem: &'p Problem) -> Result<Self, MatchError> {
        let t = Instant::now();
        let ix = Index::new(problem)?;
        let pens = Csr::from_rows(
            (0..ix.n_mentors()).map(|m| (1..=ix.m_cap[m]).map(|k| ix.pen(m, k)).collect()),
        );
        Ok(Engine {
            problem,
            ix,
            pens,
            index_ms: ms(t),
        })
    }

    /// Time spent validating and indexing the problem.
    pub fn index_ms(&self) -> f64 {
        self.index_ms
    }

    /// The mentors' marginal load penalties (the benchmark's DIMACS export).
    #[cfg(feature = "bench")]
    pub(crate) fn pens(&self) -> &Csr<i64> {
        &self.pens
    }

    /// Runs the whole pipeline with default solver options.
    pub fn run(&self, mode: Mode) -> RunResult {
        self.run_with(mode, &SolverOptions::default())
    }

    pub fn run_with(&self, mode: Mode, opts: &SolverOptions) -> RunResult {
        let mut times = PhaseTimes {
            index_ms: self.index_ms,
            ..Default::default()
        };
        let solved = self.solve_optimal(opts, &mut times);
        self.present(mode, solved, times)
    }

    /// Request index by id.
    pub fn request_index(&self, id: &str) -> Option<usize> {
        self.problem.requests.iter().position(|r| r.id == id)
    }
}

/// Validates and runs: see [`Engine::run`].
pub fn run(problem: &Problem, mode: Mode) -> Result<RunResult, MatchError> {
    Ok(Engine::new(problem)?.run(mode))
}

/// Top-`k` suggestions for the request with id `request_id`.
pub fn suggest(
    problem: &Problem,
    request_id: &str,
    k: usize,
) -> Result<Vec<Suggestion>, MatchError> {
    let eng = Engine::new(problem)?;
    let i = eng
        .request_index(request_id)
        .ok_or_else(|| MatchError::UnknownRequest(request_id.to_owned()))?;
    Ok(eng.suggest(i, k))
}
