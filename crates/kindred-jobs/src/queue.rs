//! Enqueueing and inspecting durable jobs (the `jobs` table, see
//! [`kindred_db::jobs`]).
//!
//! Enqueue *inside* the transaction that makes the job necessary with
//! [`enqueue_in`] (the job exists if and only if that change commits), then
//! call [`Queue::notify`] after the commit to wake a local worker early; or use
//! [`Queue::enqueue`] for a job on its own.

use std::sync::Arc;
use std::time::Duration;

use chrono::{NaiveDateTime, TimeDelta};
use kindred_db::jobs::{self, JobRow, NewJob};
use kindred_db::{DbConnection, DbResult, Pool};
use tokio::sync::Notify;

/// Attempts before a job is dead, when neither the spec nor the config says
/// otherwise (about a day and a half with the default backoff).
pub const DEFAULT_MAX_ATTEMPTS: i32 = 20;

/// Errors from the async queue operations.
#[derive(Debug, thiserror::Error)]
pub enum QueueError {
    #[error(transparent)]
    Db(#[from] kindred_db::DbError),
    #[error("blocking task failed: {0}")]
    Join(String),
}

/// A job to enqueue (builder).
#[derive(Debug, Clone, PartialEq)]
pub struct JobSpec {
    pub kind: String,
    /// Identifiers only, never personal data.
    pub payload: serde_json::Value,
    /// One job per key, ever (until purged): e.g. `"checkin_reminder:<match>:<n>"`.
    pub unique_key: Option<String>,
    /// Not before (UTC); `None` = now.
    pub run_at: Option<NaiveDateTime>,
    /// `None` = the queue's default.
    pub max_attempts: Option<i32>,
    /// The person the job concerns (cancelled on erasure).
    pub subject_user_id: Option<String>,
}

impl JobSpec {
    pub fn new(kind: impl Into<String>, payload: serde_json::Value) -> Self {
        Self {
            kind: kind.into(),
            payload,
            unique_key: None,
            run_at: None,
            max_attempts: None,
            subject_user_id: None,
        }
    }

    pub fn unique_key(mut self, key: impl Into<String>) -> Self {
        self.unique_key = Some(key.into());
        self
    }

    pub fn run_at(mut self, at: NaiveDateTime) -> Self {
        self.run_at = Some(at);
        self
    }

    /// Runs no earlier than `delay` from now.
    pub fn delay(mut self, delay: Duration) -> Self {
        let delay = TimeDelta::from_std(delay).unwrap_or(TimeDelta::MAX);
        self.run_at = Some(
            kindred_db::now()
                .checked_add_signed(delay)
                .unwrap_or(NaiveDateTime::MAX),
        );
        self
    }

    pub fn max_attempts(mut self, n: i32) -> Self {
        self.max_attempts = Some(n.max(1));
        self
    }

    pub fn subject_user(mut self, user_id: impl Into<String>) -> Self {
        self.subject_user_id = Some(user_id.into());
        self
    }
}

/// Enqueues `spec` on `conn`, typically inside the caller's transaction.
/// Returns the new id, or `None` when a job with the same unique key exists.
pub fn enqueue_in(
    conn: &mut DbConnection,
    spec: &JobSpec,
    default_max_attempts: i32,
) -> DbResult<Option<String>> {
    jobs::enqueue(
        conn,
        &NewJob {
            kind: &spec.kind,
            unique_key: spec.unique_key.as_deref(),
            payload: &spec.payload,
            run_at: spec.run_at.unwrap_or_else(kindred_db::now),
            max_attempts: spec.max_attempts.unwrap_or(default_max_attempts).max(1),
            subject_user_id: spec.subject_user_id.as_deref(),
        },
    )
}

/// Runs `f` with a pooled connection on a blocking thread.
pub(crate) async fn blocking<T, F>(pool: &Pool, f: F) -> Result<T, QueueError>
where
    F: FnOnce(&mut DbConnection) -> DbResult<T> + Send + 'static,
    T: Send + 'static,
{
    let pool = pool.clone();
    tokio::task::spawn_blocking(move || {
        let mut conn = pool.get()?;
        f(&mut conn)
    })
    .await
    .map_err(|e| QueueError::Join(e.to_string()))?
    .map_err(QueueError::from)
}

/// Async handle on the queue: enqueue on its own, wake workers, and the
/// operator's view (list, counts, retry of dead jobs, erasure).
#[derive(Clone)]
pub struct Queue {
    pool: Pool,
    default_max_attempts: i32,
    wake: Arc<Notify>,
}

impl Queue {
    pub fn new(pool: Pool, default_max_attempts: u32) -> Self {
        Self {
            pool,
            default_max_attempts: i32::try_from(default_max_attempts.max(1))
                .unwrap_or(DEFAULT_MAX_ATTEMPTS),
            wake: Arc::new(Notify::new()),
        }
    }

