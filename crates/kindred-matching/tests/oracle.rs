//! Our solver against independent oracles: exhaustive search and
//! `pathfinding`'s Kuhn–Munkres on capacity-expanded instances, on thousands
//! of small random instances, and the whole pipeline (certificate included)
//! against Kuhn–Munkres over *all* feasible pairs.

use kindred_matching::bench::{generate, GenOptions, Rng};
use kindred_matching::internals::{reference_scores, solve_raw, UNMATCHED};
use kindred_matching::{Engine, Mode, SolverOptions, Weights};
use pathfinding::kuhn_munkres::kuhn_munkres;
use pathfinding::matrix::Matrix;

const NEG: i64 = -1_000_000_000;

type Instance = (Vec<Vec<(u32, i64)>>, Vec<Vec<i64>>);

/// Kuhn–Munkres on the capacity-expanded instance: one column per mentor slot
/// (value score − slot penalty) plus one "unmatched" column per mentee (0).
fn km_oracle(arcs: &[Vec<(u32, i64)>], pens: &[Vec<i64>]) -> i64 {
    let n = arcs.len();
    if n == 0 {
        return 0;
    }
    let slots: Vec<(usize, i64)> = pens
        .iter()
        .enumerate()
        .flat_map(|(m, p)| p.iter().map(move |&c| (m, c)))
        .collect();
    let cols = slots.len() + n;
    let mut rows = Vec::with_capacity(n);
    for (e, l) in arcs.iter().enumerate() {
        let mut row = vec![NEG; cols];
        for (j, &(m, c)) in slots.iter().enumerate() {
            if let Some(&(_, s)) = l.iter().find(|x| x.0 as usize == m) {
                row[j] = s - c;
            }
        }
        row[slots.len() + e] = 0;
        rows.push(row);
    }
    let mx = Matrix::from_rows(rows).expect("rectangular");
    let (total, _) = kuhn_munkres(&mx);
    total
}

/// Exhaustive search over every assignment (tiny instances only).
fn brute(arcs: &[Vec<(u32, i64)>], pens: &[Vec<i64>]) -> i64 {
    fn go(e: usize, arcs: &[Vec<(u32, i64)>], pens: &[Vec<i64>], load: &mut Vec<usize>) -> i64 {
        if e == arcs.len() {
            return 0;
        }
        let mut best = go(e + 1, arcs, pens, load);
        for &(m, s) in &arcs[e] {
            let m = m as usize;
            if load[m] < pens[m].len() {
                let c = pens[m][load[m]];
                load[m] += 1;
                best = best.max(s - c + go(e + 1, arcs, pens, load));
                load[m] -= 1;
            }
        }
        best
    }
    go(0, arcs, pens, &mut vec![0; pens.len()])
}

fn random_instance(r: &mut Rng, max_e: u64, max_m: u64, max_cap: u64) -> Instance {
    let n_e = r.below(max_e + 1) as usize;
    let n_m = r.below(max_m + 1) as usize;
    let density = r.range(1, 10);
    let score_range = [3, 10, 60][r.below(3) as usize]; // small ranges force ties
    let arcs = (0..n_e)
        .map(|_| {
            (0..n_m as u32)
                .filter_map(|m| {
                    if r.below(10) < density {
                        Some((m, r.below(score_range) as i64))
                    } else {
                        None
                    }
                })
                .collect()
        })
        .collect();
    let pens = (0..n_m)
        .map(|_| {
            let cap = r.below(max_cap + 1) as usize;
            let a = r.below(6) as i64;
            let b = r.below(3) as i64;
            let l0 = r.below(3) as i64;
            (0..cap as i64)
                .map(|k| a * (l0 + k) + b * (l0 + k) * (l0 + k))
                .collect()
        })
        .collect();
    (arcs, pens)
}

