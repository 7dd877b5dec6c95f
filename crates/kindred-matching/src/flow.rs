//! Our min-cost-flow solver for the mentee → mentor transportation problem.
//!
//! Network: every mentee has supply 1 and two kinds of arcs: `e → m` (cost
//! `−score`) for each candidate pair and `e → sink` (cost 0, "leave
//! unmatched"). Mentor `m` reaches the sink through `cap[m]` unit arcs whose
//! costs are the convex marginal load penalties (so they fill in order).
//!
//! Algorithm: successive shortest paths with node potentials (Dijkstra on
//! reduced costs), one mentee at a time, stopping each Dijkstra as soon as the
//! sink is settled and updating only the settled nodes' potentials. The
//! potentials are an exact dual solution: every residual arc has reduced cost
//! `c(u,v) + p(u) − p(v) ≥ 0`, which is what the certificate uses.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use crate::index::Csr;

thread_local! { pub static STATS: std::cell::RefCell<(u64,u64,u64)> = const { std::cell::RefCell::new((0,0,0)) }; }
pub const UNMATCHED: u32 = u32::MAX;
const UNPROCESSED: u32 = u32::MAX - 1;

/// Candidate pairs per mentee, sorted by mentor.
#[derive(Debug, Clone, Default)]
pub(crate) struct Graph {
    pub start: Vec<u32>,
    pub mentor: Vec<u32>,
    pub score: Vec<i64>,
}

impl Graph {
    pub fn from_lists(lists: &[Vec<(u32, i64)>]) -> Graph {
        let mut g = Graph {
            start: Vec::with_capacity(lists.len() + 1),
            ..Default::default()
        };
        g.start.push(0);
        for l in lists {
            for &(m, s) in l {
                g.mentor.push(m);
                g.score.push(s);
            }
            g.start.push(u32::try_from(g.mentor.len()).expect("fewer than 2^32 arcs"));
        }
        g
    }

    #[inline]
    pub fn arcs(&self, e: usize) -> std::ops::Range<usize> {
        self.start[e] as usize..self.start[e + 1] as usize
    }

    pub fn n_mentees(&self) -> usize {
        self.start.len() - 1
    }

    pub fn n_arcs(&self) -> usize {
        self.mentor.len()
    }
}

#[derive(Debug, Clone)]
pub(crate) struct Flow {
    /// Mentor of each mentee, or [`UNMATCHED`].
    pub assign: Vec<u32>,
    pub assign_score: Vec<i64>,
    /// Potentials (dual prices); the sink's potential is 0.
    pub p_e: Vec<i64>,
    pub p_m: Vec<i64>,
    pub load: Vec<u32>,
    /// Σ scores − Σ load penalties.
    pub objective: i64,
}

