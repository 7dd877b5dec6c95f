//! `kindred bench …`: thin wrappers over the library benchmarks.

#[derive(clap::Args)]
pub struct MatchingArgs {
    #[arg(long, default_value_t = 10_000)]
    pub mentees: usize,
    #[arg(long, default_value_t = 2_000)]
    pub mentors: usize,
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// optimal or stable
    #[arg(long, default_value = "optimal")]
    pub mode: String,
    /// Write the solved problem as DIMACS min-cost flow to this file.
    #[arg(long)]
    pub export_graph: Option<std::path::PathBuf>,
}

pub fn matching(args: MatchingArgs) -> anyhow::Result<()> {
    let _ = args;
    anyhow::bail!("the matching benchmark is not wired yet")
}
