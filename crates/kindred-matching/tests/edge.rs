//! Hand-written edge cases and the public data shapes.

use kindred_matching::*;

fn mentee(id: &str, tags: &[&str]) -> MenteeRequest {
    MenteeRequest {
        id: id.into(),
        mentee_id: format!("u-{id}"),
        languages: vec!["en".into()],
        timezone: "Europe/London".into(),
        availability: vec![Window {
            day: Weekday::Tue,
            start_min: 18 * 60,
            end_min: 20 * 60,
        }],
        meeting_modes: vec![MeetingMode::Online],
        public_tags: tags.iter().map(|s| (*s).to_owned()).collect(),
        ..Default::default()
    }
}

fn mentor(id: &str, cap: u32, tags: &[&str]) -> Mentor {
    Mentor {
        id: id.into(),
        languages: vec!["en".into()],
        timezone: "Europe/Lisbon".into(),
        availability: vec![Window {
            day: Weekday::Tue,
            start_min: 17 * 60,
            end_min: 22 * 60,
        }],
        meeting_modes: vec![MeetingMode::Online],
        public_tags: tags.iter().map(|s| (*s).to_owned()).collect(),
        capacity_remaining: cap,
        accepting: true,
        ..Default::default()
    }
}

fn taxonomy() -> Taxonomy {
    Taxonomy {
        tags: ["grief", "caregiving", "migration", "burnout"]
            .iter()
            .map(|s| Tag {
                slug: (*s).into(),
                category: if *s == "grief" {
                    "loss".into()
                } else {
                    "life".into()
                },
                sensitive: false,
            })
            .collect(),
    }
}

fn problem(requests: Vec<MenteeRequest>, mentors: Vec<Mentor>) -> Problem {
    Problem {
        taxonomy: taxonomy(),
        requests,
        mentors,
        ..Default::default()
    }
}

#[test]
fn no_mentors() {
    let p = problem(vec![mentee("a", &["grief"]), mentee("b", &[])], vec![]);
    let r = run(&p, Mode::Optimal).expect("valid");
    assert!(r.pairs.is_empty());
    assert_eq!(r.unmatched.len(), 2);
    assert!(r
        .unmatched
        .iter()
        .all(|u| u.reason == UnmatchedReason::NoFeasibleMentor));
    assert!(r.certificate.held);
    assert_eq!(r.objective, 0);
}

#[test]
fn no_requests() {
    let p = problem(vec![], vec![mentor("m", 2, &[])]);
    let r = run(&p, Mode::Optimal).expect("valid");
    assert!(r.pairs.is_empty() && r.unmatched.is_empty());
    assert_eq!(r.fairness.mentors_idle, 1);
}

#[test]
fn all_blocked() {
    let mut p = problem(
        vec![mentee("a", &["grief"]), mentee("b", &[])],
        vec![mentor("m1", 2, &["grief"]), mentor("m2", 1, &[])],
    );
    for r in ["a", "u-b"] {
        for m in ["m1", "m2"] {
            p.excluded_pairs.push(ExcludedPair {
                mentee: r.into(),
                mentor: m.into(),
            });
        }
    }
    let r = run(&p, Mode::Optimal).expect("valid");
    assert!(r.pairs.is_empty());
    assert!(r
        .unmatched
        .iter()
        .all(|u| u.reason == UnmatchedReason::NoFeasibleMentor));
    assert!(suggest(&p, "a", 5).expect("valid").is_empty());
}

