//! Circle formation: every returned circle meets every hard rule (checked
//! from the raw input, independently of the engine), scores recomputed from
//! the raw input, the heuristic against the exhaustive optimum and the upper
//! bound on thousands of tiny instances, privacy of explanations, edge cases.

use std::collections::{BTreeSet, HashMap, HashSet};

use chrono::{Duration, NaiveDate, NaiveTime, TimeZone};
use chrono_tz::Tz;
use kindred_matching::bench::Rng;
use kindred_matching::internals::circles_optimum;
use kindred_matching::*;

const TAGS: [&str; 8] = [
    "tg-alpha",
    "tg-bravo",
    "tg-charlie",
    "tg-delta",
    "tg-echo",
    "tg-foxtrot",
    "tg-golf",
    "tg-hotel",
];
const ZONES: [&str; 6] = [
    "UTC",
    "Europe/Berlin",
    "Europe/London",
    "UTC",
    "Europe/London",
    "America/New_York",
];
const WEEK: i64 = 7 * 1440;

struct Person {
    languages: Vec<String>,
    timezone: String,
    availability: Vec<Window>,
    meeting_modes: Vec<MeetingMode>,
    region: Option<String>,
    public_tags: Vec<String>,
    private_tags: Vec<String>,
}

fn person(r: &mut Rng) -> Person {
    let mut languages = Vec::new();
    if r.chance(0.85) {
        languages.push("en".to_owned());
    }
    if languages.is_empty() || r.chance(0.3) {
        languages.push("es".to_owned());
    }
    let nw = r.range(1, 3);
    let availability = (0..nw)
        .map(|_| {
            let start = r.range(16, 19) as u16 * 60;
            Window {
                day: Weekday::ALL[r.below(2) as usize],
                start_min: start,
                end_min: (start + r.range(2, 5) as u16 * 60).min(1440),
            }
        })
        .collect();
    let m = r.below(10);
    let meeting_modes = match m {
        0..=7 => vec![MeetingMode::Online],
        8 => vec![MeetingMode::Online, MeetingMode::InPerson],
        _ => vec![MeetingMode::InPerson],
    };
    let (mut public_tags, mut private_tags) = (Vec::new(), Vec::new());
    for t in TAGS {
        if r.chance(0.35) {
            if r.chance(0.3) {
                private_tags.push(t.to_owned());
            } else {
                public_tags.push(t.to_owned());
            }
        }
    }
    Person {
        languages,
        timezone: ZONES[r.below(ZONES.len() as u64) as usize].to_owned(),
        availability,
        meeting_modes,
        region: Some(if r.chance(0.5) { "north" } else { "south" }.to_owned()),
        public_tags,
        private_tags,
    }
}

fn taxonomy() -> Taxonomy {
    Taxonomy {
        tags: TAGS
            .iter()
            .enumerate()
            .map(|(i, s)| Tag {
                slug: (*s).to_owned(),
                category: format!("cat{}", i % 3),
                sensitive: i % 2 == 0,
            })
            .collect(),
    }
}

fn tiny(seed: u64, n: usize, nf: usize) -> CircleProblem {
    let mut r = Rng::new(seed);
    let mut p = CircleProblem {
        taxonomy: taxonomy(),
        ..Default::default()
    };
    for i in 0..n {
        let q = person(&mut r);
        let all: Vec<String> = q
            .public_tags
            .iter()
            .chain(&q.private_tags)
            .cloned()
            .collect();
        let topics = if !all.is_empty() && r.chance(0.4) {
            vec![all[r.below(all.len() as u64) as usize].clone()]
        } else {
            Vec::new()
        };
        p.requests.push(CircleRequest {
            id: format!("r{i}"),
            person_id: format!("u{i}"),
            languages: q.languages,
            timezone: q.timezone,
            availability: q.availability,
            meeting_modes: q.meeting_modes,
            region: q.region,
            public_tags: q.public_tags,
            private_tags: q.private_tags,
            topics,
            waited_days: r.below(30) as u32,
        });
    }
    for f in 0..nf {
        let q = person(&mut r);
        p.facilitators.push(Facilitator {
            id: format!("f{f}"),
            languages: q.languages,
            timezone: q.timezone,
            availability: q.availability,
            meeting_modes: q.meeting_modes,
            region: q.region,
            public_tags: q.public_tags,
            private_tags: q.private_tags,
            max_circles: if r.chance(0.1) {
                0
            } else {
                r.range(1, 2) as u32
            },
        });
    }
    let ids: Vec<String> = (0..n)
        .map(|i| format!("u{i}"))
        .chain((0..nf).map(|f| format!("f{f}")))
        .collect();
    for a in 0..ids.len() {
        for b in a + 1..ids.len() {
            if r.chance(0.05) {
                p.blocked_pairs.push(BlockedPair {
                    a: ids[a].clone(),
                    b: ids[b].clone(),
                });
            }
        }
    }
    let min = r.range(2, 4) as u32;
    p.config = CircleConfig {
        min_size: min,
        max_size: min + r.range(0, 3) as u32,
        session_length_min: [60, 90, 120][r.below(3) as usize],
    };
    if r.chance(0.5) {
        p.circle_weights.member_base = 0;
    }
    p
}

/// UTC minutes of the reference week a person is available (circular).
fn utc_minutes(tz: &str, windows: &[Window]) -> Vec<bool> {
    let tz: Tz = tz.parse().expect("zone");
    let monday = NaiveDate::from_ymd_opt(2025, 1, 6).expect("date");
    let week0 = monday.and_time(NaiveTime::MIN).and_utc();
    let mut v = vec![false; WEEK as usize];
    for w in windows {
        let day = monday + Duration::days(i64::from(w.day.index()));
        let at = |m: u16| {
            let local = day.and_time(NaiveTime::MIN) + Duration::minutes(i64::from(m));
            (tz.from_local_datetime(&local)
                .single()
                .expect("no DST gap in January")
                .naive_utc()
                .and_utc()
                - week0)
                .num_minutes()
        };
        for m in at(w.start_min)..at(w.end_min) {
            v[m.rem_euclid(WEEK) as usize] = true;
        }
    }
    v
}

