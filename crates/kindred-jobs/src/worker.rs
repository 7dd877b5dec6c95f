//! Runs durable jobs: claim a batch (one short write transaction), run the
//! handlers with no transaction open, record each outcome in its own short
//! statement as soon as its handler returns.
//!
//! Guarantees: every job runs at least once; without crashes exactly once. A
//! worker that dies leaves its jobs `running`; when their lease runs out any
//! worker claims them again, so at most the handlers in flight at the crash
//! (≤ `concurrency`) run twice. Handlers must therefore be idempotent or
//! tolerate a rare repeat (email: a stable Message-ID per job).
//!
//! Failures: [`JobError::Retry`] → pending again after
//! `retry_base · 2^(attempts−1)` (capped at `retry_max`, ±20 % jitter) until
//! `max_attempts`, then `dead`; [`JobError::Permanent`], a panic on the last
//! attempt, or a kind without a handler → `dead` with `last_error`.
//! A handler running longer than the lease is abandoned and retried (another
//! worker may already have rescued the job).
//!
//! Claims and outcomes go through the leased-rows engine shared with the mail
//! outbox ([`crate::engine`]); the running worker also purges finished jobs
//! older than [`WorkerSettings::retention`].

use std::collections::HashMap;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use futures_util::StreamExt;
use kindred_db::jobs::{self, JobRow};
use kindred_db::Pool;
use rand::Rng;
use tokio::sync::{watch, Notify};

use crate::engine::{self, blocking, Passes, PurgeSchedule, SharedSchedule};
use crate::queue::QueueError;

/// Why a handler did not finish its job.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JobError {
    /// Try again later (network down, SMTP 4xx, database busy…).
    #[error("{0}")]
    Retry(String),
    /// Retrying cannot help (the referenced row is gone, bad payload…): dead now.
    #[error("{0}")]
    Permanent(String),
}

impl JobError {
    pub fn retry(msg: impl fmt::Display) -> Self {
        JobError::Retry(msg.to_string())
    }

    pub fn permanent(msg: impl fmt::Display) -> Self {
        JobError::Permanent(msg.to_string())
    }

    pub fn is_permanent(&self) -> bool {
        matches!(self, JobError::Permanent(_))
    }
}

/// Database errors in handlers are retryable, except corrupt stored data.
impl From<kindred_db::DbError> for JobError {
    fn from(e: kindred_db::DbError) -> Self {
        match e {
            kindred_db::DbError::Corrupt(_) => JobError::Permanent(e.to_string()),
            other => JobError::Retry(other.to_string()),
        }
    }
}

impl From<QueueError> for JobError {
    fn from(e: QueueError) -> Self {
        match e {
            QueueError::Db(db) => db.into(),
            other => JobError::Retry(other.to_string()),
        }
    }
}

/// What a handler returns.
pub type JobFuture = Pin<Box<dyn Future<Output = Result<(), JobError>> + Send + 'static>>;

/// A handler for one job kind. It gets the claimed row (payload, attempts…)
/// and is never called with a database transaction open.
pub type JobHandler = Arc<dyn Fn(JobRow) -> JobFuture + Send + Sync>;

/// Handlers by job kind.
#[derive(Clone, Default)]
pub struct Registry {
    handlers: HashMap<String, JobHandler>,
}

impl fmt::Debug for Registry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut kinds: Vec<&str> = self.kinds().collect();
        kinds.sort_unstable();
        f.debug_struct("Registry").field("kinds", &kinds).finish()
    }
}

impl Registry {
    pub fn new() -> Self {
        Self::default()
    }

    /// Registers (or replaces) the handler for `kind`.
    pub fn register<F, Fut>(&mut self, kind: impl Into<String>, handler: F) -> &mut Self
    where
        F: Fn(JobRow) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<(), JobError>> + Send + 'static,
    {
        let handler: JobHandler = Arc::new(move |row| Box::pin(handler(row)) as JobFuture);
        self.handlers.insert(kind.into(), handler);
        self
    }

    /// Builder form of [`Registry::register`].
    pub fn with<F, Fut>(mut self, kind: impl Into<String>, handler: F) -> Self
    where
        F: Fn(JobRow) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<(), JobError>> + Send + 'static,
    {
        self.register(kind, handler);
        self
    }

    pub fn get(&self, kind: &str) -> Option<&JobHandler> {
        self.handlers.get(kind)
    }

    pub fn kinds(&self) -> impl Iterator<Item = &str> {
        self.handlers.keys().map(String::as_str)
    }
}

/// Worker tunables.
#[derive(Debug, Clone)]
pub struct WorkerSettings {
    /// How long a claimed job is ours; also the handler's time limit.
    pub lease: Duration,
    /// How often an idle worker looks for due jobs (it is also woken through
    /// [`Worker::with_wake`]).
    pub poll_interval: Duration,
    /// Handlers running at once (≥ 1).
    pub concurrency: usize,
    pub retry_base: Duration,
    pub retry_max: Duration,
    /// Jobs claimed per pass (≥ 1).
    pub batch: u32,
    /// Finished jobs (done, cancelled) older than this are purged by the
    /// running worker (see [`crate::engine`]).
    pub retention: Duration,
}

