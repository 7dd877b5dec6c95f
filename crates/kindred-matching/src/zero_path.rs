//! Deficit repair without a Dijkstra: a backward depth-first search on the
//! *admissible* residual graph (arcs of reduced cost exactly 0) from every
//! mentor with a deficit to the sink.
//!
//! In [`crate::flow::solve_from`] the mentors left with a deficit after the
//! request searches are fed from the sink. Nearly all of those shortest paths
//! have length 0 (in the 100 000 × 20 000 benchmark 645 of 661), but the
//! forward Dijkstra from the sink — a hub with an arc to every loaded mentor
//! and every unmatched request — first explores the whole zero-cost plateau
//! around it (~25 000 nodes, ~12 ms per search). Searching backwards from
//! the few deficit mentors finds such a path in about a millisecond. A path of
//! reduced cost 0 is a shortest path, and augmenting along it needs no
//! potential change, so the dual solution and the "potentials only decrease"
//! property the certificate relies on are untouched. When no zero path
//! exists the caller falls back to the Dijkstra.

use crate::flow::{Graph, UNMATCHED};
use crate::index::Csr;

/// Candidate arcs grouped by mentor: for mentor `m`, the requests with an
/// arc into it and that arc's score (12 bytes per arc; keeping the score here
/// rather than an index into the [`Graph`] saves a cache miss per arc scanned,
/// ~1 s of the 100k × 20k solve).
pub(crate) struct RevArcs {
    start: Vec<u32>,
    mentee: Vec<u32>,
    score: Vec<i64>,
}

impl RevArcs {
    pub fn build(g: &Graph, n_m: usize) -> RevArcs {
        let mut start = vec![0u32; n_m + 1];
        for &m in &g.mentor {
            start[m as usize + 1] += 1;
        }
        for m in 0..n_m {
            start[m + 1] += start[m];
        }
        let mut fill: Vec<u32> = start[..n_m].to_vec();
        let mut mentee = vec![0u32; g.n_arcs()];
        let mut score = vec![0i64; g.n_arcs()];
        for e in 0..g.n_mentees() {
            for a in g.arcs(e) {
                let m = g.mentor[a] as usize;
                let i = fill[m] as usize;
                fill[m] += 1;
                mentee[i] = e as u32;
                score[i] = g.score[a];
            }
        }
        RevArcs {
            start,
            mentee,
            score,
        }
    }
}

/// The solver state the search reads.
pub(crate) struct State<'a> {
    pub n_e: usize,
    /// Potentials: requests, mentors, then the sink.
    pub p: &'a [i64],
    pub assign: &'a [u32],
    pub assign_score: &'a [i64],
    pub load: &'a [u32],
    pub deficit: &'a [u32],
    pub pens: &'a Csr<i64>,
}

/// Scratch buffers, sized to the number of nodes.
pub(crate) struct Scratch {
    mark: Vec<u32>,
    epoch: u32,
    succ: Vec<u32>,
    /// For a request node: the score of its arc to `succ`.
    via: Vec<i64>,
    queue: Vec<u32>,
}

impl Scratch {
    pub fn new(n: usize) -> Scratch {
        Scratch {
            mark: vec![0; n],
            epoch: 0,
            succ: vec![u32::MAX; n],
            via: vec![0; n],
            queue: Vec::new(),
        }
    }
}

/// Looks for a path of reduced cost 0 from the sink to a mentor with a
/// deficit. On success fills `path` (sink first, the deficit mentor last)
/// and, for every mentor on it entered from a request, `arc_score[mentor]`
/// with the score of that arc; returns `false` if there is none.
pub(crate) fn find(
    st: &State<'_>,
    rev: &RevArcs,
    sc: &mut Scratch,
    path: &mut Vec<u32>,
    arc_score: &mut [i64],
) -> bool {
    let n_e = st.n_e;
    let n_m = st.load.len();
    let sink = n_e + n_m;
    let pt = st.p[sink];
    sc.epoch = sc.epoch.wrapping_add(1);
    if sc.epoch == 0 {
        sc.mark.fill(0);
        sc.epoch = 1;
    }
    let ep = sc.epoch;
    sc.queue.clear();
    for m in 0..n_m {
        if st.deficit[m] > 0 {
            let v = n_e + m;
            sc.mark[v] = ep;
            sc.succ[v] = u32::MAX;
            sc.queue.push(v as u32);
        }
    }
    let mut first: Option<usize> = None;
    // depth first (a stack): one deficit's admissible region is followed to
    // the sink before the next deficit's is opened
    'search: while let Some(v) = sc.queue.pop() {
        let v = v as usize;
        if v < n_e {
            // request: entered from its mentor (reverse assignment arc) or,
            // if unmatched, from the sink (reverse "unmatched" arc)
            let cur = st.assign[v];
            if cur == UNMATCHED {
                if pt - st.p[v] == 0 {
                    first = Some(v);
                    break 'search;
                }
            } else {
                let u = n_e + cur as usize;
                if sc.mark[u] != ep && st.assign_score[v] + st.p[u] - st.p[v] == 0 {
                    sc.mark[u] = ep;
                    sc.succ[u] = v as u32;
                    sc.queue.push(u as u32);
                }
            }
        } else {
            let m = v - n_e;
            let l = st.load[m];
            if l > 0 && pt - st.pens.row(m)[l as usize - 1] - st.p[v] == 0 {
                first = Some(v);
                break 'search;
            }
            let pm = st.p[v];
            for i in rev.start[m] as usize..rev.start[m + 1] as usize {
                let e = rev.mentee[i] as usize;
                if sc.mark[e] == ep || st.assign[e] == m as u32 {
                    continue;
                }
                let s = rev.score[i];
                if st.p[e] - s - pm == 0 {
                    sc.mark[e] = ep;
                    sc.succ[e] = v as u32;
                    sc.via[e] = s;
                    sc.queue.push(e as u32);
                }
            }
        }
    }
    let Some(mut x) = first else {
        return false;
    };
    path.clear();
    path.push(sink as u32);
    loop {
        path.push(x as u32);
        let nx = sc.succ[x];
        if nx == u32::MAX {
            break;
        }
        if x < n_e {
            arc_score[nx as usize] = sc.via[x];
        }
        x = nx as usize;
    }
    true
}
