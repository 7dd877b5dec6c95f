//! Internal invariants: solver duals, DST conversion.

use crate::flow::{check_duals, solve, Graph};
use crate::index::{Csr, Index};
use crate::model::*;

fn lcg(seed: &mut u64) -> u64 {
    *seed = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    *seed >> 33
}

#[test]
fn solver_potentials_are_an_exact_dual() {
    let mut seed = 7u64;
    for _ in 0..500 {
        let n_e = 1 + lcg(&mut seed) as usize % 12;
        let n_m = 1 + lcg(&mut seed) as usize % 5;
        let lists: Vec<Vec<(u32, i64)>> = (0..n_e)
            .map(|_| {
                let mut l = Vec::new();
                for m in 0..n_m as u32 {
                    if !lcg(&mut seed).is_multiple_of(3) {
                        l.push((m, (lcg(&mut seed) % 40) as i64));
                    }
                }
                l
            })
            .collect();
        let pens = Csr::from_rows((0..n_m).map(|_| {
            let cap = lcg(&mut seed) as usize % 4;
            (0..cap).map(|k| (k * k) as i64 * 3).collect::<Vec<i64>>()
        }));
        let g = Graph::from_lists(&lists);
        let f = solve(&g, &pens);
        check_duals(&g, &pens, &f).expect("dual feasible and complementary");
        for zp in [false, true] {
            let h = crate::flow::auction_hint(&g, &pens);
            let f2 = crate::flow::solve_with(&g, &pens, Some(h), zp);
            assert_eq!(f2.objective, f.objective, "zero_path {zp}");
            check_duals(&g, &pens, &f2).expect("dual feasible and complementary");
        }
    }
}

fn person_problem(
    tz: &str,
    day: Weekday,
    start: u16,
    end: u16,
    monday: chrono::NaiveDate,
) -> Index {
    let p = Problem {
        requests: vec![MenteeRequest {
            id: "r".into(),
            languages: vec!["en".into()],
            timezone: tz.into(),
            availability: vec![Window {
                day,
                start_min: start,
                end_min: end,
            }],
            meeting_modes: vec![MeetingMode::Online],
            ..Default::default()
        }],
        reference_monday: Some(monday),
        ..Default::default()
    };
    Index::new(&p).expect("valid")
}

#[test]
fn windows_convert_dst_correctly() {
    let winter = chrono::NaiveDate::from_ymd_opt(2025, 1, 6).expect("date");
    let summer = chrono::NaiveDate::from_ymd_opt(2025, 7, 7).expect("date");
    // Berlin Monday 10:00–11:00 = 09:00 UTC in winter, 08:00 UTC in summer.
    let w = person_problem("Europe/Berlin", Weekday::Mon, 600, 660, winter);
    let first = w.e.slots.row(0)[0] as u32 * w.slot_min;
    assert_eq!(first, 9 * 60);
    let s = person_problem("Europe/Berlin", Weekday::Mon, 600, 660, summer);
    let first = s.e.slots.row(0)[0] as u32 * s.slot_min;
    assert_eq!(first, 8 * 60);
    // Spring-forward day in Berlin (2025-03-30, a Sunday): 02:30 does not
    // exist; the window 02:00–04:00 local is 01:00–02:00 UTC = 60 minutes.
    let march = chrono::NaiveDate::from_ymd_opt(2025, 3, 24).expect("date");
    let g = person_problem("Europe/Berlin", Weekday::Sun, 120, 240, march);
    assert_eq!(g.e.slots.row(0).len() as u32 * g.slot_min, 60);
    // Tokyo Monday 08:00 wraps to Sunday 23:00 UTC (end of the week).
    let t = person_problem("Asia/Tokyo", Weekday::Mon, 480, 540, winter);
    assert_eq!(t.e.slots.row(0)[0] as u32 * t.slot_min, 7 * 1440 - 60);
}

#[test]
fn any_warm_start_gives_the_same_optimum() {
    use crate::flow::{solve_from, solve_with, Hint, UNMATCHED};
    let mut seed = 99u64;
    for _ in 0..500 {
        let n_e = 1 + lcg(&mut seed) as usize % 10;
        let n_m = 1 + lcg(&mut seed) as usize % 4;
        let mut lists: Vec<Vec<(u32, i64)>> = Vec::new();
        for _ in 0..n_e {
            let mut l = Vec::new();
            for m in 0..n_m as u32 {
                if !lcg(&mut seed).is_multiple_of(3) {
                    l.push((m, (lcg(&mut seed) % 30) as i64));
                }
            }
            lists.push(l);
        }
        let pens = Csr::from_rows((0..n_m).map(|_| {
            let cap = 1 + lcg(&mut seed) as usize % 3;
            (0..cap).map(|k| (k * k) as i64 * 2).collect::<Vec<i64>>()
        }));
        let g = Graph::from_lists(&lists);
        let cold = solve(&g, &pens);
        // arbitrary (even nonsensical) assignments and prices
        let assign = (0..n_e)
            .map(|_| match lcg(&mut seed) % (n_m as u64 + 1) {
                0 => UNMATCHED,
                m => (m - 1) as u32,
            })
            .collect();
        let p_m = (0..n_m)
            .map(|_| (lcg(&mut seed) % 60) as i64 - 30)
            .collect();
        let p_t = (lcg(&mut seed) % 20) as i64 - 10;
        let hint = Hint { assign, p_m, p_t };
        let warm = solve_from(&g, &pens, Some(hint.clone()));
        assert_eq!(warm.objective, cold.objective);
        check_duals(&g, &pens, &warm).expect("exact duals from any warm start");
        // both deficit repairs (zero-path search on / off) from the same start:
        // the same optimum, exact duals, and potentials that never increase
        for zp in [false, true] {
            let f = solve_with(&g, &pens, Some(hint.clone()), zp);
            assert_eq!(f.objective, cold.objective, "zero_path {zp}");
            check_duals(&g, &pens, &f).expect("exact duals");
        }
    }
}