fn check_assignment(arcs: &[Vec<(u32, i64)>], pens: &[Vec<i64>], obj: i64, assign: &[u32]) {
    let mut load = vec![0usize; pens.len()];
    let mut total = 0;
    for (e, &m) in assign.iter().enumerate() {
        if m != UNMATCHED {
            let s = arcs[e]
                .iter()
                .find(|x| x.0 == m)
                .expect("assigned along an arc")
                .1;
            total += s;
            load[m as usize] += 1;
        }
    }
    for (m, &l) in load.iter().enumerate() {
        assert!(l <= pens[m].len(), "capacity respected");
        total -= pens[m][..l].iter().sum::<i64>();
    }
    assert_eq!(total, obj, "reported objective matches the assignment");
}

#[test]
fn solver_matches_exhaustive_search() {
    let mut r = Rng::new(11);
    for _ in 0..3000 {
        let (arcs, pens) = random_instance(&mut r, 6, 4, 3);
        let (obj, assign) = solve_raw(&arcs, &pens);
        check_assignment(&arcs, &pens, obj, &assign);
        assert_eq!(obj, brute(&arcs, &pens), "arcs {arcs:?} pens {pens:?}");
    }
}

#[test]
fn solver_matches_kuhn_munkres() {
    let mut r = Rng::new(12);
    for _ in 0..3000 {
        let (arcs, pens) = random_instance(&mut r, 14, 6, 4);
        let (obj, assign) = solve_raw(&arcs, &pens);
        check_assignment(&arcs, &pens, obj, &assign);
        assert_eq!(obj, km_oracle(&arcs, &pens), "arcs {arcs:?} pens {pens:?}");
    }
}

fn small_problem(r: &mut Rng, seed: u64) -> kindred_matching::Problem {
    let mut o = GenOptions::new(r.range(0, 25) as usize, r.range(0, 8) as usize, seed);
    o.tags = r.range(3, 30) as usize;
    o.languages = r.range(1, 4) as usize;
    o.blocked_fraction = [0.0, 0.05, 0.3][r.below(3) as usize];
    o.required_tag_fraction = 0.2;
    let mut p = generate(&o);
    for m in &mut p.mentors {
        m.capacity_remaining = r.below(4) as u32;
        m.accepting = r.below(8) != 0;
    }
    if r.below(3) == 0 {
        p.weights = Weights {
            min_overlap_minutes: 60,
            load_linear: 40,
            load_quadratic: 20,
            ..Weights::default()
        };
    }
    p
}

/// The whole pipeline, with tiny candidate lists so the certificate has to
/// add pairs, against Kuhn–Munkres over every feasible pair.
#[test]
fn pipeline_is_optimal_over_all_pairs() {
    let mut r = Rng::new(13);
    let mut rounds_gt1 = 0;
    for seed in 0..400 {
        let p = small_problem(&mut r, seed);
        let (scores, active) = reference_scores(&p).expect("valid");
        let pos: std::collections::HashMap<usize, usize> = active
            .iter()
            .enumerate()
            .map(|(k, (orig, _))| (*orig, k))
            .collect();
        let arcs: Vec<Vec<(u32, i64)>> = scores
            .iter()
            .map(|l| l.iter().map(|&(m, s)| (pos[&m] as u32, s)).collect())
            .collect();
        let pens: Vec<Vec<i64>> = active.iter().map(|(_, p)| p.clone()).collect();
        let want = km_oracle(&arcs, &pens);
        let eng = Engine::new(&p).expect("valid");
        let opts = SolverOptions {
            top_k_per_request: 1 + (seed as usize % 2),
            top_k_per_mentor: seed as usize % 2,
            max_rounds: 100,
        };
        let res = eng.run_with(Mode::Optimal, &opts);
        assert!(res.certificate.held);
        if res.certificate.rounds > 1 {
            rounds_gt1 += 1;
        }
        assert_eq!(res.objective, want, "seed {seed}");
        assert_eq!(res.fairness.optimal_total, want);
        assert_eq!(res.fairness.stable_blocking_pairs, 0);
        assert!(res.fairness.stable_total <= want && res.fairness.greedy_total <= want);
        // every pair is feasible with the reference score; totals add up
        for pr in &res.pairs {
            let e = p
                .requests
                .iter()
                .position(|q| q.id == pr.request_id)
                .expect("request");
            let m = p
                .mentors
                .iter()
                .position(|q| q.id == pr.mentor_id)
                .expect("mentor");
            let s = scores[e]
                .iter()
                .find(|x| x.0 == m)
                .expect("feasible pair")
                .1;
            assert_eq!(pr.score, s);
            assert_eq!(pr.explanation.total, pr.total);
            assert_eq!(
                pr.explanation
                    .components
                    .iter()
                    .map(|c| c.points)
                    .sum::<i64>(),
                pr.total
            );
        }
        assert_eq!(res.pairs.len() + res.unmatched.len(), p.requests.len());
        // deterministic
        let again = eng.run_with(Mode::Optimal, &opts);
        assert_eq!(again.pairs, res.pairs);
        assert_eq!(again.unmatched, res.unmatched);
        // stable mode returns the stable matching with the same report
        let st = eng.run_with(Mode::Stable, &opts);
        assert_eq!(st.objective, res.fairness.stable_total);
    }
    assert!(
        rounds_gt1 > 10,
        "the certificate was exercised ({rounds_gt1} re-solves)"
    );
}

