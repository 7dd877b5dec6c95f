//! Candidate generation (one pass over every pair: top-K per mentee and
//! top-K′ per mentor) and the dual certificate over all pairs.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use crate::flow::Graph;
use crate::index::Index;
use crate::score::{Scratch, INFEASIBLE};

pub(crate) fn threads() -> usize {
    std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 64)
}

/// Result of the scoring pass.
pub(crate) struct Candidates {
    /// Per mentee: its top-K feasible mentors, best first (score desc, mentor asc).
    pub top: Vec<Vec<(u32, i64)>>,
    /// Per mentee: number of feasible mentors over all pairs.
    pub feasible: Vec<u32>,
    /// Per mentor: its top-K′ mentees by regret `score − best[e]` (desc,
    /// mentee asc), stored as (regret, mentee).
    pub mtop: Vec<Vec<(i64, u32)>>,
    /// Per mentee: its best feasible score (0 if none).
    pub best: Vec<i64>,
    /// Per mentor: bound on the regret of any pair not in `mtop` (`i64::MIN`
    /// if `mtop` holds all the mentor's feasible mentees).
    pub sigma: Vec<i64>,
    pub pairs_scanned: u64,
    /// Of those, pairs ruled out by the language rule a whole run at a time
    /// (no score computed).
    pub pairs_skipped_by_language: u64,
}

/// Heap key: `(score, id)` packed so that a larger `u64` is a better entry
/// (higher score, then lower id) and one integer comparison orders two
/// entries; in the `Reverse` min-heap the top is the *worst* entry.
type Key = Reverse<u64>;

#[inline]
fn pack(score: i32, id: u32) -> u64 {
    (u64::from(score as u32 ^ 0x8000_0000) << 32) | u64::from(u32::MAX - id)
}

#[inline]
fn unpack(key: u64) -> (i32, u32) {
    (
        ((key >> 32) as u32 ^ 0x8000_0000) as i32,
        u32::MAX - key as u32,
    )
}

/// Mentor-side bounded min-heaps (K′ best mentees per mentor).
struct MentorTop {
    k: Vec<usize>,
    heaps: Vec<BinaryHeap<Key>>,
    /// Entry threshold per mentor (the current worst score once full).
    min32: Vec<i32>,
}

impl MentorTop {
    fn new(n_m: usize, k: Vec<usize>) -> Self {
        MentorTop {
            heaps: (0..n_m)
                .map(|m| BinaryHeap::with_capacity(k[m] + 1))
                .collect(),
            k,
            min32: vec![i32::MIN; n_m],
        }
    }

    /// `s`: the pair's regret (score − the request's best score, ≤ 0).
    #[inline]
    fn offer(&mut self, m: usize, s: i32, e: u32) {
        let h = &mut self.heaps[m];
        let key = Reverse(pack(s, e));
        let k = self.k[m];
        if h.len() < k {
            h.push(key);
        } else if let Some(mut worst) = h.peek_mut() {
            // better = higher score, then lower mentee; replacing the top
            // sifts once instead of pop + push
            if key < *worst {
                *worst = key;
            } else {
                return;
            }
        }
        if h.len() == k {
            if let Some(Reverse(w)) = h.peek() {
                self.min32[m] = unpack(*w).0;
            }
        }
    }
}

/// Bounded top-K of one mentee (mentors arrive in increasing order, so a
/// strict `>` keeps the lower mentor on ties).
struct MenteeTop {
    k: usize,
    heap: BinaryHeap<Key>,
    min32: i32,
}

impl MenteeTop {
    fn clear(&mut self) {
        self.heap.clear();
        self.min32 = i32::MIN;
    }

    #[inline]
    fn push(&mut self, m: u32, s: i32) {
        let key = Reverse(pack(s, m));
        if self.heap.len() < self.k {
            self.heap.push(key);
        } else if let Some(mut worst) = self.heap.peek_mut() {
            // callers only push entries better than the current worst
            *worst = key;
        }
        if self.heap.len() == self.k {
            if let Some(Reverse(w)) = self.heap.peek() {
                self.min32 = unpack(*w).0;
            }
        }
    }