/// Exclusions by position behave exactly like exclusions by id (including
/// an inactive mentor's position, which is simply ignored), and a position
/// outside the lists is an error, not a panic.
#[test]
fn excluded_positions_match_excluded_ids() {
    let mut off = mentor("off", 2, &["grief"]);
    off.accepting = false;
    let base = problem(
        vec![mentee("a", &["grief"]), mentee("b", &["grief"])],
        vec![mentor("m1", 1, &["grief"]), off, mentor("m2", 1, &[])],
    );
    let mut by_id = base.clone();
    by_id.excluded_pairs.push(ExcludedPair {
        mentee: "a".into(),
        mentor: "m1".into(),
    });
    let mut by_pos = base.clone();
    by_pos.excluded_positions = vec![[0, 0], [1, 1]];
    let want = run(&by_id, Mode::Optimal).expect("valid");
    let got = run(&by_pos, Mode::Optimal).expect("valid");
    assert_eq!(got.pairs, want.pairs);
    assert!(got
        .pairs
        .iter()
        .all(|x| !(x.request_id == "a" && x.mentor_id == "m1")));
    assert_eq!(
        got.pairs
            .iter()
            .map(|x| x.mentor_id.as_str())
            .collect::<Vec<_>>(),
        ["m2", "m1"]
    );
    let mut bad = base;
    bad.excluded_positions = vec![[0, 3]];
    assert_eq!(
        run(&bad, Mode::Optimal).err(),
        Some(MatchError::ExcludedPositionOutOfRange(0, 3))
    );
}

#[test]
fn capacity_zero_and_not_accepting() {
    let mut off = mentor("off", 3, &["grief"]);
    off.accepting = false;
    let p = problem(
        vec![mentee("a", &["grief"])],
        vec![mentor("full", 0, &["grief"]), off],
    );
    let r = run(&p, Mode::Optimal).expect("valid");
    assert!(r.pairs.is_empty());
    assert_eq!(r.unmatched[0].reason, UnmatchedReason::NoFeasibleMentor);
    assert_eq!(r.fairness.active_mentors, 0);
}

#[test]
fn ties_are_deterministic() {
    let p = problem(
        vec![mentee("a", &[]), mentee("b", &[]), mentee("c", &[])],
        vec![mentor("m1", 1, &[]), mentor("m2", 1, &[])],
    );
    let first = run(&p, Mode::Optimal).expect("valid");
    assert_eq!(first.pairs.len(), 2);
    for _ in 0..5 {
        let again = run(&p, Mode::Optimal).expect("valid");
        assert_eq!(again.pairs, first.pairs);
        assert_eq!(again.unmatched, first.unmatched);
    }
    assert_eq!(
        first.unmatched[0].reason,
        UnmatchedReason::LostToHigherScoringPairs
    );
}

#[test]
fn one_mentor_everyone_wants() {
    let mut reqs: Vec<MenteeRequest> = (0..6)
        .map(|i| mentee(&format!("r{i}"), &["grief"]))
        .collect();
    reqs[4].waited_days = 60; // waited longest: should win the single slot
    let p = problem(
        reqs,
        vec![
            mentor("star", 1, &["grief"]),
            mentor("other", 1, &["burnout"]),
        ],
    );
    let r = run(&p, Mode::Optimal).expect("valid");
    let star = r
        .pairs
        .iter()
        .find(|x| x.mentor_id == "star")
        .expect("star is used");
    assert_eq!(star.request_id, "r4");
    assert_eq!(r.pairs.len(), 2);
    assert_eq!(r.unmatched.len(), 4);
    assert_eq!(r.fairness.stable_blocking_pairs, 0);
}