struct Raw<'a> {
    langs: &'a [String],
    tz: &'a str,
    avail: &'a [Window],
    modes: &'a [MeetingMode],
    region: &'a Option<String>,
    all: BTreeSet<&'a str>,
    public: BTreeSet<&'a str>,
    topics: BTreeSet<&'a str>,
}

fn raw_req(r: &CircleRequest) -> Raw<'_> {
    let private: BTreeSet<&str> = r
        .private_tags
        .iter()
        .chain(r.topics.iter().filter(|t| !r.public_tags.contains(t)))
        .map(String::as_str)
        .collect();
    Raw {
        langs: &r.languages,
        tz: &r.timezone,
        avail: &r.availability,
        modes: &r.meeting_modes,
        region: &r.region,
        all: r
            .public_tags
            .iter()
            .map(String::as_str)
            .chain(private.iter().copied())
            .collect(),
        public: r
            .public_tags
            .iter()
            .map(String::as_str)
            .filter(|t| !private.contains(t))
            .collect(),
        topics: r.topics.iter().map(String::as_str).collect(),
    }
}

fn raw_fac(f: &Facilitator) -> Raw<'_> {
    let private: BTreeSet<&str> = f.private_tags.iter().map(String::as_str).collect();
    Raw {
        langs: &f.languages,
        tz: &f.timezone,
        avail: &f.availability,
        modes: &f.meeting_modes,
        region: &f.region,
        all: f
            .public_tags
            .iter()
            .chain(&f.private_tags)
            .map(String::as_str)
            .collect(),
        public: f
            .public_tags
            .iter()
            .map(String::as_str)
            .filter(|t| !private.contains(t))
            .collect(),
        topics: BTreeSet::new(),
    }
}

/// Checks every hard rule of every circle from the raw input and recomputes
/// every score; returns the recomputed objective.
fn validate(p: &CircleProblem, res: &CircleResult) -> i64 {
    let mut used_req = HashSet::new();
    let mut fac_load: HashMap<&str, u32> = HashMap::new();
    let mut total = 0;
    for c in &res.circles {
        *fac_load.entry(&c.facilitator_id).or_default() += 1;
        for id in &c.request_ids {
            assert!(used_req.insert(id.clone()), "request in two circles");
        }
        total += validate_circle(p, c);
    }
    for (f, load) in fac_load {
        let fac = p
            .facilitators
            .iter()
            .find(|x| x.id == f)
            .expect("facilitator");
        assert!(load <= fac.max_circles, "facilitator over max_circles");
    }
    assert_eq!(total, res.objective);
    assert_eq!(res.unplaced.len() + used_req.len(), p.requests.len());
    total
}

