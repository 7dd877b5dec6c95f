//! `kindred bench …`: the benchmarks behind docs/benchmarks.md.

pub mod circles;
pub mod import;
pub mod web;

use std::time::{Duration, Instant};

use anyhow::Context;

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
    /// Single-request suggestion calls timed for the p50/p99.
    #[arg(long, default_value_t = 1000)]
    pub suggest_samples: usize,
}

pub fn matching(args: MatchingArgs) -> anyhow::Result<()> {
    let mode = match args.mode.as_str() {
        "optimal" => kindred_matching::Mode::Optimal,
        "stable" => kindred_matching::Mode::Stable,
        other => anyhow::bail!("--mode must be optimal or stable, got {other:?}"),
    };
    let options = kindred_matching::bench::BenchOptions {
        mentees: args.mentees,
        mentors: args.mentors,
        seed: args.seed,
        mode,
        export_graph: args.export_graph,
        suggest_samples: args.suggest_samples,
        ..Default::default()
    };
    kindred_matching::bench::run_bench(&options).map_err(anyhow::Error::msg)?;
    Ok(())
}

#[derive(clap::Args)]
pub struct MailArgs {
    /// How many reminder emails to deliver.
    #[arg(long, default_value_t = 10_000)]
    pub emails: usize,
    /// Database to queue them in (default: a fresh SQLite file in a temp dir).
    #[arg(long)]
    pub database_url: Option<String>,
    /// SMTP connections used at once.
    #[arg(long, default_value_t = 8)]
    pub connections: u32,
    /// Rows claimed per outbox pass.
    #[arg(long, default_value_t = 200)]
    pub batch: u32,
}

/// Queues N check-in reminders in the outbox (one transaction), starts a
/// local SMTP sink, delivers them with the real outbox worker over SMTP and
/// reports the time until the sink holds all of them, and how many were
/// lost or duplicated (by Message-ID, which is the outbox row id).
pub fn mail(args: MailArgs) -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime
        .block_on(async move {
            let sink = kindred_testkit::SmtpSink::start().await;
            let dir = tempfile::tempdir()?;
            let url = args
                .database_url
                .clone()
                .unwrap_or_else(|| format!("sqlite://{}/bench.db", dir.path().display()));
            let target: kindred_config::DatabaseUrl =
                url.parse().map_err(|e| anyhow::anyhow!("{e}"))?;
            let pool = kindred_db::open_pool(&target, &kindred_db::PoolOptions::default())?;
            let mut conn = pool.get()?;
            kindred_db::migrate_with(&mut conn, |_| Ok(()))?;
            let footer = kindred_mail::DEFAULT_FOOTER;
            let t_queue = Instant::now();
            kindred_db::write_tx(&mut conn, |conn| -> kindred_db::DbResult<()> {
                for i in 0..args.emails {
                    let to = format!("person{i}@bench.kindred.local");
                    let rendered = kindred_mail::templates::checkin_reminder(
                        "Alex",
                        "Sam",
                        "http://127.0.0.1:8080/api/v1/matches",
                        footer,
                    );
                    let email = kindred_mail::OutgoingEmail::new(
                        &to,
                        "Kindred <no-reply@kindred.local>",
                        rendered,
                    )
                    .with_header(
                        "List-Unsubscribe",
                        "<http://127.0.0.1:8080/api/v1/unsubscribe?token=bench>",
                    )
                    .with_header("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
                    let json = serde_json::to_string(&email).unwrap_or_default();
                    kindred_db::outbox::enqueue(
                        conn,
                        &kindred_db::outbox::NewEmail {
                            user_id: None,
                            kind: "checkin_reminder",
                            dedupe_key: Some(&format!("bench:{i}")),
                            recipient: &to,
                            message: &json,
                        },
                    )?;
                }
                Ok(())
            })?;
            drop(conn);
            let queue_ms = t_queue.elapsed().as_secs_f64() * 1e3;
            let mailer = kindred_mail::Mailer::new(&kindred_mail::TransportConfig::Smtp {
                url: sink.url(),
                timeout: Duration::from_secs(10),
                pool_size: args.connections,
            })
            .map_err(|e| anyhow::anyhow!("{e}"))?;
            let settings = kindred_jobs::OutboxSettings {
                batch_size: args.batch,
                max_attempts: 8,
                retry_base: Duration::from_millis(200),
                retry_max: Duration::from_secs(2),
                lease: Duration::from_secs(60),
                poll_interval: Duration::from_millis(50),
                concurrency: usize::try_from(args.connections).unwrap_or(8),
                retention: kindred_jobs::DEFAULT_RETENTION,
            };
            let worker =
                kindred_jobs::OutboxWorker::new(pool.clone(), mailer, settings, Default::default());
            let (stop, stop_rx) = tokio::sync::watch::channel(false);
            let started = Instant::now();
            let task = tokio::spawn(worker.run(stop_rx));
            let deadline = started + Duration::from_secs(300);
            while sink.messages().len() < args.emails && Instant::now() < deadline {
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            let deliver_s = started.elapsed().as_secs_f64();
            let _ = stop.send(true);
            let _ = task.await;
            let received = sink.messages();
            let mut ids: Vec<String> = received
                .iter()
                .map(|m| m.header("Message-ID").unwrap_or_default().to_string())
                .collect();
            let total = ids.len();
            ids.sort();
            ids.dedup();
            let unique = ids.len();
            println!(
                "mail benchmark: {} reminders via the outbox over SMTP to a local sink",
                args.emails
            );
            println!("  database           {}", target.redacted());
            println!("  queue (1 tx)       {queue_ms:.0} ms");
            println!(
                "  deliver            {deliver_s:.2} s  ({:.0} emails/s)",
                args.emails as f64 / deliver_s
            );
            println!("  received           {total}");
            println!(
                "  lost               {}",
                args.emails.saturating_sub(unique)
            );
            println!("  duplicated         {}", total - unique);
            println!("  smtp connections   {}", args.connections);
            if unique < args.emails {
                anyhow::bail!("{} emails were not delivered", args.emails - unique);
            }
            Ok::<(), anyhow::Error>(())
        })
        .context("mail benchmark")
}
