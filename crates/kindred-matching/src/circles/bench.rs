//! `kindred bench circles`: a synthetic circle population like the matching
//! benchmark's (500 Zipf tags, 10 Zipf languages, 24 time zones, 85 %
//! online), the run with its figures, and `--export` of the instance and
//! Kindred's solution in the contract's format for external solvers
//! (`export.rs`). Only with the `bench` feature: not part of the engine.
//!
//! Availability is drawn the way people offer time for a weekly group, not
//! a one-to-one call: 3–7 of the week's 21 blocks (morning 09–12,
//! afternoon 13–17, evening 18–21, local time; weekday evenings and weekend
//! days most popular), some trimmed by an hour at either end; time zones
//! are Zipf over the zones (most people in a few of them), so circles form
//! within a zone and across neighbouring ones.
//!
//! A programme's reach grows with it: `min(24, 1 + participants / 100)`
//! time zones and `min(10, 2 + participants / 100)` languages (a 16-person
//! programme is one city with two languages, 200 people span 3 zones and 4
//! languages, 20 000 all 24 zones and 10 languages, as in the matching
//! benchmark).

use std::path::PathBuf;
use std::time::Instant;

use super::{form_circles, problem::Inst, BlockedPair, CircleOptions, CircleProblem};
use super::{CircleRequest, CircleResult, Facilitator};
use crate::bench::{peak_rss_mib, Zipf, CATEGORIES, ZONES};
use crate::model::{MeetingMode, Tag, Taxonomy, Weekday, Window};
use crate::rng::Rng;

/// Population parameters of `kindred bench circles`.
#[derive(Debug, Clone)]
pub struct CircleGenOptions {
    pub participants: usize,
    pub facilitators: usize,
    pub seed: u64,
}

/// The zones by popularity (indices into [`ZONES`]): Zipf(1) over this order.
const ZONE_RANK: [usize; 24] = [
    11, 6, 12, 5, 3, 8, 13, 4, 19, 7, 14, 17, 16, 21, 20, 15, 18, 10, 9, 2, 1, 23, 22, 0,
];

/// Block (start hour, end hour) by period; weight by (weekday?, period).
const PERIODS: [(u16, u16); 3] = [(9, 12), (13, 17), (18, 21)];

fn block_weight(day: usize, period: usize) -> u32 {
    match (day >= 5, period) {
        (false, 2) => 3,
        (true, _) => 2,
        _ => 1,
    }
}

struct Person {
    languages: Vec<String>,
    timezone: String,
    availability: Vec<Window>,
    meeting_modes: Vec<MeetingMode>,
    region: Option<String>,
    public_tags: Vec<String>,
    private_tags: Vec<String>,
}

fn person(r: &mut Rng, tag_zipf: &Zipf, lang_zipf: &Zipf, zone_zipf: &Zipf) -> Person {
    let nt = r.range(5, 20) as usize;
    let mut tags: Vec<usize> = Vec::with_capacity(nt);
    while tags.len() < nt {
        let t = tag_zipf.sample(r);
        if !tags.contains(&t) {
            tags.push(t);
        }
    }
    let (mut public_tags, mut private_tags) = (Vec::new(), Vec::new());
    for t in tags {
        if r.chance(0.2) {
            private_tags.push(format!("t{t}"));
        } else {
            public_tags.push(format!("t{t}"));
        }
    }
    let nl = (r.range(1, 3) as usize).min(lang_zipf.len());
    let mut langs: Vec<usize> = Vec::new();
    while langs.len() < nl {
        let l = lang_zipf.sample(r);
        if !langs.contains(&l) {
            langs.push(l);
        }
    }
    let tz = ZONE_RANK[zone_zipf.sample(r)];
    let availability = blocks(r);
    let mode = r.below(100);
    let meeting_modes = if mode < 85 {
        vec![MeetingMode::Online]
    } else if mode < 95 {
        vec![MeetingMode::Online, MeetingMode::InPerson]
    } else {
        vec![MeetingMode::InPerson]
    };
    Person {
        languages: langs.into_iter().map(|l| format!("l{l}")).collect(),
        timezone: ZONES[tz].to_owned(),
        availability,
        meeting_modes,
        region: Some(format!("g{}", tz * 2 + r.below(2) as usize)),
        public_tags,
        private_tags,
    }
}