/// Checks every hard rule of one circle from the raw input (the slot at
/// least `session_length` long) and recomputes its score.
fn validate_circle(p: &CircleProblem, c: &ProposedCircle) -> i64 {
    let req: HashMap<&str, usize> = p
        .requests
        .iter()
        .enumerate()
        .map(|(i, r)| (r.id.as_str(), i))
        .collect();
    let fac: HashMap<&str, usize> = p
        .facilitators
        .iter()
        .enumerate()
        .map(|(i, f)| (f.id.as_str(), i))
        .collect();
    let blocked: HashSet<(&str, &str)> = p
        .blocked_pairs
        .iter()
        .flat_map(|b| [(b.a.as_str(), b.b.as_str()), (b.b.as_str(), b.a.as_str())])
        .collect();
    // weights, independently
    let n_all = (p.requests.len() + p.facilitators.len()) as f64;
    let people: Vec<Raw<'_>> = p
        .requests
        .iter()
        .map(raw_req)
        .chain(p.facilitators.iter().map(raw_fac))
        .collect();
    let wt: HashMap<&str, (i64, i64)> = p
        .taxonomy
        .tags
        .iter()
        .map(|t| {
            let df = people
                .iter()
                .filter(|q| q.all.contains(t.slug.as_str()))
                .count()
                .max(1) as f64;
            let cw = f64::from(
                p.weights
                    .category_weights
                    .get(&t.category)
                    .copied()
                    .unwrap_or(p.weights.default_category_weight),
            );
            let w = (cw * f64::from(p.weights.idf_scale) * (1.0 + n_all / df).ln() / 10.0).round()
                as i64;
            let bonus = i64::from(p.circle_weights.topic_bonus_percent);
            (t.slug.as_str(), (w, w + w * bonus / 100))
        })
        .collect();
    let cap = i64::from(p.weights.shared_experience_cap);
    let shared = |a: &Raw<'_>, b: &Raw<'_>| -> i64 {
        let s: i64 = a
            .all
            .intersection(&b.all)
            .map(|t| {
                if a.topics.contains(t) || b.topics.contains(t) {
                    wt[t].1
                } else {
                    wt[t].0
                }
            })
            .sum();
        s.min(cap)
    };
    {
        let f = fac[c.facilitator_id.as_str()];
        assert!(
            p.facilitators[f].max_circles > 0,
            "facilitator without room"
        );
        let size = c.request_ids.len() as u32;
        assert!(
            size >= p.config.min_size && size <= p.config.max_size,
            "size {size}"
        );
        let members: Vec<usize> = c.request_ids.iter().map(|id| req[id.as_str()]).collect();
        let fr = raw_fac(&p.facilitators[f]);
        let mut everyone: Vec<(Raw<'_>, &str)> = members
            .iter()
            .map(|&i| (raw_req(&p.requests[i]), p.requests[i].person_id.as_str()))
            .collect();
        everyone.push((fr, p.facilitators[f].id.as_str()));
        let start = c.slot.day.index() as i64 * 1440 + i64::from(c.slot.start_min);
        assert!(c.slot.end_min - c.slot.start_min >= p.config.session_length_min);
        for (q, who) in &everyone {
            assert!(
                q.langs.contains(&c.language),
                "{who} lacks language {}",
                c.language
            );
            match c.meeting_mode {
                MeetingMode::Online => assert!(q.modes.contains(&MeetingMode::Online)),
                MeetingMode::InPerson => {
                    assert!(q.modes.contains(&MeetingMode::InPerson));
                    assert!(c.region.is_some() && q.region == &c.region);
                }
            }
            let av = utc_minutes(q.tz, q.avail);
            for m in start..start + i64::from(p.config.session_length_min) {
                assert!(
                    av[m.rem_euclid(WEEK) as usize],
                    "{who} not available at minute {m}"
                );
            }
        }
        for a in 0..everyone.len() {
            for b in a + 1..everyone.len() {
                let (x, y) = (everyone[a].1, everyone[b].1);
                assert!(
                    x != y && !blocked.contains(&(x, y)),
                    "blocked pair {x} {y} together"
                );
            }
        }
        let mut score = 0;
        for (a, &i) in members.iter().enumerate() {
            assert!(!members[..a].contains(&i), "request twice in a circle");
            let ri = raw_req(&p.requests[i]);
            let w = &p.weights;
            score += i64::from(p.circle_weights.member_base)
                + i64::from(
                    p.requests[i].waited_days.min(w.waiting_cap_days) * w.waiting_points_per_day,
                )
                + shared(&ri, &everyone.last().expect("facilitator").0);
            for &j in &members[..a] {
                score += shared(&ri, &raw_req(&p.requests[j]));
            }
        }
        assert_eq!(score, c.score, "circle score");
        assert_eq!(c.explanation.total, c.score);
        let comp: i64 = c.explanation.components.iter().map(|x| x.points).sum();
        assert_eq!(comp, c.score);
        score
    }
}

/// Privacy: every tag named in a circle's explanation or topics is public
/// for two people of the circle; every tag named in a member's explanation
/// is public for that member and one other person of the circle.
fn check_privacy(p: &CircleProblem, res: &CircleResult) {
    let req: HashMap<&str, &CircleRequest> =
        p.requests.iter().map(|r| (r.id.as_str(), r)).collect();
    let fac: HashMap<&str, &Facilitator> =
        p.facilitators.iter().map(|f| (f.id.as_str(), f)).collect();
    for c in &res.circles {
        let f = raw_fac(fac[c.facilitator_id.as_str()]);
        let ms: Vec<Raw<'_>> = c
            .request_ids
            .iter()
            .map(|id| raw_req(req[id.as_str()]))
            .collect();
        let circle_json = serde_json::to_string(&(&c.explanation, &c.topics)).expect("json");
        for t in TAGS {
            let holders = ms.iter().filter(|m| m.public.contains(t)).count()
                + usize::from(f.public.contains(t));
            if circle_json.contains(t) {
                assert!(holders >= 2, "circle names {t} shown publicly by {holders}");
            }
        }
        for (k, m) in c.members.iter().enumerate() {
            let json = serde_json::to_string(&m.explanation).expect("json");
            for t in TAGS {
                if json.contains(t) {
                    let others = ms
                        .iter()
                        .enumerate()
                        .filter(|(j, o)| *j != k && o.public.contains(t))
                        .count()
                        + usize::from(f.public.contains(t));
                    assert!(
                        ms[k].public.contains(t) && others >= 1,
                        "member explanation names {t}"
                    );
                }
            }
            let pv = m.explanation.without_private_overlap();
            assert!(pv.components.iter().all(|x| x.name != "private_overlap"));
            assert_eq!(
                pv.total,
                pv.components.iter().map(|x| x.points).sum::<i64>()
            );
        }
    }
}

fn opts() -> CircleOptions {
    CircleOptions {
        rounds: Some(
            std::env::var("CIRCLES_ROUNDS")
                .ok()
                .and_then(|s| s.parse().ok())
                .unwrap_or(300),
        ),
        ..Default::default()
    }
}

#[test]
fn oracle_tiny_instances() {
    let (mut sum, mut count, mut worst, mut optimal) = (0.0f64, 0usize, 1.0f64, 0usize);
    let mut bound_sum = 0.0;
    for seed in 0..3000u64 {
        let mut r = Rng::new(seed ^ 0xc1c1e);
        let n = r.range(4, 12) as usize;
        let nf = r.range(1, 3) as usize;
        let p = tiny(seed, n, nf);
        let res = form_circles(&p, &opts()).expect("valid");
        let obj = validate(&p, &res);
        check_privacy(&p, &res);
        let opt = circles_optimum(&p).expect("valid").expect("tiny");
        assert!(
            obj <= opt,
            "seed {seed}: heuristic {obj} above optimum {opt}"
        );
        assert!(
            res.upper_bound >= opt,
            "seed {seed}: bound {} below optimum {opt}",
            res.upper_bound
        );
        if opt > 0 {
            let ratio = obj as f64 / opt as f64;
            if ratio < 0.9 && std::env::var("CIRCLES_DEBUG").is_ok() {
                eprintln!("seed {seed} n {n} nf {nf} ratio {ratio:.3} obj {obj} opt {opt} cfg {:?} base {} circles {:?} unplaced {:?} facs {:?}", p.config, p.circle_weights.member_base,
                    res.circles.iter().map(|c| (c.facilitator_id.clone(), c.request_ids.clone(), c.score)).collect::<Vec<_>>(),
                    res.unplaced.iter().map(|u| (u.request_id.clone(), u.reason)).collect::<Vec<_>>(),
                    p.facilitators.iter().map(|f| f.max_circles).collect::<Vec<_>>());
            }
            sum += ratio;
            count += 1;
            worst = worst.min(ratio);
            optimal += usize::from(obj == opt);
            bound_sum += res.upper_bound as f64 / opt as f64;
        } else {
            assert_eq!(obj, 0);
        }
    }
    let avg = sum / count as f64;
    eprintln!(
        "circles oracle: {count} instances with a positive optimum, heuristic/optimum average {:.5}, worst {:.5}, optimal in {optimal}; bound/optimum average {:.4}",
        avg, worst, bound_sum / count as f64
    );
    assert!(count > 1000);
    assert!(avg >= 0.995, "average ratio {avg}");
    assert!(worst >= 0.7, "worst ratio {worst}");
}

/// The upper bound is proven: never below the exhaustive optimum, on
/// thousands of tiny instances (more blocks, sizes and capacities than the
/// oracle test draws; any number of search rounds, since the bound's
/// steps aim at the solution found) and on the benchmark's 16 × 3
/// populations.
#[test]
fn bound_never_below_the_optimum() {
    let (mut count, mut sum) = (0usize, 0.0f64);
    for seed in 0..3000u64 {
        let mut r = Rng::new(seed ^ 0xb0b0);
        let n = r.range(3, 12) as usize;
        let nf = r.range(1, 4) as usize;
        let mut p = tiny(seed ^ 0x5eed, n, nf);
        // extra blocks on a third of the instances
        if r.chance(0.33) {
            for _ in 0..r.range(1, 2 * n as u64) {
                let a = format!("u{}", r.below(n as u64));
                let b = if r.chance(0.2) {
                    format!("f{}", r.below(nf as u64))
                } else {
                    format!("u{}", r.below(n as u64))
                };
                p.blocked_pairs.push(BlockedPair { a, b });
            }
        }
        if r.chance(0.3) {
            p.config.min_size = 1 + r.below(2) as u32;
            p.config.max_size = p.config.min_size + r.below(4) as u32;
        }
        for f in &mut p.facilitators {
            if r.chance(0.2) {
                f.max_circles = r.below(4) as u32;
            }
        }
        let rounds = [0, 5, 300][r.below(3) as usize];
        let res = form_circles(
            &p,
            &CircleOptions {
                rounds: Some(rounds),
                ..Default::default()
            },
        )
        .expect("valid");
        let opt = circles_optimum(&p).expect("valid").expect("tiny");
        assert!(
            res.upper_bound >= opt,
            "seed {seed}: bound {} below optimum {opt}",
            res.upper_bound
        );
        assert!(res.objective <= opt);
        if opt > 0 {
            count += 1;
            sum += res.upper_bound as f64 / opt as f64;
        }
    }
    for seed in 1..=12 {
        let p = kindred_matching::bench::circles::generate_circles(
            &kindred_matching::bench::circles::CircleGenOptions {
                participants: 16,
                facilitators: 3,
                seed,
            },
        );
        let res = form_circles(&p, &CircleOptions::default()).expect("valid");
        let opt = circles_optimum(&p).expect("valid").expect("16 requests");
        assert!(res.upper_bound >= opt, "16 × 3 seed {seed}");
    }
    eprintln!(
        "bound: {count} tiny instances with a positive optimum, bound/optimum average {:.4}",
        sum / count as f64
    );
    assert!(count > 1000);
}

#[test]
fn deterministic() {
    for seed in 0..50 {
        let p = tiny(seed, 12, 3);
        let a = form_circles(&p, &CircleOptions::default()).expect("valid");
        let b = form_circles(&p, &CircleOptions::default()).expect("valid");
        assert_eq!(
            serde_json::to_string(&a).expect("json"),
            serde_json::to_string(&b).expect("json")
        );
    }
}

fn plain_req(i: usize, w: Window) -> CircleRequest {
    CircleRequest {
        id: format!("r{i}"),
        person_id: format!("u{i}"),
        languages: vec!["en".into()],
        timezone: "UTC".into(),
        availability: vec![w],
        meeting_modes: vec![MeetingMode::Online],
        public_tags: vec!["tg-alpha".into()],
        private_tags: vec!["tg-bravo".into()],
        ..Default::default()
    }
}

fn plain_fac(id: &str, w: Window, max_circles: u32) -> Facilitator {
    Facilitator {
        id: id.into(),
        languages: vec!["en".into()],
        timezone: "UTC".into(),
        availability: vec![w],
        meeting_modes: vec![MeetingMode::Online],
        max_circles,
        ..Default::default()
    }
}

const MON_18: Window = Window {
    day: Weekday::Mon,
    start_min: 18 * 60,
    end_min: 18 * 60 + 90,
};

fn edge(n: usize, facs: Vec<Facilitator>) -> CircleProblem {
    CircleProblem {
        taxonomy: taxonomy(),
        requests: (0..n).map(|i| plain_req(i, MON_18)).collect(),
        facilitators: facs,
        ..Default::default()
    }
}

#[test]
fn no_facilitators() {
    let p = edge(10, Vec::new());
    let res = form_circles(&p, &CircleOptions::default()).expect("valid");
    assert!(res.circles.is_empty());
    assert_eq!(res.upper_bound, 0);
    assert!(res
        .unplaced
        .iter()
        .all(|u| u.reason == UnplacedReason::NoCompatibleFacilitator));
    // a facilitator without room is no facilitator
    let p = edge(10, vec![plain_fac("f0", MON_18, 0)]);
    let res = form_circles(&p, &CircleOptions::default()).expect("valid");
    assert!(res.circles.is_empty());
    assert_eq!(
        res.report.unplaced_by_reason[&UnplacedReason::NoCompatibleFacilitator],
        10
    );
}

#[test]
fn everyone_blocked() {
    let mut p = edge(8, vec![plain_fac("f0", MON_18, 2)]);
    for a in 0..8 {
        for b in a + 1..8 {
            p.blocked_pairs.push(BlockedPair {
                a: format!("u{a}"),
                b: format!("u{b}"),
            });
        }
    }
    let res = form_circles(&p, &CircleOptions::default()).expect("valid");
    assert!(res.circles.is_empty());
    assert!(res
        .unplaced
        .iter()
        .all(|u| u.reason == UnplacedReason::TooFewCompatiblePeople));
    // everyone blocked the facilitator instead
    let mut p = edge(8, vec![plain_fac("f0", MON_18, 2)]);
    p.blocked_pairs = (0..8)
        .map(|a| BlockedPair {
            a: format!("u{a}"),
            b: "f0".into(),
        })
        .collect();
    let res = form_circles(&p, &CircleOptions::default()).expect("valid");
    assert!(res.circles.is_empty());
    assert!(res
        .unplaced
        .iter()
        .all(|u| u.reason == UnplacedReason::NoCompatibleFacilitator));
}

#[test]
fn one_slot_only() {
    // 12 people and two facilitators share exactly one 90-minute window
    let p = edge(
        12,
        vec![plain_fac("f0", MON_18, 1), plain_fac("f1", MON_18, 1)],
    );
    let res = form_circles(&p, &CircleOptions::default()).expect("valid");
    validate(&p, &res);
    assert_eq!(res.report.placed, 12);
    for c in &res.circles {
        assert_eq!(
            c.slot,
            CircleSlot {
                day: Weekday::Mon,
                start_min: 1080,
                end_min: 1170
            }
        );
    }
    // a 91-minute session no longer fits anyone
    let mut p = p;
    p.config.session_length_min = 91;
    let res = form_circles(&p, &CircleOptions::default()).expect("valid");
    assert!(res.circles.is_empty());
    assert!(res
        .unplaced
        .iter()
        .all(|u| u.reason == UnplacedReason::NoCommonSlot));
}

#[test]
fn exactly_min_size_compatible() {
    let mut p = edge(4, vec![plain_fac("f0", MON_18, 1)]);
    // four more who speak another language
    for i in 4..8 {
        let mut r = plain_req(i, MON_18);
        r.languages = vec!["de".into()];
        p.requests.push(r);
    }
    let res = form_circles(&p, &CircleOptions::default()).expect("valid");
    validate(&p, &res);
    assert_eq!(res.circles.len(), 1);
    assert_eq!(res.circles[0].request_ids, vec!["r0", "r1", "r2", "r3"]);
    assert_eq!(
        res.objective,
        circles_optimum(&p).expect("valid").expect("tiny")
    );
    assert!(res
        .unplaced
        .iter()
        .all(|u| u.reason == UnplacedReason::NoCompatibleFacilitator));
    // one block among the four: nobody can be placed
    p.blocked_pairs.push(BlockedPair {
        a: "u0".into(),
        b: "u3".into(),
    });
    let res = form_circles(&p, &CircleOptions::default()).expect("valid");
    assert!(res.circles.is_empty());
    // r0 and r3 see only three people they could sit with; r1 and r2 see
    // four (the reason looks at blocks against the request itself only)
    let reason = |id: &str| {
        res.unplaced
            .iter()
            .find(|u| u.request_id == id)
            .map(|u| u.reason)
    };
    assert_eq!(reason("r0"), Some(UnplacedReason::TooFewCompatiblePeople));
    assert_eq!(reason("r3"), Some(UnplacedReason::TooFewCompatiblePeople));
    assert_eq!(
        reason("r1"),
        Some(UnplacedReason::LostToHigherScoringCircles)
    );
}

#[test]
fn private_tag_counts_but_is_never_named() {
    let p = edge(4, vec![plain_fac("f0", MON_18, 1)]);
    let res = form_circles(&p, &CircleOptions::default()).expect("valid");
    let c = &res.circles[0];
    let json = serde_json::to_string(c).expect("json");
    assert!(!json.contains("tg-bravo"), "private tag named: {json}");
    assert!(c.topics == vec!["tg-alpha".to_owned()]);
    let private = c
        .explanation
        .components
        .iter()
        .find(|x| x.name == "private_overlap")
        .expect("private part");
    assert!(private.points > 0);
    let view = c.explanation.without_private_overlap();
    assert_eq!(view.total, c.score - private.points);
}

#[test]
fn invalid_config() {
    let mut p = edge(4, Vec::new());
    p.config.min_size = 5;
    p.config.max_size = 4;
    assert!(matches!(
        form_circles(&p, &CircleOptions::default()),
        Err(CircleError::Config(_))
    ));
    let mut p = edge(4, Vec::new());
    p.requests[0].topics = vec!["no-such-tag".into()];
    assert!(matches!(
        form_circles(&p, &CircleOptions::default()),
        Err(CircleError::Input(_))
    ));
}

// ---------------------------------------------------------------------------
// check_circle: a coordinator's manual circle.

/// Whether a circle meets every hard rule, from the raw input alone (the
/// independent reference for `check_circle`); `slot: None` asks for any
/// common window of the session length.
fn raw_ok(p: &CircleProblem, fac_id: &str, ids: &[String], slot: Option<CircleSlot>) -> bool {
    let Some(f) = p.facilitators.iter().find(|f| f.id == fac_id) else {
        return false;
    };
    let n = ids.len() as u32;
    if f.max_circles == 0 || n < p.config.min_size || n > p.config.max_size {
        return false;
    }
    let mut rs = Vec::new();
    for (a, id) in ids.iter().enumerate() {
        if ids[..a].contains(id) {
            return false;
        }
        match p.requests.iter().find(|r| &r.id == id) {
            Some(r) => rs.push(r),
            None => return false,
        }
    }
    let blocked: HashSet<(&str, &str)> = p
        .blocked_pairs
        .iter()
        .flat_map(|b| [(b.a.as_str(), b.b.as_str()), (b.b.as_str(), b.a.as_str())])
        .collect();
    let persons: Vec<&str> = rs
        .iter()
        .map(|r| r.person_id.as_str())
        .chain([f.id.as_str()])
        .collect();
    for a in 0..persons.len() {
        for b in a + 1..persons.len() {
            if persons[a] == persons[b] || blocked.contains(&(persons[a], persons[b])) {
                return false;
            }
        }
    }
    let raws: Vec<Raw<'_>> = rs.iter().map(|r| raw_req(r)).chain([raw_fac(f)]).collect();
    if !f
        .languages
        .iter()
        .any(|l| raws.iter().all(|q| q.langs.contains(l)))
    {
        return false;
    }
    let online = raws.iter().all(|q| q.modes.contains(&MeetingMode::Online));
    let in_person = f.region.is_some()
        && raws
            .iter()
            .all(|q| q.modes.contains(&MeetingMode::InPerson) && q.region == &f.region);
    if !online && !in_person {
        return false;
    }
    let session = i64::from(p.config.session_length_min);
    let mut free = vec![true; WEEK as usize];
    for q in &raws {
        for (x, m) in free.iter_mut().zip(utc_minutes(q.tz, q.avail)) {
            *x &= m;
        }
    }
    let at = |m: i64| free[m.rem_euclid(WEEK) as usize];
    match slot {
        Some(s) => {
            let start = i64::from(s.day.index()) * 1440 + i64::from(s.start_min);
            s.start_min < 1440
                && i64::from(s.end_min) - i64::from(s.start_min) >= session
                && (start..start + session).all(at)
        }
        None => {
            let (mut run, mut best) = (0i64, 0i64);
            for m in 0..2 * WEEK {
                run = if at(m) { run + 1 } else { 0 };
                best = best.max(run);
            }
            best >= session
        }
    }
}

fn ids(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| (*s).to_owned()).collect()
}