    fn take(&mut self) -> Vec<(u32, i64)> {
        let mut v: Vec<(u32, i64)> = self
            .heap
            .drain()
            .map(|Reverse(key)| {
                let (s, m) = unpack(key);
                (m, i64::from(s))
            })
            .collect();
        sort_top(&mut v);
        self.min32 = i32::MIN;
        v
    }
}

pub(crate) fn sort_top(top: &mut [(u32, i64)]) {
    top.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
}

/// Mentors per block in the candidate pass's skip tests.
const BLOCK: usize = 64;

pub(crate) fn generate(ix: &Index, k: usize, k_m: usize) -> Candidates {
    let n_e = ix.n_mentees();
    let n_m = ix.n_mentors();
    let next = AtomicUsize::new(0);
    const CHUNK: usize = 64;
    let nt = threads().min(n_e.div_ceil(CHUNK)).max(1);
    let km: Vec<usize> = vec![k_m.max(1); n_m];
    let km = &km;
    let results: Mutex<Vec<(Vec<(usize, Vec<(u32, i64)>, u32)>, MentorTop)>> =
        Mutex::new(Vec::new());
    let skipped = std::sync::atomic::AtomicU64::new(0);
    std::thread::scope(|sc| {
        for _ in 0..nt {
            sc.spawn(|| {
                let mut scratch = Scratch::new(n_m);
                let mut mt = MentorTop::new(n_m, km.clone());
                let mut top = MenteeTop {
                    k,
                    heap: BinaryHeap::with_capacity(k + 1),
                    min32: i32::MIN,
                };
                let mut out = Vec::new();
                let mut buf = vec![0u32; BLOCK];
                loop {
                    let lo = next.fetch_add(CHUNK, Ordering::Relaxed);
                    if lo >= n_e {
                        break;
                    }
                    for e in lo..(lo + CHUNK).min(n_e) {
                        let eu = e as u32;
                        let sc = ix.scan_scores(e, &mut scratch);
                        // Blocks of mentors: a vectorised max (and count) per
                        // block; only blocks holding a score above the top-K
                        // threshold are walked one by one.
                        let mut cnt = 0u32;
                        top.clear();
                        for (bi, blk) in sc.chunks(BLOCK).enumerate() {
                            cnt += blk.iter().map(|&s| u32::from(s != INFEASIBLE)).sum::<u32>();
                            let mx = blk.iter().copied().fold(i32::MIN, i32::max);
                            // while not full the threshold is INFEASIBLE (i32::MIN)
                            if mx > top.min32 {
                                for (j, &s) in blk.iter().enumerate() {
                                    if s > top.min32 {
                                        top.push((bi * BLOCK + j) as u32, s);
                                    }
                                }
                            }
                        }
                        let list = top.take();
                        let best = list.first().map_or(0, |x| x.1);
                        if k_m > 0 && !list.is_empty() {
                            // Mentor lists rank requests by regret (score minus the
                            // request's own best score): a mentor keeps the requests
                            // for which it is nearly the best option.
                            let b32 = i32::try_from(best).unwrap_or(i32::MAX);
                            let wanted =
                                |s: i32, t: i32| (s != INFEASIBLE) & (s.wrapping_sub(b32) >= t);
                            for lo in (0..n_m).step_by(BLOCK) {
                                let hi = (lo + BLOCK).min(n_m);
                                let (blk, thr) = (&sc[lo..hi], &mt.min32[lo..hi]);
                                // vectorised test of the block first
                                if !blk
                                    .iter()
                                    .zip(thr)
                                    .fold(false, |acc, (&s, &t)| acc | wanted(s, t))
                                {
                                    continue;
                                }
                                // branch-free compaction of the block's mentors to offer to
                                let mut n = 0usize;
                                for (j, (&s, &t)) in blk.iter().zip(thr).enumerate() {
                                    buf[n] = (lo + j) as u32;
                                    n += usize::from(wanted(s, t));
                                }
                                for &m in &buf[..n] {
                                    let m = m as usize;
                                    mt.offer(m, sc[m] - b32, eu);
                                }
                            }
                        }
                        out.push((e, list, cnt));
                    }
                }
                skipped.fetch_add(scratch.skipped, Ordering::Relaxed);
                results.lock().expect("no thread panicked").push((out, mt));
            });
        }
    });
    let parts = results.into_inner().expect("no thread panicked");
    let mut top = vec![Vec::new(); n_e];
    let mut feasible = vec![0u32; n_e];
    let mut all_mt = Vec::new();
    for (out, mt) in parts {
        for (e, t, c) in out {
            top[e] = t;
            feasible[e] = c;
        }
        all_mt.push(mt);
    }
    let mut mtop = vec![Vec::new(); n_m];
    // No mentor lists: no mentor-side bound (+∞).
    let mut sigma = vec![if k_m == 0 { i64::MAX } else { i64::MIN }; n_m];
    if k_m > 0 {
        for m in 0..n_m {
            let mut v: Vec<(i64, u32)> = Vec::new();
            let mut overflow = false;
            let k_m = km[m];
            for mt in &all_mt {
                let h = &mt.heaps[m];
                v.extend(h.iter().map(|Reverse(key)| {
                    let (s, e) = unpack(*key);
                    (i64::from(s), e)
                }));
                // a full heap may have dropped entries
                overflow |= h.len() == k_m;
            }
            v.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
            if v.len() > k_m {
                overflow = true;
            }
            v.truncate(k_m);
            if overflow && v.len() == k_m {
                sigma[m] = v[k_m - 1].0;
            }
            mtop[m] = v;
        }
    }
    let best = top.iter().map(|l| l.first().map_or(0, |x| x.1)).collect();
    Candidates {
        top,
        best,
        feasible,
        mtop,
        sigma,
        pairs_scanned: n_e as u64 * n_m as u64,
        pairs_skipped_by_language: skipped.into_inner(),
    }
}

