//! Repair of a warm start ([`Hint`]): the hint's assignment is kept where
//! it is an arc of the graph, mentor potentials are clamped into the range
//! their loads allow, and every request whose reduced costs would be
//! negative is un-routed from its mentor only (no cascade).

use super::ssp::State;
use super::{Hint, UNMATCHED, UNPROCESSED};

impl State<'_> {
    /// Applies `h`; returns the requests left to route (in order).
    pub(super) fn warm_start(&mut self, h: Hint) -> Vec<u32> {
        self.p[self.sink] = h.p_t;
        self.keep_hint_assignment(&h.assign);
        self.clamp_mentor_potentials(&h.p_m, h.p_t);
        self.unroute_violating(h.p_t)
    }

    /// Keeps each hinted pair that is an arc of the graph and fits the
    /// mentor's capacity; other requests stay unprocessed.
    fn keep_hint_assignment(&mut self, hint_assign: &[u32]) {
        let g = self.g;
        for e in 0..self.n_e {
            let m = hint_assign[e];
            if m == UNMATCHED || m == UNPROCESSED {
                self.assign[e] = m;
                continue;
            }
            let mu = m as usize;
            let Some(a) = g.arcs(e).find(|&a| g.mentor[a] == m) else {
                continue; // not an arc of this graph: process from scratch
            };
            if (self.load[mu] as usize) >= self.pens.row(mu).len() {
                continue;
            }
            self.assign[e] = m;
            self.assign_score[e] = g.score[a];
            self.load[mu] += 1;
            self.members[mu].push(e as u32);
        }
    }

    /// `−pen(L+1) ≤ p_m − p_t ≤ −pen(L)` for a mentor with load `L`.
    fn clamp_mentor_potentials(&mut self, hint_p_m: &[i64], pt: i64) {
        let n_e = self.n_e;
        for m in 0..self.n_m {
            let l = self.load[m];
            let hi = if l == 0 {
                i64::MAX
            } else {
                pt - self.slot_cost(m, l)
            };
            let lo = if l as usize >= self.pens.row(m).len() {
                i64::MIN
            } else {
                pt - self.slot_cost(m, l + 1)
            };
            self.p[n_e + m] = hint_p_m[m].clamp(lo, hi);
        }
    }

    /// Sets each request's potential tight; a request some arc would
    /// undercut is un-routed (excess at the request, deficit at its mentor).
    /// Returns the requests to route.
    fn unroute_violating(&mut self, pt: i64) -> Vec<u32> {
        let (g, n_e) = (self.g, self.n_e);
        let mut todo = Vec::new();
        for e in 0..n_e {
            let cur = self.assign[e];
            if cur == UNPROCESSED {
                todo.push(e as u32);
                continue;
            }
            let p = &self.p;
            let pe = if cur == UNMATCHED {
                pt
            } else {
                self.assign_score[e] + p[n_e + cur as usize]
            };
            let fine = pe >= pt
                && g.arcs(e).all(|a| {
                    g.mentor[a] == cur || g.score[a] + p[n_e + g.mentor[a] as usize] <= pe
                });
            if fine {
                self.p[e] = pe;
                continue;
            }

            if cur != UNMATCHED {
                let m = cur as usize;
                let pos = self.members[m]
                    .iter()
                    .position(|&u| u as usize == e)
                    .expect("member");
                self.members[m].swap_remove(pos);
                self.deficit[m] += 1;
                self.n_deficit += 1;
            }
            self.assign[e] = UNPROCESSED;
            todo.push(e as u32);
        }
        todo
    }
}