/// 3–7 distinct weekly blocks by popularity, each possibly trimmed.
fn blocks(r: &mut Rng) -> Vec<Window> {
    let mut cells: Vec<(usize, usize, u32)> = (0..7)
        .flat_map(|d| (0..3).map(move |p| (d, p, block_weight(d, p))))
        .collect();
    let nb = r.range(3, 7) as usize;
    let mut out = Vec::with_capacity(nb);
    for _ in 0..nb {
        let total: u32 = cells.iter().map(|c| c.2).sum();
        let mut x = r.below(u64::from(total)) as u32;
        let a = cells
            .iter()
            .position(|c| {
                if x < c.2 {
                    true
                } else {
                    x -= c.2;
                    false
                }
            })
            .expect("weighted pick");
        let (d, p, _) = cells.swap_remove(a);
        let (mut s, mut e) = PERIODS[p];
        if r.chance(0.3) {
            s += 1;
        }
        if r.chance(0.2) && e - s > 2 {
            e -= 1;
        }
        out.push(Window {
            day: Weekday::ALL[d],
            start_min: s * 60,
            end_min: e * 60,
        });
    }
    out.sort_by_key(|w| (w.day.index(), w.start_min));
    out
}

/// The synthetic circle population: participants' requests (30 % name one
/// of their tags as a topic, waits of 0–119 days), facilitators with room
/// for 1–3 circles, `participants / 10` blocked pairs between participants
/// and `facilitators / 10` between a participant and a facilitator.
pub fn generate_circles(o: &CircleGenOptions) -> CircleProblem {
    let mut r = Rng::new(o.seed ^ 0x0c12_c1e5);
    let n_tags = 500;
    let taxonomy = Taxonomy {
        tags: (0..n_tags)
            .map(|i| Tag {
                slug: format!("t{i}"),
                category: CATEGORIES[i % CATEGORIES.len()].to_owned(),
                sensitive: i % CATEGORIES.len() == 0 || i % CATEGORIES.len() == 3,
            })
            .collect(),
    };
    let zones = (1 + o.participants / 100).min(24);
    let languages = (2 + o.participants / 100).min(10);
    let (tag_zipf, lang_zipf, zone_zipf) = (
        Zipf::new(n_tags, 1.0),
        Zipf::new(languages, 1.0),
        Zipf::new(zones, 1.0),
    );
    let requests: Vec<CircleRequest> = (0..o.participants)
        .map(|i| {
            let p = person(&mut r, &tag_zipf, &lang_zipf, &zone_zipf);
            let topics = if r.chance(0.3) {
                let all: Vec<&String> = p.public_tags.iter().chain(&p.private_tags).collect();
                vec![all[r.below(all.len() as u64) as usize].clone()]
            } else {
                Vec::new()
            };
            CircleRequest {
                id: format!("r{i}"),
                person_id: format!("u{i}"),
                languages: p.languages,
                timezone: p.timezone,
                availability: p.availability,
                meeting_modes: p.meeting_modes,
                region: p.region,
                public_tags: p.public_tags,
                private_tags: p.private_tags,
                topics,
                waited_days: r.below(120) as u32,
            }
        })
        .collect();
    let facilitators: Vec<Facilitator> = (0..o.facilitators)
        .map(|i| {
            let p = person(&mut r, &tag_zipf, &lang_zipf, &zone_zipf);
            Facilitator {
                id: format!("f{i}"),
                languages: p.languages,
                timezone: p.timezone,
                availability: p.availability,
                meeting_modes: p.meeting_modes,
                region: p.region,
                public_tags: p.public_tags,
                private_tags: p.private_tags,
                max_circles: r.range(1, 3) as u32,
            }
        })
        .collect();
    let mut blocked_pairs = Vec::new();
    let (n, nf) = (o.participants as u64, o.facilitators as u64);
    if n >= 2 {
        for _ in 0..n / 10 {
            let (a, b) = (r.below(n), r.below(n));
            if a != b {
                blocked_pairs.push(BlockedPair {
                    a: format!("u{a}"),
                    b: format!("u{b}"),
                });
            }
        }
    }
    if n >= 1 && nf >= 1 {
        for _ in 0..nf / 10 {
            blocked_pairs.push(BlockedPair {
                a: format!("u{}", r.below(n)),
                b: format!("f{}", r.below(nf)),
            });
        }
    }
    CircleProblem {
        taxonomy,
        requests,
        facilitators,
        blocked_pairs,
        ..Default::default()
    }
}

