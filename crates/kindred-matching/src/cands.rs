//! Candidate generation (one pass over every pair: top-K per mentee and
//! top-K′ per mentor) and the dual certificate over all pairs.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use crate::index::Index;
use crate::score::Scratch;

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
    /// Per mentor: its top-K′ mentees (score desc, mentee asc).
    pub mtop: Vec<Vec<(i64, u32)>>,
    /// Per mentor: bound on any pair not in `mtop` (`i64::MIN` if `mtop` holds
    /// all the mentor's feasible mentees).
    pub sigma: Vec<i64>,
    pub pairs_scanned: u64,
}

/// Mentor-side bounded heaps (flat arrays; K′ is small).
struct MentorTop {
    k: usize,
    items: Vec<(i64, u32)>,
    len: Vec<u8>,
    /// Current minimum entry (the one to evict); threshold for entry.
    min_s: Vec<i64>,
    min_e: Vec<u32>,
}

impl MentorTop {
    fn new(n_m: usize, k: usize) -> Self {
        MentorTop {
            k,
            items: vec![(0, 0); n_m * k],
            len: vec![0; n_m],
            min_s: vec![i64::MIN; n_m],
            min_e: vec![u32::MAX; n_m],
        }
    }

    /// `(s, e)` better than `(ms, me)`: higher score, then lower mentee.
    #[inline]
    fn better(s: i64, e: u32, ms: i64, me: u32) -> bool {
        s > ms || (s == ms && e < me)
    }

    #[inline]
    fn offer(&mut self, m: usize, s: i64, e: u32) {
        if s < self.min_s[m] {
            return;
        }
        let k = self.k;
        let l = self.len[m] as usize;
        let slot = &mut self.items[m * k..(m + 1) * k];
        if l < k {
            slot[l] = (s, e);
            self.len[m] += 1;
            if l + 1 < k {
                return; // not full: threshold stays MIN
            }
        } else {
            if !Self::better(s, e, self.min_s[m], self.min_e[m]) {
                return;
            }
            let pos = slot
                .iter()
                .position(|&(a, b)| a == self.min_s[m] && b == self.min_e[m])
                .expect("minimum is present");
            slot[pos] = (s, e);
        }
        let (mut ms, mut me) = slot[0];
        for &(a, b) in slot.iter().skip(1) {
            if Self::better(ms, me, a, b) {
                ms = a;
                me = b;
            }
        }
        self.min_s[m] = ms;
        self.min_e[m] = me;
    }
}

/// Inserts into a mentee's top-K (mentors arrive in increasing order, so a
/// strict `>` keeps the lower mentor on ties).
#[inline]
fn push_top(top: &mut Vec<(u32, i64)>, k: usize, min: &mut i64, m: u32, s: i64) {
    if top.len() < k {
        top.push((m, s));
        if top.len() == k {
            *min = top.iter().map(|x| x.1).min().unwrap_or(i64::MIN);
        }
        return;
    }
    if s <= *min {
        return;
    }
    // evict the worst: lowest score, highest mentor index among equals
    let mut worst = 0;
    for i in 1..top.len() {
        let (wm, ws) = top[worst];
        let (cm, cs) = top[i];
        if cs < ws || (cs == ws && cm > wm) {
            worst = i;
        }
    }
    top[worst] = (m, s);
    *min = top.iter().map(|x| x.1).min().unwrap_or(i64::MIN);
}

pub(crate) fn sort_top(top: &mut [(u32, i64)]) {
    top.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
}

