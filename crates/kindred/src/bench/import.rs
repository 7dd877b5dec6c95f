//! `kindred bench import`: a synthetic participants file through the real
//! import (`kindred_service::imports`, the code behind `POST
//! /api/v1/admin/imports` and `kindred import participants`) into a fresh
//! SQLite database (or `--database-url`). See docs/benchmarks.md, "CSV import".

use std::fmt::Write as _;
use std::path::PathBuf;
use std::time::Instant;

use anyhow::Context;

#[derive(clap::Args)]
pub struct ImportArgs {
    /// Data rows in the generated file (new people; a quarter are mentors).
    #[arg(long, default_value_t = 10_000)]
    pub rows: usize,
    /// Database to import into (default: a fresh SQLite file in a temp dir).
    #[arg(long)]
    pub database_url: Option<String>,
    /// Also write the generated file here (e.g. for `kindred import participants`).
    #[arg(long)]
    pub write_csv: Option<PathBuf>,
    /// Import the same file a second time and time that too (nothing may change).
    #[arg(long)]
    pub twice: bool,
}

const PUBLIC: [&str; 8] = [
    "migrant",
    "job-search",
    "career-growth",
    "confidence",
    "housing",
    "education",
    "relationships",
    "bisexual",
];
const PRIVATE: [&str; 3] = ["family-rejection", "self-stigma", "isolation-loneliness"];
const ZONES: [&str; 4] = [
    "Europe/Madrid",
    "America/Mexico_City",
    "Europe/London",
    "America/New_York",
];

/// A valid file of `rows` new participants (deterministic).
pub fn synthetic_csv(rows: usize) -> String {
    let mut out = String::from(
        "email,display_name,role,pronouns,languages,timezone,tags,private_tags,meeting_modes,region,availability,capacity,goals,bio\n",
    );
    for i in 0..rows {
        let mentor = i % 4 == 0;
        let tags = format!("{}; {}", PUBLIC[i % 8], PUBLIC[(i / 8 + 1 + i) % 8]);
        let tags = if PUBLIC[i % 8] == PUBLIC[(i / 8 + 1 + i) % 8] {
            PUBLIC[i % 8].to_string()
        } else {
            tags
        };
        let private = if i % 3 == 0 {
            PRIVATE[i % 3 + (i / 3) % 3]
        } else {
            ""
        };
        let (modes, region) = if i % 5 == 0 {
            ("online; in_person", "Madrid")
        } else {
            ("online", "")
        };
        let _ = writeln!(
            out,
            "person{i}@bench.kindred.local,Person {i},{role},they/them,en; es,{zone},{tags},{private},{modes},{region},mon 18:00-20:30; wed 19:00-21:00,{capacity},{goals},\"Bio of person {i}, who likes long walks.\"",
            role = if mentor { "mentor" } else { "mentee" },
            zone = ZONES[i % 4],
            capacity = if mentor { "3" } else { "" },
            goals = if mentor { "" } else { "Find my feet at work" },
        );
    }
    out
}

pub fn import(config_dir: &std::path::Path, args: ImportArgs) -> anyhow::Result<()> {
    let mut settings = kindred_config::Settings::load(config_dir)
        .map_err(|e| anyhow::anyhow!("configuration error: {e}"))?;
    let dir = tempfile::tempdir()?;
    let url = args
        .database_url
        .clone()
        .unwrap_or_else(|| format!("sqlite://{}/bench.db", dir.path().display()));
    settings.database.url = url.parse().map_err(|e| anyhow::anyhow!("{e}"))?;
    let (pool, _) = kindred_service::runtime::open_database(&settings)?;
    let csv = synthetic_csv(args.rows);
    if let Some(path) = &args.write_csv {
        std::fs::write(path, &csv).with_context(|| format!("writing {}", path.display()))?;
    }
    println!(
        "import benchmark: {} rows ({} KiB) into {}",
        args.rows,
        csv.len() / 1024,
        settings.database.url.redacted()
    );
    let runs = if args.twice { 2 } else { 1 };
    for run in 1..=runs {
        let started = Instant::now();
        let id = {
            let mut conn = pool.get()?;
            kindred_service::imports::create(
                &mut conn,
                &settings,
                None,
                csv.as_bytes(),
                false,
                false,
            )
            .map_err(|e| anyhow::anyhow!("{e}"))?
        };
        let checked = started.elapsed().as_secs_f64();
        let view = kindred_service::imports::run(&pool, &settings, &id, &mut |_| {})
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        let total = started.elapsed().as_secs_f64();
        println!(
            "  run {run}: {total:.2} s ({:.0} rows/s; file check {:.0} ms)  created {}  updated {}  failed {}",
            args.rows as f64 / total,
            checked * 1e3,
            view.created,
            view.updated,
            view.failed.len()
        );
        if !view.failed.is_empty() {
            anyhow::bail!(
                "{} generated rows failed: {:?}",
                view.failed.len(),
                view.failed.first()
            );
        }
    }
    Ok(())
}