/// Every circle the engine forms passes `check_circle` with its own slot,
/// and without one, giving back exactly the engine's circle (score,
/// explanations, language, mode, slot).
#[test]
fn check_circle_accepts_the_engines_circles() {
    let mut checked = 0;
    for seed in 0..1500u64 {
        let mut r = Rng::new(seed ^ 0xc4ec);
        let (n, nf) = if seed % 10 == 0 {
            (40, 6)
        } else {
            (r.range(4, 16) as usize, r.range(1, 3) as usize)
        };
        let p = tiny(seed, n, nf);
        let res = form_circles(
            &p,
            &CircleOptions {
                rounds: Some(50),
                ..Default::default()
            },
        )
        .expect("valid");
        for c in &res.circles {
            let with = check_circle(&p, &c.facilitator_id, &c.request_ids, Some(c.slot));
            assert_eq!(with.as_ref(), Ok(c), "seed {seed}: with its slot");
            let without = check_circle(&p, &c.facilitator_id, &c.request_ids, None);
            assert_eq!(without.as_ref(), Ok(c), "seed {seed}: without a slot");
            // the members in another order: the same circle
            let mut rev = c.request_ids.clone();
            rev.reverse();
            assert_eq!(
                check_circle(&p, &c.facilitator_id, &rev, None).as_ref(),
                Ok(c)
            );
            checked += 1;
        }
    }
    assert!(checked > 1000, "{checked} circles checked");
}

