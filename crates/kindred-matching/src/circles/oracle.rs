//! Exhaustive optimum of a tiny compiled instance (≤ 16 participants), the
//! reference for the heuristic and the bound in the oracle tests.
//!
//! For each facilitator `f`, `val_f[S]` is the value of circle `S` led by `f`
//! when it is feasible (size within bounds, a key held by `f` and every
//! member, no blocked pair, `f` blocked with nobody in `S`). Then a DP over
//! facilitator *uses* (facilitator `f` repeated `max_circles_f` times):
//! `g_u(mask) = max(g_{u−1}(mask), max_{S ⊆ mask} g_{u−1}(mask \ S) + val_{f_u}[S])`,
//! `g(mask)` being the best value using only the participants in `mask`.
//! O(3^n) per use.

use super::problem::Inst;

pub(crate) const MAX_N: usize = 16;

/// The optimum, or `None` when the instance is too large.
pub(crate) fn optimum(inst: &Inst) -> Option<i64> {
    let n = inst.n;
    if n > MAX_N {
        return None;
    }
    let full = (1usize << n) - 1;
    let nk = inst.n_keys();
    let kw = nk.div_ceil(64).max(1);
    let keymask = |keys: &[u32]| {
        let mut v = vec![0u64; kw];
        for &k in keys {
            v[k as usize / 64] |= 1 << (k % 64);
        }
        v
    };
    // Per subset: key intersection, no blocked pair inside, pair sum.
    let mut keys = vec![0u64; (full + 1) * kw];
    let mut ok = vec![true; full + 1];
    let mut pairs = vec![0i64; full + 1];
    keys[..kw].fill(u64::MAX);
    let pk: Vec<Vec<u64>> = (0..n).map(|i| keymask(inst.p_keys.row(i))).collect();
    for s in 1..=full {
        let low = s.trailing_zeros() as usize;
        let rest = s & (s - 1);
        let mut good = ok[rest];
        let mut sum = pairs[rest];
        let mut r = rest;
        while r != 0 {
            let j = r.trailing_zeros() as usize;
            r &= r - 1;
            if inst.forbidden_pp(low, j) {
                good = false;
            }
            sum += inst.w(low, j);
        }
        ok[s] = good;
        pairs[s] = sum;
        for x in 0..kw {
            keys[s * kw + x] = keys[rest * kw + x] & pk[low][x];
        }
    }
    let mut g = vec![0i64; full + 1];
    for f in 0..inst.nf {
        let fk = keymask(inst.f_keys.row(f));
        let mut val = vec![-1i64; full + 1];
        let mut any = false;
        for s in 1..=full {
            let size = s.count_ones() as usize;
            if size < inst.min_size || size > inst.max_size || !ok[s] {
                continue;
            }
            if !(0..kw).any(|x| keys[s * kw + x] & fk[x] != 0) {
                continue;
            }
            let mut v = pairs[s];
            let mut r = s;
            let mut good = true;
            while r != 0 {
                let i = r.trailing_zeros() as usize;
                r &= r - 1;
                if inst.forbidden_pf(i, f) {
                    good = false;
                    break;
                }
                v += inst.fit(i, f);
            }
            if good {
                val[s] = v;
                any = true;
            }
        }
        if !any {
            continue;
        }
        let uses = (inst.f_cap[f] as usize).min(n / inst.min_size.max(1));
        for _ in 0..uses {
            let prev = g.clone();
            for mask in 1..=full {
                let mut best = prev[mask];
                let mut s = mask;
                while s != 0 {
                    if val[s] >= 0 {
                        best = best.max(prev[mask ^ s] + val[s]);
                    }
                    s = (s - 1) & mask;
                }
                g[mask] = best;
            }
        }
    }
    Some(g[full])
}
