//! Forming new circles during the search: a best new circle from the
//! unplaced, growing one greedily, and taking members from circles above
//! `min_size` to open another. The improving moves are in `search.rs`.

use super::problem::{first_time, intersect_into, Inst, NONE};
use super::state::{Memo, State};
use crate::rng::Rng;

/// Forms new circles from unplaced participants for facilitators with room
/// (greedy growth under each of the facilitator's keys, best value kept).
pub(crate) fn form_new(st: &mut State<'_>, facs: &[u32], mut rng: Option<&mut Rng>) -> bool {
    let mut any = false;
    let mut facs = facs.to_vec();
    if let Some(r) = rng.as_deref_mut() {
        for a in (1..facs.len()).rev() {
            facs.swap(a, r.below(a as u64 + 1) as usize);
        }
    }
    let mut scratch = std::mem::take(&mut st.grow);
    for &f in &facs {
        let f = f as usize;
        while st.fac_left[f] > 0 {
            let pick = rng.as_deref_mut().map_or(0, |r| r.next_u64() | 1);
            match best_new_circle(st, f, None, pick, &mut scratch) {
                Some((_, members)) => {
                    st.open(f, &members);
                    any = true;
                }
                None => break,
            }
        }
    }
    st.grow = scratch;
    any
}

/// Buffers of [`best_new_circle`] and [`grow_into`], kept across calls (a
/// tiny instance's rounds were a quarter allocation).
#[derive(Default)]
pub(crate) struct GrowScratch {
    bufs: GrowBufs,
    pool: Vec<u32>,
    keys: Vec<u32>,
    pools: Vec<u32>,
}

/// The growth's own buffers: marginal gains, who may still join, members.
#[derive(Default)]
pub(crate) struct GrowBufs {
    gain: Vec<i64>,
    alive: Vec<bool>,
    members: Vec<u32>,
}

/// The best circle facilitator `f` could lead from unplaced participants
/// (optionally containing `seed`): greedy growth under each key.
/// `pick != 0` seeds each growth at a pseudo-random pool member instead of
/// the best-fitting one (diversification in the iterated search).
pub(crate) fn best_new_circle(
    st: &State<'_>,
    f: usize,
    seed: Option<u32>,
    pick: u64,
    scratch: &mut GrowScratch,
) -> Option<(i64, Vec<u32>)> {
    let inst = st.inst;
    let mut best: Option<(i64, Vec<u32>)> = None;
    // A quarter of the randomised calls also draw the circle's size and
    // take a random key's circle rather than the best (ruin and recreate
    // needs packings the greedy best-first choice never builds).
    let wild = pick != 0 && (pick >> 32) & 3 == 0;
    let span = (inst.max_size - inst.min_size + 1) as u64;
    let cap = if wild {
        inst.min_size + ((pick >> 40) % span) as usize
    } else {
        inst.max_size
    };
    let mut all: Vec<(i64, Vec<u32>)> = Vec::new();
    let GrowScratch {
        bufs,
        pool,
        keys,
        pools,
    } = scratch;
    keys.clear();
    keys.extend_from_slice(inst.f_keys.row(f));
    if let Some(s) = seed {
        intersect_into(keys, inst.p_keys.row(s as usize));
    }
    pools.clear();
    for &k in keys.iter() {
        // keys with the same holders grow the same circles
        if !first_time(pools, inst.key_pool[k as usize]) {
            continue;
        }
        pool.clear();
        pool.extend(
            inst.key_p
                .row(k as usize)
                .iter()
                .copied()
                .filter(|&p| st.circ_of[p as usize] == NONE && !inst.forbidden_pf(p as usize, f)),
        );
        if pool.len() < inst.min_size {
            continue;
        }
        let seed = match seed {
            Some(s) => Some(s),
            None if pick != 0 => Some(pool[(pick % pool.len() as u64) as usize]),
            None => None,
        };
        if let Some(v) = grow_into(inst, f, pool, seed, cap, bufs) {
            if wild {
                all.push((v, bufs.members.clone()));
            } else {
                match &mut best {
                    Some(b) if v <= b.0 => {}
                    Some(b) => {
                        b.0 = v;
                        b.1.clone_from(&bufs.members);
                    }
                    None => best = Some((v, bufs.members.clone())),
                }
            }
        }
    }
    if wild && !all.is_empty() {
        let a = ((pick >> 48) % all.len() as u64) as usize;
        return Some(all.swap_remove(a));
    }
    best
}

