//! Greedy construction, scarcest participants first.
//!
//! Participants are taken in increasing order of their options (Σ over
//! their keys of the facilitators holding it), so the people who fit few
//! circles are placed while those circles can still take them. Each one
//! joins the existing circle it adds most to, or else seeds a new circle:
//! under each of its keys, the best-fitting facilitator with room and a
//! greedy growth from the unplaced holders of that key; the best value wins.

use super::form::grow;
use super::problem::{Inst, NONE};
use super::search::State;

pub(crate) fn construct(st: &mut State<'_>) {
    let inst = st.inst;
    let mut order: Vec<(usize, u32)> = (0..inst.n)
        .map(|i| {
            let opts: usize = inst
                .p_keys
                .row(i)
                .iter()
                .map(|&k| inst.key_f.row(k as usize).len())
                .sum();
            (opts, i as u32)
        })
        .filter(|&(o, _)| o > 0)
        .collect();
    order.sort_unstable();
    for (_, i) in order {
        let i = i as usize;
        if st.circ_of[i] != NONE {
            continue;
        }
        if join_best(st, i) {
            continue;
        }
        if let Some((f, members)) = seed_circle(st, i) {
            st.open(f, &members);
        }
    }
}

/// Adds `i` to the compatible circle with room where it adds most.
fn join_best(st: &mut State<'_>, i: usize) -> bool {
    let mut best = (-1i64, NONE);
    for c in st.candidate_circles(i) {
        let c = c as usize;
        if st.size(c) < st.inst.max_size && st.can_join(i, c, NONE) {
            let g = st.gain(i, c, NONE);
            if g > best.0 {
                best = (g, c as u32);
            }
        }
    }
    if best.1 == NONE {
        return false;
    }
    st.add(i, best.1 as usize);
    true
}

/// The best new circle around `i`: (facilitator, members).
fn seed_circle(st: &State<'_>, i: usize) -> Option<(usize, Vec<u32>)> {
    let inst: &Inst = st.inst;
    let mut best: Option<(i64, usize, Vec<u32>)> = None;
    for &k in inst.p_keys.row(i) {
        let f = inst
            .key_f
            .row(k as usize)
            .iter()
            .map(|&f| f as usize)
            .filter(|&f| st.fac_left[f] > 0 && !inst.forbidden_pf(i, f))
            .max_by_key(|&f| (inst.fit(i, f), std::cmp::Reverse(f)));
        let Some(f) = f else { continue };
        let pool: Vec<u32> = inst
            .key_p
            .row(k as usize)
            .iter()
            .copied()
            .filter(|&p| {
                st.circ_of[p as usize] == NONE
                    && !inst.forbidden_pf(p as usize, f)
                    && (p as usize == i || !inst.forbidden_pp(i, p as usize))
            })
            .collect();
        if pool.len() < inst.min_size {
            continue;
        }
        if let Some((v, m)) = grow(inst, f, &pool, Some(i as u32), inst.max_size) {
            if best.as_ref().is_none_or(|b| v > b.0) {
                best = Some((v, f, m));
            }
        }
    }
    best.map(|(_, f, m)| (f, m))
}