impl Default for WorkerSettings {
    fn default() -> Self {
        Self::from_jobs_config(&kindred_config::JobsSettings::default())
    }
}

impl WorkerSettings {
    pub fn from_config(settings: &kindred_config::Settings) -> Self {
        Self::from_jobs_config(&settings.jobs)
    }

    fn from_jobs_config(jobs: &kindred_config::JobsSettings) -> Self {
        let concurrency = jobs.concurrency.max(1);
        Self {
            lease: jobs.lease.as_std(),
            poll_interval: jobs.poll_interval.as_std(),
            concurrency,
            retry_base: jobs.retry_base.as_std(),
            retry_max: jobs.retry_max.as_std(),
            batch: u32::try_from(concurrency.saturating_mul(2)).unwrap_or(u32::MAX),
            retention: jobs.retention.as_std(),
        }
    }
}

/// Delay before the next attempt after `attempts` failed ones:
/// `base · 2^(attempts−1)`, capped at `max`, with ±20 % jitter (never above `max`).
pub fn backoff(base: Duration, max: Duration, attempts: u32) -> Duration {
    let exp = attempts.saturating_sub(1).min(30);
    let capped = base.saturating_mul(1u32 << exp).min(max);
    let jitter = rand::thread_rng().gen_range(0.8..=1.2);
    capped.mul_f64(jitter).min(max)
}

/// What one pass did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct PassReport {
    pub claimed: usize,
    pub done: usize,
    pub retried: usize,
    pub dead: usize,
    /// Outcomes not recorded because the job was no longer ours (lease lost
    /// to another worker, or cancelled meanwhile).
    pub lost: usize,
    /// Outcomes not recorded because the database failed; those jobs run
    /// again after their lease.
    pub errors: usize,
}

impl PassReport {
    pub fn is_idle(&self) -> bool {
        self.claimed == 0
    }
}

enum Outcome {
    Done,
    Retried,
    Dead,
    Lost,
}

/// Runs jobs from the queue. Cheap to clone; clones share the worker id.
#[derive(Clone)]
pub struct Worker {
    pool: Pool,
    registry: Arc<Registry>,
    settings: WorkerSettings,
    worker_id: String,
    wake: Arc<Notify>,
    purge: SharedSchedule,
}

impl Worker {
    /// A worker with a fresh id (a UUID, recorded in `locked_by`).
    pub fn new(pool: Pool, registry: Registry, settings: WorkerSettings) -> Self {
        let mut settings = settings;
        settings.concurrency = settings.concurrency.max(1);
        settings.batch = settings.batch.max(1);
        Self {
            pool,
            registry: Arc::new(registry),
            settings,
            worker_id: uuid::Uuid::new_v4().to_string(),
            wake: Arc::new(Notify::new()),
            purge: Arc::new(std::sync::Mutex::new(PurgeSchedule::default())),
        }
    }

    /// Wakes this worker when `wake` is notified (notify it after committing
    /// a transaction that enqueued jobs).
    pub fn with_wake(mut self, wake: Arc<Notify>) -> Self {
        self.wake = wake;
        self
    }

    pub fn worker_id(&self) -> &str {
        &self.worker_id
    }

    pub fn settings(&self) -> &WorkerSettings {
        &self.settings
    }

    /// Claims one batch of due jobs and runs it to the end (at most
    /// `concurrency` handlers at once), recording each outcome as soon as its
    /// handler returns.
    pub async fn run_once(&self) -> Result<PassReport, QueueError> {
        let now = kindred_db::now();
        let lease = engine::lease_delta(self.settings.lease);
        let limit = i64::from(self.settings.batch);
        let worker_id = self.worker_id.clone();
        let rows = blocking(&self.pool, move |conn| {
            kindred_db::write_tx(conn, |conn| {
                jobs::claim(conn, &worker_id, now, lease, limit)
            })
        })
        .await?;
        let mut report = PassReport {
            claimed: rows.len(),
            ..PassReport::default()
        };
        let outcomes: Vec<Result<Outcome, QueueError>> = futures_util::stream::iter(rows)
            .map(|row| self.process(row))
            .buffer_unordered(self.settings.concurrency)
            .collect()
            .await;
        for outcome in outcomes {
            match outcome {
                Ok(Outcome::Done) => report.done += 1,
                Ok(Outcome::Retried) => report.retried += 1,
                Ok(Outcome::Dead) => report.dead += 1,
                Ok(Outcome::Lost) => report.lost += 1,
                Err(e) => {
                    report.errors += 1;
                    tracing::error!(error = %e, "could not record a job outcome; it will run again after its lease");
                }
            }
        }
        Ok(report)
    }

