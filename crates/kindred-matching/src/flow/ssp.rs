//! The exact phase: successive shortest paths with node potentials from
//! every request with an excess, then from the sink to the mentors left
//! with a deficit (a zero-reduced-cost path first when there is one).

use super::radix_heap::RadixHeap;
use super::{Flow, Graph, Hint, UNMATCHED, UNPROCESSED};
use crate::index::Csr;
use crate::zero_path;

/// The residual network's flow and potentials while the exact phase runs.
/// Nodes: requests `0..n_e`, mentors `n_e..n_e + n_m`, then the sink.
pub(super) struct State<'g> {
    pub g: &'g Graph,
    pub pens: &'g Csr<i64>,
    pub n_e: usize,
    pub n_m: usize,
    pub sink: usize,
    pub assign: Vec<u32>,
    pub assign_score: Vec<i64>,
    /// Potentials: mentees, then mentors, then the sink.
    pub p: Vec<i64>,
    pub load: Vec<u32>,
    pub deficit: Vec<u32>,
    pub n_deficit: usize,
    pub members: Vec<Vec<u32>>,
}

impl<'g> State<'g> {
    fn new(g: &'g Graph, pens: &'g Csr<i64>) -> Self {
        let n_e = g.n_mentees();
        let n_m = pens.rows();
        let sink = n_e + n_m;
        State {
            g,
            pens,
            n_e,
            n_m,
            sink,
            assign: vec![UNPROCESSED; n_e],
            assign_score: vec![0i64; n_e],
            p: vec![0i64; sink + 1],
            load: vec![0u32; n_m],
            deficit: vec![0u32; n_m],
            n_deficit: 0,
            members: vec![Vec::new(); n_m],
        }
    }

    /// Cost of mentor `m`'s `l`-th slot (1-based).
    #[inline]
    pub fn slot_cost(&self, m: usize, l: u32) -> i64 {
        self.pens.row(m)[l as usize - 1]
    }

    /// Makes request `e` a source: its potential becomes the best value
    /// over its arcs (at least the sink's). A request without arcs is left
    /// unmatched instead (returns false).
    fn open_request(&mut self, e: usize) -> bool {
        let (g, n_e, sink) = (self.g, self.n_e, self.sink);
        if g.arcs(e).is_empty() {
            self.assign[e] = UNMATCHED;
            self.p[e] = self.p[sink];
            return false;
        }
        let mut pe = self.p[sink];
        for a in g.arcs(e) {
            pe = pe.max(g.score[a] + self.p[n_e + g.mentor[a] as usize]);
        }
        self.p[e] = pe;
        true
    }

    /// Feeds one deficit along a zero-reduced-cost path from the sink, if
    /// there is one (no potential changes).
    fn repair_by_zero_path(
        &mut self,
        zp: &mut Option<(zero_path::RevArcs, zero_path::Scratch)>,
        search: &mut Search,
    ) -> bool {
        let (rev, scratch) = zp.get_or_insert_with(|| {
            (
                zero_path::RevArcs::build(self.g, self.n_m),
                zero_path::Scratch::new(self.sink + 1),
            )
        });
        let st = zero_path::State {
            n_e: self.n_e,
            p: &self.p,
            assign: &self.assign,
            assign_score: &self.assign_score,
            load: &self.load,
            deficit: &self.deficit,
            pens: self.pens,
        };
        if !zero_path::find(&st, rev, scratch, &mut search.path, &mut search.pred_score) {
            return false;
        }
        self.augment(&search.path, &search.pred_score);
        let target = *search.path.last().expect("non-empty path") as usize;
        self.deficit[target - self.n_e] -= 1;
        self.n_deficit -= 1;
        true
    }

    /// Pushes one unit along `path`; see [`augment`].
    fn augment(&mut self, path: &[u32], arc_score: &[i64]) {
        augment(
            path,
            self.n_e,
            &mut self.assign,
            &mut self.assign_score,
            arc_score,
            &mut self.members,
            &mut self.load,
        );
    }

