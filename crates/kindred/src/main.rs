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

#[cfg(feature = "bench")]
#[derive(Subcommand)]
enum BenchCommand {
    /// Synthetic matching benchmark (see docs/benchmarks.md).
    Matching(bench::MatchingArgs),
    /// Reminder delivery through the outbox to a local SMTP sink.
    Mail(bench::MailArgs),
}

#[cfg(feature = "bench")]
mod bench;
mod demo;

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
            let (_, applied) = kindred_api::launch::open_database(&settings)?;
            println!(
                "database {}: {} migration(s) applied",
                settings.database.url.redacted(),
                applied.len()
            );
            Ok(())
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
            demo::seed(&settings, mentors, mentees, seed)
        }
        #[cfg(feature = "bench")]
        Command::Bench {
            command: BenchCommand::Matching(args),
        } => bench::matching(args),
        #[cfg(feature = "bench")]
        Command::Bench {
            command: BenchCommand::Mail(args),
        } => bench::mail(args),
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
        let launched = kindred_api::launch::launch(settings)
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
        kindred_api::launch::run_worker(settings, stop_rx)
            .await
            .context("worker failed")
    })
}

fn create_coordinator(settings: &Settings, email: &str, name: &str) -> anyhow::Result<()> {
    let email = kindred_core::Email::parse(email).map_err(|e| anyhow::anyhow!("--email: {e}"))?;
    let name =
        kindred_core::DisplayName::parse(name).map_err(|e| anyhow::anyhow!("--name: {e}"))?;
    let (pool, _) = kindred_api::launch::open_database(settings)?;
    let password = kindred_api::security::new_one_time_password();
    let hash = kindred_api::security::hash_password(&password).map_err(anyhow::Error::msg)?;
    let mut conn = pool.get().context("database connection")?;
    let created = kindred_db::write_tx(&mut conn, |conn| -> kindred_db::DbResult<bool> {
        if let Some(existing) = kindred_db::users::find_by_email(conn, email.as_str())? {
            // Promote an existing account and reset its password: the operator
            // hands the new one over out of band.
            kindred_db::users::add_role(conn, &existing.id, "coordinator")?;
            kindred_db::users::set_password(conn, &existing.id, &hash)?;
            kindred_db::users::mark_verified(conn, &existing.id)?;
            return Ok(false);
        }
        kindred_db::users::create_verified(
            conn,
            email.as_str(),
            name.as_str(),
            &hash,
            "coordinator",
        )?;
        Ok(true)
    })?;
    println!(
        "{} coordinator {}",
        if created {
            "Created"
        } else {
            "Promoted existing account to"
        },
        email.as_str()
    );
    println!("One-time password (shown once; log in and keep it safe): {password}");
    Ok(())
}