/// Greedy growth within one key's pool: start from `seed` (or the pool's
/// best-fitting participant), add the participant with the largest
/// marginal gain until `cap` (at most `max_size`) or nobody fits; `None`
/// below `min_size`.
pub(crate) fn grow(
    inst: &Inst,
    f: usize,
    pool: &[u32],
    seed: Option<u32>,
    cap: usize,
) -> Option<(i64, Vec<u32>)> {
    let mut bufs = GrowBufs::default();
    let v = grow_into(inst, f, pool, seed, cap, &mut bufs)?;
    Some((v, bufs.members))
}

/// [`grow`] into reused buffers: the value, members in `bufs.members`.
fn grow_into(
    inst: &Inst,
    f: usize,
    pool: &[u32],
    seed: Option<u32>,
    cap: usize,
    bufs: &mut GrowBufs,
) -> Option<i64> {
    let GrowBufs {
        gain,
        alive,
        members,
    } = bufs;
    gain.clear();
    gain.extend(pool.iter().map(|&p| inst.fit(p as usize, f)));
    alive.clear();
    alive.resize(pool.len(), true);
    members.clear();
    let mut value = 0;
    let first = match seed {
        Some(s) => pool.iter().position(|&p| p == s)?,
        None => (0..pool.len()).max_by_key(|&a| (gain[a], std::cmp::Reverse(a)))?,
    };
    let mut pick = Some(first);
    while let Some(a) = pick {
        let p = pool[a];
        members.push(p);
        value += gain[a];
        alive[a] = false;
        if members.len() >= cap.min(inst.max_size) {
            break;
        }
        for b in 0..pool.len() {
            if alive[b] {
                if inst.forbidden_pp(p as usize, pool[b] as usize) {
                    alive[b] = false;
                } else {
                    gain[b] += inst.w(p as usize, pool[b] as usize);
                }
            }
        }
        pick = (0..pool.len())
            .filter(|&b| alive[b])
            .max_by_key(|&b| (gain[b], std::cmp::Reverse(b)));
    }
    (members.len() >= inst.min_size).then_some(value)
}

/// A new circle for facilitator `f` (with room) that may take members from
/// circles above `min_size` as well as unplaced participants: greedy growth
/// under each key of `f` by marginal gain minus what the member's current
/// circle loses; applied only when the exact total change is positive.
pub(crate) fn form_steal(st: &mut State<'_>, f: usize) -> bool {
    let inst = st.inst;
    if st.fac_left[f] == 0 {
        return false;
    }
    let mut best: Option<(i64, Vec<u32>)> = None;
    // fit − cost per participant, once for all of f's keys
    let mut memo = std::mem::take(&mut st.memo);
    memo.begin(inst.n);
    let mut tried: Vec<Vec<u32>> = Vec::new();
    let mut scratch = std::mem::take(&mut st.grow);
    let (pool, pools) = (&mut scratch.pool, &mut scratch.pools);
    pools.clear();
    for &k in inst.f_keys.row(f) {
        if !first_time(pools, inst.key_pool[k as usize]) {
            continue;
        }
        pool.clear();
        pool.extend(inst.key_p.row(k as usize).iter().copied().filter(|&p| {
            let c = st.circ_of[p as usize];
            !inst.forbidden_pf(p as usize, f) && (c == NONE || st.size(c as usize) > inst.min_size)
        }));
        if pool.len() < inst.min_size {
            continue;
        }
        let (cands, score) = steal_candidates(st, f, pool, &mut memo);
        // f's keys often share their candidates (neighbouring start
        // slots): the growth over the same candidates is the same
        if tried.contains(&cands) {
            continue;
        }
        let members = steal_greedy(st, &cands, score);
        tried.push(cands);
        if members.len() < inst.min_size || members.iter().all(|&p| st.circ_of[p as usize] == NONE)
        {
            continue;
        }
        let delta = steal_delta(st, f, &members);
        if delta > 0 && best.as_ref().is_none_or(|b| delta > b.0) {
            best = Some((delta, members));
        }
    }
    st.memo = memo;
    st.grow = scratch;
    let Some((_, members)) = best else {
        return false;
    };
    for &p in &members {
        if st.circ_of[p as usize] != NONE {
            st.remove(p as usize);
        }
    }
    st.open(f, &members);
    true
}