/// Random manual circles (mostly engine circles with a change: a member
/// dropped, added or swapped, another facilitator, a slot moved, unknown or
/// duplicate ids): `check_circle` accepts exactly those the raw-input
/// reference accepts, an accepted circle meets every rule and scores as
/// recomputed from the raw input, and no violation names a tag.
#[test]
fn check_circle_agrees_with_the_raw_rules() {
    let (mut ok, mut bad) = (0, 0);
    for seed in 0..4000u64 {
        let mut r = Rng::new(seed ^ 0x5e7);
        let n = r.range(4, 14) as usize;
        let nf = r.range(1, 3) as usize;
        let p = tiny(seed, n, nf);
        let res = form_circles(
            &p,
            &CircleOptions {
                rounds: Some(20),
                ..Default::default()
            },
        )
        .expect("valid");
        let session = p.config.session_length_min;
        let any_req = |r: &mut Rng| p.requests[r.below(n as u64) as usize].id.clone();
        let (mut fac, mut members, mut slot) = match res.circles.first() {
            Some(c) if r.chance(0.8) => (
                c.facilitator_id.clone(),
                c.request_ids.clone(),
                Some(c.slot),
            ),
            _ => {
                let size = r.range(1, 6) as usize;
                let m: Vec<String> = (0..size).map(|_| any_req(&mut r)).collect();
                (format!("f{}", r.below(nf as u64)), m, None)
            }
        };
        match r.below(9) {
            0 if !members.is_empty() => {
                members.remove(r.below(members.len() as u64) as usize);
            }
            1 => members.push(any_req(&mut r)),
            2 if !members.is_empty() => {
                let a = r.below(members.len() as u64) as usize;
                members[a] = any_req(&mut r);
            }
            3 => fac = format!("f{}", r.below(nf as u64 + 1)), // f{nf} is unknown
            4 => members.push("nobody".into()),
            5 => {
                slot = Some(CircleSlot {
                    day: Weekday::ALL[r.below(2) as usize],
                    start_min: r.range(28, 46) as u32 * 30,
                    end_min: 0,
                })
                .map(|s| CircleSlot {
                    end_min: (s.start_min + session).saturating_sub(15 * r.below(2) as u32),
                    ..s
                });
            }
            6 => slot = None,
            _ => {}
        }
        if let Some(s) = &mut slot {
            if r.chance(0.1) {
                s.start_min = (s.start_min + 15) % 1440;
            }
        }
        let got = check_circle(&p, &fac, &members, slot);
        let want = raw_ok(&p, &fac, &members, slot);
        assert_eq!(
            got.is_ok(),
            want,
            "seed {seed}: {fac} {members:?} {slot:?}: {got:?}"
        );
        match got {
            Ok(c) => {
                ok += 1;
                validate_circle(&p, &c);
                if let Some(s) = slot {
                    assert_eq!(c.slot, s);
                }
                let mut sorted = c.request_ids.clone();
                sorted.sort_by_key(|id| p.requests.iter().position(|x| &x.id == id));
                assert_eq!(c.request_ids, sorted);
            }
            Err(v) => {
                bad += 1;
                assert!(!v.is_empty());
                let json = serde_json::to_string(&v).expect("json");
                assert!(!json.contains("tg-"), "a violation names a tag: {json}");
            }
        }
    }
    eprintln!("check_circle: {ok} accepted, {bad} refused");
    assert!(ok > 500 && bad > 500, "{ok} accepted, {bad} refused");
}