/// Options of `kindred bench circles`.
#[derive(Debug, Clone)]
pub struct CircleBenchOptions {
    pub participants: usize,
    pub facilitators: usize,
    pub seed: u64,
    /// Write `instance.json` and `solution.json` here.
    pub export: Option<PathBuf>,
    /// Wall-time cap on the search (`CircleOptions::time_cap_ms`).
    pub time_limit_ms: Option<u64>,
    /// Iterated-local-search rounds (`None` = the engine's default).
    pub rounds: Option<u64>,
}

/// What `kindred bench circles` measured.
#[derive(Debug, Clone)]
pub struct CircleBenchReport {
    pub generate_ms: f64,
    /// `form_circles` wall time (compile, construct, search, bound, report).
    pub solve_ms: f64,
    pub objective: i64,
    pub upper_bound: i64,
    pub gap_percent: f64,
    pub peak_rss_mib: f64,
    pub result: CircleResult,
    pub export_ms: Option<f64>,
}

/// Generates, solves, optionally exports, and prints the report.
pub fn run_circle_bench(o: &CircleBenchOptions) -> Result<CircleBenchReport, String> {
    let t0 = Instant::now();
    let problem = generate_circles(&CircleGenOptions {
        participants: o.participants,
        facilitators: o.facilitators,
        seed: o.seed,
    });
    let generate_ms = t0.elapsed().as_secs_f64() * 1e3;
    let opts = CircleOptions {
        rounds: o.rounds,
        time_cap_ms: o.time_limit_ms,
        ..Default::default()
    };
    let t1 = Instant::now();
    let result = form_circles(&problem, &opts).map_err(|e| e.to_string())?;
    let solve_ms = t1.elapsed().as_secs_f64() * 1e3;
    let peak = peak_rss_mib();
    let mut export_ms = None;
    if let Some(dir) = &o.export {
        let t = Instant::now();
        // The same compilation of the same problem the engine solved.
        let inst = Inst::new(&problem).map_err(|e| e.to_string())?;
        super::export::write(dir, &problem, &inst, &result)?;
        export_ms = Some(t.elapsed().as_secs_f64() * 1e3);
    }
    let rep = CircleBenchReport {
        generate_ms,
        solve_ms,
        objective: result.objective,
        upper_bound: result.upper_bound,
        gap_percent: result.report.gap_percent,
        peak_rss_mib: peak,
        result,
        export_ms,
    };
    print(o, &rep);
    Ok(rep)
}

fn print(o: &CircleBenchOptions, rep: &CircleBenchReport) {
    let r = &rep.result.report;
    let s = &r.search;
    println!(
        "kindred bench circles: {} participants x {} facilitators, seed {}",
        o.participants, o.facilitators, o.seed
    );
    println!("  generate             {:>10.1} ms", rep.generate_ms);
    println!(
        "  form circles         {:>10.3} ms  ({} keys, {} rounds, {} improving, {} pair scores{})",
        rep.solve_ms,
        s.keys,
        s.rounds,
        s.improving_rounds,
        s.work,
        if s.stopped_by_time_cap {
            ", stopped by the time limit"
        } else {
            ""
        }
    );
    println!("  objective            {}", rep.objective);
    println!(
        "    construct {} -> local search {} -> iterated {}",
        s.construct_objective, s.local_search_objective, rep.objective
    );
    println!("  upper bound          {}", rep.upper_bound);
    println!("  gap                  {:.2} %", rep.gap_percent);
    println!(
        "  circles              {} (sizes {:?}), facilitators used {} of {}",
        r.circles,
        r.size_histogram
            .iter()
            .enumerate()
            .filter(|x| *x.1 > 0)
            .collect::<Vec<_>>(),
        r.facilitators_used,
        r.facilitators
    );
    println!("  placed / unplaced    {} / {}", r.placed, r.unplaced);
    for (reason, n) in &r.unplaced_by_reason {
        println!("    {:<34} {n}", format!("{reason:?}"));
    }
    if let Some(x) = rep.export_ms {
        let dir = o.export.as_ref().map(|d| d.display().to_string());
        println!(
            "  export               {:>10.1} ms  ({}/instance.json, solution.json)",
            x,
            dir.unwrap_or_default()
        );
    }
    println!("  peak RSS             {:>10.1} MiB", rep.peak_rss_mib);
}
