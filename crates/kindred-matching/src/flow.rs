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

use crate::index::Csr;
use crate::zero_path;

/// Repair the deficits left after the request searches by a backward search
/// for zero-reduced-cost paths first ([`zero_path`]), falling back to a
/// Dijkstra from the sink only when there is none.
pub(crate) const ZERO_PATH_DEFICITS: bool = true;

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
    /// The graph of per-request lists (each sorted by mentor).
    pub fn from_lists(lists: &[Vec<(u32, i64)>]) -> Graph {
        let n: usize = lists.iter().map(Vec::len).sum();
        let mut g = Graph {
            start: Vec::with_capacity(lists.len() + 1),
            mentor: Vec::with_capacity(n),
            score: Vec::with_capacity(n),
        };
        g.start.push(0);
        for l in lists {
            for &(m, s) in l {
                g.mentor.push(m);
                g.score.push(s);
            }
            g.start
                .push(u32::try_from(g.mentor.len()).expect("fewer than 2^32 arcs"));
        }
        g
    }

    /// Adds `add[e]` (pairs not yet in row `e`, any order) to every row, in
    /// place: the arrays grow once and rows move back to front, so the graph
    /// never exists twice. Rows stay sorted by mentor.
    pub fn merge_in_place(&mut self, add: &[Vec<(u32, i64)>]) {
        let n_e = self.n_mentees();
        let extra: usize = add.iter().map(Vec::len).sum();
        if extra == 0 {
            return;
        }
        let old_len = self.mentor.len();
        let new_len = old_len + extra;
        self.mentor.resize(new_len, 0);
        self.score.resize(new_len, 0);
        let mut end = new_len;
        for e in (0..n_e).rev() {
            let (lo, hi) = (self.start[e] as usize, self.start[e + 1] as usize);
            let a = add.get(e).map_or(&[][..], Vec::as_slice);
            let new_lo = end - (hi - lo) - a.len();
            // rows only move towards the end: copy back to front
            self.mentor.copy_within(lo..hi, new_lo);
            self.score.copy_within(lo..hi, new_lo);
            if !a.is_empty() {
                let mut row: Vec<(u32, i64)> = (new_lo..new_lo + (hi - lo))
                    .map(|i| (self.mentor[i], self.score[i]))
                    .chain(a.iter().copied())
                    .collect();
                row.sort_unstable_by_key(|x| x.0);
                for (k, (m, sc)) in row.into_iter().enumerate() {
                    self.mentor[new_lo + k] = m;
                    self.score[new_lo + k] = sc;
                }
            }
            self.start[e + 1] = u32::try_from(end).expect("fewer than 2^32 arcs");
            end = new_lo;
        }
        debug_assert_eq!(end, 0);
    }

    /// Mentors of row `e` (sorted).
    #[inline]
    pub fn row_mentors(&self, e: usize) -> &[u32] {
        &self.mentor[self.arcs(e)]
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

/// [`solve_from`] with the deficit repair chosen explicitly (tests run both).
pub(crate) fn solve_with(
    g: &Graph,
    pens: &Csr<i64>,
    hint: Option<Hint>,
    zero_path_deficits: bool,
) -> Flow {
    let n_e = g.n_mentees();
    let n_m = pens.rows();
    let sink = n_e + n_m;
    let n = sink + 1;
    let mut assign = vec![UNPROCESSED; n_e];
    let mut assign_score = vec![0i64; n_e];
    let mut p = vec![0i64; n]; // mentees, then mentors, then the sink
    let mut load = vec![0u32; n_m];
    let mut deficit = vec![0u32; n_m];
    let mut n_deficit = 0usize;
    let mut members: Vec<Vec<u32>> = vec![Vec::new(); n_m];
    let mut todo: Vec<u32> = Vec::new();
    let slot_cost = |m: usize, l: u32| -> i64 { pens.row(m)[l as usize - 1] };
    if let Some(h) = hint {
        p[sink] = h.p_t;
        let pt = h.p_t;
        for e in 0..n_e {
            let m = h.assign[e];
            if m == UNMATCHED || m == UNPROCESSED {
                assign[e] = m;
                continue;
            }
            let mu = m as usize;
            let Some(a) = g.arcs(e).find(|&a| g.mentor[a] == m) else {
                continue; // not an arc of this graph: process from scratch
            };
            if (load[mu] as usize) >= pens.row(mu).len() {
                continue;
            }
            assign[e] = m;
            assign_score[e] = g.score[a];
            load[mu] += 1;
            members[mu].push(e as u32);
        }
        for m in 0..n_m {
            let l = load[m];
            let hi = if l == 0 {
                i64::MAX
            } else {
                pt - slot_cost(m, l)
            };
            let lo = if l as usize >= pens.row(m).len() {
                i64::MIN
            } else {
                pt - slot_cost(m, l + 1)
            };
            p[n_e + m] = h.p_m[m].clamp(lo, hi);
        }
        for e in 0..n_e {
            let cur = assign[e];
            if cur == UNPROCESSED {
                todo.push(e as u32);
                continue;
            }
            let pe = if cur == UNMATCHED {
                pt
            } else {
                assign_score[e] + p[n_e + cur as usize]
            };
            let fine = pe >= pt
                && g.arcs(e).all(|a| {
                    g.mentor[a] == cur || g.score[a] + p[n_e + g.mentor[a] as usize] <= pe
                });
            if fine {
                p[e] = pe;
                continue;
            }

            if cur != UNMATCHED {
                let m = cur as usize;
                let pos = members[m]
                    .iter()
                    .position(|&u| u as usize == e)
                    .expect("member");
                members[m].swap_remove(pos);
                deficit[m] += 1;
                n_deficit += 1;
            }
            assign[e] = UNPROCESSED;
            todo.push(e as u32);
        }
    } else {
        todo.extend(0..n_e as u32);
    }

    let mut dist = vec![i64::MAX; n];
    let mut pred = vec![u32::MAX; n];
    let mut pred_score = vec![0i64; n];
    let mut seen = vec![0u32; n];
    let mut done = vec![0u32; n];
    let mut epoch = 0u32;
    let mut heap = RadixHeap::new();
    let mut settled: Vec<u32> = Vec::new();
    let mut path: Vec<u32> = Vec::new();
    let mut unmatched_list: Vec<u32> = Vec::new();
    let mut zp: Option<(zero_path::RevArcs, zero_path::Scratch)> = None;

    // Sources: first every request with an excess, then the sink while
    // mentors still have deficits.
    let mut ti = 0;
    loop {
        let source = if ti < todo.len() {
            let e = todo[ti] as usize;
            ti += 1;
            if g.arcs(e).is_empty() {
                assign[e] = UNMATCHED;
                p[e] = p[sink];
                continue;
            }
            let mut pe = p[sink];
            for a in g.arcs(e) {
                pe = pe.max(g.score[a] + p[n_e + g.mentor[a] as usize]);
            }
            p[e] = pe;
            e
        } else if n_deficit > 0 {
            if zero_path_deficits {
                let (rev, scratch) = zp.get_or_insert_with(|| {
                    (
                        zero_path::RevArcs::build(g, n_m),
                        zero_path::Scratch::new(n),
                    )
                });
                let st = zero_path::State {
                    n_e,
                    p: &p,
                    assign: &assign,
                    assign_score: &assign_score,
                    load: &load,
                    deficit: &deficit,
                    pens,
                };
                if zero_path::find(&st, rev, scratch, &mut path, &mut pred_score) {
                    augment(
                        &path,
                        n_e,
                        &mut assign,
                        &mut assign_score,
                        &pred_score,
                        &mut members,
                        &mut load,
                    );
                    let target = *path.last().expect("non-empty path") as usize;
                    deficit[target - n_e] -= 1;
                    n_deficit -= 1;
                    continue;
                }
            }
            unmatched_list.clear();
            unmatched_list.extend((0..n_e as u32).filter(|&u| assign[u as usize] == UNMATCHED));
            sink
        } else {
            break;
        };
        epoch += 1;
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
                    if is_target(v, &deficit) {
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
                        relax!(node, d - slot_cost(m, load[m]) + pt - p[node], v, 0);
                    }
                }
                for &u in &unmatched_list {
                    let u = u as usize;
                    relax!(u, d + pt - p[u], v, 0);
                }
            }
        }
        let target = best_t.1;
        debug_assert!(
            target != usize::MAX,
            "a deficit or the sink is always reachable"
        );
        if target == usize::MAX {
            break;
        }
        let big_d = dist[target];
        for &v in &settled {
            let v = v as usize;
            if dist[v] < big_d {
                p[v] -= big_d - dist[v];
            }
        }
        // Augment along the path.
        path.clear();
        let mut x = target;
        while x != source {
            path.push(x as u32);
            x = pred[x] as usize;
        }
        path.push(source as u32);
        path.reverse();
        augment(
            &path,
            n_e,
            &mut assign,
            &mut assign_score,
            &pred_score,
            &mut members,
            &mut load,
        );
        if target != sink {
            deficit[target - n_e] -= 1;
            n_deficit -= 1;
        }
    }
    // Potentials are kept raw (not normalised): across warm starts they only
    // decrease, which lets the certificate reuse its bounds.
    let p_t = p[sink];
    let mut objective = 0i64;
    for e in 0..n_e {
        if assign[e] != UNMATCHED {
            objective += assign_score[e];
        }
    }
    for m in 0..n_m {
        objective -= pens.row(m)[..load[m] as usize].iter().sum::<i64>();
    }
    let p_m = p[n_e..n_e + n_m].to_vec();
    p.truncate(n_e);
    Flow {
        assign,
        p_e: p,
        p_m,
        p_t,
        load,
        objective,
    }
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

