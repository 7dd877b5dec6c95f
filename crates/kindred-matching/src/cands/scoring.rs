//! The scoring pass: every pair scored once, in parallel, keeping each
//! mentee's top-K mentors and each mentor's top-K′ mentees by regret.

use std::cmp::Reverse;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use super::top::{unpack, MenteeTop, MentorTop};
use super::{threads, Candidates};
use crate::index::Index;
use crate::score::{Scratch, INFEASIBLE};

/// Mentors per block in the candidate pass's skip tests.
const BLOCK: usize = 64;

/// Scores every pair of `ix` once: top-`k` mentors per mentee, top-`k_m`
/// mentees per mentor (none when `k_m` is 0).
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
                let mut top = MenteeTop::new(k);
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
    let (mtop, sigma) = merge_mentor_tops(&all_mt, km, k_m);
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

/// Merges the threads' mentor heaps into each mentor's top-K′ list (regret
/// desc, mentee asc) and its bound `sigma` on the regret of pairs left out.
fn merge_mentor_tops(
    all_mt: &[MentorTop],
    km: &[usize],
    k_m: usize,
) -> (Vec<Vec<(i64, u32)>>, Vec<i64>) {
    let n_m = km.len();
    let mut mtop = vec![Vec::new(); n_m];
    // No mentor lists: no mentor-side bound (+∞).
    let mut sigma = vec![if k_m == 0 { i64::MAX } else { i64::MIN }; n_m];
    if k_m > 0 {
        for m in 0..n_m {
            let mut v: Vec<(i64, u32)> = Vec::new();
            let mut overflow = false;
            let k_m = km[m];
            for mt in all_mt {
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
    (mtop, sigma)
}