/// The candidate graph: per mentee, top-K ∪ mentor top-K′, sorted by mentor.
/// Built straight into the graph's flat arrays (counted, filled, then each
/// row sorted and de-duplicated in place): no per-mentee lists in between.
pub(crate) fn candidate_graph(c: &Candidates) -> Graph {
    let n_e = c.top.len();
    let mut count: Vec<u32> = c.top.iter().map(|l| l.len() as u32).collect();
    for l in &c.mtop {
        for &(_, e) in l {
            count[e as usize] += 1;
        }
    }
    let mut start = Vec::with_capacity(n_e + 1);
    start.push(0u32);
    let mut total = 0u32;
    for &k in &count {
        total = total.checked_add(k).expect("fewer than 2^32 arcs");
        start.push(total);
    }
    let mut mentor = vec![0u32; total as usize];
    let mut score = vec![0i64; total as usize];
    // cursor per row, reusing `count`
    for (e, l) in c.top.iter().enumerate() {
        let at = start[e] as usize;
        for (k, &(m, s)) in l.iter().enumerate() {
            mentor[at + k] = m;
            score[at + k] = s;
        }
        count[e] = l.len() as u32;
    }
    for (m, l) in c.mtop.iter().enumerate() {
        for &(r, e) in l {
            let e = e as usize;
            let at = (start[e] + count[e]) as usize;
            mentor[at] = m as u32;
            score[at] = r + c.best[e];
            count[e] += 1;
        }
    }
    drop(count);
    // sort each row by mentor, drop duplicates, compact towards the front
    let mut row: Vec<(u32, i64)> = Vec::new();
    let mut w = 0usize;
    for e in 0..n_e {
        let (lo, hi) = (start[e] as usize, start[e + 1] as usize);
        row.clear();
        row.extend((lo..hi).map(|i| (mentor[i], score[i])));
        row.sort_unstable_by_key(|x| x.0);
        row.dedup_by_key(|x| x.0);
        start[e] = w as u32;
        for &(m, s) in &row {
            mentor[w] = m;
            score[w] = s;
            w += 1;
        }
    }
    start[n_e] = w as u32;
    mentor.truncate(w);
    score.truncate(w);
    mentor.shrink_to_fit();
    score.shrink_to_fit();
    Graph {
        start,
        mentor,
        score,
    }
}

