//! A proven upper bound on the optimum, reported with every run.
//!
//! For participant `i` let (computed in `reach.rs`)
//!
//! ```text
//! UB_i = max over keys k of i, facilitators f holding k with room and not blocked with i, of
//!        fit(i, f) + ½ · (sum of the max_size − 1 largest w(i, j) over the other holders j of k
//!                         not blocked with i)
//! ```
//!
//! and `UB_i = 0` when there is no such (k, f).
//!
//! **Claim.** Every feasible solution scores at most
//! `Σ_c (sum of the P_c largest UB_i in component c)`, where the components
//! are those of the graph joining each key to its holders and facilitators,
//! and `P_c = Σ_{f ∈ c} max_circles_f · max_size`.
//!
//! **Proof.** A solution's objective is
//! `Σ_C [Σ_{i<j ∈ C} w_ij + Σ_{i ∈ C} fit(i, f_C)] = Σ_{placed i} [fit(i, f_C(i)) + ½ Σ_{j ∈ C(i), j ≠ i} w_ij]`
//! (each pair's score is split half to each of its two members). Take a
//! placed `i` in circle `C` formed under key `k` with facilitator `f`: `k` is
//! one of `i`'s keys, `f` holds `k`, has room and is not blocked with `i`; the
//! other members hold `k`, are not blocked with `i` and number at most
//! `max_size − 1`. As every `w ≥ 0`, their pair scores sum to at most the
//! `max_size − 1` largest among all such holders, so `i`'s share is at most
//! `UB_i`. Unplaced participants contribute `0 ≤ UB_i`. A placed participant
//! and its facilitator hold a common key, so they are in the same component;
//! a component's facilitators lead at most `Σ max_circles` circles of at
//! most `max_size` members, so at most `P_c` of its participants are placed,
//! and their shares sum to at most its `P_c` largest `UB_i` (all `UB_i ≥ 0`).
//! Summing over components gives the claim. The sums are kept in half
//! points (`2·UB_i` is an integer) and the total is rounded down, which stays
//! valid because the objective is an integer. ∎

use super::problem::Inst;

pub(crate) fn upper_bound(inst: &Inst) -> i64 {
    let n = inst.n;
    // 2·UB_i in integer half points (computed with the instance).
    let ub2 = &inst.reach.ub2;
    // Components of keys, participants and facilitators (union-find).
    let nk = inst.n_keys();
    let mut uf = UnionFind::new(n + inst.nf + nk);
    for k in 0..nk {
        for &p in inst.key_p.row(k) {
            uf.union(n + inst.nf + k, p as usize);
        }
        for &f in inst.key_f.row(k) {
            uf.union(n + inst.nf + k, n + f as usize);
        }
    }
    let mut cap = vec![0u64; n + inst.nf + nk];
    for f in 0..inst.nf {
        if !inst.f_keys.row(f).is_empty() {
            let r = uf.find(n + f);
            cap[r] += u64::from(inst.f_cap[f]) * inst.max_size as u64;
        }
    }
    let mut by_root: Vec<(usize, i64)> = (0..n)
        .filter(|&i| ub2[i] > 0)
        .map(|i| (uf.find(i), ub2[i]))
        .collect();
    by_root.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
    let mut total2 = 0i64;
    let mut a = 0;
    while a < by_root.len() {
        let r = by_root[a].0;
        let mut b = a;
        while b < by_root.len() && by_root[b].0 == r {
            b += 1;
        }
        let take = (b - a).min(usize::try_from(cap[r]).unwrap_or(usize::MAX));
        total2 += by_root[a..a + take].iter().map(|x| x.1).sum::<i64>();
        a = b;
    }
    total2 / 2
}

struct UnionFind(Vec<u32>);

impl UnionFind {
    fn new(n: usize) -> Self {
        UnionFind((0..n as u32).collect())
    }
    fn find(&mut self, mut x: usize) -> usize {
        while self.0[x] as usize != x {
            let p = self.0[x] as usize;
            self.0[x] = self.0[p];
            x = p;
        }
        x
    }
    fn union(&mut self, a: usize, b: usize) {
        let (a, b) = (self.find(a), self.find(b));
        if a != b {
            self.0[a.max(b)] = a.min(b) as u32;
        }
    }
}
