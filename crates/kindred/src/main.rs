//! The `kindred` binary: `serve` (default), `migrate`, `admin …`, `bench …`.

use std::path::PathBuf;

use anyhow::Context;
use clap::{Parser, Subcommand};
use kindred_config::{LogFormat, MailTransport, Settings};

#[derive(Parser)]
#[command(
    name = "kindred",
    version,
    about = "Mentorship matching for people who share lived experience"
)]
struct Cli {
    /// Directory holding default.toml (and $KINDRED_ENV.toml).
    #[arg(
        long,
        global = true,
        env = "KINDRED_CONFIG_DIR",
        default_value = "config"
    )]
    config_dir: PathBuf,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the API and the mail delivery loop (the default).
    Serve,
    /// Run the scheduler, job worker and mail delivery without the HTTP API.
    Worker,
    /// Apply database migrations (and seed the default taxonomy), then exit.
    Migrate,
    /// Import data (see docs/operations.md).
    Import {
        #[command(subcommand)]
        command: ImportCommand,
    },
    /// Operator tasks.
    Admin {
        #[command(subcommand)]
        command: AdminCommand,
    },
    /// Benchmarks.
    #[cfg(feature = "bench")]
    Bench {
        #[command(subcommand)]
        command: BenchCommand,
    },
}

#[derive(Subcommand)]
enum AdminCommand {
    /// Create a coordinator account and print its one-time password.
    CreateCoordinator {
        #[arg(long)]
        email: String,
        /// Name shown to mentors and mentees.
        #[arg(long, default_value = "Programme coordinator")]
        name: String,
    },
    /// Load a demo programme (about 200 mentors and 500 mentees) to try matching.
    SeedDemo {
        #[arg(long, default_value_t = 200)]
        mentors: usize,
        #[arg(long, default_value_t = 500)]
        mentees: usize,
        #[arg(long, default_value_t = 7)]
        seed: u64,
    },
}

#[derive(Subcommand)]
enum ImportCommand {
    /// Import participants from a CSV file, like POST /api/v1/admin/imports.
    /// Exits 1 if the file is rejected, 2 if some rows failed.
    Participants {
        /// UTF-8 CSV with a header row (columns in docs/api.md).
        file: PathBuf,
        /// Check every row and report, writing nothing and sending no email.
        #[arg(long)]
        dry_run: bool,
    },
}

#[cfg(feature = "bench")]
#[derive(Subcommand)]
enum BenchCommand {
    /// Synthetic matching benchmark (see docs/benchmarks.md).
    Matching(bench::MatchingArgs),
    /// Circle formation on a synthetic population; `--export` for CP-SAT.
    Circles(bench::circles::CirclesArgs),
    /// Reminder delivery through the outbox to a local SMTP sink.
    Mail(bench::MailArgs),
    /// The web app's pages under load with `wrk` (SQLite).
    Web(bench::web::WebArgs),
    /// A synthetic participants CSV through the real import (SQLite by default).
    Import(bench::import::ImportArgs),
}

#[cfg(feature = "bench")]
mod bench;
mod import;

fn init_tracing(settings: &Settings) {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_env("RUST_LOG")
        .or_else(|_| EnvFilter::try_new(&settings.log.level))
        .unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    match settings.log.format {
        LogFormat::Json => builder.json().init(),
        LogFormat::Text => builder.init(),
    }
}

fn load_settings(dir: &std::path::Path) -> anyhow::Result<Settings> {
    Settings::load(dir).map_err(|e| anyhow::anyhow!("configuration error: {e}"))
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => {
            let settings = load_settings(&cli.config_dir)?;
            init_tracing(&settings);
            serve(settings)
        }
        Command::Worker => {
            let settings = load_settings(&cli.config_dir)?;
            init_tracing(&settings);
            worker(settings)
        }
        Command::Migrate => {
            let settings = load_settings(&cli.config_dir)?;
            init_tracing(&settings);
            let (_, applied) = kindred_service::runtime::open_database(&settings)?;
            println!(
                "database {}: {} migration(s) applied",
                settings.database.url.redacted(),
                applied.len()
            );
            Ok(())
        }
        Command::Import {
            command: ImportCommand::Participants { file, dry_run },
        } => {
            let settings = load_settings(&cli.config_dir)?;
            init_tracing(&settings);
            match import::participants(&settings, &file, dry_run)? {
                import::Finished::AllRows => Ok(()),
                import::Finished::SomeRowsFailed => std::process::exit(2),
            }
        }
        Command::Admin {
            command: AdminCommand::CreateCoordinator { email, name },
        } => {
            let settings = load_settings(&cli.config_dir)?;
            init_tracing(&settings);
            create_coordinator(&settings, &email, &name)
        }
        Command::Admin {
            command:
                AdminCommand::SeedDemo {
                    mentors,
                    mentees,
                    seed,
                },
        } => {
            let settings = load_settings(&cli.config_dir)?;
            init_tracing(&settings);
            seed_demo(&settings, mentors, mentees, seed)
        }
        #[cfg(feature = "bench")]
        Command::Bench {
            command: BenchCommand::Matching(args),
        } => bench::matching(args),
        #[cfg(feature = "bench")]
        Command::Bench {
            command: BenchCommand::Circles(args),
        } => bench::circles::circles(args),
        #[cfg(feature = "bench")]
        Command::Bench {
            command: BenchCommand::Mail(args),
        } => bench::mail(args),
        #[cfg(feature = "bench")]
        Command::Bench {
            command: BenchCommand::Web(args),
        } => bench::web::web(&cli.config_dir, args),
        #[cfg(feature = "bench")]
        Command::Bench {
            command: BenchCommand::Import(args),
        } => bench::import::import(&cli.config_dir, args),
    }
}