/// Monotone priority queue (radix heap) for Dijkstra on non-negative
/// integer reduced costs: keys pushed are never below the last key popped.
/// Bucket `b` holds keys whose highest bit differing from the last popped
/// key is `b − 1` (bucket 0: equal to it), so push is O(1) and pop amortised
/// O(log C). Ties pop in LIFO order.
struct RadixHeap {
    last: i64,
    len: usize,
    buckets: Vec<Vec<(i64, u32)>>,
}

impl RadixHeap {
    fn new() -> Self {
        RadixHeap {
            last: 0,
            len: 0,
            buckets: (0..65).map(|_| Vec::new()).collect(),
        }
    }

    #[inline]
    fn bucket(&self, key: i64) -> usize {
        let x = (key ^ self.last) as u64;
        (64 - x.leading_zeros()) as usize
    }

    fn clear(&mut self) {
        for b in &mut self.buckets {
            b.clear();
        }
        self.last = 0;
        self.len = 0;
    }

    #[inline]
    fn push(&mut self, key: i64, v: u32) {
        debug_assert!(key >= self.last, "radix heap keys must be monotone");
        // Reduced costs are never negative, so `key >= last`; the clamp only
        // guards the data structure, it never changes a correct search.
        let key = key.max(self.last);
        let b = self.bucket(key);
        self.buckets[b].push((key, v));
        self.len += 1;
    }

