//! The deterministic local search and the seeded iterated local search.
//!
//! Every move is evaluated by its exact delta (a member's contribution to a
//! circle is its fit with the facilitator plus its pair scores with the
//! other members, ≤ `max_size` pair evaluations), and every circle keeps the
//! intersection of its people's keys, so feasibility of a move is a sorted
//! list intersection plus the block lists.

use std::collections::VecDeque;

use super::form::{form_new, form_steal};
use super::problem::{Inst, NONE};
pub(crate) use super::state::State;
use super::{CircleOptions, SearchStats};
use crate::rng::Rng;

/// One local-search step for participant `i`; returns true if it moved
/// something (the participants whose options changed are queued).
fn improve_participant(st: &mut State<'_>, i: usize, q: &mut VecDeque<u32>) -> bool {
    let inst = st.inst;
    let (min, max) = (inst.min_size, inst.max_size);
    let home = st.circ_of[i];
    let cands = st.candidate_circles(i);
    let cur = if home == NONE {
        0
    } else {
        st.gain(i, home as usize, NONE)
    };
    let can_leave = home == NONE || st.size(home as usize) > min;
    // Best insert / move into a circle with room.
    let mut best: (i64, u32, u32) = (0, NONE, NONE); // (delta, circle, swap partner)
    let mut row: Vec<i64> = Vec::with_capacity(max);
    // keys of i's circle without i (for swaps), computed on first need
    let mut home_keys: Option<Vec<u32>> = None;
    let reach = &inst.reach;
    let h_size = if home == NONE {
        0
    } else {
        st.size(home as usize)
    };
    // j's pair scores in i's circle without i, at most (j not a member)
    let back_pairs = |j: usize| {
        let ub = reach.pairs(j, h_size.saturating_sub(1));
        if home == NONE {
            return ub;
        }
        let h = &st.circles[home as usize].tags;
        let mut s = 0;
        for &t in inst.p_tags.row(j) {
            let n = i64::from(h[t as usize]) - i64::from(inst.has_tag(i, t));
            s += i64::from(inst.w_topic[t as usize]) * n;
        }
        ub.min(s)
    };
    for &c in &cands {
        if c == home {
            continue;
        }
        let c = c as usize;
        let cir = &st.circles[c];
        let sz = cir.members.len();
        // A candidate shares a key with i, so i may join it (instead of
        // member j) unless i is blocked with its facilitator or with another
        // member: checked once for the circle.
        debug_assert!(Inst::meets(inst.p_keys.row(i), &cir.keys));
        if inst.forbidden_pf(i, cir.fac as usize) {
            continue;
        }
        let mut blocked = NONE;
        let mut n_blocked = 0;
        for &j in &cir.members {
            if inst.forbidden_pp(i, j as usize) {
                blocked = j;
                n_blocked += 1;
            }
        }
        if n_blocked > 1 {
            continue;
        }
        // Bounds first (exact pruning: an option skipped here could never
        // beat the best), then i's pair scores with c's members, once.
        let fit_c = inst.fit(i, cir.fac as usize);
        let tb = st.tag_bound(i, c);
        let ins_ub = fit_c + tb.min(reach.pairs(i, sz)) - cur;
        let swap_in_ub = fit_c + tb.min(reach.pairs(i, sz.saturating_sub(1)));
        row.clear();
        let mut base_in = 0;
        if can_leave && sz < max && n_blocked == 0 && ins_ub > best.0 {
            row.extend(cir.members.iter().map(|&j| inst.w(i, j as usize)));
            base_in = fit_c + row.iter().sum::<i64>();
            if base_in - cur > best.0 {
                best = (base_in - cur, c as u32, NONE);
            }
        }
        // Swap with (or, when i is unplaced, replace) a member j of c.
        for a in 0..sz {
            let cir = &st.circles[c];
            let j = cir.members[a];
            let jn = j as usize;
            if n_blocked == 1 && j != blocked {
                continue;
            }
            let in_ub = swap_in_ub - cir.contrib[a];
            let back_ub = if home == NONE {
                0
            } else {
                if in_ub + cir.reach[a] - cur <= best.0 {
                    continue;
                }
                reach.fit_max[jn] + back_pairs(jn) - cur
            };
            if in_ub + back_ub <= best.0 {
                continue;
            }
            if row.is_empty() && sz > 0 {
                row.extend(cir.members.iter().map(|&m| inst.w(i, m as usize)));
                base_in = fit_c + row.iter().sum::<i64>();
            }
            let partial = base_in - row[a] - cir.contrib[a];
            let d = if home == NONE {
                partial
            } else {
                if partial + back_ub <= best.0 {
                    continue;
                }
                let h = home as usize;
                let kh = home_keys.get_or_insert_with(|| st.keys_without(h, i as u32));
                if !st.can_join_with(jn, h, i as u32, kh) {
                    continue;
                }
                partial + st.gain(jn, h, i as u32) - cur
            };
            if d > best.0 {
                best = (d, c as u32, j);
            }
        }
    }
    if best.1 == NONE {
        return false;
    }
    let (c, j) = (best.1 as usize, best.2);
    if j == NONE {
        if home != NONE {
            st.remove(i);
        }
        st.add(i, c);
    } else {
        st.remove(j as usize);
        if home != NONE {
            st.remove(i);
            st.add(j as usize, home as usize);
        }
        st.add(i, c);
        q.push_back(j);
    }
    if home != NONE {
        push_neighbours(st, home as usize, q);
    }
    true
}