/// Near-violating pairs (reduced cost within this many points of negative)
/// found while re-scoring a request that has a true violation are added too.
/// Measured at 100k × 20k: 0 → 6.7 s certify (more rounds re-scan), 2–4 →
/// 4.0–4.1 s, 16 → 5.7 s, 48 → 9.8 s (wider prefixes, 1.4 M pairs added).
const SLACK: i64 = 4;

/// Outcome of one certification pass.
pub(crate) struct CertPass {
    /// Non-candidate pairs with negative reduced cost, per mentee.
    pub violations: Vec<Vec<(u32, i64)>>,
    pub n_violations: usize,
    /// Mentees whose bound did not suffice and were re-scored exactly.
    pub rescored: usize,
    /// Pairs scored while re-scoring them (only the mentors whose potential
    /// lets them come near violating).
    pub pairs_rescored: usize,
}

/// Checks every feasible pair not in `lists` against the dual prices:
/// a pair can improve the optimum only if `score > p_e − p_m`.
///
/// Bound first: a pair outside mentee `e`'s top-K has `score ≤ tau[e]`
/// and one outside mentor `m`'s top-K′ has `score ≤ sigma[m]`; so if
/// `max_m min(tau_e, sigma_m) − p_m ≤ p_e` nothing can violate. Otherwise the
/// mentee is re-scored against all mentors.
pub(crate) fn certify(
    ix: &Index,
    c: &Candidates,
    k: usize,
    graph: &Graph,
    p_e: &[i64],
    p_m: &[i64],
    upper: &mut [i64],
) -> CertPass {
    let n_e = ix.n_mentees();
    let n_m = ix.n_mentors();
    // q_m = −p_m; sort mentors by sigma; prefix max of (sigma − q), suffix min of q.
    let mut order: Vec<u32> = (0..n_m as u32).collect();
    order.sort_unstable_by_key(|&m| c.sigma[m as usize]);
    let sig: Vec<i64> = order.iter().map(|&m| c.sigma[m as usize]).collect();
    let mut pre = vec![i64::MIN; n_m + 1];
    for i in 0..n_m {
        let m = order[i] as usize;
        let v = if c.sigma[m] == i64::MIN {
            i64::MIN
        } else {
            c.sigma[m].saturating_add(p_m[m])
        };
        pre[i + 1] = pre[i].max(v);
    }
    let mut suf = vec![i64::MAX; n_m + 1]; // min of q = −p_m over suffix
    for i in (0..n_m).rev() {
        suf[i] = suf[i + 1].min(-p_m[order[i] as usize]);
    }
    let mut need: Vec<usize> = Vec::new();
    for e in 0..n_e {
        if (c.feasible[e] as usize) <= k || c.feasible[e] as usize <= graph.arcs(e).len() {
            upper[e] = i64::MIN;
            continue; // every feasible pair of e is a candidate
        }
        if upper[e] <= p_e[e] {
            continue; // an earlier bound still holds (mentor potentials only decrease)
        }
        // left-out pair: score ≤ min(tau_e, sigma_m + best_e)
        let tau = c.top[e].last().map_or(i64::MIN, |x| x.1);
        let b = c.best[e];
        let pos = sig.partition_point(|&s| s.saturating_add(b) < tau);
        let bound = pre[pos].saturating_add(b).max(if pos < n_m {
            tau.saturating_sub(suf[pos])
        } else {
            i64::MIN
        });
        upper[e] = upper[e].min(bound);
        if bound > p_e[e] {
            need.push(e);
        }
    }
    // Each request is re-scored only against the mentors that could bring
    // one of its left-out pairs within SLACK of violating, taken as a prefix
    // of one of two renumberings of the mentors (whichever prefix is
    // shorter for that request):
    // * by potential p_m, highest first: a left-out pair has score ≤ τ_e,
    //   so it matters only if p_m > p_e − SLACK − τ_e;
    // * by σ_m + p_m, highest first: a left-out pair is outside m's list,
    //   so score ≤ best_e + σ_m, and it matters only if
    //   σ_m + p_m > p_e − SLACK − best_e (mentors whose whole feasible set
    //   is listed, σ_m = −∞, never do).
    // Both hold for every pair that matters, so either prefix covers them.
    let key_sig: Vec<i64> = (0..n_m)
        .map(|m| {
            if c.sigma[m] == i64::MIN {
                i64::MIN
            } else {
                c.sigma[m].saturating_add(p_m[m])
            }
        })
        .collect();
    let orders: Vec<Order> = if need.is_empty() {
        Vec::new()
    } else {
        vec![Order::new(ix, p_m, p_m), Order::new(ix, &key_sig, p_m)]
    };
    let next = AtomicUsize::new(0);
    let found: Mutex<Vec<(usize, Vec<(u32, i64)>, i64, usize)>> = Mutex::new(Vec::new());
    let nt = threads().min(need.len()).max(1);
    let scanned = AtomicUsize::new(0);
    std::thread::scope(|sc| {
        for _ in 0..nt {
            sc.spawn(|| {
                if orders.is_empty() {
                    return;
                }
                let mut scratch = Scratch::new(n_m);
                let mut mark = vec![false; n_m];
                let mut local = Vec::new();
                let mut pairs = 0usize;
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= need.len() {
                        break;
                    }
                    let e = need[i];
                    let list = graph.row_mentors(e);
                    let mut v = Vec::new();
                    let pe = p_e[e];
                    // Pairs within SLACK of violating are added too (harmless:
                    // more candidates never change the optimum), so a later
                    // round whose potentials moved a little needs no re-scan.
                    let pe_near = pe - SLACK;
                    let tau = c.top[e].last().map_or(i64::MIN, |x| x.1);
                    let best = c.best[e];
                    // (order, prefix length, bound on the mentors past it)
                    let (o, limit, rest) = {
                        let l0 = orders[0].prefix(pe_near.saturating_sub(tau));
                        let l1 = orders[1].prefix(pe_near.saturating_sub(best));
                        if l0 <= l1 {
                            (
                                &orders[0],
                                l0,
                                orders[0]
                                    .key_at(l0)
                                    .map_or(i64::MIN, |k| tau.saturating_add(k)),
                            )
                        } else {
                            (
                                &orders[1],
                                l1,
                                orders[1]
                                    .key_at(l1)
                                    .map_or(i64::MIN, |k| best.saturating_add(k)),
                            )
                        }
                    };
                    pairs += limit;
                    for &m in list {
                        mark[o.rank[m as usize] as usize] = true;
                    }
                    let sc = o.ix.scan_scores_prefix(e, &mut scratch, limit);
                    // branch-free: non-candidates' values, i64::MIN elsewhere;
                    // `up_all` bounds every non-candidate, `up_far` those
                    // that stay out when near-violators are added; `rest`
                    // bounds the mentors past the prefix.
                    // w = s + rel = s + p_m − p_top; "near" means w > near_w
                    let near_w =
                        (pe_near - o.p_top).clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32;
                    let (mut all_w, mut far_w) = (i32::MIN, i32::MIN);
                    for ((&s, &r), &cand) in sc.iter().zip(o.rel.iter()).zip(mark.iter()) {
                        let w = if (s == INFEASIBLE) | cand {
                            i32::MIN
                        } else {
                            s + r
                        };
                        all_w = all_w.max(w);
                        far_w = far_w.max(if w > near_w { i32::MIN } else { w });
                    }
                    let back = |w: i32| {
                        if w == i32::MIN {
                            i64::MIN
                        } else {
                            i64::from(w) + o.p_top
                        }
                    };
                    let (up_all, up_far) = (back(all_w).max(rest), back(far_w).max(rest));
                    let mut n_true = 0usize;
                    let up = if up_all > pe {
                        for (r, ((&s, &pm), &cand)) in
                            sc.iter().zip(o.pm.iter()).zip(mark.iter()).enumerate()
                        {
                            let val = i64::from(s) + pm;
                            if s != INFEASIBLE && !cand && val > pe_near {
                                v.push((o.by[r], i64::from(s)));
                                n_true += usize::from(val > pe);
                            }
                        }
                        up_far
                    } else {
                        up_all
                    };
                    for &m in list {
                        mark[o.rank[m as usize] as usize] = false;
                    }
                    local.push((e, v, up, n_true));
                }
                scanned.fetch_add(pairs, Ordering::Relaxed);
                found.lock().expect("no thread panicked").extend(local);
            });
        }
    });
    let mut violations = vec![Vec::new(); n_e];
    let mut n_violations = 0;
    for (e, v, up, n_true) in found.into_inner().expect("no thread panicked") {
        // violators (and near-violators) become candidates; the rest are
        // bounded by `up`
        upper[e] = up;
        n_violations += n_true;
        if n_true > 0 {
            violations[e] = v;
        }
    }
    CertPass {
        violations,
        n_violations,
        rescored: need.len(),
        pairs_rescored: scanned.into_inner(),
    }
}