    fn pop(&mut self) -> Option<(i64, u32)> {
        if self.len == 0 {
            return None;
        }
        if self.buckets[0].is_empty() {
            let i = (1..65)
                .find(|&i| !self.buckets[i].is_empty())
                .expect("len > 0");
            let mut items = std::mem::take(&mut self.buckets[i]);
            self.last = items.iter().map(|x| x.0).min().expect("non-empty");
            for &(k, v) in &items {
                let b = self.bucket(k);
                self.buckets[b].push((k, v));
            }
            items.clear();
            self.buckets[i] = items;
        }
        self.len -= 1;
        self.buckets[0].pop()
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
        let pe = pe - f.p_t;
        if f.assign[e] == UNMATCHED && !g.arcs(e).is_empty() && pe > 0 {
            return Err(format!("unmatched {e} with p {pe} > 0"));
        }
        if f.assign[e] != UNMATCHED && pe < 0 {
            return Err(format!("matched {e} with p {pe} < 0"));
        }
    }
    for m in 0..pens.rows() {
        let l = f.load[m] as usize;
        let row = pens.row(m);
        if l < row.len() && row[l] + f.p_m[m] - f.p_t < 0 {
            return Err(format!("mentor {m} free slot rc < 0"));
        }
        if l > 0 && -row[l - 1] - f.p_m[m] + f.p_t < 0 {
            return Err(format!("mentor {m} used slot reverse rc < 0"));
        }
    }
    Ok(())
}

/// Auction (Gauss–Seidel, ε = 1) on the slot network: a fast
/// approximately optimal assignment and prices, used only as a warm start
/// for the exact repair + shortest-path phases.
pub(crate) fn auction_hint(g: &Graph, pens: &Csr<i64>) -> Hint {
    let mut a = Auction::new(g, pens);
    a.run(g, pens);
    a.hint()
}

const NONE: u32 = u32::MAX;

/// A mentor's cheapest slot cost and second-cheapest slot cost in one
/// 16-byte entry (one cache line per arc scanned while bidding); `i64::MAX`
/// when there is none.
#[derive(Clone, Copy)]
struct Cheapest {
    c1: i64,
    c2: i64,
}

/// Auction state (Gauss–Seidel, ε = 1) on the slot network, kept so that
/// bidding can resume after arcs are added to the graph.
pub(crate) struct Auction {
    slot_m: Vec<u32>,
    price: Vec<i64>,
    holder: Vec<u32>,
    slot_of: Vec<u32>,
    cheap: Vec<Cheapest>,
    c1_slot: Vec<u32>,
    queue: Vec<u32>,
}