/// Queues the unplaced participants holding a key of circle `c` (it may
/// now have room for them) and its members.
fn push_neighbours(st: &State<'_>, c: usize, q: &mut VecDeque<u32>) {
    if st.circles[c].fac == NONE || st.size(c) >= st.inst.max_size {
        return;
    }
    for &k in &st.circles[c].keys {
        for &p in st.inst.key_p.row(k as usize) {
            if st.circ_of[p as usize] == NONE {
                q.push_back(p);
            }
        }
    }
}

/// Facilitator change (to one with room) and merges, per circle.
fn improve_circles(st: &mut State<'_>) -> bool {
    let inst = st.inst;
    let mut any = false;
    let alive: Vec<usize> = st.alive().collect();
    for &c in &alive {
        if st.circles[c].fac == NONE {
            continue;
        }
        let f = st.circles[c].fac as usize;
        let mut best = (0i64, NONE);
        let mut seen_f: Vec<u32> = Vec::new();
        for &k in &st.circles[c].keys {
            seen_f.extend_from_slice(inst.key_f.row(k as usize));
        }
        seen_f.sort_unstable();
        seen_f.dedup();
        for &g in &seen_f {
            let g = g as usize;
            if g == f || st.fac_left[g] == 0 {
                continue;
            }
            let ms = &st.circles[c].members;
            if ms.iter().any(|&i| inst.forbidden_pf(i as usize, g)) {
                continue;
            }
            let d: i64 = ms
                .iter()
                .map(|&i| inst.fit(i as usize, g) - inst.fit(i as usize, f))
                .sum();
            if d > best.0 {
                best = (d, g as u32);
            }
        }
        if best.1 != NONE {
            st.set_fac(c, best.1 as usize);
            any = true;
        }
    }
    // Merge two circles into one when the result scores higher (frees a
    // facilitator for a new circle).
    for &c in &alive {
        if st.circles[c].fac == NONE {
            continue;
        }
        let mut others: Vec<u32> = Vec::new();
        for &k in &st.circles[c].keys {
            others.extend(
                st.key_circles[k as usize]
                    .iter()
                    .filter(|&&d| d as usize > c),
            );
        }
        others.sort_unstable();
        others.dedup();
        for d in others {
            let d = d as usize;
            if st.circles[d].fac == NONE || st.circles[c].fac == NONE {
                continue;
            }
            if st.size(c) + st.size(d) > inst.max_size
                || !Inst::meets(&st.circles[c].keys, &st.circles[d].keys)
            {
                continue;
            }
            let (mc, md) = (st.circles[c].members.clone(), st.circles[d].members.clone());
            if mc.iter().any(|&i| {
                md.iter()
                    .any(|&j| inst.forbidden_pp(i as usize, j as usize))
            }) {
                continue;
            }
            let cross: i64 = mc
                .iter()
                .map(|&i| {
                    md.iter()
                        .map(|&j| inst.w(i as usize, j as usize))
                        .sum::<i64>()
                })
                .sum();
            let all: Vec<u32> = mc.iter().chain(md.iter()).copied().collect();
            for (keep, drop) in [(c, d), (d, c)] {
                let fk = st.circles[keep].fac as usize;
                if all.iter().any(|&i| inst.forbidden_pf(i as usize, fk)) {
                    continue;
                }
                let moved = &st.circles[drop].members;
                let fd = st.circles[drop].fac as usize;
                let delta: i64 = cross
                    + moved
                        .iter()
                        .map(|&i| inst.fit(i as usize, fk) - inst.fit(i as usize, fd))
                        .sum::<i64>();
                if delta > 0 {
                    let moved = moved.clone();
                    st.dissolve(drop);
                    for i in moved {
                        st.add(i as usize, keep);
                    }
                    any = true;
                    break;
                }
            }
        }
    }
    any
}