fn serve(settings: Settings) -> anyhow::Result<()> {
    tracing::info!(config = %settings.redacted_summary(), "starting");
    let mail_line = match settings.mail.transport {
        MailTransport::File => format!(
            "mail:     written as .eml files to {}/",
            settings.mail.file_dir.display()
        ),
        MailTransport::Smtp => format!(
            "mail:     SMTP via {}",
            settings
                .mail
                .smtp_url
                .as_ref()
                .map(|u| u.redacted_url())
                .unwrap_or_default()
        ),
        MailTransport::Memory => "mail:     kept in memory (not delivered)".to_string(),
    };
    let db_line = format!("database: {}", settings.database.url.redacted());
    actix_web::rt::System::new().block_on(async move {
        let launched = kindred_api::launch::launch_with(settings, kindred_web::configure)
            .await
            .context("could not start Kindred")?;
        println!("Kindred is listening on http://{}", launched.addr);
        println!(
            "{db_line} (migrations up to date, {} applied now)",
            launched.migrations_applied.len()
        );
        println!("{mail_line}");
        launched.wait().await.context("server error")
    })
}

fn worker(settings: Settings) -> anyhow::Result<()> {
    tracing::info!(config = %settings.redacted_summary(), "starting worker");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let (stop, stop_rx) = tokio::sync::watch::channel(false);
        tokio::spawn(async move {
            let _ = tokio::signal::ctrl_c().await;
            let _ = stop.send(true);
        });
        println!(
            "Kindred worker running (database: {})",
            settings.database.url.redacted()
        );
        kindred_service::runtime::run_worker(settings, stop_rx)
            .await
            .context("worker failed")
    })
}

fn create_coordinator(settings: &Settings, email: &str, name: &str) -> anyhow::Result<()> {
    let (pool, _) = kindred_service::runtime::open_database(settings)?;
    let made = kindred_service::accounts::operator::create_coordinator(&pool, email, name)
        .map_err(cli_error)?;
    println!(
        "{} coordinator {}",
        if made.created {
            "Created"
        } else {
            "Promoted existing account to"
        },
        made.email
    );
    println!(
        "One-time password (shown once; it must be changed at first sign-in with PUT /api/v1/me/password): {}",
        made.one_time_password
    );
    Ok(())
}

fn seed_demo(settings: &Settings, mentors: usize, mentees: usize, seed: u64) -> anyhow::Result<()> {
    use kindred_service::demo::{DEMO_DOMAIN, DEMO_PASSWORD};
    let (pool, _) = kindred_service::runtime::open_database(settings)?;
    kindred_service::demo::seed(&pool, mentors, mentees, seed).map_err(cli_error)?;
    println!(
        "Loaded a demo programme: {mentors} mentors (every eighth also a facilitator) and {mentees} mentees with open requests (every other one also asking for a circle)."
    );
    println!("Every demo account's password is {DEMO_PASSWORD:?}, e.g. mentor001@{DEMO_DOMAIN}, mentee001@{DEMO_DOMAIN}.");
    Ok(())
}

/// A service error as the command line says it: field errors as `--field: message`.
fn cli_error(e: kindred_service::ServiceError) -> anyhow::Error {
    match e {
        kindred_service::ServiceError::Invalid(errors) => {
            let lines: Vec<String> = errors
                .into_map()
                .into_iter()
                .flat_map(|(field, msgs)| msgs.into_iter().map(move |m| format!("--{field}: {m}")))
                .collect();
            anyhow::anyhow!(lines.join("; "))
        }
        other => anyhow::anyhow!(other.to_string()),
    }
}