pub(crate) fn generate(ix: &Index, k: usize, k_m: usize) -> Candidates {
    let n_e = ix.n_mentees();
    let n_m = ix.n_mentors();
    let next = AtomicUsize::new(0);
    const CHUNK: usize = 64;
    let nt = threads().min(n_e.div_ceil(CHUNK)).max(1);
    let results: Mutex<Vec<(Vec<(usize, Vec<(u32, i64)>, u32)>, MentorTop)>> =
        Mutex::new(Vec::new());
    std::thread::scope(|sc| {
        for _ in 0..nt {
            sc.spawn(|| {
                let mut scratch = Scratch::new(n_m);
                let mut mt = MentorTop::new(n_m, k_m.max(1));
                let mut out = Vec::new();
                loop {
                    let lo = next.fetch_add(CHUNK, Ordering::Relaxed);
                    if lo >= n_e {
                        break;
                    }
                    for e in lo..(lo + CHUNK).min(n_e) {
                        let mut top = Vec::with_capacity(k);
                        let mut min = i64::MIN;
                        let mut cnt = 0u32;
                        let eu = e as u32;
                        ix.scan_mentee(e, &mut scratch, |m, s| {
                            cnt += 1;
                            if s > min || top.len() < k {
                                push_top(&mut top, k, &mut min, m, s);
                            }
                            if k_m > 0 {
                                mt.offer(m as usize, s, eu);
                            }
                        });
                        sort_top(&mut top);
                        out.push((e, top, cnt));
                    }
                }
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
            for mt in &all_mt {
                let l = mt.len[m] as usize;
                v.extend_from_slice(&mt.items[m * mt.k..m * mt.k + l]);
                // a full heap may have dropped entries
                overflow |= l == mt.k;
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
    Candidates {
        top,
        feasible,
        mtop,
        sigma,
        pairs_scanned: n_e as u64 * n_m as u64,
    }
}

/// Per-mentee candidate lists: top-K ∪ mentor top-K′ ∪ extra, sorted by mentor.
pub(crate) fn merge_lists(c: &Candidates, extra: &[Vec<(u32, i64)>]) -> Vec<Vec<(u32, i64)>> {
    let mut lists: Vec<Vec<(u32, i64)>> = c.top.clone();
    for (m, l) in c.mtop.iter().enumerate() {
        for &(s, e) in l {
            lists[e as usize].push((m as u32, s));
        }
    }
    for (e, x) in extra.iter().enumerate() {
        lists[e].extend_from_slice(x);
    }
    for l in &mut lists {
        l.sort_unstable_by_key(|x| x.0);
        l.dedup_by_key(|x| x.0);
    }
    lists
}

/// Outcome of one certification pass.
pub(crate) struct CertPass {
    /// Non-candidate pairs with negative reduced cost, per mentee.
    pub violations: Vec<Vec<(u32, i64)>>,
    pub n_violations: usize,
    /// Mentees whose bound did not suffice and were re-scored exactly.
    pub rescored: usize,
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
    lists: &[Vec<(u32, i64)>],
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
        if (c.feasible[e] as usize) <= k || c.feasible[e] as usize <= lists[e].len() {
            upper[e] = i64::MIN;
            continue; // every feasible pair of e is a candidate
        }
        if upper[e] <= p_e[e] {
            continue; // an earlier bound still holds (mentor potentials only decrease)
        }
        let tau = c.top[e].last().map_or(i64::MIN, |x| x.1);
        let pos = sig.partition_point(|&s| s < tau);
        let bound = pre[pos].max(if pos < n_m {
            tau.saturating_sub(suf[pos])
        } else {
            i64::MIN
        });
        upper[e] = upper[e].min(bound);
        if bound > p_e[e] {
            need.push(e);
        }
    }
    let next = AtomicUsize::new(0);
    let found: Mutex<Vec<(usize, Vec<(u32, i64)>, i64)>> = Mutex::new(Vec::new());
    let nt = threads().min(need.len()).max(1);
    std::thread::scope(|sc| {
        for _ in 0..nt {
            sc.spawn(|| {
                let mut scratch = Scratch::new(n_m);
                let mut local = Vec::new();
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= need.len() {
                        break;
                    }
                    let e = need[i];
                    let list = &lists[e];
                    let mut v = Vec::new();
                    let mut up = i64::MIN;
                    ix.scan_mentee(e, &mut scratch, |m, s| {
                        let val = s + p_m[m as usize];
                        if list.binary_search_by_key(&m, |x| x.0).is_err() {
                            if val > p_e[e] {
                                v.push((m, s));
                            } else {
                                up = up.max(val);
                            }
                        }
                    });
                    local.push((e, v, up));
                }
                found.lock().expect("no thread panicked").extend(local);
            });
        }
    });
    let mut violations = vec![Vec::new(); n_e];
    let mut n_violations = 0;
    for (e, v, up) in found.into_inner().expect("no thread panicked") {
        // violators become candidates; the rest are bounded by `up`
        upper[e] = up;
        n_violations += v.len();
        violations[e] = v;
    }
    CertPass {
        violations,
        n_violations,
        rescored: need.len(),
    }
}