/// Local search to a local optimum from the queued participants.
fn local_search(st: &mut State<'_>, q: &mut VecDeque<u32>, facs: &[u32]) {
    for _ in 0..20 {
        let mut guard = 0u64;
        while let Some(i) = q.pop_front() {
            guard += 1;
            if guard > 50 * st.inst.n as u64 + 1000 {
                q.clear();
                break;
            }
            if improve_participant(st, i as usize, q) {
                q.push_back(i);
            }
        }
        let mut changed = improve_circles(st);
        let spare: Vec<u32> = facs
            .iter()
            .copied()
            .filter(|&f| st.fac_left[f as usize] > 0)
            .collect();
        changed |= form_new(st, &spare, None);
        for &f in &spare {
            changed |= form_steal(st, f as usize);
        }
        if !changed {
            break;
        }
        q.extend((0..st.inst.n as u32).filter(|&p| st.circ_of[p as usize] == NONE));
    }
}

/// Local search from the constructed solution, then iterated local search:
/// each round dissolves a random circle (and, half the time, unplaces a
/// random member of a neighbouring one), repairs by local search around
/// them, and keeps the result if the objective did not drop (undo journal
/// otherwise).
pub(crate) fn search(st: &mut State<'_>, opts: &CircleOptions) -> SearchStats {
    let inst = st.inst;
    let all_f: Vec<u32> = (0..inst.nf as u32).collect();
    let mut q: VecDeque<u32> = (0..inst.n as u32).collect();
    local_search(st, &mut q, &all_f);
    let mut stats = SearchStats {
        local_search_objective: st.obj,
        ..Default::default()
    };
    let rounds = opts.rounds.unwrap_or_else(|| default_rounds(inst.n));
    // the automatic budget also caps the work (pair scores and fits)
    let work_cap = match opts.rounds {
        None => default_work(inst.n),
        Some(_) => u64::MAX,
    };
    let work0 = inst.work.get();
    let started = std::time::Instant::now();
    let mut rng = Rng::new(opts.seed);
    let stall = match opts.rounds {
        None => default_stall(inst.n),
        Some(_) => u64::MAX,
    };
    let mut last_gain = 0u64;
    for r in 0..rounds {
        if let Some(cap) = opts.time_cap_ms {
            if r % 64 == 0 && started.elapsed().as_millis() >= u128::from(cap) {
                stats.stopped_by_time_cap = true;
                break;
            }
        }
        if inst.work.get() - work0 > work_cap || r - last_gain > stall {
            break;
        }
        let alive: Vec<usize> = st.alive().collect();
        if alive.is_empty() {
            break;
        }
        stats.rounds += 1;
        let before = st.obj;
        st.begin();
        let c = alive[rng.below(alive.len() as u64) as usize];
        let mut q: VecDeque<u32> = VecDeque::new();
        let dissolved_fac = st.circles[c].fac;
        let mut facs: Vec<u32> = vec![dissolved_fac];
        let members = st.circles[c].members.clone();
        st.dissolve(c);
        if rng.chance(0.6) {
            // also disturb a circle some freed member could join: unplace
            // one of its members, or (a third of the time) dissolve it
            let mut near: Vec<u32> = Vec::new();
            for &i in &members {
                for &k in inst.p_keys.row(i as usize) {
                    near.extend_from_slice(&st.key_circles[k as usize]);
                }
            }
            near.sort_unstable();
            near.dedup();
            if !near.is_empty() {
                let d = near[rng.below(near.len() as u64) as usize] as usize;
                facs.push(st.circles[d].fac);
                if rng.chance(0.33) {
                    q.extend(st.circles[d].members.iter().copied());
                    st.dissolve(d);
                } else if st.size(d) > inst.min_size {
                    let j = st.circles[d].members[rng.below(st.size(d) as u64) as usize];
                    st.remove(j as usize);
                    q.push_back(j);
                }
            }
        }
        if rng.chance(RUIN) {
            ruin(st, &members, &mut q, &mut facs, &mut rng);
        }
        let new_first = rng.chance(NEW_FIRST);
        // Members in random order, so repeated rounds explore differently.
        let mut ms = members;
        for a in (1..ms.len()).rev() {
            ms.swap(a, rng.below(a as u64 + 1) as usize);
        }
        q.extend(ms);
        // every facilitator who could lead any of the freed members
        for &i in q.iter() {
            for &k in inst.p_keys.row(i as usize) {
                facs.extend_from_slice(inst.key_f.row(k as usize));
            }
        }
        facs.sort_unstable();
        facs.dedup();
        // keep the round's cost bounded on large instances: the two
        // disturbed circles' facilitators and up to 6 others at random
        let mut rest = facs;
        rest.retain(|&g| st.fac_left[g as usize] > 0 || g == dissolved_fac);
        if rest.len() > 8 {
            for a in 0..6 {
                let b = a + rng.below((rest.len() - a) as u64) as usize;
                rest.swap(a, b);
            }
            rest.truncate(6);
            rest.push(dissolved_fac);
            rest.sort_unstable();
            rest.dedup();
        }
        let facs = rest;
        local_search_round(st, &mut q, &facs, &mut rng, new_first);
        if st.obj >= before {
            if st.obj > before {
                stats.improving_rounds += 1;
                last_gain = r;
            }
            st.commit();
        } else {
            let touched: Vec<u32> = st.journal.circles.iter().map(|x| x.0).collect();
            st.rollback();
            st.reregister(&touched);
        }
    }
    stats.moves = st.moves;
    stats.work = inst.work.get() - work0;
    stats
}

