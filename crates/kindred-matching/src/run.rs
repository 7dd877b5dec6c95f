//! Orchestration: candidates → solve → certify (→ re-solve) → stable, greedy,
//! explanations, fairness report; and suggestions.

use std::collections::BTreeMap;
use std::time::Instant;

use serde::{Deserialize, Serialize};

use crate::cands::{self, Candidates};
use crate::flow::{self, Flow, Graph, UNMATCHED};
use crate::index::{Csr, Index};
use crate::model::{Mode, Problem};
use crate::score::{Explanation, Scratch};
use crate::stable;
use crate::MatchError;

/// Tuning of candidate generation (does not change the answer, only speed:
/// the certificate makes the result optimal over all pairs regardless).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SolverOptions {
    /// Candidates kept per request.
    pub top_k_per_request: usize,
    /// Candidates kept per mentor.
    pub top_k_per_mentor: usize,
    /// Safety bound on certify → re-solve rounds (each round adds every
    /// violating pair, so a handful always suffices in practice).
    pub max_rounds: usize,
}

impl Default for SolverOptions {
    fn default() -> Self {
        SolverOptions {
            top_k_per_request: 24,
            top_k_per_mentor: 48,
            max_rounds: 50,
        }
    }
}

/// A proposed pair.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatchedPair {
    pub request_id: String,
    pub mentor_id: String,
    /// Pair score before the load term.
    pub score: i64,
    /// Score minus this pair's load penalty (= `explanation.total`).
    pub total: i64,
    pub explanation: Explanation,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnmatchedReason {
    /// No active mentor passes every hard rule for this request.
    NoFeasibleMentor,
    /// Feasible mentors exist, but giving them to others (or leaving the
    /// request open rather than overloading a mentor) scores higher.
    LostToHigherScoringPairs,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unmatched {
    pub request_id: String,
    pub reason: UnmatchedReason,
}

/// The optimality certificate over all feasible pairs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Certificate {
    /// True when no feasible pair outside the final candidate graph has a
    /// negative reduced cost w.r.t. the final dual prices: the optimum over the
    /// candidates is the optimum over all pairs.
    pub held: bool,
    /// Exact solve rounds (1 = the first exact solve was already certified).
    /// Before it, a pre-round checks the candidate graph against the warm
    /// start's approximate prices and adds the pairs that violate them
    /// (counted in `added_pairs` and `rescored_requests`).
    pub rounds: usize,
    pub initial_arcs: usize,
    pub final_arcs: usize,
    /// Pairs added because their reduced cost was negative (or, for a
    /// request that had such a pair, within a small slack of negative).
    pub added_pairs: usize,
    /// Requests whose bound was not enough and were re-scored exactly
    /// (summed over rounds).
    pub rescored_requests: usize,
    /// (request, mentor) pairs scored while re-scoring those requests: only
    /// mentors whose dual price lets them come near violating are scored.
    #[serde(default)]
    pub rescored_pairs: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CategoryCounts {
    pub category: String,
    pub requests: usize,
    pub matched: usize,
    pub unmatched: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FairnessReport {
    pub requests: usize,
    pub matched: usize,
    pub unmatched: usize,
    pub unmatched_no_feasible: usize,
    pub unmatched_lost: usize,
    /// Per tag category: requests with at least one tag (public, private or
    /// required) in it. Counts only, never names of private tags.
    pub per_category: Vec<CategoryCounts>,
    /// Active mentors (accepting, capacity > 0).
    pub active_mentors: usize,
    /// Active mentors with no mentee at all after this run.
    pub mentors_idle: usize,
    /// Active mentors whose remaining capacity this run filled.
    pub mentors_at_capacity: usize,
    /// Gini coefficient of active mentors' loads after this run (0 = equal).
    pub load_gini: f64,
    /// Histogram of new mentees per active mentor: index = count.
    pub new_load_histogram: Vec<usize>,
    pub min_matched_score: Option<i64>,
    pub p5_matched_score: Option<i64>,
    pub optimal_total: i64,
    pub stable_total: i64,
    pub greedy_total: i64,
    pub stable_pct_of_optimal: f64,
    pub greedy_pct_of_optimal: f64,
    pub stable_blocking_pairs: u64,
}

/// Wall-clock milliseconds per phase.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PhaseTimes {
    pub index_ms: f64,
    pub score_candidates_ms: f64,
    pub solve_ms: f64,
    pub certify_ms: f64,
    pub stable_ms: f64,
    pub greedy_ms: f64,
    pub explain_ms: f64,
    /// CPU time (user + system, all threads) of the scoring, solve and
    /// certify phases, when the platform reports it (Linux `/proc`), else 0.
    /// Unlike wall time it is not inflated by other processes on the machine.
    #[serde(default)]
    pub score_cpu_ms: f64,
    #[serde(default)]
    pub solve_cpu_ms: f64,
    #[serde(default)]
    pub certify_cpu_ms: f64,
}

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

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunResult {
    pub mode: Mode,
    /// Σ over proposed pairs of (score − load penalty), for `mode`.
    pub objective: i64,
    pub pairs: Vec<MatchedPair>,
    pub unmatched: Vec<Unmatched>,
    pub certificate: Certificate,
    pub fairness: FairnessReport,
    pub pairs_scored: u64,
    /// Of `pairs_scored`, pairs the candidate pass ruled out by the language
    /// rule a whole run of mentors at a time, without computing a score.
    #[serde(default)]
    pub pairs_skipped_by_language: u64,
    pub times: PhaseTimes,
}

/// One suggested mentor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Suggestion {
    pub mentor_id: String,
    pub score: i64,
    /// Score minus the mentor's next load penalty; suggestions are ranked by it.
    pub total: i64,
    pub explanation: Explanation,
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

    pub(crate) fn pens(&self) -> &Csr<i64> {
        &self.pens
    }

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
        let mut rounds = 0;
        let mut added = 0;
        let mut held = false;
        let mut flow;
        // the warm start of the next exact solve
        let mut hint: flow::Hint;
        let mut certify_args = CertifyArgs {
            ix,
            cands: &cands,
            k: opts.top_k_per_request.max(1),
            upper: vec![i64::MAX; ix.n_mentees()],
            rescored: 0,
            rescored_pairs: 0,
        };
        // Pre-round: the auction's (approximate) prices already show most
        // pairs the first candidate graph lacks. Adding them before the exact
        // solve saves a warm re-solve, the costliest part of the next round.
        {
            let t = Instant::now();
            let c0 = cpu_ms();
            let mut auction = flow::Auction::new(&graph, &self.pens);
            auction.run(&graph, &self.pens);
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
            let pass = certify_pass(&mut certify_args, &graph, &p_e, &h.p_m, times);
            added += pass.violations.iter().map(Vec::len).sum::<usize>();
            let t = Instant::now();
            let c0 = cpu_ms();
            graph.merge_in_place(&pass.violations);
            // Requests that gained a better arc bid again from the current
            // prices (a few thousand bids instead of an exact repair each).
            auction.reopen(
                &graph,
                &self.pens,
                (0..ix.n_mentees()).filter(|&e| !pass.violations[e].is_empty()),
            );
            auction.run(&graph, &self.pens);
            drop(pass);
            times.solve_ms += ms(t);
            times.solve_cpu_ms += cpu_ms() - c0;
            hint = auction.hint();
        }
        loop {
            rounds += 1;
            let t = Instant::now();
            let c0 = cpu_ms();
            let prev = hint.p_m.clone();
            flow = flow::solve_from(&graph, &self.pens, Some(hint));
            // The reused certificate bounds need mentor potentials that only
            // decrease; warm starts out of an exact solve guarantee it (the
            // first, from the auction, may raise some when it clamps): check.
            if flow.p_m.iter().zip(&prev).any(|(new, old)| new > old) {
                certify_args.upper.fill(i64::MAX);
            }
            times.solve_ms += ms(t);
            times.solve_cpu_ms += cpu_ms() - c0;
            let pass = certify_pass(&mut certify_args, &graph, &flow.p_e, &flow.p_m, times);
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
        let final_arcs = graph.n_arcs();
        let (rescored, rescored_pairs) = (certify_args.rescored, certify_args.rescored_pairs);
        drop(certify_args);
        Solved {
            cands,
            flow,
            cert: Certificate {
                held,
                rounds,
                initial_arcs,
                final_arcs,
                added_pairs: added,
                rescored_requests: rescored,
                rescored_pairs,
            },
            graph,
        }
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

    pub(crate) fn present(
        &self,
        mode: Mode,
        mut solved: Solved,
        mut times: PhaseTimes,
    ) -> RunResult {
        let ix = &self.ix;
        let p = self.problem;
        let n_e = ix.n_mentees();
        let t = Instant::now();
        let greedy_total = stable::greedy(ix, &solved.graph);
        times.greedy_ms = ms(t);
        // The candidate graph and lists are not needed any more: free them
        // before stable matching, which grows its own preference lists
        // (starting from the per-request top lists, moved, not copied).
        solved.graph = Graph::default();
        let t = Instant::now();
        let top = std::mem::take(&mut solved.cands.top);
        let st = stable::deferred_acceptance(ix, top, &solved.cands.feasible);
        times.stable_ms = ms(t);
        let stable_total = objective_of(ix, &st.assign, &st.assign_score, &st.load);
        let opt_total = solved.flow.objective;

        let t = Instant::now();
        let (assign, load) = match mode {
            Mode::Optimal => (&solved.flow.assign, &solved.flow.load),
            Mode::Stable => (&st.assign, &st.load),
        };
        // Load slots: a mentor's new mentees take slots 1, 2, … in request order.
        let mut next_slot = vec![0u32; ix.n_mentors()];
        let mut pairs = Vec::new();
        let mut unmatched = Vec::new();
        let mut scores = Vec::new();
        for e in 0..n_e {
            let rid = &p.requests[ix.e.orig[e] as usize].id;
            let m = assign[e];
            if m == UNMATCHED {
                let reason = if solved.cands.feasible[e] == 0 {
                    UnmatchedReason::NoFeasibleMentor
                } else {
                    UnmatchedReason::LostToHigherScoringPairs
                };
                unmatched.push(Unmatched {
                    request_id: rid.clone(),
                    reason,
                });
                continue;
            }
            let m = m as usize;
            next_slot[m] += 1;
            let parts = ix.pair(e, m).expect("assigned pairs are feasible");
            let score = ix.score_of(&parts);
            let explanation = ix.explain(e, m, &parts, next_slot[m]);
            scores.push(score);
            pairs.push(MatchedPair {
                request_id: rid.clone(),
                mentor_id: p.mentors[ix.m.orig[m] as usize].id.clone(),
                score,
                total: explanation.total,
                explanation,
            });
        }
        times.explain_ms = ms(t);
        let objective: i64 = pairs.iter().map(|x| x.total).sum();

        // Fairness.
        let mut per_cat: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
        for e in 0..n_e {
            let r = &p.requests[ix.e.orig[e] as usize];
            let mut cats: Vec<u32> =
                ix.e.tag_list
                    .row(e)
                    .iter()
                    .map(|&t| ix.tag_cat[t as usize])
                    .collect();
            let w = ix.words;
            for k in 0..w {
                let mut bits = ix.e_req[e * w + k];
                while bits != 0 {
                    cats.push(ix.tag_cat[k * 64 + bits.trailing_zeros() as usize]);
                    bits &= bits - 1;
                }
            }
            let _ = r;
            cats.sort_unstable();
            cats.dedup();
            for c in cats {
                let ent = per_cat
                    .entry(ix.categories[c as usize].as_str())
                    .or_default();
                if assign[e] == UNMATCHED {
                    ent.1 += 1;
                } else {
                    ent.0 += 1;
                }
            }
        }
        let n_m = ix.n_mentors();
        let mut hist = Vec::new();
        let mut idle = 0;
        let mut at_cap = 0;
        let mut final_loads = Vec::with_capacity(n_m);
        for m in 0..n_m {
            let l = load[m] as usize;
            if hist.len() <= l {
                hist.resize(l + 1, 0);
            }
            hist[l] += 1;
            let fl = ix.m_load0[m] + load[m];
            if fl == 0 {
                idle += 1;
            }
            if load[m] >= ix.m_cap[m] {
                at_cap += 1;
            }
            final_loads.push(f64::from(fl));
        }
        scores.sort_unstable();
        let p5 = if scores.is_empty() {
            None
        } else {
            Some(scores[(scores.len() - 1) * 5 / 100])
        };
        let pct = |x: i64| {
            if opt_total == 0 {
                100.0
            } else {
                100.0 * x as f64 / opt_total as f64
            }
        };
        let unmatched_no = unmatched
            .iter()
            .filter(|u| u.reason == UnmatchedReason::NoFeasibleMentor)
            .count();
        let fairness = FairnessReport {
            requests: n_e,
            matched: pairs.len(),
            unmatched: unmatched.len(),
            unmatched_no_feasible: unmatched_no,
            unmatched_lost: unmatched.len() - unmatched_no,
            per_category: per_cat
                .into_iter()
                .map(|(c, (a, b))| CategoryCounts {
                    category: c.to_owned(),
                    requests: a + b,
                    matched: a,
                    unmatched: b,
                })
                .collect(),
            active_mentors: n_m,
            mentors_idle: idle,
            mentors_at_capacity: at_cap,
            load_gini: gini(&mut final_loads),
            new_load_histogram: hist,
            min_matched_score: scores.first().copied(),
            p5_matched_score: p5,
            optimal_total: opt_total,
            stable_total,
            greedy_total,
            stable_pct_of_optimal: pct(stable_total),
            greedy_pct_of_optimal: pct(greedy_total),
            stable_blocking_pairs: st.blocking_pairs,
        };
        RunResult {
            mode,
            objective,
            pairs,
            unmatched,
            certificate: solved.cert,
            fairness,
            pairs_scored: solved.cands.pairs_scanned,
            pairs_skipped_by_language: solved.cands.pairs_skipped_by_language,
            times,
        }
    }

    /// Top-`k` mentors for request `request` (its index in `problem.requests`),
    /// ranked by score minus the mentor's next load penalty, with explanations.
    pub fn suggest(&self, request: usize, k: usize) -> Vec<Suggestion> {
        let ix = &self.ix;
        if request >= ix.n_mentees() || k == 0 {
            return Vec::new();
        }
        let mut scratch = Scratch::new(ix.n_mentors());
        let mut best: Vec<(i64, u32, i64)> = Vec::with_capacity(k + 1);
        let mut min = i64::MIN;
        ix.scan_mentee(request, &mut scratch, |m, s| {
            let total = s - ix.pen(m as usize, 1);
            if best.len() < k || total > min {
                best.push((total, m, s));
                if best.len() > k {
                    // drop the worst (lowest total, then highest mentor)
                    let mut wi = 0;
                    for i in 1..best.len() {
                        if best[i].0 < best[wi].0
                            || (best[i].0 == best[wi].0 && best[i].1 > best[wi].1)
                        {
                            wi = i;
                        }
                    }
                    best.swap_remove(wi);
                }
                if best.len() == k {
                    min = best.iter().map(|x| x.0).min().unwrap_or(i64::MIN);
                }
            }
        });
        best.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        best.into_iter()
            .map(|(total, m, s)| {
                let m = m as usize;
                let parts = ix.pair(request, m).expect("scanned pairs are feasible");
                Suggestion {
                    mentor_id: self.problem.mentors[ix.m.orig[m] as usize].id.clone(),
                    score: s,
                    total,
                    explanation: ix.explain(request, m, &parts, 1),
                }
            })
            .collect()
    }

    /// Request index by id.
    pub fn request_index(&self, id: &str) -> Option<usize> {
        self.problem.requests.iter().position(|r| r.id == id)
    }
}

pub(crate) fn objective_of(ix: &Index, assign: &[u32], score: &[i64], load: &[u32]) -> i64 {
    let mut t = 0;
    for (e, &m) in assign.iter().enumerate() {
        if m != UNMATCHED {
            t += score[e];
        }
    }
    for (m, &l) in load.iter().enumerate() {
        for k in 1..=l {
            t -= ix.pen(m, k);
        }
    }
    t
}

fn gini(x: &mut [f64]) -> f64 {
    let n = x.len();
    let sum: f64 = x.iter().sum();
    if n == 0 || sum == 0.0 {
        return 0.0;
    }
    x.sort_by(f64::total_cmp);
    let mut acc = 0.0;
    for (i, v) in x.iter().enumerate() {
        acc += (2.0 * (i as f64 + 1.0) - n as f64 - 1.0) * v;
    }
    acc / (n as f64 * sum)
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