    /// From `jobs.max_attempts` in the configuration.
    pub fn from_config(pool: Pool, settings: &kindred_config::Settings) -> Self {
        Self::new(pool, settings.jobs.max_attempts)
    }

    /// Shares the wake-up signal with a [`crate::Worker`] (`Worker::with_wake`).
    pub fn wake_handle(&self) -> Arc<Notify> {
        self.wake.clone()
    }

    pub fn default_max_attempts(&self) -> i32 {
        self.default_max_attempts
    }

    /// Wakes an idle local worker (call after committing a transaction that
    /// enqueued jobs with [`Queue::enqueue_in`]).
    pub fn notify(&self) {
        self.wake.notify_one();
    }

    /// Enqueues inside the caller's transaction with this queue's default
    /// attempt budget. Synchronous: call it within `write_tx`.
    pub fn enqueue_in(&self, conn: &mut DbConnection, spec: &JobSpec) -> DbResult<Option<String>> {
        enqueue_in(conn, spec, self.default_max_attempts)
    }

    /// Enqueues a job in its own short transaction and wakes a worker.
    pub async fn enqueue(&self, spec: JobSpec) -> Result<Option<String>, QueueError> {
        let default = self.default_max_attempts;
        let id = blocking(&self.pool, move |conn| {
            kindred_db::write_tx(conn, |conn| enqueue_in(conn, &spec, default))
        })
        .await?;
        if id.is_some() {
            self.notify();
        }
        Ok(id)
    }

    pub async fn get(&self, id: &str) -> Result<Option<JobRow>, QueueError> {
        let id = id.to_string();
        blocking(&self.pool, move |conn| jobs::get(conn, &id)).await
    }

    /// A page of jobs (id order), optionally in one state, after a cursor.
    pub async fn list(
        &self,
        state: Option<&str>,
        after_cursor: Option<&str>,
        limit: i64,
    ) -> Result<Vec<JobRow>, QueueError> {
        let state = state.map(str::to_string);
        let after = after_cursor.map(str::to_string);
        blocking(&self.pool, move |conn| {
            jobs::list(conn, state.as_deref(), after.as_deref(), limit)
        })
        .await
    }

    /// Jobs per state (every state present).
    pub async fn counts(&self) -> Result<std::collections::BTreeMap<String, i64>, QueueError> {
        blocking(&self.pool, jobs::counts_by_state).await
    }

    /// Dead → pending with a fresh attempt budget; false if not dead.
    pub async fn retry_dead(&self, id: &str) -> Result<bool, QueueError> {
        let id = id.to_string();
        let retried = blocking(&self.pool, move |conn| {
            kindred_db::write_tx(conn, |conn| jobs::retry_dead(conn, &id))
        })
        .await?;
        if retried {
            self.notify();
        }
        Ok(retried)
    }

    /// Cancels every unfinished job concerning a person (erasure). Prefer
    /// calling [`kindred_db::jobs::cancel_for_user`] inside the erasure's own
    /// transaction; this is the stand-alone form.
    pub async fn cancel_for_user(&self, user_id: &str) -> Result<usize, QueueError> {
        let user_id = user_id.to_string();
        blocking(&self.pool, move |conn| {
            kindred_db::write_tx(conn, |conn| jobs::cancel_for_user(conn, &user_id))
        })
        .await
    }
}
