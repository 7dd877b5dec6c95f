//! Test helper for the crash test in `tests/jobs.rs` (not part of the service).
//!
//! `jobs-crash-worker DATABASE_URL OUTPUT_FILE LEASE_MS DELAY_MS CONCURRENCY BATCH`
//!
//! Runs a job worker whose `crash_test` handler appends the job id to
//! OUTPUT_FILE (fsynced), then sleeps DELAY_MS before returning, until no job is pending or
//! running any more, then exits 0. The test SIGKILLs it midway and starts it
//! again to show that nothing is lost and at most the in-flight jobs repeat.

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use kindred_jobs::{JobError, Registry, Worker, WorkerSettings};

fn arg<T: std::str::FromStr>(args: &[String], i: usize, name: &str) -> Result<T, String> {
    args.get(i)
        .ok_or_else(|| format!("missing argument {name}"))?
        .parse()
        .map_err(|_| format!("bad argument {name}"))
}

#[tokio::main(flavor = "multi_thread", worker_threads = 4)]
async fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().collect();
    let url: String = arg(&args, 1, "DATABASE_URL")?;
    let out: String = arg(&args, 2, "OUTPUT_FILE")?;
    let lease_ms: u64 = arg(&args, 3, "LEASE_MS")?;
    let delay_ms: u64 = arg(&args, 4, "DELAY_MS")?;
    let concurrency: usize = arg(&args, 5, "CONCURRENCY")?;
    let batch: u32 = arg(&args, 6, "BATCH")?;

    let target: kindred_config::DatabaseUrl = url.parse().map_err(|e| format!("{e}"))?;
    let pool = kindred_db::open_pool(&target, &kindred_db::PoolOptions::default())
        .map_err(|e| e.to_string())?;
    let file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&out)
        .map_err(|e| e.to_string())?;
    let file = Arc::new(Mutex::new(file));

    let registry = Registry::new().with("crash_test", move |row| {
        let file = file.clone();
        async move {
            {
                let mut f = file
                    .lock()
                    .map_err(|_| JobError::permanent("output file lock poisoned"))?;
                writeln!(f, "{}", row.id).map_err(JobError::retry)?;
                f.sync_data().map_err(JobError::retry)?;
            }
            // The effect is durable before the job is recorded done: the
            // window in which a crash makes it run twice.
            tokio::time::sleep(Duration::from_millis(delay_ms)).await;
            Ok(())
        }
    });
    let worker = Worker::new(
        pool.clone(),
        registry,
        WorkerSettings {
            lease: Duration::from_millis(lease_ms),
            poll_interval: Duration::from_millis(50),
            concurrency,
            retry_base: Duration::from_millis(50),
            retry_max: Duration::from_millis(500),
            batch,
            retention: kindred_jobs::DEFAULT_RETENTION,
        },
    );
    loop {
        let report = worker.run_once().await.map_err(|e| e.to_string())?;
        if report.is_idle() {
            let p = pool.clone();
            let counts = tokio::task::spawn_blocking(move || {
                let mut conn = p.get()?;
                kindred_db::jobs::counts_by_state(&mut conn)
            })
            .await
            .map_err(|e| e.to_string())?
            .map_err(|e| e.to_string())?;
            let open = counts.get("pending").copied().unwrap_or(0)
                + counts.get("running").copied().unwrap_or(0);
            if open == 0 {
                return Ok(());
            }
            // Waiting for the leases of a killed predecessor to run out.
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}