/// Share of rounds that also dissolve up to 3 more circles near the freed
/// members (ruin and recreate: packings that need several circles rebuilt
/// at once, out of reach of the single-circle perturbation).
const RUIN: f64 = 0.1;

/// Share of rounds whose repair forms new circles from the freed people
/// before moving them into the remaining circles (else they flow back into
/// circles with room, and a packing with one more circle is never built).
const NEW_FIRST: f64 = 0.25;

fn ruin(
    st: &mut State<'_>,
    freed: &[u32],
    q: &mut VecDeque<u32>,
    facs: &mut Vec<u32>,
    rng: &mut Rng,
) {
    let inst = st.inst;
    let mut near: Vec<u32> = Vec::new();
    for &i in freed.iter().chain(q.iter()) {
        for &k in inst.p_keys.row(i as usize) {
            near.extend_from_slice(&st.key_circles[k as usize]);
        }
    }
    near.sort_unstable();
    near.dedup();
    for _ in 0..3 {
        if near.is_empty() {
            break;
        }
        let d = near.swap_remove(rng.below(near.len() as u64) as usize) as usize;
        if st.circles[d].fac == NONE {
            continue;
        }
        facs.push(st.circles[d].fac);
        q.extend(st.circles[d].members.iter().copied());
        st.dissolve(d);
    }
}

