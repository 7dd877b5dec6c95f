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
//!
//! **Tightening (Lagrangian pair split).** The proof splits each pair's
//! score half to each member; any split works. For numbers
//! `λ_ij, λ_ji ≥ 0` with `λ_ij + λ_ji = w_ij`, let
//!
//! ```text
//! UB_i(λ) = max over keys k retained for i of
//!           F_ik + (sum of the max_size − 1 largest λ_ij over j ∈ P_ik)
//! ```
//!
//! where `F_ik` is `i`'s best fit with a facilitator holding `k` with room
//! and not blocked with `i`; `A_k` the holders of `k` that have such a
//! facilitator (each their own); `k` is *retained* for `i` when `i ∈ A_k`
//! and at least `min_size − 1` members of `A_k` other than `i` are not
//! blocked with `i`; and `P_ik` the other holders `j` of `k` for which `k`
//! is retained, not blocked with `i`. A circle under key `k` shows that `k` is
//! retained for each of its members (its facilitator qualifies all of them
//! for `A_k`, and each has the other members, at least `min_size − 1`), so
//! its other members are in `P_ik`. A pair `(i, j)` that is never in a
//! common `P_ik`/`P_jk` can never share a circle; its weight is dropped
//! (`λ_ij = 0`). Then a placed `i`'s share
//! `fit(i, f) + Σ_{j ∈ C(i)} λ_ij` (which sum to the objective, each pair
//! being split between its members) is at most `UB_i(λ)`, and the
//! component argument above applies unchanged. `λ = w/2` gives a bound at
//! most the plain one (the sets are smaller); [`upper_bound`] then moves
//! weight by subgradient steps from a member who counts a pair among its
//! best to one who does not (Polyak steps aimed at the objective of the
//! solution found, which only sizes the steps), and keeps the least bound
//! found. The
//! arithmetic is in integers (`λ` in units of `1/Q` point, `λ_ij + λ_ji =
//! Q·w_ij` exactly), and the total is rounded down. It runs when the
//! instance has at most [`SPLIT_ENTRIES`] (participant, key, partner)
//! entries; larger instances get the plain bound.

use super::problem::{Inst, NONE};

/// The proven upper bound: the Lagrangian-split bound when the instance is
/// small enough, else (and never above) the plain one.
pub(crate) fn upper_bound(inst: &Inst, lb: i64) -> i64 {
    let comps = Components::new(inst);
    let plain = comps.capped_total(&inst.reach.ub2, 2);
    match Split::new(inst) {
        Some(mut s) => plain.min(s.optimise(inst, &comps, lb)),
        None => plain,
    }
}

/// Largest number of (participant, key, partner) entries the split bound
/// works on (`Σ_k holders_k²` at most; its memory and each of its
/// iterations are linear in it).
pub(crate) const SPLIT_ENTRIES: usize = 2_000_000;

/// Entries × iterations the split bound may spend (≈ 0.1 s): the
/// iterations are `clamp(SPLIT_WORK / entries, 20, ITERATIONS)`.
const SPLIT_WORK: usize = 40_000_000;

/// `λ` resolution: units of `1/Q` point.
const Q: i64 = 64;

/// Most subgradient iterations of the split bound.
const ITERATIONS: usize = 100;

/// Iterations without a new best before the step shrinks.
const STALL: usize = 3;

/// The split bound's data: per participant its partners (sorted) with its
/// share `λ` of each pair (in `1/Q` points) and the twin position of the
/// pair in the partner's list (`NONE` when the pair never shares a circle),
/// and its retained keys: best fit and positions of the key's partners.
struct Split {
    part: Vec<Vec<u32>>,
    lam: Vec<Vec<i64>>,
    twin: Vec<Vec<u32>>,
    /// Per participant: (fit·Q, range into `slots`) per retained key.
    keys: Vec<Vec<(i64, u32, u32)>>,
    slots: Vec<u32>,
}

