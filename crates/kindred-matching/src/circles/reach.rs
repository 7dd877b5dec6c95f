//! What each participant can reach at best, from one scan of its key pools:
//! the largest fit with a facilitator it could be with, and for every `t`
//! the largest sum of `t` pair scores with people it could share a circle
//! with. The search prunes moves with these bounds (exactly: a pruned move
//! could never have been chosen), and [`super::bound`] builds the proven
//! upper bound on them.
//!
//! For participant `i` and each of its keys `k`, the facilitators are those
//! holding `k` with room and not blocked with `i`, the partners the other
//! holders of `k` not blocked with `i`. Anyone in a circle with `i` is such
//! a partner for the circle's key, and its facilitator such a facilitator.

use super::problem::Inst;

#[derive(Debug, Clone, Default)]
pub(crate) struct Reach {
    stride: usize,
    /// Largest fit of `i` with a facilitator of one of its keys.
    pub fit_max: Vec<i64>,
    /// `pref[i·stride + t]`: over `i`'s keys, the largest sum of the `t`
    /// largest pair scores with that key's partners (`t < max_size`).
    pref: Vec<i64>,
    /// `2·UB_i` of `bound.rs` (half points): over keys with a facilitator,
    /// `2·fit + (sum of the max_size − 1 largest pair scores)`.
    pub ub2: Vec<i64>,
}

impl Reach {
    /// Upper bound on the sum of `i`'s pair scores with any `t` people it
    /// can share a circle with.
    #[inline]
    pub fn pairs(&self, i: usize, t: usize) -> i64 {
        self.pref[i * self.stride + t.min(self.stride - 1)]
    }

    /// The most `i` can contribute to any circle: its best fit plus its
    /// best `max_size − 1` pair scores.
    #[inline]
    pub fn most(&self, i: usize) -> i64 {
        self.fit_max[i] + self.pref[i * self.stride + self.stride - 1]
    }

    pub fn scan(inst: &Inst) -> Reach {
        let n = inst.n;
        let m = inst.max_size.saturating_sub(1);
        let stride = m + 1;
        let mut r = Reach {
            stride,
            fit_max: vec![0; n],
            pref: vec![0; n * stride],
            ub2: vec![0; n],
        };
        let mut ws: Vec<i64> = Vec::new();
        // w(i, j) once per partner j across i's keys (neighbouring start
        // slots have nearly the same holders)
        let mut at = vec![u32::MAX; n];
        let mut val = vec![0i64; n];
        let (mut fat, mut fval) = (vec![u32::MAX; inst.nf], vec![0i64; inst.nf]);
        for i in 0..n {
            let pref = &mut r.pref[i * stride..(i + 1) * stride];
            for &k in inst.p_keys.row(i) {
                let best_fit = inst
                    .key_f
                    .row(k as usize)
                    .iter()
                    .map(|&f| f as usize)
                    .filter(|&f| inst.f_cap[f] > 0 && !inst.forbidden_pf(i, f))
                    .map(|f| {
                        if fat[f] != i as u32 {
                            fat[f] = i as u32;
                            fval[f] = inst.fit(i, f);
                        }
                        fval[f]
                    })
                    .max();
                ws.clear();
                ws.extend(
                    inst.key_p
                        .row(k as usize)
                        .iter()
                        .map(|&j| j as usize)
                        .filter(|&j| j != i && !inst.forbidden_pp(i, j))
                        .map(|j| {
                            if at[j] != i as u32 {
                                at[j] = i as u32;
                                val[j] = inst.w(i, j);
                            }
                            val[j]
                        }),
                );
                if ws.len() > m && m > 0 {
                    ws.select_nth_unstable_by(m - 1, |a, b| b.cmp(a));
                }
                ws.truncate(m);
                ws.sort_unstable_by(|a, b| b.cmp(a));
                let mut acc = 0;
                for (t, &w) in ws.iter().enumerate() {
                    acc += w;
                    pref[t + 1] = pref[t + 1].max(acc);
                }
                let Some(best_fit) = best_fit else { continue };
                r.fit_max[i] = r.fit_max[i].max(best_fit);
                r.ub2[i] = r.ub2[i].max(2 * best_fit + acc);
            }
            // more people never sum to less (every w ≥ 0)
            for t in 1..stride {
                pref[t] = pref[t].max(pref[t - 1]);
            }
        }
        r
    }
}