#[test]
fn hard_rules() {
    let mut a = mentee("lang", &[]);
    a.languages = vec!["de".into()];
    let mut b = mentee("inperson", &[]);
    b.meeting_modes = vec![MeetingMode::InPerson];
    b.region = Some("north".into());
    let mut c = mentee("required", &[]);
    c.required_tags = vec!["migration".into()];
    let mut d = mentee("excluded-region", &[]);
    d.excluded_regions = vec!["south".into()];
    let mut e = mentee("overlap", &[]);
    e.availability = vec![Window {
        day: Weekday::Sat,
        start_min: 60,
        end_min: 120,
    }];
    let mut m = mentor("m", 10, &[]);
    m.meeting_modes = vec![MeetingMode::Online, MeetingMode::InPerson];
    m.region = Some("south".into());
    let mut p = problem(vec![a, b, c, d, e], vec![m]);
    p.weights.min_overlap_minutes = 30;
    let r = run(&p, Mode::Optimal).expect("valid");
    assert!(r.pairs.is_empty(), "{:?}", r.pairs);
    // a required tag the mentor keeps private is not enough (required tags
    // are met by public tags only); region match allows in-person
    let mut m2 = mentor("m2", 10, &[]);
    m2.private_tags = vec!["migration".into()];
    m2.meeting_modes = vec![MeetingMode::InPerson, MeetingMode::Online];
    m2.region = Some("north".into());
    p.mentors = vec![m2.clone()];
    let r = run(&p, Mode::Optimal).expect("valid");
    let ids: Vec<&str> = r.pairs.iter().map(|x| x.request_id.as_str()).collect();
    assert_eq!(ids, ["inperson", "excluded-region"]);
    // shown publicly, it meets the requirement
    m2.private_tags.clear();
    m2.public_tags = vec!["migration".into()];
    p.mentors = vec![m2];
    let r = run(&p, Mode::Optimal).expect("valid");
    let ids: Vec<&str> = r.pairs.iter().map(|x| x.request_id.as_str()).collect();
    assert_eq!(ids, ["inperson", "required", "excluded-region"]);
}

#[test]
fn self_pair_is_never_proposed() {
    let mut a = mentee("a", &[]);
    a.mentee_id = "person-1".into();
    let p = problem(vec![a], vec![mentor("person-1", 1, &[])]);
    assert!(run(&p, Mode::Optimal).expect("valid").pairs.is_empty());
}

#[test]
fn explanation_serializes_exactly() {
    let p = problem(
        vec![mentee("a", &["grief", "burnout"])],
        vec![mentor("m", 1, &["grief", "burnout"])],
    );
    let r = run(&p, Mode::Optimal).expect("valid");
    let v = serde_json::to_value(&r.pairs[0].explanation).expect("json");
    let obj = v.as_object().expect("object");
    let mut keys: Vec<&str> = obj.keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(keys, ["components", "shared_tags", "total"]);
    assert_eq!(v["shared_tags"], serde_json::json!(["grief", "burnout"]));
    for c in v["components"].as_array().expect("array") {
        let mut k: Vec<&str> = c
            .as_object()
            .expect("object")
            .keys()
            .map(String::as_str)
            .collect();
        k.sort_unstable();
        assert_eq!(k, ["detail", "name", "points"]);
    }
    let names: Vec<&str> = r.pairs[0]
        .explanation
        .components
        .iter()
        .map(|c| c.name.as_ref())
        .collect();
    assert_eq!(
        names,
        [
            "base",
            "shared_experience",
            "availability_overlap",
            "timezone",
            "waiting",
            "load"
        ]
    );
}

#[test]
fn suggestions_rank_and_explain() {
    let p = problem(
        vec![mentee("a", &["grief", "caregiving"])],
        vec![
            mentor("none", 1, &[]),
            mentor("one", 1, &["caregiving"]),
            mentor("two", 1, &["grief", "caregiving"]),
        ],
    );
    let s = suggest(&p, "a", 2).expect("valid");
    let ids: Vec<&str> = s.iter().map(|x| x.mentor_id.as_str()).collect();
    assert_eq!(ids, ["two", "one"]);
    assert!(s[0].total >= s[1].total);
    assert_eq!(s[0].explanation.total, s[0].total);
    assert!(matches!(
        suggest(&p, "nope", 2),
        Err(MatchError::UnknownRequest(_))
    ));
}

