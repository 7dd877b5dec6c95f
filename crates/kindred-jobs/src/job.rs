//! Typed jobs, in the spirit of crates.io's `BackgroundJob`: a job is a
//! serialisable struct (its payload: identifiers only, never personal data)
//! with a kind and a `run` method; [`enqueue`] stores it inside the caller's
//! transaction and [`Registry::register_job`] runs it.
//!
//! ```ignore
//! use kindred_jobs::{BackgroundJob, EnqueueOptions, JobError};
//! use serde::{Deserialize, Serialize};
//!
//! #[derive(Serialize, Deserialize)]
//! struct MentorReminder { match_id: String }
//!
//! impl BackgroundJob for MentorReminder {
//!     const KIND: &'static str = "mentor_reminder";
//!     type Context = AppContext;
//!     fn unique_key(&self) -> Option<String> { Some(format!("mentor_reminder:{}", self.match_id)) }
//!     async fn run(self, ctx: AppContext) -> Result<(), JobError> { /* … */ Ok(()) }
//! }
//!
//! kindred_jobs::enqueue(conn, &MentorReminder { match_id }, EnqueueOptions::default())?;
//! registry.register_job::<MentorReminder>(ctx);
//! ```

use std::future::Future;

use chrono::NaiveDateTime;
use kindred_db::jobs::{self, JobRow, NewJob};
use kindred_db::{DbConnection, DbError, DbResult};

use crate::queue::DEFAULT_MAX_ATTEMPTS;
use crate::worker::{JobError, Registry};

/// A kind of durable job whose payload is `Self`.
pub trait BackgroundJob: serde::Serialize + serde::de::DeserializeOwned + Send + 'static {
    /// The `jobs.kind` value.
    const KIND: &'static str;
    /// What `run` needs (pool, settings, …), cloned per job.
    type Context: Clone + Send + Sync + 'static;
    /// Deduplication key: a second enqueue with the same key is a no-op. None → not deduplicated.
    fn unique_key(&self) -> Option<String> {
        None
    }
    /// Does the work. Runs with no database transaction open, at least once
    /// (rarely twice after a crash), so it must be idempotent.
    fn run(self, ctx: Self::Context) -> impl Future<Output = Result<(), JobError>> + Send;
}

/// Options of one enqueue.
#[derive(Debug, Clone, Default)]
pub struct EnqueueOptions {
    /// Not before (UTC); `None` = now.
    pub run_at: Option<NaiveDateTime>,
    /// The person the job concerns (cancelled on erasure).
    pub subject_user: Option<String>,
    /// `None` = [`DEFAULT_MAX_ATTEMPTS`]; values below 1 count as 1.
    pub max_attempts: Option<i32>,
}

/// Enqueue inside the caller's transaction; returns the new job id, or None when the unique key already exists.
pub fn enqueue<J: BackgroundJob>(
    conn: &mut DbConnection,
    job: &J,
    options: EnqueueOptions,
) -> DbResult<Option<String>> {
    let payload = serde_json::to_value(job).map_err(|e| {
        DbError::Corrupt(format!(
            "payload of job kind `{}` cannot be serialised: {e}",
            J::KIND
        ))
    })?;
    let unique_key = job.unique_key();
    jobs::enqueue(
        conn,
        &NewJob {
            kind: J::KIND,
            unique_key: unique_key.as_deref(),
            payload: &payload,
            run_at: options.run_at.unwrap_or_else(kindred_db::now),
            max_attempts: options.max_attempts.unwrap_or(DEFAULT_MAX_ATTEMPTS).max(1),
            subject_user_id: options.subject_user.as_deref(),
        },
    )
}

impl Registry {
    /// Registers (or replaces) the handler of `J::KIND`: the payload is
    /// decoded as `J` and run with a clone of `ctx`. A payload that does not
    /// decode is a [`JobError::Permanent`] (retrying cannot help).
    pub fn register_job<J: BackgroundJob>(&mut self, ctx: J::Context) -> &mut Self {
        self.register(J::KIND, move |row: JobRow| {
            let ctx = ctx.clone();
            async move {
                let job: J = serde_json::from_str(&row.payload).map_err(|e| {
                    JobError::permanent(format!(
                        "payload of job {} (kind `{}`) does not decode: {e}",
                        row.id,
                        J::KIND
                    ))
                })?;
                job.run(ctx).await
            }
        })
    }
}