/// Growing the graph in place gives exactly the graph built from the merged
/// lists (rows sorted by mentor), including empty rows and empty additions.
#[test]
fn graph_merge_in_place_equals_rebuild() {
    let mut seed = 11u64;
    for _ in 0..300 {
        let n_e = lcg(&mut seed) as usize % 9;
        let n_m = 1 + lcg(&mut seed) as u32 % 12;
        let mut base: Vec<Vec<(u32, i64)>> = Vec::new();
        let mut add: Vec<Vec<(u32, i64)>> = Vec::new();
        for _ in 0..n_e {
            let (mut b, mut a) = (Vec::new(), Vec::new());
            for m in 0..n_m {
                match lcg(&mut seed) % 3 {
                    0 => b.push((m, (lcg(&mut seed) % 50) as i64)),
                    1 => a.push((m, (lcg(&mut seed) % 50) as i64)),
                    _ => {}
                }
            }
            a.reverse(); // additions arrive in any order
            base.push(b);
            add.push(a);
        }
        let mut g = Graph::from_lists(&base);
        g.merge_in_place(&add);
        let merged: Vec<Vec<(u32, i64)>> = base
            .iter()
            .zip(&add)
            .map(|(b, a)| {
                let mut v: Vec<(u32, i64)> = b.iter().chain(a.iter()).copied().collect();
                v.sort_unstable_by_key(|x| x.0);
                v
            })
            .collect();
        let want = Graph::from_lists(&merged);
        assert_eq!(g.start, want.start);
        assert_eq!(g.mentor, want.mentor);
        assert_eq!(g.score, want.score);
    }
}

/// A request requiring `migration`, and two otherwise identical mentors: one
/// keeps `migration` private, the other shows it publicly.
fn required_tag_problem() -> Problem {
    let window = Window {
        day: Weekday::Tue,
        start_min: 18 * 60,
        end_min: 20 * 60,
    };
    let mentor = |id: &str, public: &[&str], private: &[&str]| Mentor {
        id: id.into(),
        languages: vec!["en".into()],
        timezone: "Europe/London".into(),
        availability: vec![window],
        meeting_modes: vec![MeetingMode::Online],
        public_tags: public.iter().map(|s| (*s).to_owned()).collect(),
        private_tags: private.iter().map(|s| (*s).to_owned()).collect(),
        capacity_remaining: 2,
        accepting: true,
        ..Default::default()
    };
    Problem {
        taxonomy: Taxonomy {
            tags: ["migration", "grief"]
                .iter()
                .map(|s| Tag {
                    slug: (*s).into(),
                    category: "life".into(),
                    sensitive: false,
                })
                .collect(),
        },
        requests: vec![MenteeRequest {
            id: "r".into(),
            mentee_id: "u-r".into(),
            languages: vec!["en".into()],
            timezone: "Europe/London".into(),
            availability: vec![window],
            meeting_modes: vec![MeetingMode::Online],
            private_tags: vec!["migration".into()],
            required_tags: vec!["migration".into()],
            ..Default::default()
        }],
        mentors: vec![
            mentor("private", &["grief"], &["migration"]),
            mentor("public", &["migration"], &[]),
        ],
        ..Default::default()
    }
}

#[test]
fn required_tags_are_met_by_public_tags_only() {
    let p = required_tag_problem();
    let ix = Index::new(&p).expect("valid");
    let m_of = |id: &str| {
        (0..ix.n_mentors())
            .find(|&m| p.mentors[ix.m.orig[m] as usize].id == id)
            .expect("mentor indexed")
    };
    let (private, public) = (m_of("private"), m_of("public"));
    // the reference scorer and the dense scanning pass agree
    assert!(
        ix.pair(0, private).is_none(),
        "a private tag never meets a required tag"
    );
    assert!(ix.pair(0, public).is_some());
    let mut scratch = crate::score::Scratch::new(ix.n_mentors());
    let mut seen = Vec::new();
    ix.scan_mentee(0, &mut scratch, |m, _| seen.push(m as usize));
    assert_eq!(seen, [public]);
    // runs and suggestions never offer the private-only mentor
    for mode in [Mode::Optimal, Mode::Stable] {
        let r = crate::run(&p, mode).expect("valid");
        let ids: Vec<&str> = r.pairs.iter().map(|x| x.mentor_id.as_str()).collect();
        assert_eq!(ids, ["public"], "{mode:?}");
    }
    let s = crate::suggest(&p, "r", 5).expect("valid");
    let ids: Vec<&str> = s.iter().map(|x| x.mentor_id.as_str()).collect();
    assert_eq!(ids, ["public"]);
    // with only the private-only mentor, the request has no feasible mentor
    let mut alone = p.clone();
    alone.mentors.retain(|m| m.id == "private");
    let r = crate::run(&alone, Mode::Optimal).expect("valid");
    assert!(r.pairs.is_empty());
    assert_eq!(
        r.unmatched[0].reason,
        crate::UnmatchedReason::NoFeasibleMentor
    );
    // private tags still add to the score of an allowed pair
    let mut scored = p.clone();
    scored.requests[0].required_tags.clear();
    let ix = Index::new(&scored).expect("valid");
    let parts = ix
        .pair(0, private)
        .expect("feasible without the requirement");
    assert!(parts.shared_private > 0);
}
