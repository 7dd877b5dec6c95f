//! Synthetic population generator, DIMACS min-cost-flow exporter and the
//! `kindred bench matching` driver ([`run_bench`]). Only with the `bench`
//! feature: not part of the engine.

use std::io::Write;
use std::time::Instant;

use crate::flow::Graph;
use crate::index::Csr;
use crate::model::{
    MeetingMode, MenteeRequest, Mentor, Mode, Problem, Tag, Taxonomy, Weekday, Weights, Window,
};
use crate::run::{Engine, PhaseTimes, SolverOptions};

/// `kindred bench circles`: the circle population, run and export.
pub use crate::circles::bench as circles;
pub use crate::rng::Rng;

/// Zipf(s) sampler over ranks `0..n` (rank 0 most popular).
pub(crate) struct Zipf {
    cdf: Vec<f64>,
}

impl Zipf {
    pub(crate) fn new(n: usize, s: f64) -> Self {
        let mut cdf = Vec::with_capacity(n);
        let mut acc = 0.0;
        for k in 1..=n {
            acc += 1.0 / (k as f64).powf(s);
            cdf.push(acc);
        }
        for c in &mut cdf {
            *c /= acc;
        }
        Zipf { cdf }
    }
    pub(crate) fn len(&self) -> usize {
        self.cdf.len()
    }
    pub(crate) fn sample(&self, r: &mut Rng) -> usize {
        let u = (r.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
        self.cdf.partition_point(|&c| c < u).min(self.cdf.len() - 1)
    }
}

pub(crate) const CATEGORIES: [&str; 8] = [
    "health",
    "family",
    "work",
    "identity",
    "loss",
    "migration",
    "education",
    "caregiving",
];

/// 24 zones, one per hour band (with DST where the zone has it).
pub const ZONES: [&str; 24] = [
    "Pacific/Pago_Pago",
    "Pacific/Honolulu",
    "America/Anchorage",
    "America/Los_Angeles",
    "America/Denver",
    "America/Chicago",
    "America/New_York",
    "America/Halifax",
    "America/Sao_Paulo",
    "Atlantic/South_Georgia",
    "Atlantic/Azores",
    "Europe/London",
    "Europe/Berlin",
    "Europe/Athens",
    "Europe/Moscow",
    "Asia/Dubai",
    "Asia/Karachi",
    "Asia/Dhaka",
    "Asia/Bangkok",
    "Asia/Shanghai",
    "Asia/Tokyo",
    "Australia/Sydney",
    "Pacific/Noumea",
    "Pacific/Auckland",
];

/// Synthetic population parameters (the benchmark spec).
#[derive(Debug, Clone)]
pub struct GenOptions {
    pub mentees: usize,
    pub mentors: usize,
    pub seed: u64,
    pub tags: usize,
    pub languages: usize,
    pub blocked_fraction: f64,
    pub required_tag_fraction: f64,
}

impl GenOptions {
    pub fn new(mentees: usize, mentors: usize, seed: u64) -> Self {
        GenOptions {
            mentees,
            mentors,
            seed,
            tags: 500,
            languages: 10,
            blocked_fraction: 0.001,
            required_tag_fraction: 0.10,
        }
    }
}

struct Profile {
    languages: Vec<String>,
    timezone: String,
    availability: Vec<Window>,
    meeting_modes: Vec<MeetingMode>,
    region: Option<String>,
    public_tags: Vec<String>,
    private_tags: Vec<String>,
}

/// Generates the synthetic population: 500 tags with Zipf(1.0) popularity,
/// 5–20 tags per person (≈20 % of them private), 10 languages (Zipf, 1–3
/// each), 24 time zones, 1–4 weekly windows of 1–3 h, capacities 1–10,
/// 0.1 % blocked pairs, 10 % of requests with a required tag.
pub fn generate(o: &GenOptions) -> Problem {
    let mut r = Rng::new(o.seed);
    let tag_names: Vec<String> = (0..o.tags).map(|i| format!("t{i}")).collect();
    let taxonomy = Taxonomy {
        tags: (0..o.tags)
            .map(|i| Tag {
                slug: tag_names[i].clone(),
                category: CATEGORIES[i % CATEGORIES.len()].to_owned(),
                sensitive: i % CATEGORIES.len() == 0 || i % CATEGORIES.len() == 3,
            })
            .collect(),
    };
    let lang_names: Vec<String> = (0..o.languages).map(|i| format!("l{i}")).collect();
    let tz_names: Vec<String> = ZONES.iter().map(|s| (*s).to_owned()).collect();
    let tag_zipf = Zipf::new(o.tags, 1.0);
    let lang_zipf = Zipf::new(o.languages, 1.0);
    let profile = |r: &mut Rng| -> Profile {
        let nt = r.range(5, 20) as usize;
        let mut tags: Vec<usize> = Vec::with_capacity(nt);
        while tags.len() < nt.min(o.tags) {
            let t = tag_zipf.sample(r);
            if !tags.contains(&t) {
                tags.push(t);
            }
        }
        let (mut public_tags, mut private_tags) = (Vec::new(), Vec::new());
        for t in tags {
            if r.chance(0.2) {
                private_tags.push(tag_names[t].clone());
            } else {
                public_tags.push(tag_names[t].clone());
            }
        }
        let nl = r.range(1, 3) as usize;
        let mut langs: Vec<usize> = Vec::new();
        while langs.len() < nl.min(o.languages) {
            let l = lang_zipf.sample(r);
            if !langs.contains(&l) {
                langs.push(l);
            }
        }
        let tz = r.below(24) as usize;
        let nw = r.range(1, 4);
        let availability = (0..nw)
            .map(|_| {
                let start = r.range(7, 21) as u16 * 60;
                let len = r.range(1, 3) as u16 * 60;
                Window {
                    day: Weekday::ALL[r.below(7) as usize],
                    start_min: start,
                    end_min: (start + len).min(1440),
                }
            })
            .collect();
        let mode = r.below(100);
        let meeting_modes = if mode < 85 {
            vec![MeetingMode::Online]
        } else if mode < 95 {
            vec![MeetingMode::Online, MeetingMode::InPerson]
        } else {
            vec![MeetingMode::InPerson]
        };
        Profile {
            languages: langs.into_iter().map(|l| lang_names[l].clone()).collect(),
            timezone: tz_names[tz].clone(),
            availability,
            meeting_modes,
            region: Some(format!("g{}", tz * 2 + r.below(2) as usize)),
            public_tags,
            private_tags,
        }
    };
    let mut requests = Vec::with_capacity(o.mentees);
    for i in 0..o.mentees {
        let p = profile(&mut r);
        let required_tags = if r.chance(o.required_tag_fraction) {
            // a tag drawn by popularity that the mentee itself lists
            let all: Vec<&String> = p.public_tags.iter().chain(p.private_tags.iter()).collect();
            vec![all[r.below(all.len() as u64) as usize].clone()]
        } else {
            Vec::new()
        };
        let excluded_regions = if r.chance(0.02) {
            vec![format!("g{}", r.below(48))]
        } else {
            Vec::new()
        };
        requests.push(MenteeRequest {
            id: format!("r{i}"),
            mentee_id: format!("u{i}"),
            languages: p.languages,
            timezone: p.timezone,
            availability: p.availability,
            meeting_modes: p.meeting_modes,
            region: p.region,
            public_tags: p.public_tags,
            private_tags: p.private_tags,
            required_tags,
            excluded_regions,
            waited_days: r.below(120) as u32,
        });
    }
    let mut mentors = Vec::with_capacity(o.mentors);
    for i in 0..o.mentors {
        let p = profile(&mut r);
        mentors.push(Mentor {
            id: format!("m{i}"),
            languages: p.languages,
            timezone: p.timezone,
            availability: p.availability,
            meeting_modes: p.meeting_modes,
            region: p.region,
            public_tags: p.public_tags,
            private_tags: p.private_tags,
            capacity_remaining: r.range(1, 10) as u32,
            current_load: r.below(3) as u32,
            accepting: true,
        });
    }
    let n_blocked = (o.blocked_fraction * o.mentees as f64 * o.mentors as f64).round() as usize;
    // Blocked pairs by position (request index, mentor index): 2·10⁶ of
    // them at 100k × 20k, 8 bytes each rather than two owned ids.
    let mut excluded_positions = Vec::with_capacity(n_blocked);
    if o.mentees > 0 && o.mentors > 0 {
        for _ in 0..n_blocked {
            let e = r.below(o.mentees as u64) as u32;
            let m = r.below(o.mentors as u64) as u32;
            excluded_positions.push([e, m]);
        }
    }
    Problem {
        taxonomy,
        requests,
        mentors,
        excluded_pairs: Vec::new(),
        excluded_positions,
        weights: Weights::default(),
        reference_monday: None,
    }
}

/// Writes the candidate network as DIMACS min-cost flow: nodes 1..=N are
/// requests (supply 1), N+1..=N+M active mentors, N+M+1 the sink (demand N).
/// Arcs: request → mentor (cap 1, cost −score), request → sink (cap 1, cost
/// 0: leave unmatched), mentor → sink one unit arc per capacity slot (cost =
/// marginal load penalty). Minimum cost = −(our objective).
pub(crate) fn write_dimacs<W: Write>(out: W, g: &Graph, pens: &Csr<i64>) -> std::io::Result<()> {
    let mut w = std::io::BufWriter::with_capacity(1 << 20, out);
    let n_e = g.n_mentees();
    let n_m = pens.rows();
    let sink = n_e + n_m + 1;
    let n_arcs = g.n_arcs() + n_e + pens.data.len();
    writeln!(
        w,
        "c kindred-matching candidate network (certified optimal over all pairs)"
    )?;
    writeln!(w, "p min {} {}", sink, n_arcs)?;
    for e in 1..=n_e {
        writeln!(w, "n {e} 1")?;
    }
    writeln!(w, "n {sink} -{n_e}")?;
    for e in 0..n_e {
        for a in g.arcs(e) {
            writeln!(
                w,
                "a {} {} 0 1 {}",
                e + 1,
                n_e + 1 + g.mentor[a] as usize,
                -g.score[a]
            )?;
        }
        writeln!(w, "a {} {} 0 1 0", e + 1, sink)?;
    }
    for m in 0..n_m {
        for &c in pens.row(m) {
            writeln!(w, "a {} {} 0 1 {}", n_e + 1 + m, sink, c)?;
        }
    }
    w.flush()
}

/// Options of `kindred bench matching`.
#[derive(Debug, Clone)]
pub struct BenchOptions {
    pub mentees: usize,
    pub mentors: usize,
    pub seed: u64,
    pub mode: Mode,
    pub export_graph: Option<std::path::PathBuf>,
    /// Number of single-request suggestion calls timed for the p99.
    pub suggest_samples: usize,
    pub solver: SolverOptions,
}

impl Default for BenchOptions {
    fn default() -> Self {
        BenchOptions {
            mentees: 10_000,
            mentors: 2_000,
            seed: 1,
            mode: Mode::Optimal,
            export_graph: None,
            suggest_samples: 1000,
            solver: SolverOptions::default(),
        }
    }
}

/// What the benchmark measured.
#[derive(Debug, Clone)]
pub struct BenchReport {
    pub generate_ms: f64,
    pub times: PhaseTimes,
    /// index + score/candidates + solve + certify.
    pub pipeline_ms: f64,
    pub pairs_scored: u64,
    pub pairs_skipped_by_language: u64,
    pub threads: usize,
    /// Pairs per second per core in the scoring pass.
    pub pairs_per_sec_per_core: f64,
    pub objective: i64,
    pub optimal_objective: i64,
    pub matched: usize,
    pub unmatched: usize,
    pub certificate_held: bool,
    pub rounds: usize,
    pub candidate_arcs: usize,
    pub stable_blocking_pairs: u64,
    pub stable_pct: f64,
    pub greedy_pct: f64,
    pub suggest_p50_ms: f64,
    pub suggest_p99_ms: f64,
    pub peak_rss_mib: f64,
    /// Peak RSS when the certified optimum is known (generation, index,
    /// scoring, solve, certify), before stable/greedy/explanations.
    pub pipeline_rss_mib: f64,
    pub export_ms: Option<f64>,
}

/// Current resident set size (VmRSS), in MiB.
fn rss_mib() -> f64 {
    status_kib("VmRSS:") / 1024.0
}

fn status_kib(key: &str) -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with(key)).and_then(|l| {
                l.split_whitespace()
                    .nth(1)
                    .and_then(|v| v.parse::<f64>().ok())
            })
        })
        .unwrap_or(0.0)
}