/// Solves the problem on `g`. `pens.row(m)[k]` is the cost of mentor `m`'s
/// (k+1)-th new mentee; its length is the mentor's capacity.
pub(crate) fn solve(g: &Graph, pens: &Csr<i64>) -> Flow {
    let n_e = g.n_mentees();
    let n_m = pens.rows();
    let sink = n_e + n_m;
    let n = sink + 1;
    let mut assign = vec![UNPROCESSED; n_e];
    let mut assign_score = vec![0i64; n_e];
    let mut p = vec![0i64; n]; // mentees, then mentors, then sink (always 0)
    let mut load = vec![0u32; n_m];
    let mut members: Vec<Vec<u32>> = vec![Vec::new(); n_m];

    let mut dist = vec![i64::MAX; n];
    let mut pred = vec![u32::MAX; n];
    let mut pred_score = vec![0i64; n];
    let mut seen = vec![0u32; n];
    let mut done = vec![0u32; n];
    let mut epoch = 0u32;
    let mut heap: BinaryHeap<Reverse<(i64, u32)>> = BinaryHeap::new();
    let mut settled: Vec<u32> = Vec::new();
    let mut path: Vec<u32> = Vec::new();

    // Process requests with the best options first: they settle the prices of
    // popular mentors early, so later shortest paths are short.
    let mut order: Vec<u32> = (0..n_e as u32).collect();
    let best = |e: usize| g.arcs(e).map(|a| g.score[a]).max().unwrap_or(i64::MIN);
    order.sort_by_cached_key(|&e| (Reverse(best(e as usize)), e));
    for &e in &order {
        let e = e as usize;
        let arcs = g.arcs(e);
        if arcs.is_empty() {
            assign[e] = UNMATCHED;
            continue;
        }
        let mut pe = 0i64;
        for a in arcs.clone() {
            pe = pe.max(g.score[a] + p[n_e + g.mentor[a] as usize]);
        }
        p[e] = pe;

        epoch += 1;
        heap.clear();
        settled.clear();
        dist[e] = 0;
        seen[e] = epoch;
        pred[e] = u32::MAX;
        heap.push(Reverse((0, e as u32 + 1)));
        macro_rules! relax {
            ($v:expr, $nd:expr, $from:expr, $sc:expr) => {{
                let v = $v;
                let nd = $nd;
                if seen[v] != epoch || nd < dist[v] {
                    seen[v] = epoch;
                    dist[v] = nd;
                    pred[v] = $from as u32;
                    pred_score[v] = $sc;
                    // the sink wins ties, so zero-cost plateaus are not explored
                    heap.push(Reverse((nd, if v == sink { 0 } else { v as u32 + 1 })));
                }
            }};
        }
        while let Some(Reverse((d, key))) = heap.pop() {
            let v = if key == 0 { sink } else { key as usize - 1 };
            if done[v] == epoch || d > dist[v] {
                continue;
            }
            done[v] = epoch;
            if v == sink {
                break;
            }
            settled.push(v as u32);
            if v < n_e {
                let pu = p[v];
                let cur = assign[v];
                for a in g.arcs(v) {
                    let m = g.mentor[a];
                    if m == cur {
                        continue;
                    }
                    let node = n_e + m as usize;
                    if done[node] == epoch {
                        continue;
                    }
                    let s = g.score[a];
                    relax!(node, d + (pu - s - p[node]), v, s);
                }
                if cur != UNMATCHED {
                    relax!(sink, d + pu, v, 0);
                }
            } else {
                let m = v - n_e;
                let pm = p[v];
                if (load[m] as usize) < pens.row(m).len() {
                    relax!(sink, d + pens.row(m)[load[m] as usize] + pm, v, 0);
                }
                for &u in &members[m] {
                    let u = u as usize;
                    if done[u] == epoch {
                        continue;
                    }
                    relax!(u, d + assign_score[u] + pm - p[u], v, 0);
                }
            }
        }
        debug_assert!(done[sink] == epoch, "the sink is always reachable via e → sink");
        let big_d = dist[sink];
        if std::env::var_os("KM_DEBUG").is_some() { STATS.with(|st| { let mut st = st.borrow_mut(); st.0 += settled.len() as u64; st.1 += 1; st.2 = st.2.max(settled.len() as u64); }); }
        for &v in &settled {
            let v = v as usize;
            if dist[v] < big_d {
                p[v] -= big_d - dist[v];
            }
        }
        // Augment along the path.
        path.clear();
        let mut x = sink;
        while x != e {
            path.push(x as u32);
            x = pred[x] as usize;
        }
        path.push(e as u32);
        path.reverse();
        for win in path.windows(2) {
            let (a, b) = (win[0] as usize, win[1] as usize);
            if a < n_e {
                // mentee a leaves its current state
                if b == sink {
                    assign[a] = UNMATCHED;
                } else {
                    let m = b - n_e;
                    assign[a] = m as u32;
                    assign_score[a] = pred_score[b];
                    members[m].push(a as u32);
                }
            } else {
                let m = a - n_e;
                if b == sink {
                    load[m] += 1;
                } else {
                    let pos = members[m]
                        .iter()
                        .position(|&u| u as usize == b)
                        .expect("path reverses an existing assignment");
                    members[m].swap_remove(pos);
                }
            }
        }
    }
    let mut objective = 0i64;
    for e in 0..n_e {
        if assign[e] != UNMATCHED {
            objective += assign_score[e];
        }
    }
    for m in 0..n_m {
        objective -= pens.row(m)[..load[m] as usize].iter().sum::<i64>();
    }
    if std::env::var_os("KM_DEBUG").is_some() { STATS.with(|st| { let mut st = st.borrow_mut(); eprintln!("settled total {} dijkstras {} max {}", st.0, st.1, st.2); *st = (0,0,0); }); }
    let p_m = p[n_e..n_e + n_m].to_vec();
    p.truncate(n_e);
    Flow {
        assign,
        assign_score,
        p_e: p,
        p_m,
        load,
        objective,
    }
}

/// Checks that `f` is dual-feasible on `g` (all residual reduced costs ≥ 0)
/// and complementary: a self-check used in tests and debug builds.
#[cfg(test)]
pub(crate) fn check_duals(g: &Graph, pens: &Csr<i64>, f: &Flow) -> Result<(), String> {
    for e in 0..g.n_mentees() {
        let pe = f.p_e[e];
        for a in g.arcs(e) {
            let m = g.mentor[a] as usize;
            let rc = -g.score[a] + pe - f.p_m[m];
            if f.assign[e] == m as u32 {
                if rc != 0 {
                    return Err(format!("used arc {e}->{m} rc {rc}"));
                }
            } else if rc < 0 {
                return Err(format!("arc {e}->{m} rc {rc}"));
            }
        }
        if f.assign[e] == UNMATCHED && g.arcs(e).len() > 0 && pe > 0 {
            return Err(format!("unmatched {e} with p {pe} > 0"));
        }
        if f.assign[e] != UNMATCHED && pe < 0 {
            return Err(format!("matched {e} with p {pe} < 0"));
        }
    }
    for m in 0..pens.rows() {
        let l = f.load[m] as usize;
        let row = pens.row(m);
        if l < row.len() && row[l] + f.p_m[m] < 0 {
            return Err(format!("mentor {m} free slot rc < 0"));
        }
        if l > 0 && -row[l - 1] - f.p_m[m] < 0 {
            return Err(format!("mentor {m} used slot reverse rc < 0"));
        }
    }
    Ok(())
}