    /// The solved flow. Potentials are kept raw (not normalised): across
    /// warm starts they only decrease, which lets the certificate reuse its
    /// bounds.
    fn into_flow(self) -> Flow {
        let (n_e, n_m) = (self.n_e, self.n_m);
        let mut p = self.p;
        let p_t = p[self.sink];
        let mut objective = 0i64;
        for e in 0..n_e {
            if self.assign[e] != UNMATCHED {
                objective += self.assign_score[e];
            }
        }
        for m in 0..n_m {
            objective -= self.pens.row(m)[..self.load[m] as usize]
                .iter()
                .sum::<i64>();
        }
        let p_m = p[n_e..n_e + n_m].to_vec();
        p.truncate(n_e);
        Flow {
            assign: self.assign,
            p_e: p,
            p_m,
            p_t,
            load: self.load,
            objective,
        }
    }
}

/// Dijkstra scratch, reused by every search (epoch-stamped marks).
pub(super) struct Search {
    dist: Vec<i64>,
    pred: Vec<u32>,
    pub pred_score: Vec<i64>,
    seen: Vec<u32>,
    done: Vec<u32>,
    epoch: u32,
    heap: RadixHeap,
    settled: Vec<u32>,
    pub path: Vec<u32>,
}

impl Search {
    fn new(n: usize) -> Self {
        Search {
            dist: vec![i64::MAX; n],
            pred: vec![u32::MAX; n],
            pred_score: vec![0i64; n],
            seen: vec![0u32; n],
            done: vec![0u32; n],
            epoch: 0,
            heap: RadixHeap::new(),
            settled: Vec::new(),
            path: Vec::new(),
        }
    }

    /// Dijkstra on reduced costs from `source` to the nearest target (the
    /// sink, or a mentor with a deficit), stopped as soon as it is settled.
    /// `unmatched` lists the unmatched requests (used when the source is
    /// the sink). Returns the target, or `usize::MAX` if none is reachable.
    fn shortest_path(&mut self, st: &State<'_>, source: usize, unmatched: &[u32]) -> usize {
        let (g, pens, n_e, n_m, sink) = (st.g, st.pens, st.n_e, st.n_m, st.sink);
        let (p, assign, assign_score, load, deficit, members) = (
            &st.p,
            &st.assign,
            &st.assign_score,
            &st.load,
            &st.deficit,
            &st.members,
        );
        let Search {
            dist,
            pred,
            pred_score,
            seen,
            done,
            epoch,
            heap,
            settled,
            ..
        } = self;
        *epoch += 1;
        let epoch = *epoch;
        heap.clear();
        settled.clear();
        dist[source] = 0;
        seen[source] = epoch;
        pred[source] = u32::MAX;
        // Targets (the sink, mentors with a deficit) win ties, so zero-cost
        // plateaus are not explored.
        let is_target =
            |v: usize, deficit: &[u32]| v == sink || (v >= n_e && v < sink && deficit[v - n_e] > 0);
        heap.push(0, source as u32);
        let mut best_t = (i64::MAX, usize::MAX);
        // Best target reached so far (distance, node): targets are never
        // queued, and nodes at or beyond its distance are never settled (a
        // target wins ties), so they are not queued either.
        macro_rules! relax {
            ($v:expr, $nd:expr, $from:expr, $sc:expr) => {{
                let v = $v;
                let nd = $nd;
                if seen[v] != epoch || nd < dist[v] {
                    if is_target(v, deficit) {
                        seen[v] = epoch;
                        dist[v] = nd;
                        pred[v] = $from as u32;
                        pred_score[v] = $sc;
                        if (nd, v) < best_t {
                            best_t = (nd, v);
                        }
                    } else if nd < best_t.0 {
                        seen[v] = epoch;
                        dist[v] = nd;
                        pred[v] = $from as u32;
                        pred_score[v] = $sc;
                        heap.push(nd, v as u32);
                    }
                }
            }};
        }
        let pt = p[sink];
        while let Some((d, v)) = heap.pop() {
            if d >= best_t.0 {
                break;
            }
            let v = v as usize;
            if done[v] == epoch || d > dist[v] {
                continue;
            }
            done[v] = epoch;
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
                    relax!(sink, d + pu - pt, v, 0);
                }
            } else if v < sink {
                let m = v - n_e;
                let pm = p[v];
                if (load[m] as usize) < pens.row(m).len() {
                    relax!(sink, d + pens.row(m)[load[m] as usize] + pm - pt, v, 0);
                }
                for &u in &members[m] {
                    let u = u as usize;
                    if done[u] == epoch {
                        continue;
                    }
                    relax!(u, d + assign_score[u] + pm - p[u], v, 0);
                }
            } else {
                // the sink as a source: reverse slot arcs and reverse "unmatched" arcs
                for m in 0..n_m {
                    if load[m] > 0 {
                        let node = n_e + m;
                        relax!(node, d - st.slot_cost(m, load[m]) + pt - p[node], v, 0);
                    }
                }
                for &u in unmatched {
                    let u = u as usize;
                    relax!(u, d + pt - p[u], v, 0);
                }
            }
        }
        best_t.1
    }

    /// After a search that reached `target`: lowers the potential of every
    /// node settled closer than the target (keeps reduced costs ≥ 0 and
    /// makes the path's arcs tight).
    fn lower_potentials(&self, p: &mut [i64], target: usize) {
        let big_d = self.dist[target];
        for &v in &self.settled {
            let v = v as usize;
            if self.dist[v] < big_d {
                p[v] -= big_d - self.dist[v];
            }
        }
    }

    /// The search's path from `source` to `target` into `self.path`.
    fn trace_path(&mut self, source: usize, target: usize) {
        self.path.clear();
        let mut x = target;
        while x != source {
            self.path.push(x as u32);
            x = self.pred[x] as usize;
        }
        self.path.push(source as u32);
        self.path.reverse();
    }
}

