//! `kindred bench circles`: circle formation on a synthetic population, with
//! `--export DIR` for the CP-SAT peer (`bench/peers/circles_cpsat.py`).

use kindred_matching::bench::circles::{run_circle_bench, CircleBenchOptions};

#[derive(clap::Args)]
pub struct CirclesArgs {
    #[arg(long, default_value_t = 200)]
    pub participants: usize,
    #[arg(long, default_value_t = 20)]
    pub facilitators: usize,
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Write DIR/instance.json and DIR/solution.json (the contract's
    /// instance format for external solvers).
    #[arg(long, value_name = "DIR")]
    pub export: Option<std::path::PathBuf>,
    /// Cap on the search's wall time, in seconds (e.g. `1` or `0.5`); the
    /// result then depends on the machine's speed.
    #[arg(long, value_name = "SECONDS")]
    pub time_limit: Option<f64>,
    /// Iterated-local-search rounds (default: the engine's own budget).
    #[arg(long)]
    pub rounds: Option<u64>,
}

pub fn circles(args: CirclesArgs) -> anyhow::Result<()> {
    let time_limit_ms = match args.time_limit {
        Some(s) if !(s.is_finite() && s > 0.0) => {
            anyhow::bail!("--time-limit must be a positive number of seconds, got {s}")
        }
        Some(s) => Some((s * 1e3).ceil() as u64),
        None => None,
    };
    let options = CircleBenchOptions {
        participants: args.participants,
        facilitators: args.facilitators,
        seed: args.seed,
        export: args.export,
        time_limit_ms,
        rounds: args.rounds,
    };
    run_circle_bench(&options).map_err(anyhow::Error::msg)?;
    Ok(())
}