/// Peak resident set size of this process (VmHWM), in MiB.
pub fn peak_rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("VmHWM:")).and_then(|l| {
                l.split_whitespace()
                    .nth(1)
                    .and_then(|v| v.parse::<f64>().ok())
            })
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

/// Generates, runs and prints the report. Errors are human-readable strings.
pub fn run_bench(o: &BenchOptions) -> Result<BenchReport, String> {
    let t0 = Instant::now();
    let problem = generate(&GenOptions::new(o.mentees, o.mentors, o.seed));
    let generate_ms = t0.elapsed().as_secs_f64() * 1e3;
    let rss_problem = rss_mib();
    let engine = Engine::new(&problem).map_err(|e| e.to_string())?;
    let rss_index = rss_mib();
    let mut times = PhaseTimes {
        index_ms: 0.0,
        ..Default::default()
    };
    let t_index = Instant::now();
    let _ = t_index;
    let solved = engine.solve_optimal(&o.solver, &mut times);
    let pipeline_ms = times.score_candidates_ms + times.solve_ms + times.certify_ms;
    let pipeline_rss_mib = peak_rss_mib();
    let mut export_ms = None;
    if let Some(path) = &o.export_graph {
        let t = Instant::now();
        let f = std::fs::File::create(path).map_err(|e| format!("{}: {e}", path.display()))?;
        write_dimacs(f, &solved.graph, engine.pens())
            .map_err(|e| format!("{}: {e}", path.display()))?;
        export_ms = Some(t.elapsed().as_secs_f64() * 1e3);
    }
    let optimal_objective = solved.flow.objective;
    let candidate_arcs = solved.graph.n_arcs();
    let result = engine.present(o.mode, solved, times);
    let index_ms = result.times.index_ms;
    let _ = index_ms;

    // Suggestions latency.
    let mut lat = Vec::new();
    let n = problem.requests.len();
    if n > 0 {
        let mut r = Rng::new(o.seed ^ 0x5EED);
        for _ in 0..o.suggest_samples {
            let i = r.below(n as u64) as usize;
            let t = Instant::now();
            let s = engine.suggest(i, 10);
            lat.push(t.elapsed().as_secs_f64() * 1e3);
            std::hint::black_box(s);
        }
    }
    lat.sort_by(f64::total_cmp);
    let pct = |q: f64| {
        if lat.is_empty() {
            0.0
        } else {
            lat[((lat.len() - 1) as f64 * q).round() as usize]
        }
    };
    let threads = crate::cands::threads();
    let t = &result.times;
    let pairs_per_sec_per_core = if t.score_candidates_ms > 0.0 {
        result.pairs_scored as f64 / (t.score_candidates_ms / 1e3) / threads as f64
    } else {
        0.0
    };
    let rep = BenchReport {
        generate_ms,
        times: result.times.clone(),
        pipeline_ms: pipeline_ms + engine_index_ms(&engine),
        pairs_scored: result.pairs_scored,
        pairs_skipped_by_language: result.pairs_skipped_by_language,
        threads,
        pairs_per_sec_per_core,
        objective: result.objective,
        optimal_objective,
        matched: result.fairness.matched,
        unmatched: result.fairness.unmatched,
        certificate_held: result.certificate.held,
        rounds: result.certificate.rounds,
        candidate_arcs,
        stable_blocking_pairs: result.fairness.stable_blocking_pairs,
        stable_pct: result.fairness.stable_pct_of_optimal,
        greedy_pct: result.fairness.greedy_pct_of_optimal,
        suggest_p50_ms: pct(0.5),
        suggest_p99_ms: pct(0.99),
        peak_rss_mib: peak_rss_mib(),
        pipeline_rss_mib,
        export_ms,
    };
    let f = &result.fairness;
    println!(
        "kindred bench matching: {} mentees x {} mentors, seed {}, mode {:?}",
        o.mentees, o.mentors, o.seed, o.mode
    );
    println!("  threads                 {}", threads);
    println!("  generate                {:>10.1} ms", generate_ms);
    println!(
        "  index (validate, tz)    {:>10.1} ms",
        engine_index_ms(&engine)
    );
    println!(
        "  score/candidates        {:>10.1} ms  ({} pairs, {:.0} M pairs/s/core; {} of them ({:.1} %) ruled out by language a whole run at a time)",
        t.score_candidates_ms,
        result.pairs_scored,
        pairs_per_sec_per_core / 1e6,
        result.pairs_skipped_by_language,
        100.0 * result.pairs_skipped_by_language as f64 / (result.pairs_scored.max(1) as f64)
    );
    println!(
        "  solve                   {:>10.1} ms  ({} rounds, {} arcs)",
        t.solve_ms, rep.rounds, candidate_arcs
    );
    println!(
        "  certify                 {:>10.1} ms  (held: {}, rescored {} requests = {} pairs, added {} pairs)",
        t.certify_ms,
        result.certificate.held,
        result.certificate.rescored_requests,
        result.certificate.rescored_pairs,
        result.certificate.added_pairs
    );
    println!(
        "  cpu time, all threads   scoring {:.0} ms ({:.0} M pairs per CPU-second), solve {:.0} ms, certify {:.0} ms",
        t.score_cpu_ms,
        result.pairs_scored as f64 / (t.score_cpu_ms.max(1.0) * 1e3),
        t.solve_cpu_ms,
        t.certify_cpu_ms
    );
    let scored = result.pairs_scored - result.pairs_skipped_by_language;
    println!(
        "  pairs actually scored   {} ({:.0} M per CPU-second of the scoring pass; the rest were ruled out by language a run at a time)",
        scored,
        scored as f64 / (t.score_cpu_ms.max(1.0) * 1e3)
    );
    println!(
        "  pipeline total          {:>10.1} ms  (index + score + solve + certify)",
        rep.pipeline_ms
    );
    println!("  stable (DA)             {:>10.1} ms", t.stable_ms);
    println!("  greedy                  {:>10.1} ms", t.greedy_ms);
    println!("  explanations            {:>10.1} ms", t.explain_ms);
    if let Some(x) = export_ms {
        println!("  export DIMACS           {:>10.1} ms", x);
    }
    println!("  objective ({:?})      {}", o.mode, result.objective);
    println!("  optimal objective       {}", optimal_objective);
    println!(
        "  objective in DIMACS min-cost units: {}",
        -optimal_objective
    );
    println!(
        "  matched / unmatched     {} / {} (no feasible mentor: {})",
        f.matched, f.unmatched, f.unmatched_no_feasible
    );
    println!(
        "  totals optimal/stable/greedy  {} / {} ({:.2} %) / {} ({:.2} %), stable blocking pairs {}",
        f.optimal_total, f.stable_total, f.stable_pct_of_optimal, f.greedy_total, f.greedy_pct_of_optimal, f.stable_blocking_pairs
    );
    println!(
        "  mentors idle / at capacity / gini  {} / {} / {:.3}; min / p5 matched score {:?} / {:?}",
        f.mentors_idle, f.mentors_at_capacity, f.load_gini, f.min_matched_score, f.p5_matched_score
    );
    println!(
        "  suggest (k=10) p50 / p99 {:.3} / {:.3} ms over {} requests",
        rep.suggest_p50_ms,
        rep.suggest_p99_ms,
        lat.len()
    );
    println!(
        "  peak RSS                {:>10.1} MiB  (at certified optimum: {:.1} MiB)",
        rep.peak_rss_mib, rep.pipeline_rss_mib
    );
    println!(
        "  RSS after generating the Problem {:.1} MiB, after indexing {:.1} MiB",
        rss_problem, rss_index
    );
    Ok(rep)
}

fn engine_index_ms(e: &Engine<'_>) -> f64 {
    e.index_ms()
}