/// Candidates a stealing circle's greedy growth considers (at least
/// `2·max_size`).
const STEAL_CANDIDATES: usize = 32;

/// The greedy growth of a stealing circle over `pool`: each step takes the
/// participant with the largest marginal gain minus what its current circle
/// loses (its `contrib`), while that circle stays at `min_size` or more.
///
/// On a large pool only the `STEAL_CANDIDATES` best by fit − cost enter
/// the growth (in pool order), so a call costs O(pool) plus a bounded part.
fn steal_candidates(
    st: &State<'_>,
    f: usize,
    pool: &[u32],
    memo: &mut Memo,
) -> (Vec<u32>, Vec<i64>) {
    let inst = st.inst;
    // gain − cost: fit, minus the member's contribution where it is now
    let mut score0 = |p: u32| {
        memo.get_or(p as usize, || {
            let fit = inst.fit(p as usize, f);
            if st.circ_of[p as usize] == NONE {
                fit
            } else {
                fit - st.contrib(p as usize)
            }
        })
    };
    let k = STEAL_CANDIDATES.max(2 * inst.max_size);
    if pool.len() > k {
        let mut ranked: Vec<(i64, u32)> = pool
            .iter()
            .enumerate()
            .map(|(a, &p)| (-score0(p), a as u32))
            .collect();
        ranked.select_nth_unstable(k - 1);
        ranked.truncate(k);
        ranked.sort_unstable_by_key(|x| x.1);
        ranked.iter().map(|&(s, a)| (pool[a as usize], -s)).unzip()
    } else {
        (pool.to_vec(), pool.iter().map(|&p| score0(p)).collect())
    }
}

/// The greedy growth itself over candidates `pool` with their fit − cost.
fn steal_greedy(st: &State<'_>, pool: &[u32], mut score: Vec<i64>) -> Vec<u32> {
    let inst = st.inst;
    let circ: Vec<u32> = pool.iter().map(|&p| st.circ_of[p as usize]).collect();
    let mut alive = vec![true; pool.len()];
    // (circle, members it may still give up)
    let mut left: Vec<(u32, usize)> = Vec::new();
    let mut members: Vec<u32> = Vec::new();
    let argmax = |score: &[i64], alive: &[bool]| {
        (0..pool.len())
            .filter(|&b| alive[b])
            .max_by_key(|&b| (score[b], std::cmp::Reverse(b)))
    };
    let mut pick = argmax(&score, &alive);
    while let Some(a) = pick {
        let p = pool[a];
        let c = circ[a];
        if c != NONE {
            let e = match left.iter().position(|x| x.0 == c) {
                Some(e) => e,
                None => {
                    left.push((c, st.size(c as usize) - inst.min_size));
                    left.len() - 1
                }
            };
            left[e].1 -= 1;
            if left[e].1 == 0 {
                for b in 0..pool.len() {
                    if circ[b] == c {
                        alive[b] = false;
                    }
                }
            }
        }
        members.push(p);
        alive[a] = false;
        if members.len() == inst.max_size {
            break;
        }
        pick = None;
        let mut best = i64::MIN;
        for b in 0..pool.len() {
            if !alive[b] {
                continue;
            }
            if inst.forbidden_pp(p as usize, pool[b] as usize) {
                alive[b] = false;
                continue;
            }
            score[b] += inst.w(p as usize, pool[b] as usize);
            if score[b] > best {
                best = score[b];
                pick = Some(b);
            }
        }
    }
    members
}

/// Exact change of the objective when `members` leave their circles and
/// form a new circle with `f`.
fn steal_delta(st: &State<'_>, f: usize, members: &[u32]) -> i64 {
    let inst = st.inst;
    let mut v = 0;
    for (a, &i) in members.iter().enumerate() {
        v += inst.fit(i as usize, f);
        for &j in &members[..a] {
            v += inst.w(i as usize, j as usize);
            // a pair taken out of the same circle was subtracted twice
            let c = st.circ_of[i as usize];
            if c != NONE && c == st.circ_of[j as usize] {
                v += inst.w(i as usize, j as usize);
            }
        }
        let c = st.circ_of[i as usize];
        if c != NONE {
            v -= st.gain(i as usize, c as usize, NONE);
        }
    }
    v
}
