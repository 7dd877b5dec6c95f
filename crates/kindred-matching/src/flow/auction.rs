//! Auction (Gauss–Seidel, ε = 1) on the slot network: the warm start of
//! the exact solver, resumable after arcs are added to the graph.

use super::{Graph, Hint, UNMATCHED};
use crate::index::Csr;

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
