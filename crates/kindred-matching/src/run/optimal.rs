//! The certified optimal pipeline: candidates, an auction pre-round, then
//! exact solves and certificate passes until the certificate holds.

use std::time::Instant;

use super::{cpu_ms, ms, Certificate, Engine, PhaseTimes, Solved, SolverOptions};
use crate::cands::{self, Candidates};
use crate::flow::{self, Flow, Graph};
use crate::index::Index;

/// What every certificate pass of one run shares.
struct CertifyArgs<'a> {
    ix: &'a Index,
    cands: &'a Candidates,
    k: usize,
    /// Per request: a proven upper bound on max(score + p_m) over its
    /// non-candidate pairs (valid while mentor potentials only decrease).
    upper: Vec<i64>,
    rescored: usize,
    rescored_pairs: u64,
}

/// One certificate pass against the given prices, timed into `times`, its
/// re-score counts added up in `a`.
fn certify_pass(
    a: &mut CertifyArgs<'_>,
    graph: &Graph,
    p_e: &[i64],
    p_m: &[i64],
    times: &mut PhaseTimes,
) -> cands::CertPass {
    let t = Instant::now();
    let c0 = cpu_ms();
    let pass = cands::certify(a.ix, a.cands, a.k, graph, p_e, p_m, &mut a.upper);
    times.certify_ms += ms(t);
    times.certify_cpu_ms += cpu_ms() - c0;
    a.rescored += pass.rescored;
    a.rescored_pairs += pass.pairs_rescored as u64;
    pass
}

/// Outcome of the exact rounds.
struct Rounds {
    flow: Flow,
    rounds: usize,
    held: bool,
    added: usize,
}

impl Engine<'_> {
    /// Candidates, solve, certify, re-solve until certified.
    pub(crate) fn solve_optimal(&self, opts: &SolverOptions, times: &mut PhaseTimes) -> Solved {
        let ix = &self.ix;
        let t = Instant::now();
        let c0 = cpu_ms();
        let cands = cands::generate(ix, opts.top_k_per_request.max(1), opts.top_k_per_mentor);
        times.score_candidates_ms = ms(t);
        times.score_cpu_ms = cpu_ms() - c0;
        // The graph grows in place each round (violating pairs merged into
        // its rows): no round holds two copies of it.
        let mut cands = cands;
        let mut graph = cands::candidate_graph(&cands);
        // The mentor lists live on in the graph; their bound is `sigma`.
        cands.mtop = Vec::new();
        let initial_arcs = graph.n_arcs();
        let mut certify_args = CertifyArgs {
            ix,
            cands: &cands,
            k: opts.top_k_per_request.max(1),
            upper: vec![i64::MAX; ix.n_mentees()],
            rescored: 0,
            rescored_pairs: 0,
        };
        let (hint, pre_added) = self.pre_round(&mut graph, &mut certify_args, times);
        let r = self.exact_rounds(&mut graph, hint, &mut certify_args, opts, times);
        let final_arcs = graph.n_arcs();
        let (rescored, rescored_pairs) = (certify_args.rescored, certify_args.rescored_pairs);
        drop(certify_args);
        Solved {
            cands,
            flow: r.flow,
            cert: Certificate {
                held: r.held,
                rounds: r.rounds,
                initial_arcs,
                final_arcs,
                added_pairs: pre_added + r.added,
                rescored_requests: rescored,
                rescored_pairs,
            },
            graph,
        }
    }

    /// Pre-round: the auction's (approximate) prices already show most
    /// pairs the first candidate graph lacks. Adding them before the exact
    /// solve saves a warm re-solve, the costliest part of the next round.
    /// Returns the warm start of the first exact solve and the pairs added.
    fn pre_round(
        &self,
        graph: &mut Graph,
        certify_args: &mut CertifyArgs<'_>,
        times: &mut PhaseTimes,
    ) -> (flow::Hint, usize) {
        let ix = &self.ix;
        let t = Instant::now();
        let c0 = cpu_ms();
        let mut auction = flow::Auction::new(graph, &self.pens);
        auction.run(graph, &self.pens);
        let h = auction.hint();
        let p_e: Vec<i64> = (0..ix.n_mentees())
            .map(|e| {
                graph
                    .arcs(e)
                    .map(|a| graph.score[a] + h.p_m[graph.mentor[a] as usize])
                    .fold(h.p_t, i64::max)
            })
            .collect();
        times.solve_ms += ms(t);
        times.solve_cpu_ms += cpu_ms() - c0;
        let pass = certify_pass(certify_args, graph, &p_e, &h.p_m, times);
        let added = pass.violations.iter().map(Vec::len).sum::<usize>();
        let t = Instant::now();
        let c0 = cpu_ms();
        graph.merge_in_place(&pass.violations);
        // Requests that gained a better arc bid again from the current
        // prices (a few thousand bids instead of an exact repair each).
        auction.reopen(
            graph,
            &self.pens,
            (0..ix.n_mentees()).filter(|&e| !pass.violations[e].is_empty()),
        );
        auction.run(graph, &self.pens);
        drop(pass);
        times.solve_ms += ms(t);
        times.solve_cpu_ms += cpu_ms() - c0;
        (auction.hint(), added)
    }

    /// Exact solve (warm-started from `hint`), certificate pass, merge of
    /// the violating pairs; repeated until the certificate holds or
    /// `opts.max_rounds` is reached.
    fn exact_rounds(
        &self,
        graph: &mut Graph,
        mut hint: flow::Hint,
        certify_args: &mut CertifyArgs<'_>,
        opts: &SolverOptions,
        times: &mut PhaseTimes,
    ) -> Rounds {
        let mut rounds = 0;
        let mut added = 0;
        let mut held = false;
        let mut flow;
        loop {
            rounds += 1;
            let t = Instant::now();
            let c0 = cpu_ms();
            let prev = hint.p_m.clone();
            flow = flow::solve_from(graph, &self.pens, Some(hint));
            // The reused certificate bounds need mentor potentials that only
            // decrease; warm starts out of an exact solve guarantee it (the
            // first, from the auction, may raise some when it clamps): check.
            if flow.p_m.iter().zip(&prev).any(|(new, old)| new > old) {
                certify_args.upper.fill(i64::MAX);
            }
            times.solve_ms += ms(t);
            times.solve_cpu_ms += cpu_ms() - c0;
            let pass = certify_pass(certify_args, graph, &flow.p_e, &flow.p_m, times);
            if pass.n_violations == 0 {
                held = true;
                break;
            }
            added += pass.violations.iter().map(Vec::len).sum::<usize>();
            if rounds >= opts.max_rounds {
                break;
            }
            // violators are non-candidates: no duplicates (the merge counts
            // as solve time: it rebuilds the solver's input)
            let t = Instant::now();
            let c0 = cpu_ms();
            graph.merge_in_place(&pass.violations);
            drop(pass);
            times.solve_ms += ms(t);
            times.solve_cpu_ms += cpu_ms() - c0;
            // warm start: previous assignment and prices (the old flow is
            // replaced next round)
            hint = flow::Hint {
                assign: std::mem::take(&mut flow.assign),
                p_m: std::mem::take(&mut flow.p_m),
                p_t: flow.p_t,
            };
        }
        Rounds {
            flow,
            rounds,
            held,
            added,
        }
    }
}