fn check_err(
    p: &CircleProblem,
    fac: &str,
    members: &[&str],
    slot: Option<CircleSlot>,
) -> Vec<CircleViolation> {
    check_circle(p, fac, &ids(members), slot).expect_err("violations")
}

const MON_1800: CircleSlot = CircleSlot {
    day: Weekday::Mon,
    start_min: 18 * 60,
    end_min: 18 * 60 + 90,
};

#[test]
fn check_circle_ok_and_json() {
    let p = edge(6, vec![plain_fac("f0", MON_18, 1)]);
    let c = check_circle(&p, "f0", &ids(&["r3", "r1", "r0", "r2"]), None).expect("valid");
    assert_eq!(c.request_ids, ids(&["r0", "r1", "r2", "r3"]));
    assert_eq!(c.slot, MON_1800);
    assert_eq!(c.language, "en");
    assert_eq!(c.meeting_mode, MeetingMode::Online);
    assert_eq!(c.score, c.explanation.total);
    assert_eq!(c.members.len(), 4);
    let json = serde_json::to_string(&c).expect("json");
    assert!(!json.contains("tg-bravo"), "private tag named: {json}");
    // an explicit slot longer than the session is kept as given
    let long = CircleSlot {
        end_min: 20 * 60,
        ..MON_1800
    };
    let c2 = check_circle(&p, "f0", &ids(&["r0", "r1", "r2", "r3"]), Some(long)).expect("valid");
    assert_eq!(c2.slot, long);
    assert_eq!(c2.score, c.score);
    assert_eq!(
        serde_json::to_value(CircleViolation::BlockedPair {
            a: "r1".into(),
            b: "f0".into()
        })
        .expect("json"),
        serde_json::json!({"kind": "blocked_pair", "a": "r1", "b": "f0"})
    );
    assert_eq!(
        serde_json::to_value(CircleViolation::NoCommonSlot).expect("json"),
        serde_json::json!({"kind": "no_common_slot"})
    );
}

