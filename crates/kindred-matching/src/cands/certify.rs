//! The dual certificate over all pairs: a bound per request first, then an
//! exact re-score (a prefix of a mentor renumbering) of the requests whose
//! bound does not suffice.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use super::{threads, Candidates};
use crate::flow::Graph;
use crate::index::Index;
use crate::score::{Scratch, INFEASIBLE};

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

/// Per mentor-side bound of the left-out pairs, in mentors sorted by `sigma`:
/// `pre[i]` = max of `sigma + p_m` over the first `i`, `suf[i]` = min of
/// `−p_m` over the rest.
struct SigmaBounds {
    sig: Vec<i64>,
    pre: Vec<i64>,
    suf: Vec<i64>,
}

impl SigmaBounds {
    fn new(c: &Candidates, p_m: &[i64]) -> SigmaBounds {
        let n_m = p_m.len();
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
        SigmaBounds { sig, pre, suf }
    }
}

/// Requests whose left-out pairs might violate against `p_e` (others get
/// their bound recorded in `upper`, or `i64::MIN` when every feasible pair
/// is a candidate).
fn requests_to_rescore(
    c: &Candidates,
    k: usize,
    graph: &Graph,
    p_e: &[i64],
    b: &SigmaBounds,
    upper: &mut [i64],
) -> Vec<usize> {
    let n_e = p_e.len();
    let n_m = b.sig.len();
    let (sig, pre, suf) = (&b.sig, &b.pre, &b.suf);
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
    need
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
    let need = requests_to_rescore(c, k, graph, p_e, &SigmaBounds::new(c, p_m), upper);
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
                    let (v, up, n_true, limit) =
                        rescore(e, c, graph, p_e, &orders, &mut scratch, &mut mark);
                    pairs += limit;
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

/// Re-scores request `e` against the prefix of the better of the two
/// `orders` that covers every mentor able to come within SLACK of
/// violating. Returns the (near-)violating pairs, the new bound on its
/// remaining left-out pairs, the number of true violations and the prefix
/// length scanned.
fn rescore(
    e: usize,
    c: &Candidates,
    graph: &Graph,
    p_e: &[i64],
    orders: &[Order],
    scratch: &mut Scratch,
    mark: &mut [bool],
) -> (Vec<(u32, i64)>, i64, usize, usize) {
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
    for &m in list {
        mark[o.rank[m as usize] as usize] = true;
    }
    let sc = o.ix.scan_scores_prefix(e, scratch, limit);
    // branch-free: non-candidates' values, i64::MIN elsewhere;
    // `up_all` bounds every non-candidate, `up_far` those
    // that stay out when near-violators are added; `rest`
    // bounds the mentors past the prefix.
    // w = s + rel = s + p_m − p_top; "near" means w > near_w
    let near_w = (pe_near - o.p_top).clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32;
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
        for (r, ((&s, &pm), &cand)) in sc.iter().zip(o.pm.iter()).zip(mark.iter()).enumerate() {
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
    (v, up, n_true, limit)
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