    async fn process(&self, row: JobRow) -> Result<Outcome, QueueError> {
        let id = row.id.clone();
        let kind = row.kind.clone();
        let attempts = row.attempts;
        let last_attempt = row.is_last_attempt();
        let result = match self.registry.get(&kind) {
            None => Err(JobError::Permanent(format!(
                "no handler registered for job kind `{kind}`"
            ))),
            Some(handler) => {
                // A task of its own: a panicking handler fails its job, not the worker.
                let mut task = tokio::spawn(handler(row));
                match tokio::time::timeout(self.settings.lease, &mut task).await {
                    Ok(Ok(result)) => result,
                    Ok(Err(join)) => Err(JobError::Retry(format!("handler panicked: {join}"))),
                    Err(_) => {
                        task.abort();
                        Err(JobError::Retry(format!(
                            "handler ran longer than the lease ({:?})",
                            self.settings.lease
                        )))
                    }
                }
            }
        };
        let worker_id = self.worker_id.clone();
        match result {
            Ok(()) => {
                let job_id = id.clone();
                let recorded = blocking(&self.pool, move |conn| {
                    jobs::complete(conn, &job_id, &worker_id)
                })
                .await?;
                if recorded {
                    tracing::debug!(job_id = %id, %kind, attempts, "job done");
                    Ok(Outcome::Done)
                } else {
                    tracing::warn!(job_id = %id, %kind, attempts, "job finished after its lease was lost; outcome not recorded");
                    Ok(Outcome::Lost)
                }
            }
            Err(err) => {
                let give_up = err.is_permanent() || last_attempt;
                let retry_at = (!give_up).then(|| {
                    let attempts = u32::try_from(attempts).unwrap_or(u32::MAX);
                    let delay =
                        backoff(self.settings.retry_base, self.settings.retry_max, attempts);
                    engine::after(kindred_db::now(), delay)
                });
                let message = err.to_string();
                let job_id = id.clone();
                let recorded = blocking(&self.pool, move |conn| {
                    jobs::fail(conn, &job_id, &worker_id, &message, retry_at)
                })
                .await?;
                if !recorded {
                    tracing::warn!(job_id = %id, %kind, attempts, error = %err, "job failed after its lease was lost; outcome not recorded");
                    Ok(Outcome::Lost)
                } else if give_up {
                    tracing::warn!(job_id = %id, %kind, attempts, error = %err, "job is dead");
                    Ok(Outcome::Dead)
                } else {
                    tracing::info!(job_id = %id, %kind, attempts, error = %err, "job will be retried");
                    Ok(Outcome::Retried)
                }
            }
        }
    }

    /// Deletes finished jobs (done, cancelled) older than the retention now;
    /// returns how many. The running worker does this at start and then at
    /// most once per [`engine::PURGE_INTERVAL`].
    pub async fn purge_finished(&self) -> Result<usize, QueueError> {
        let retention = self.settings.retention;
        blocking(&self.pool, move |conn| {
            engine::purge_jobs(conn, kindred_db::now(), retention)
        })
        .await
    }

    /// Runs passes until `shutdown` becomes true: back to back while there is
    /// work, otherwise waiting for a wake-up or the poll interval. A pass in
    /// progress is finished before stopping. Purges finished jobs at start and
    /// then at most hourly.
    pub async fn run(self, shutdown: watch::Receiver<bool>) {
        tracing::info!(worker_id = %self.worker_id, kinds = ?self.registry, "job worker started");
        let this = &self;
        engine::run_passes(
            Passes {
                name: "job worker",
                poll_interval: self.settings.poll_interval,
                wake: &self.wake,
                schedule: &self.purge,
                pass: move || async move {
                    let report = this.run_once().await?;
                    if !report.is_idle() {
                        tracing::debug!(?report, "job pass");
                    }
                    Ok(!report.is_idle())
                },
                purge: move || this.purge_finished(),
            },
            shutdown,
        )
        .await;
        tracing::info!(worker_id = %self.worker_id, "job worker stopped");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_is_capped_and_jittered() {
        let base = Duration::from_secs(30);
        let max = Duration::from_secs(3600);
        for _ in 0..200 {
            let d1 = backoff(base, max, 1).as_secs_f64();
            assert!((24.0..=36.0).contains(&d1), "{d1}");
            let d3 = backoff(base, max, 3).as_secs_f64();
            assert!((96.0..=144.0).contains(&d3), "{d3}");
            let d20 = backoff(base, max, 20);
            assert!(d20 <= max && d20.as_secs_f64() >= 0.8 * 3600.0, "{d20:?}");
            assert!(backoff(base, max, u32::MAX) <= max);
        }
        let samples: Vec<Duration> = (0..50).map(|_| backoff(base, max, 2)).collect();
        assert!(samples.iter().any(|d| *d != samples[0]), "jitter varies");
    }

    #[test]
    fn job_errors_classify() {
        assert!(JobError::permanent("x").is_permanent());
        assert!(!JobError::retry("x").is_permanent());
        let db: JobError = kindred_db::DbError::Corrupt("bad".into()).into();
        assert!(db.is_permanent());
        let db: JobError = kindred_db::DbError::Migration("x".into()).into();
        assert!(!db.is_permanent());
    }
}