impl Split {
    fn new(inst: &Inst) -> Option<Split> {
        let n = inst.n;
        let entries: usize = (0..inst.n_keys())
            .map(|k| inst.key_p.row(k).len().pow(2))
            .sum();
        if entries > SPLIT_ENTRIES {
            return None;
        }
        let min_others = inst.min_size.saturating_sub(1);
        // F_ik (i's keys with a facilitator), sorted by key
        let fits: Vec<Vec<(u32, i64)>> = (0..n)
            .map(|i| {
                inst.p_keys
                    .row(i)
                    .iter()
                    .filter_map(|&k| {
                        inst.key_f
                            .row(k as usize)
                            .iter()
                            .map(|&f| f as usize)
                            .filter(|&f| inst.f_cap[f] > 0 && !inst.forbidden_pf(i, f))
                            .map(|f| inst.fit(i, f))
                            .max()
                            .map(|v| (k, v))
                    })
                    .collect()
            })
            .collect();
        let in_a = |j: usize, k: u32| fits[j].binary_search_by_key(&k, |x| x.0).is_ok();
        // retained keys
        let retained: Vec<Vec<u32>> = (0..n)
            .map(|i| {
                fits[i]
                    .iter()
                    .map(|x| x.0)
                    .filter(|&k| {
                        inst.key_p
                            .row(k as usize)
                            .iter()
                            .map(|&j| j as usize)
                            .filter(|&j| j != i && in_a(j, k) && !inst.forbidden_pp(i, j))
                            .count()
                            >= min_others
                    })
                    .collect()
            })
            .collect();
        let kept = |j: usize, k: u32| retained[j].binary_search(&k).is_ok();
        let mut part: Vec<Vec<u32>> = vec![Vec::new(); n];
        let mut keys: Vec<Vec<(i64, u32, u32)>> = vec![Vec::new(); n];
        let mut slots: Vec<u32> = Vec::new();
        let mut tmp: Vec<u32> = Vec::new();
        for i in 0..n {
            let mut lists: Vec<(i64, Vec<u32>)> = Vec::new();
            for &k in &retained[i] {
                let fit = fits[i][fits[i].binary_search_by_key(&k, |x| x.0).expect("fit")].1;
                let p: Vec<u32> = inst
                    .key_p
                    .row(k as usize)
                    .iter()
                    .copied()
                    .filter(|&j| {
                        j as usize != i && kept(j as usize, k) && !inst.forbidden_pp(i, j as usize)
                    })
                    .collect();
                tmp.extend_from_slice(&p);
                lists.push((fit * Q, p));
            }
            tmp.sort_unstable();
            tmp.dedup();
            part[i] = std::mem::take(&mut tmp);
            for (fq, p) in lists {
                let a = slots.len() as u32;
                slots.extend(
                    p.iter()
                        .map(|j| part[i].binary_search(j).expect("partner") as u32),
                );
                keys[i].push((fq, a, slots.len() as u32));
            }
        }
        let twin: Vec<Vec<u32>> = (0..n)
            .map(|i| {
                part[i]
                    .iter()
                    .map(|&j| {
                        part[j as usize]
                            .binary_search(&(i as u32))
                            .map_or(NONE, |q| q as u32)
                    })
                    .collect()
            })
            .collect();
        let lam = (0..n)
            .map(|i| {
                part[i]
                    .iter()
                    .zip(&twin[i])
                    .map(|(&j, &t)| {
                        if t == NONE {
                            0
                        } else {
                            Q * inst.w(i, j as usize) / 2
                        }
                    })
                    .collect()
            })
            .collect();
        Some(Split {
            part,
            lam,
            twin,
            keys,
            slots,
        })
    }

    /// `Q·UB_i(λ)` for every participant, marking in `top` the partners
    /// counted at the best key.
    fn evaluate(&self, m: usize, top: &mut [Vec<bool>], scratch: &mut Vec<(i64, u32)>) -> Vec<i64> {
        let n = self.part.len();
        let mut ub = vec![0i64; n];
        let mut best_set: Vec<u32> = Vec::new();
        for i in 0..n {
            top[i].iter_mut().for_each(|x| *x = false);
            let mut best: Option<(i64, usize)> = None;
            best_set.clear();
            for (e, &(fq, a, b)) in self.keys[i].iter().enumerate() {
                scratch.clear();
                scratch.extend(
                    self.slots[a as usize..b as usize]
                        .iter()
                        .map(|&p| (self.lam[i][p as usize], p)),
                );
                if scratch.len() > m && m > 0 {
                    scratch.select_nth_unstable_by(m - 1, |x, y| y.0.cmp(&x.0));
                }
                scratch.truncate(m);
                let v = fq + scratch.iter().map(|x| x.0).sum::<i64>();
                if best.is_none_or(|bb| v > bb.0) {
                    best = Some((v, e));
                    best_set.clear();
                    best_set.extend(scratch.iter().map(|x| x.1));
                }
            }
            if let Some((v, _)) = best {
                ub[i] = v;
                for &p in &best_set {
                    top[i][p as usize] = true;
                }
            }
        }
        ub
    }

