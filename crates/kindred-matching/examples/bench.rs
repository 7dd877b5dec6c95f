//! `cargo run -p kindred-matching --release --example bench -- --mentees N --mentors M --seed S [--mode optimal|stable] [--export-graph FILE]`

use kindred_matching::bench::{run_bench, BenchOptions};
use kindred_matching::Mode;

fn main() {
    let mut o = BenchOptions::default();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut i = 0;
    let val = |i: usize| -> &str { args.get(i + 1).map_or("", String::as_str) };
    while i < args.len() {
        let a = args[i].as_str();
        let v = val(i);
        match a {
            "--mentees" => o.mentees = v.parse().expect("--mentees N"),
            "--mentors" => o.mentors = v.parse().expect("--mentors M"),
            "--seed" => o.seed = v.parse().expect("--seed S"),
            "--mode" => {
                o.mode = match v {
                    "optimal" => Mode::Optimal,
                    "stable" => Mode::Stable,
                    other => panic!("--mode optimal|stable, got {other}"),
                }
            }
            "--export-graph" => o.export_graph = Some(v.into()),
            "--top-k" => o.solver.top_k_per_request = v.parse().expect("--top-k K"),
            "--top-k-mentor" => o.solver.top_k_per_mentor = v.parse().expect("--top-k-mentor K"),
            "--suggest-samples" => o.suggest_samples = v.parse().expect("--suggest-samples N"),
            other => panic!("unknown flag {other}"),
        }
        i += 2;
    }
    if let Err(e) = run_bench(&o) {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}
