//! Our min-cost-flow solver for the mentee → mentor transportation problem.
//!
//! Network: every mentee has supply 1 and two kinds of arcs: `e → m` (cost
//! `−score`) for each candidate pair and `e → sink` (cost 0, "leave
//! unmatched"). Mentor `m` reaches the sink through `cap[m]` unit arcs whose
//! costs are the convex marginal load penalties (so they fill in order).
//!
//! Algorithm: successive shortest paths with node potentials (Dijkstra on
//! reduced costs), one mentee at a time, stopping each Dijkstra as soon as the
//! sink is settled and updating only the settled nodes' potentials; mentors
//! left with a deficit are fed from the sink along a zero-reduced-cost path
//! when one exists ([`crate::zero_path`]), by a Dijkstra otherwise. The
//! potentials are an exact dual solution: every residual arc has reduced cost
//! `c(u,v) + p(u) − p(v) ≥ 0`, which is what the certificate uses.

//!
//! Modules: [`graph`] (the candidate network's arcs), [`auction`] (the
//! approximate warm start), [`warm_start`] (repairing a warm start into an
//! exact-phase starting point), [`ssp`] (the shortest-path phase),
//! [`radix_heap`] (its priority queue).

mod auction;
#[cfg(test)]
mod duals;
mod graph;
mod radix_heap;
mod ssp;
mod warm_start;

pub(crate) use auction::{auction_hint, Auction};
#[cfg(test)]
pub(crate) use duals::check_duals;
pub(crate) use graph::Graph;
pub(crate) use ssp::solve_with;

use crate::index::Csr;

/// Repair the deficits left after the request searches by a backward search
/// for zero-reduced-cost paths first ([`crate::zero_path`]), falling back to a
/// Dijkstra from the sink only when there is none.
pub(crate) const ZERO_PATH_DEFICITS: bool = true;

pub const UNMATCHED: u32 = u32::MAX;
const UNPROCESSED: u32 = u32::MAX - 1;

#[derive(Debug, Clone)]
pub(crate) struct Flow {
    /// Mentor of each request, or [`UNMATCHED`].
    pub assign: Vec<u32>,
    /// Potentials (dual prices), raw: only differences matter.
    pub p_e: Vec<i64>,
    pub p_m: Vec<i64>,
    pub p_t: i64,
    pub load: Vec<u32>,
    /// Σ scores − Σ load penalties.
    pub objective: i64,
}

/// A starting point for [`solve`]: any assignment (capacities respected) and
/// mentor prices. Its quality only affects speed, never the result.
#[derive(Debug, Clone)]
pub(crate) struct Hint {
    pub assign: Vec<u32>,
    /// Mentor potentials (−price).
    pub p_m: Vec<i64>,
    /// The sink's potential the mentor potentials are relative to.
    pub p_t: i64,
}

/// Solves the problem on `g` from scratch (auction hint, then exact repair).
pub(crate) fn solve(g: &Graph, pens: &Csr<i64>) -> Flow {
    let hint = auction_hint(g, pens);
    solve_from(g, pens, Some(hint))
}

/// Solves the problem on `g`, optionally warm-started.
///
/// Repair phase: the hint's loads are kept on the mentor → sink slot arcs and
/// the mentor potentials clamped into the range those loads allow
/// (`−pen(L+1) ≤ p_m ≤ −pen(L)`). Every request whose reduced costs would be
/// negative with a tight potential is un-routed *from its mentor only*: the
/// request gets an excess and the mentor a deficit, and no potential changes
/// (no cascade). Every residual arc then has reduced cost ≥ 0 and successive
/// shortest paths from the excesses to the deficits (or the sink) give an
/// exact optimum with exact duals.
pub(crate) fn solve_from(g: &Graph, pens: &Csr<i64>, hint: Option<Hint>) -> Flow {
    solve_with(g, pens, hint, ZERO_PATH_DEFICITS)
}