/// The automatic round budget: `clamp(40·n, 400, 60 000)` up to 2 000
/// requests, then `60 000·√(2 000 / n)`. A round's repair scans the circles
/// and key pools around the disturbed circles, which grow with the
/// population, so the budget shrinks with it to keep the whole run within
/// seconds (≈ 19 000 rounds at 20 000 requests; see docs/benchmarks.md).
pub(crate) fn default_rounds(n: usize) -> u64 {
    if n <= 2_000 {
        (40 * n as u64).clamp(400, 60_000)
    } else {
        (60_000.0 * (2_000.0 / n as f64).sqrt()) as u64
    }
}

/// The automatic budget also stops after this many rounds in a row
/// without a gain: `min(max(100, 5·n), max(2·n, n²/8))`, i.e. `2·n` up to
/// 16 requests, rising to the `max(100, 5·n)` of larger instances at 40
/// requests. A tiny instance's rounds cost a few microseconds each while
/// its fixed set-up costs a few hundred, so a long stall dominated its run
/// (16 requests × 3 facilitators: 32 instead of 100 stalled rounds, the
/// benchmark's seeds 1–10 still optimal; see docs/benchmarks.md); on large
/// instances the work budget stops the rounds first.
pub(crate) fn default_stall(n: usize) -> u64 {
    let n = n as u64;
    (5 * n).max(100).min((2 * n).max(n * n / 8))
}

/// The automatic work budget of the rounds, in pair scores and fits
/// computed: `560 000·√n` (≈ 8·10⁶ at 200 requests, 8·10⁷ at 20 000). A
/// round's cost grows with how dense the population is (how many circles
/// and key holders a freed member meets), not only with `n`, so the rounds
/// stop at this budget or at [`default_rounds`], whichever comes first;
/// deterministic like the rounds (about 50 ns per pair score on the
/// benchmark machine, see docs/benchmarks.md).
pub(crate) fn default_work(n: usize) -> u64 {
    (560_000.0 * (n as f64).sqrt()) as u64
}

/// The repair of one round: participant moves from the queue, then new
/// circles for the affected facilitators, then the queue again (with
/// `new_first`, new circles from the freed people before the queue too).
fn local_search_round(
    st: &mut State<'_>,
    q: &mut VecDeque<u32>,
    facs: &[u32],
    rng: &mut Rng,
    new_first: bool,
) {
    if new_first {
        let spare: Vec<u32> = facs
            .iter()
            .copied()
            .filter(|&f| st.fac_left[f as usize] > 0)
            .collect();
        form_new(st, &spare, Some(rng));
    }
    for _ in 0..3 {
        let mut guard = 0;
        while let Some(i) = q.pop_front() {
            guard += 1;
            if guard > 8 * st.inst.max_size + 64 {
                q.clear();
                break;
            }
            if improve_participant(st, i as usize, q) {
                q.push_back(i);
            }
        }
        let spare: Vec<u32> = facs
            .iter()
            .copied()
            .filter(|&f| st.fac_left[f as usize] > 0)
            .collect();
        let before = st.moves;
        form_new(st, &spare, Some(rng));
        // a steal scans whole key pools: for every spare facilitator when
        // there are few, else for one at random
        if spare.len() <= 3 {
            for &f in &spare {
                form_steal(st, f as usize);
            }
        } else if !spare.is_empty() {
            let f = spare[rng.below(spare.len() as u64) as usize];
            form_steal(st, f as usize);
        }
        if st.moves == before {
            break;
        }
    }
}