/// Solves the problem on `g` (optionally warm-started), with the deficit
/// repair chosen explicitly (tests run both). See [`super::solve_from`].
pub(crate) fn solve_with(
    g: &Graph,
    pens: &Csr<i64>,
    hint: Option<Hint>,
    zero_path_deficits: bool,
) -> Flow {
    let mut st = State::new(g, pens);
    let n_e = st.n_e;
    let sink = st.sink;
    let todo = match hint {
        Some(h) => st.warm_start(h),
        None => (0..n_e as u32).collect(),
    };
    let mut search = Search::new(sink + 1);
    let mut unmatched_list: Vec<u32> = Vec::new();
    let mut zp: Option<(zero_path::RevArcs, zero_path::Scratch)> = None;

    // Sources: first every request with an excess, then the sink while
    // mentors still have deficits.
    let mut ti = 0;
    loop {
        let source = if ti < todo.len() {
            let e = todo[ti] as usize;
            ti += 1;
            if !st.open_request(e) {
                continue;
            }
            e
        } else if st.n_deficit > 0 {
            if zero_path_deficits && st.repair_by_zero_path(&mut zp, &mut search) {
                continue;
            }
            unmatched_list.clear();
            unmatched_list.extend((0..n_e as u32).filter(|&u| st.assign[u as usize] == UNMATCHED));
            sink
        } else {
            break;
        };
        let target = search.shortest_path(&st, source, &unmatched_list);
        debug_assert!(
            target != usize::MAX,
            "a deficit or the sink is always reachable"
        );
        if target == usize::MAX {
            break;
        }
        search.lower_potentials(&mut st.p, target);
        search.trace_path(source, target);
        st.augment(&search.path, &search.pred_score);
        if target != sink {
            st.deficit[target - n_e] -= 1;
            st.n_deficit -= 1;
        }
    }
    st.into_flow()
}

/// Pushes one unit along `path` (node ids: requests, mentors, then the sink).
/// `arc_score[m]` is the score of the request → `m` arc used to enter `m`.
fn augment(
    path: &[u32],
    n_e: usize,
    assign: &mut [u32],
    assign_score: &mut [i64],
    arc_score: &[i64],
    members: &mut [Vec<u32>],
    load: &mut [u32],
) {
    let sink = n_e + load.len();
    for win in path.windows(2) {
        let (a, b) = (win[0] as usize, win[1] as usize);
        if a < n_e {
            if b == sink {
                assign[a] = UNMATCHED;
            } else {
                let m = b - n_e;
                assign[a] = m as u32;
                assign_score[a] = arc_score[b];
                members[m].push(a as u32);
            }
        } else if a < sink {
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
        } else if b < sink && b >= n_e {
            load[b - n_e] -= 1; // sink → mentor: one slot less
        }
        // sink → request: the request leaves "unmatched"; the next arc assigns it
    }
}