impl Auction {
    /// Zero prices, nothing assigned, every request with an arc queued.
    pub fn new(g: &Graph, pens: &Csr<i64>) -> Auction {
        let n_e = g.n_mentees();
        let n_m = pens.rows();
        let n_slots = pens.data.len();
        let mut slot_m = vec![0u32; n_slots];
        for m in 0..n_m {
            for j in pens.start[m] as usize..pens.start[m + 1] as usize {
                slot_m[j] = m as u32;
            }
        }
        let mut a = Auction {
            slot_m,
            price: vec![0i64; n_slots],
            holder: vec![NONE; n_slots],
            slot_of: vec![NONE; n_e],
            cheap: vec![
                Cheapest {
                    c1: i64::MAX,
                    c2: i64::MAX,
                };
                n_m
            ],
            c1_slot: vec![NONE; n_m],
            queue: Vec::with_capacity(n_e),
        };
        for m in 0..n_m {
            a.refresh(pens, m);
        }
        a.queue.extend(
            (0..n_e as u32)
                .rev()
                .filter(|&e| !g.arcs(e as usize).is_empty()),
        );
        a
    }

    fn refresh(&mut self, pens: &Csr<i64>, m: usize) {
        let (mut a, mut ai, mut b) = (i64::MAX, NONE, i64::MAX);
        for j in pens.start[m] as usize..pens.start[m + 1] as usize {
            let c = pens.data[j] + self.price[j];
            if c < a {
                b = a;
                a = c;
                ai = j as u32;
            } else if c < b {
                b = c;
            }
        }
        self.cheap[m] = Cheapest { c1: a, c2: b };
        self.c1_slot[m] = ai;
    }

    /// Requests `es` (e.g. those that just gained arcs) give up their slot
    /// if some arc now beats it, and bid again on the next [`Auction::run`].
    pub fn reopen(&mut self, g: &Graph, pens: &Csr<i64>, es: impl Iterator<Item = usize>) {
        for e in es {
            let j = self.slot_of[e];
            let cur = if j == NONE {
                0
            } else {
                let m = self.slot_m[j as usize];
                g.arcs(e)
                    .find(|&a| g.mentor[a] == m)
                    .map_or(i64::MIN, |a| g.score[a])
                    - pens.data[j as usize]
                    - self.price[j as usize]
            };
            let better = g.arcs(e).any(|a| {
                let ch = self.cheap[g.mentor[a] as usize];
                ch.c1 != i64::MAX && g.score[a] - ch.c1 > cur
            });
            if better {
                if j != NONE {
                    self.holder[j as usize] = NONE;
                    self.slot_of[e] = NONE;
                }
                self.queue.push(e as u32);
            }
        }
    }

    /// Bids until every queued request holds a slot or prefers to stay
    /// unmatched.
    pub fn run(&mut self, g: &Graph, pens: &Csr<i64>) {
        let eps = 1i64;
        while let Some(e) = self.queue.pop() {
            let e = e as usize;
            // best and second-best object values; the dummy ("unmatched") is worth 0
            let (mut v1, mut m1, mut v2) = (0i64, NONE, 0i64);
            for a in g.arcs(e) {
                let m = g.mentor[a] as usize;
                let s = g.score[a];
                let ch = self.cheap[m];
                if ch.c1 == i64::MAX {
                    continue; // no slot at all
                }
                let v = s - ch.c1;
                if v > v1 {
                    v2 = v1;
                    v1 = v;
                    m1 = m as u32;
                    // the same mentor's second slot is also an alternative
                    if ch.c2 != i64::MAX {
                        v2 = v2.max(s - ch.c2);
                    }
                } else if v > v2 {
                    v2 = v;
                }
            }
            if m1 == NONE {
                continue; // stays unmatched (dummy)
            }
            let m = m1 as usize;
            let j = self.c1_slot[m] as usize;
            self.price[j] += v1 - v2 + eps;
            let prev = self.holder[j];
            if prev != NONE {
                self.slot_of[prev as usize] = NONE;
                self.queue.push(prev);
            }
            self.holder[j] = e as u32;
            self.slot_of[e] = j as u32;
            self.refresh(pens, m);
        }
    }

    /// The assignment and mentor potentials (−cheapest slot cost) as a
    /// warm start for the exact solver.
    pub fn hint(&self) -> Hint {
        let assign = self
            .slot_of
            .iter()
            .map(|&j| {
                if j == NONE {
                    UNMATCHED
                } else {
                    self.slot_m[j as usize]
                }
            })
            .collect();
        // −(cheapest slot cost), kept up to date by `refresh`; 0 for a
        // mentor without slots
        let p_m = self
            .cheap
            .iter()
            .map(|c| if c.c1 == i64::MAX { 0 } else { -c.c1 })
            .collect();
        Hint {
            assign,
            p_m,
            p_t: 0,
        }
    }
}
