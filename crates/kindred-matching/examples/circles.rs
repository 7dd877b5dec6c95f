//! Quick circle-formation measurement without building the `kindred` binary:
//! `cargo run -p kindred-matching --release --features bench --example circles -- N F SEED [ROUNDS] [m]`
//! runs `kindred bench circles`' population and report; with `m`, the
//! matching benchmark's population instead (requests → circle requests,
//! mentors → facilitators), as measured before the circle population existed.

use std::time::Instant;

use kindred_matching::bench::{generate, GenOptions};
use kindred_matching::{form_circles, CircleOptions, CircleProblem, CircleRequest, Facilitator};

fn main() {
    let a: Vec<u64> = std::env::args()
        .skip(1)
        .filter_map(|s| s.parse().ok())
        .collect();
    let (n, f, seed) = (a[0] as usize, a[1] as usize, a.get(2).copied().unwrap_or(1));
    if std::env::args().nth(5).as_deref() != Some("m") {
        let o = kindred_matching::bench::circles::CircleBenchOptions {
            participants: n,
            facilitators: f,
            seed,
            export: None,
            time_limit_ms: None,
            rounds: a.get(3).copied().filter(|&r| r > 0),
        };
        kindred_matching::bench::circles::run_circle_bench(&o).expect("valid");
        return;
    }
    let m = generate(&GenOptions::new(n, f, seed));
    let p = CircleProblem {
        taxonomy: m.taxonomy,
        requests: m
            .requests
            .into_iter()
            .map(|r| CircleRequest {
                id: r.id,
                person_id: r.mentee_id,
                languages: r.languages,
                timezone: r.timezone,
                availability: r.availability,
                meeting_modes: r.meeting_modes,
                region: r.region,
                topics: r.required_tags,
                public_tags: r.public_tags,
                private_tags: r.private_tags,
                waited_days: r.waited_days,
            })
            .collect(),
        facilitators: m
            .mentors
            .into_iter()
            .map(|x| Facilitator {
                id: x.id,
                languages: x.languages,
                timezone: x.timezone,
                availability: x.availability,
                meeting_modes: x.meeting_modes,
                region: x.region,
                public_tags: x.public_tags,
                private_tags: x.private_tags,
                max_circles: 1 + x.capacity_remaining % 3,
            })
            .collect(),
        ..Default::default()
    };
    let t = Instant::now();
    let opts = CircleOptions {
        rounds: a.get(3).copied().filter(|&r| r > 0),
        ..Default::default()
    };
    let res = form_circles(&p, &opts).expect("valid");
    let el = t.elapsed();
    let r = &res.report;
    println!(
        "requests {} facilitators {} keys {} circles {} placed {} unplaced {:?}",
        r.requests, r.facilitators, r.search.keys, r.circles, r.placed, r.unplaced_by_reason
    );
    println!(
        "objective {} (construct {}, local search {}) upper bound {} gap {:.2} % rounds {} improving {}",
        r.objective,
        r.search.construct_objective,
        r.search.local_search_objective,
        r.upper_bound,
        r.gap_percent,
        r.search.rounds,
        r.search.improving_rounds
    );
    println!("time {:.3} s", el.as_secs_f64());
}