#[test]
fn scanning_pass_agrees_with_reference_scorer() {
    let mut r = Rng::new(14);
    for seed in 0..300 {
        let p = small_problem(&mut r, 1000 + seed);
        let (want, _) = reference_scores(&p).expect("valid");
        let got = kindred_matching::internals::scan_scores(&p).expect("valid");
        assert_eq!(got, want, "seed {seed}");
    }
}

/// The benchmark taxonomy (500 Zipf tags): more than 32 tags have postings,
/// so the scanning pass uses the popular-tag byte tables, plain postings and
/// complement postings together, plus required tags and excluded regions.
#[test]
fn scanning_pass_agrees_on_large_taxonomy() {
    let mut grouped = 0;
    for (seed, (n, m)) in [(300, 400), (300, 400), (300, 400), (100, 3000)]
        .into_iter()
        .enumerate()
    {
        let p = generate(&GenOptions::new(n, m, 77 + seed as u64));
        // with enough mentors they are grouped into language runs, and the
        // dense pass skips whole runs that share no language with a mentee
        let runs = kindred_matching::internals::lang_runs(&p).expect("valid");
        grouped += usize::from(runs > 1);
        let (want, _) = reference_scores(&p).expect("valid");
        let got = kindred_matching::internals::scan_scores(&p).expect("valid");
        assert_eq!(got, want, "seed {seed}");
    }
    assert!(grouped > 0, "language runs were exercised");
}

/// The certificate re-scores a request against a prefix of the mentors
/// renumbered by dual price: that scan must agree with the reference scorer
/// on exactly the prefix's mentors (postings cut at the prefix, excluded
/// pairs remapped), on small problems and on the benchmark taxonomy.
#[test]
fn prefix_scan_of_a_renumbered_index_agrees_with_reference_scorer() {
    let mut r = Rng::new(15);
    let mut problems: Vec<kindred_matching::Problem> = (0..200)
        .map(|seed| small_problem(&mut r, 5000 + seed))
        .collect();
    problems.push(generate(&GenOptions::new(200, 300, 91)));
    let mut partial = 0;
    for (i, p) in problems.iter().enumerate() {
        let (want, _) = reference_scores(p).expect("valid");
        let got = kindred_matching::internals::scan_scores_prefix(p, 7 + i as u64).expect("valid");
        for (e, (allowed, pairs)) in got.iter().enumerate() {
            let expect: Vec<(usize, i64)> = want[e]
                .iter()
                .copied()
                .filter(|(m, _)| allowed.binary_search(m).is_ok())
                .collect();
            let mut expect = expect;
            expect.sort_unstable();
            assert_eq!(pairs, &expect, "problem {i}, request {e}");
            partial += usize::from(!allowed.is_empty() && allowed.len() < p.mentors.len());
        }
    }
    assert!(partial > 100, "prefixes were partial ({partial})");
}
