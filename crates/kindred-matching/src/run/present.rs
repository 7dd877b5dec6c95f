//! Presentation of a solved run: greedy and stable comparisons, the
//! proposed pairs with explanations, the unmatched requests with a reason,
//! and the fairness report.

use std::collections::BTreeMap;
use std::time::Instant;

use super::{
    ms, CategoryCounts, Engine, FairnessReport, MatchedPair, PhaseTimes, RunResult, ScoreBucket,
    Solved, Unmatched, UnmatchedReason,
};
use crate::flow::{Graph, UNMATCHED};
use crate::index::Index;
use crate::model::Mode;
use crate::stable;

/// The proposed pairs (request order), the unmatched requests and the
/// matched pairs' scores.
struct Proposal {
    pairs: Vec<MatchedPair>,
    unmatched: Vec<Unmatched>,
    scores: Vec<i64>,
}

/// Per active mentor: histogram of new loads, idle and full mentors, and
/// final loads (for the Gini coefficient).
struct MentorLoads {
    hist: Vec<usize>,
    idle: usize,
    at_cap: usize,
    final_loads: Vec<f64>,
}

impl Engine<'_> {
    pub(crate) fn present(
        &self,
        mode: Mode,
        mut solved: Solved,
        mut times: PhaseTimes,
    ) -> RunResult {
        let ix = &self.ix;
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
        let Proposal {
            pairs,
            unmatched,
            mut scores,
        } = self.proposal(assign, &solved.cands.feasible);
        times.explain_ms = ms(t);
        let objective: i64 = pairs.iter().map(|x| x.total).sum();

        // Fairness.
        let per_cat = category_counts(ix, assign);
        let n_m = ix.n_mentors();
        let MentorLoads {
            hist,
            idle,
            at_cap,
            mut final_loads,
        } = mentor_loads(ix, load);
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
            score_histogram: ScoreBucket::histogram(&scores),
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

    /// The pairs of `assign` with scores and explanations, and the
    /// unmatched requests with their reason (`feasible[e]`: the request's
    /// number of feasible mentors).
    fn proposal(&self, assign: &[u32], feasible: &[u32]) -> Proposal {
        let ix = &self.ix;
        let p = self.problem;
        // Load slots: a mentor's new mentees take slots 1, 2, … in request order.
        let mut next_slot = vec![0u32; ix.n_mentors()];
        let mut pairs = Vec::new();
        let mut unmatched = Vec::new();
        let mut scores = Vec::new();
        for e in 0..ix.n_mentees() {
            let rid = &p.requests[ix.e.orig[e] as usize].id;
            let m = assign[e];
            if m == UNMATCHED {
                let reason = if feasible[e] == 0 {
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
        Proposal {
            pairs,
            unmatched,
            scores,
        }
    }
}

/// Per category (of a request's tags or required tags): (matched, unmatched)
/// requests.
fn category_counts<'i>(ix: &'i Index, assign: &[u32]) -> BTreeMap<&'i str, (usize, usize)> {
    let mut per_cat: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for e in 0..ix.n_mentees() {
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
    per_cat
}

fn mentor_loads(ix: &Index, load: &[u32]) -> MentorLoads {
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
    MentorLoads {
        hist,
        idle,
        at_cap,
        final_loads,
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
