//! The CP-SAT peer (`bench/peers/circles_cpsat.py`) on an exported small
//! instance: it checks Kindred's solution against every hard rule,
//! recomputes its objective and solves the same instance to optimality.
//! Needs python3 and the pinned ortools (`pip install 'ortools==9.15.6755'`,
//! which `.ci/run` installs).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use kindred_matching::bench::circles::{run_circle_bench, CircleBenchOptions};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn export(name: &str, participants: usize, facilitators: usize, seed: u64) -> (PathBuf, i64) {
    let dir = std::env::temp_dir().join(format!(
        "kindred-circles-peer-{}-{name}",
        std::process::id()
    ));
    let rep = run_circle_bench(&CircleBenchOptions {
        participants,
        facilitators,
        seed,
        export: Some(dir.clone()),
        time_limit_ms: None,
        rounds: None,
    })
    .expect("bench runs");
    assert!(dir.join("instance.json").exists() && dir.join("solution.json").exists());
    (dir, rep.objective)
}

fn peer(dir: &Path, args: &[&str]) -> Output {
    let out = Command::new("python3")
        .arg(root().join("bench/peers/circles_cpsat.py"))
        .arg(dir)
        .args(args)
        .output()
        .expect("python3 is needed to run bench/peers/circles_cpsat.py");
    if out.status.code() == Some(3) {
        panic!(
            "the CP-SAT peer needs ortools: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    out
}

#[test]
fn cpsat_peer_checks_and_solves_a_small_instance() {
    let (dir, objective) = export("small", 16, 3, 1);
    assert!(objective > 0, "the small instance forms circles");
    let out = peer(&dir, &["--time-limit", "20"]);
    let text = String::from_utf8_lossy(&out.stdout);
    eprintln!("{text}{}", String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "peer failed: {text}");
    assert!(
        text.contains(&format!(
            "objective {objective} (recomputed {objective}): feasible"
        )),
        "{text}"
    );
    assert!(text.contains("cp-sat   : OPTIMAL"), "{text}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn cpsat_peer_rejects_a_wrong_solution() {
    let (dir, objective) = export("wrong", 16, 3, 1);
    let path = dir.join("solution.json");
    let sol = std::fs::read_to_string(&path).expect("solution");
    // a claimed objective one point too high
    let bad = sol.replacen(
        &format!("\"objective\": {objective}"),
        &format!("\"objective\": {}", objective + 1),
        1,
    );
    std::fs::write(&path, bad).expect("write");
    let out = peer(&dir, &["--check-only"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("INVALID"), "{text}");
    // a member taken twice
    let twice = sol.replacen("\"members\": [\"", "\"members\": [\"r0\", \"", 1);
    std::fs::write(&path, twice).expect("write");
    let out = peer(&dir, &["--check-only"]);
    assert_eq!(out.status.code(), Some(1));
    let _ = std::fs::remove_dir_all(&dir);
}
