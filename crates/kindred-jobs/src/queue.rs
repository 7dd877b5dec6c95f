//! Enqueueing untyped durable jobs (the `jobs` table, see
//! [`kindred_db::jobs`]): the lower layer under the typed
//! [`enqueue`](crate::enqueue) of a [`BackgroundJob`](crate::BackgroundJob).
//!
//! Enqueue *inside* the transaction that makes the job necessary with
//! [`enqueue_in`] (the job exists if and only if that change commits), then
//! notify the worker's wake handle ([`crate::Worker::with_wake`]) after the
//! commit to wake a local worker early. The operator's view (list, counts,
//! retry of dead jobs, erasure) is [`kindred_db::jobs`] itself.

use std::time::Duration;

use chrono::{NaiveDateTime, TimeDelta};
use kindred_db::jobs::{self, NewJob};
use kindred_db::{DbConnection, DbResult};

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