#[test]
fn check_circle_size_unknown_and_duplicate() {
    let p = edge(10, vec![plain_fac("f0", MON_18, 1)]);
    assert_eq!(
        check_err(&p, "f0", &["r0", "r1", "r2"], None),
        vec![CircleViolation::SizeOutOfBounds {
            size: 3,
            min: 4,
            max: 8
        }]
    );
    let nine = ["r0", "r1", "r2", "r3", "r4", "r5", "r6", "r7", "r8"];
    assert_eq!(
        check_err(&p, "f0", &nine, None),
        vec![CircleViolation::SizeOutOfBounds {
            size: 9,
            min: 4,
            max: 8
        }]
    );
    assert_eq!(
        check_err(&p, "f0", &["r0", "r1", "r2", "r1", "zz"], None),
        vec![
            CircleViolation::DuplicateRequest {
                request_id: "r1".into()
            },
            CircleViolation::UnknownRequest {
                request_id: "zz".into()
            },
        ]
    );
}

#[test]
fn check_circle_facilitator() {
    let p = edge(4, vec![plain_fac("f0", MON_18, 0)]);
    let four = ["r0", "r1", "r2", "r3"];
    assert_eq!(
        check_err(&p, "f0", &four, None),
        vec![CircleViolation::FacilitatorFull {
            facilitator_id: "f0".into()
        }]
    );
    assert_eq!(
        check_err(&p, "f9", &four, None),
        vec![CircleViolation::UnknownFacilitator {
            facilitator_id: "f9".into()
        }]
    );
}

#[test]
fn check_circle_language_and_mode() {
    let mut p = edge(5, vec![plain_fac("f0", MON_18, 1)]);
    p.requests[1].languages = vec!["de".into()];
    p.requests[2].languages = vec!["de".into(), "en".into()];
    p.requests[3].meeting_modes = vec![MeetingMode::InPerson];
    p.requests[3].region = Some("north".into());
    assert_eq!(
        check_err(&p, "f0", &["r0", "r1", "r2", "r3"], None),
        vec![
            CircleViolation::NoCommonLanguage {
                language: Some("en".into()),
                lacking: ids(&["r1"]),
            },
            CircleViolation::NoCommonMeetingMode {
                meeting_mode: Some(MeetingMode::Online),
                region: None,
                lacking: ids(&["r3"]),
            },
        ]
    );
    // in person: the same region
    let mut p = edge(4, vec![plain_fac("f0", MON_18, 1)]);
    for (i, r) in p.requests.iter_mut().enumerate() {
        r.meeting_modes = vec![MeetingMode::InPerson];
        r.region = Some(if i == 0 { "south" } else { "north" }.into());
    }
    p.facilitators[0].meeting_modes = vec![MeetingMode::InPerson];
    p.facilitators[0].region = Some("north".into());
    let four = ["r0", "r1", "r2", "r3"];
    assert_eq!(
        check_err(&p, "f0", &four, None),
        vec![CircleViolation::NoCommonMeetingMode {
            meeting_mode: Some(MeetingMode::InPerson),
            region: Some("north".into()),
            lacking: ids(&["r0"]),
        }]
    );
    p.requests[0].region = Some("north".into());
    let c = check_circle(&p, "f0", &ids(&four), None).expect("valid");
    assert_eq!(
        (c.meeting_mode, c.region.as_deref()),
        (MeetingMode::InPerson, Some("north"))
    );
}

