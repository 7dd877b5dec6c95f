//! Mentee-proposing deferred acceptance with capacities, and a greedy baseline.

use crate::cands::sort_top;
use crate::flow::{Graph, UNMATCHED};
use crate::index::Index;
use crate::score::Scratch;

pub(crate) struct StableOutcome {
    pub assign: Vec<u32>,
    pub assign_score: Vec<i64>,
    pub load: Vec<u32>,
    pub blocking_pairs: u64,
}

/// `(s, e)` preferred by a mentor over `(s2, e2)`: higher score, then lower index.
#[inline]
fn mentor_prefers(s: i64, e: u32, s2: i64, e2: u32) -> bool {
    s > s2 || (s == s2 && e < e2)
}

/// Next `want` feasible mentors of `e` strictly after `after` in e's order
/// (score desc, mentor asc), best first.
fn next_chunk(
    ix: &Index,
    scratch: &mut Scratch,
    e: usize,
    after: (i64, u32),
    want: usize,
) -> Vec<(u32, i64)> {
    let mut v: Vec<(u32, i64)> = Vec::new();
    ix.scan_mentee(e, scratch, |m, s| {
        if s < after.0 || (s == after.0 && m > after.1) {
            v.push((m, s));
        }
    });
    sort_top(&mut v);
    v.truncate(want);
    v
}

/// `top[e]` must be a prefix of e's full preference order; `feasible[e]` is
/// e's number of feasible mentors over all pairs.
pub(crate) fn deferred_acceptance(
    ix: &Index,
    top: Vec<Vec<(u32, i64)>>,
    feasible: &[u32],
) -> StableOutcome {
    let n_e = ix.n_mentees();
    let n_m = ix.n_mentors();
    let mut lists = top;
    let mut ptr = vec![0usize; n_e];
    let mut assign = vec![UNMATCHED; n_e];
    let mut assign_score = vec![0i64; n_e];
    let mut held: Vec<Vec<(i64, u32)>> = vec![Vec::new(); n_m];
    let mut scratch = Scratch::new(n_m);
    let mut free: Vec<u32> = (0..n_e as u32).rev().collect();
    while let Some(e) = free.pop() {
        let eu = e;
        let e = e as usize;
        loop {
            if ptr[e] == lists[e].len() {
                if (feasible[e] as usize) > lists[e].len() {
                    let last = lists[e].last().map_or((i64::MAX, 0), |x| (x.1, x.0));
                    let want = lists[e].len().max(16);
                    let more = next_chunk(ix, &mut scratch, e, last, want);
                    lists[e].extend(more);
                } else {
                    break; // exhausted: stays unmatched
                }
            }
            let (m, s) = lists[e][ptr[e]];
            ptr[e] += 1;
            let mu = m as usize;
            let cap = ix.m_cap[mu] as usize;
            let h = &mut held[mu];
            if h.len() < cap {
                h.push((s, eu));
                assign[e] = m;
                assign_score[e] = s;
                break;
            }
            let worst = (0..h.len())
                .min_by(|&a, &b| {
                    if mentor_prefers(h[a].0, h[a].1, h[b].0, h[b].1) {
                        std::cmp::Ordering::Greater
                    } else {
                        std::cmp::Ordering::Less
                    }
                })
                .expect("capacity is at least one");
            let (ws, we) = h[worst];
            if mentor_prefers(s, eu, ws, we) {
                h[worst] = (s, eu);
                assign[e] = m;
                assign_score[e] = s;
                assign[we as usize] = UNMATCHED;
                free.push(we);
                break;
            }
        }
    }
    let load: Vec<u32> = held.iter().map(|h| h.len() as u32).collect();
    // Blocking pairs: e prefers m to its partner (every such m precedes the
    // partner in e's list, which is a prefix of its full order) and m has room
    // or prefers e to its worst held mentee.
    let mut blocking = 0u64;
    for e in 0..n_e {
        let upto = if assign[e] == UNMATCHED {
            lists[e].len()
        } else {
            ptr[e] - 1
        };
        for &(m, s) in &lists[e][..upto] {
            let h = &held[m as usize];
            if h.len() < ix.m_cap[m as usize] as usize
                || h.iter()
                    .any(|&(hs, he)| mentor_prefers(s, e as u32, hs, he))
            {
                blocking += 1;
            }
        }
        if assign[e] == UNMATCHED && (feasible[e] as usize) > lists[e].len() {
            blocking += 1; // cannot happen: an unmatched mentee exhausted its list
        }
    }
    StableOutcome {
        assign,
        assign_score,
        load,
        blocking_pairs: blocking,
    }
}

/// Greedy baseline over the candidate pairs: best pair first, while the
/// marginal value (score − load penalty) stays positive.
pub(crate) fn greedy(ix: &Index, g: &Graph) -> i64 {
    let mut arcs: Vec<(i64, u32, u32)> = Vec::with_capacity(g.n_arcs());
    for e in 0..g.n_mentees() {
        for a in g.arcs(e) {
            arcs.push((g.score[a], e as u32, g.mentor[a]));
        }
    }
    arcs.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let mut taken = vec![false; g.n_mentees()];
    let mut load = vec![0u32; ix.n_mentors()];
    let mut total = 0i64;
    for (s, e, m) in arcs {
        let (e, m) = (e as usize, m as usize);
        if taken[e] || load[m] >= ix.m_cap[m] {
            continue;
        }
        let gain = s - ix.pen(m, load[m] + 1);
        if gain <= 0 {
            continue;
        }
        taken[e] = true;
        load[m] += 1;
        total += gain;
    }
    total
}