    /// Subgradient steps on `λ` (Polyak steps towards the objective `lb` of
    /// a known solution, shrinking when the bound stalls); the least bound
    /// found.
    fn optimise(&mut self, inst: &Inst, comps: &Components, lb: i64) -> i64 {
        let n = inst.n;
        let m = inst.max_size.saturating_sub(1);
        let mut top: Vec<Vec<bool>> = self.part.iter().map(|p| vec![false; p.len()]).collect();
        let mut scratch = Vec::new();
        let mut best = i64::MAX;
        // step scale θ in 1/64ths, halved after STALL iterations without a new best
        let (mut theta, mut stall) = (16i64, 0);
        let iterations = (SPLIT_WORK / self.slots.len().max(1)).clamp(20, ITERATIONS);
        for _ in 0..iterations {
            let ub = self.evaluate(m, &mut top, &mut scratch);
            let v = comps.capped_total(&ub, Q);
            if v < best {
                best = v;
                stall = 0;
            } else {
                stall += 1;
                if stall >= STALL {
                    theta /= 2;
                    stall = 0;
                }
            }
            if best <= lb || theta == 0 {
                break;
            }
            let moving: i64 = (0..n)
                .map(|i| {
                    (0..self.part[i].len())
                        .filter(|&p| {
                            let (j, t) = (self.part[i][p] as usize, self.twin[i][p]);
                            j > i && t != NONE && top[i][p] != top[j][t as usize]
                        })
                        .count() as i64
                })
                .sum();
            if moving == 0 {
                break;
            }
            // Polyak: the gap to the known solution spread over the pairs
            let step = ((v - lb).max(1) * Q * theta / 64 / moving).max(1);
            for i in 0..n {
                for p in 0..self.part[i].len() {
                    let j = self.part[i][p] as usize;
                    let t = self.twin[i][p];
                    if j < i || t == NONE {
                        continue;
                    }
                    let (a, b) = (top[i][p], top[j][t as usize]);
                    if a == b {
                        continue;
                    }
                    let total = self.lam[i][p] + self.lam[j][t as usize];
                    // move weight to the member not counting the pair
                    let li = if a {
                        (self.lam[i][p] - step).max(0)
                    } else {
                        (self.lam[i][p] + step).min(total)
                    };
                    self.lam[i][p] = li;
                    self.lam[j][t as usize] = total - li;
                }
            }
        }
        best
    }
}

/// The components of keys, participants and facilitators: each
/// participant's root and each root's capacity `P_c`.
struct Components {
    root: Vec<u32>,
    cap: Vec<u64>,
}

impl Components {
    fn new(inst: &Inst) -> Components {
        let n = inst.n;
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
        let root = (0..n).map(|i| uf.find(i) as u32).collect();
        Components { root, cap }
    }

    /// `Σ` over components of the `P_c` largest per-participant bounds `ub`
    /// (in units of `1/unit` point), rounded down.
    fn capped_total(&self, ub: &[i64], unit: i64) -> i64 {
        let mut by_root: Vec<(u32, i64)> = (0..ub.len())
            .filter(|&i| ub[i] > 0)
            .map(|i| (self.root[i], ub[i]))
            .collect();
        by_root.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
        let mut total = 0i64;
        let mut a = 0;
        while a < by_root.len() {
            let r = by_root[a].0;
            let mut b = a;
            while b < by_root.len() && by_root[b].0 == r {
                b += 1;
            }
            let cap = usize::try_from(self.cap[r as usize]).unwrap_or(usize::MAX);
            let take = (b - a).min(cap);
            total += by_root[a..a + take].iter().map(|x| x.1).sum::<i64>();
            a = b;
        }
        total / unit
    }
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