#[test]
fn check_circle_slots() {
    let mut p = edge(4, vec![plain_fac("f0", MON_18, 1)]);
    // r2 is available an hour later, in New York (UTC−5 in January)
    p.requests[2].timezone = "America/New_York".into();
    p.requests[2].availability = vec![Window {
        day: Weekday::Mon,
        start_min: 14 * 60,
        end_min: 16 * 60,
    }];
    let four = ["r0", "r1", "r2", "r3"];
    assert_eq!(
        check_err(&p, "f0", &four, None),
        vec![CircleViolation::NoCommonSlot]
    );
    assert_eq!(
        check_err(&p, "f0", &four, Some(MON_1800)),
        vec![CircleViolation::SlotNotAvailable {
            unavailable: ids(&["r2"])
        }]
    );
    let later = CircleSlot {
        day: Weekday::Mon,
        start_min: 19 * 60,
        end_min: 21 * 60,
    };
    assert_eq!(
        check_err(&p, "f0", &four, Some(later)),
        vec![CircleViolation::SlotNotAvailable {
            unavailable: ids(&["r0", "r1", "r3", "f0"])
        }]
    );
    let short = CircleSlot {
        end_min: 18 * 60 + 60,
        ..MON_1800
    };
    p.requests[2] = plain_req(2, MON_18);
    assert_eq!(
        check_err(&p, "f0", &four, Some(short)),
        vec![CircleViolation::SlotTooShort {
            length_min: 60,
            session_length_min: 90
        }]
    );
    let bad = CircleSlot {
        start_min: 1440,
        end_min: 1530,
        ..MON_1800
    };
    assert_eq!(
        check_err(&p, "f0", &four, Some(bad)),
        vec![CircleViolation::InvalidSlot]
    );
    // a session across midnight UTC, Sunday into Monday
    let late = Window {
        day: Weekday::Sun,
        start_min: 23 * 60,
        end_min: 1440,
    };
    let early = Window {
        day: Weekday::Mon,
        start_min: 0,
        end_min: 60,
    };
    for r in &mut p.requests {
        r.availability = vec![late, early];
    }
    p.facilitators[0].availability = vec![late, early];
    let c = check_circle(&p, "f0", &ids(&four), None).expect("valid");
    assert_eq!(
        c.slot,
        CircleSlot {
            day: Weekday::Sun,
            start_min: 23 * 60,
            end_min: 23 * 60 + 90
        }
    );
    assert!(check_circle(&p, "f0", &ids(&four), Some(c.slot)).is_ok());
}

#[test]
fn check_circle_blocks_and_same_person() {
    let mut p = edge(5, vec![plain_fac("f0", MON_18, 1)]);
    p.blocked_pairs = vec![
        BlockedPair {
            a: "u3".into(),
            b: "u1".into(),
        },
        BlockedPair {
            a: "f0".into(),
            b: "u2".into(),
        },
    ];
    p.requests[4].person_id = "u0".into(); // a second request of u0
    assert_eq!(
        check_err(&p, "f0", &["r0", "r1", "r2", "r3", "r4"], None),
        vec![
            CircleViolation::SamePerson {
                a: "r0".into(),
                b: "r4".into()
            },
            CircleViolation::BlockedPair {
                a: "r1".into(),
                b: "r3".into()
            },
            CircleViolation::BlockedPair {
                a: "r2".into(),
                b: "f0".into()
            },
        ]
    );
    // the facilitator's own request
    let mut p = edge(4, vec![plain_fac("u1", MON_18, 1)]);
    p.requests[0].person_id = "u9".into();
    assert_eq!(
        check_err(&p, "u1", &["r0", "r1", "r2", "r3"], None),
        vec![CircleViolation::SamePerson {
            a: "r1".into(),
            b: "u1".into()
        }]
    );
}

#[test]
fn check_circle_reports_everything_and_invalid_problems() {
    let mut p = edge(4, vec![plain_fac("f0", MON_18, 0)]);
    p.requests[0].languages = vec!["de".into()];
    p.blocked_pairs.push(BlockedPair {
        a: "u1".into(),
        b: "u2".into(),
    });
    let v = check_err(&p, "f0", &["r0", "r1", "r2", "r2"], Some(MON_1800));
    let kinds: Vec<String> = v
        .iter()
        .map(|x| {
            serde_json::to_value(x).expect("json")["kind"]
                .as_str()
                .expect("kind")
                .to_owned()
        })
        .collect();
    assert_eq!(
        kinds,
        [
            "facilitator_full",
            "duplicate_request",
            "blocked_pair",
            "no_common_language"
        ]
    );
    // an invalid problem: one violation, naming no tag
    let mut p = edge(4, vec![plain_fac("f0", MON_18, 1)]);
    p.requests[0].private_tags.push("secret-tag".into());
    let v = check_err(&p, "f0", &["r0", "r1", "r2", "r3"], None);
    assert!(
        matches!(&v[..], [CircleViolation::InvalidProblem { message }] if !message.contains("secret"))
    );
    let mut p = edge(4, vec![plain_fac("f0", MON_18, 1)]);
    p.config.min_size = 0;
    assert!(matches!(
        &check_err(&p, "f0", &["r0"], None)[..],
        [CircleViolation::InvalidProblem { .. }]
    ));
}