/// Mentors renumbered by a key, highest first, for the certificate's
/// prefix scans.
struct Order {
    /// The index with mentors in this order.
    ix: Index,
    /// New number → mentor, and mentor → new number.
    by: Vec<u32>,
    rank: Vec<u32>,
    /// The key in this order (non-increasing).
    key: Vec<i64>,
    /// Mentor potentials in this order, and relative to the highest
    /// potential in `i32` for the vectorised bound pass (clamped at −2^30:
    /// a clamped value only over-estimates a pair, so bounds stay valid;
    /// scores are < 2^29, so `s + rel` never overflows).
    pm: Vec<i64>,
    rel: Vec<i32>,
    p_top: i64,
}

impl Order {
    fn new(ix: &Index, key: &[i64], p_m: &[i64]) -> Order {
        let n_m = key.len();
        let mut by: Vec<u32> = (0..n_m as u32).collect();
        by.sort_unstable_by(|&a, &b| key[b as usize].cmp(&key[a as usize]).then(a.cmp(&b)));
        let mut rank = vec![0u32; n_m];
        for (i, &m) in by.iter().enumerate() {
            rank[m as usize] = i as u32;
        }
        let pm: Vec<i64> = by.iter().map(|&m| p_m[m as usize]).collect();
        let p_top = pm.iter().copied().max().unwrap_or(0);
        let rel = pm
            .iter()
            .map(|&x| (x - p_top).max(-(1 << 30)) as i32)
            .collect();
        Order {
            ix: ix.with_mentor_order(&by),
            key: by.iter().map(|&m| key[m as usize]).collect(),
            by,
            rank,
            pm,
            rel,
            p_top,
        }
    }

    /// Number of mentors whose key is above `thr`.
    fn prefix(&self, thr: i64) -> usize {
        self.key.partition_point(|&k| k > thr)
    }

    /// The key of the first mentor past a prefix (the largest among them).
    fn key_at(&self, limit: usize) -> Option<i64> {
        self.key.get(limit).copied().filter(|&k| k != i64::MIN)
    }
}