#[test]
fn invalid_input_is_an_error() {
    let mut a = mentee("a", &[]);
    a.timezone = "Mars/Olympus".into();
    assert!(matches!(
        run(&problem(vec![a], vec![]), Mode::Optimal),
        Err(MatchError::UnknownTimezone(..))
    ));
    let b = mentee("b", &["no-such-tag"]);
    assert!(matches!(
        run(&problem(vec![b], vec![]), Mode::Optimal),
        Err(MatchError::UnknownTag(..))
    ));
    let mut c = mentee("c", &[]);
    c.availability[0].end_min = 1441;
    assert!(matches!(
        run(&problem(vec![c], vec![]), Mode::Optimal),
        Err(MatchError::InvalidWindow(_))
    ));
    let d = mentee("d", &[]);
    assert!(matches!(
        run(&problem(vec![d.clone(), d], vec![]), Mode::Optimal),
        Err(MatchError::DuplicateId(_))
    ));
}

#[test]
fn weights_config_table() {
    let w: Weights = serde_json::from_str(r#"{"base": 50, "category_weights": {"loss": 20}}"#)
        .expect("partial table");
    assert_eq!(w.base, 50);
    assert_eq!(
        w.overlap_points_per_hour,
        Weights::default().overlap_points_per_hour
    );
    assert!(
        serde_json::from_str::<Weights>(r#"{"bse": 1}"#).is_err(),
        "unknown fields are rejected"
    );
    // convex load term: marginal costs increase
    let d = Weights::default();
    assert_eq!(d.load_penalty(1), 0);
    assert!((2..20)
        .all(|j| d.load_penalty(j + 1) - d.load_penalty(j)
            > d.load_penalty(j) - d.load_penalty(j - 1)));
}

#[test]
fn fairness_report_counts() {
    let p = problem(
        vec![
            mentee("a", &["grief"]),
            mentee("b", &["burnout"]),
            mentee("c", &["grief"]),
        ],
        vec![mentor("m", 2, &["grief"]), mentor("idle", 1, &[])],
    );
    let mut p = p;
    p.requests[1].languages = vec!["fr".into()];
    let r = run(&p, Mode::Optimal).expect("valid");
    let f = &r.fairness;
    assert_eq!((f.matched, f.unmatched, f.unmatched_no_feasible), (2, 1, 1));
    let loss = f
        .per_category
        .iter()
        .find(|c| c.category == "loss")
        .expect("loss");
    assert_eq!((loss.requests, loss.matched), (2, 2));
    let life = f
        .per_category
        .iter()
        .find(|c| c.category == "life")
        .expect("life");
    assert_eq!((life.requests, life.unmatched), (1, 1));
    assert!(f.min_matched_score.is_some() && f.p5_matched_score.is_some());
    assert_eq!(f.stable_blocking_pairs, 0);
}

#[test]
fn shared_tags_score_even_with_one_mentor() {
    // Smoothed IDF ln(1 + M/df): a tag every mentor has still earns points
    // (ln 2 ≈ 0.69 → 7 points at default weights), so a one-mentor programme
    // never shows two shared tags next to `shared_experience: 0`.
    let p = problem(
        vec![mentee("a", &["grief", "caregiving"])],
        vec![mentor("m1", 1, &["grief", "caregiving"])],
    );
    let r = run(&p, Mode::Optimal).expect("valid");
    let ex = &r.pairs[0].explanation;
    assert_eq!(ex.shared_tags, vec!["grief", "caregiving"]);
    let shared = ex
        .components
        .iter()
        .find(|c| c.name == "shared_experience")
        .expect("component");
    assert_eq!(shared.points, 14);
    // rarer still counts more: with a second mentor lacking "grief",
    // grief (df 1 of 2: ln 3) is worth more than caregiving (df 2: ln 2)
    let p = problem(
        vec![mentee("a", &["grief"]), mentee("b", &["caregiving"])],
        vec![
            mentor("m1", 2, &["grief", "caregiving"]),
            mentor("m2", 1, &["caregiving"]),
        ],
    );
    let s = suggest(&p, "a", 1).expect("valid");
    let t = suggest(&p, "b", 2).expect("valid");
    let pts = |e: &Explanation| {
        e.components
            .iter()
            .find(|c| c.name == "shared_experience")
            .map_or(0, |c| c.points)
    };
    assert_eq!(pts(&s[0].explanation), 11);
    assert_eq!(pts(&t[0].explanation), 7);
}
