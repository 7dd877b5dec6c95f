//! The durable job queue: background work stored as rows in `jobs`.
//!
//! Lifecycle: `pending → running → done`; a retryable failure goes back to
//! `pending` with a later `run_at`; a permanent failure or the last allowed
//! attempt goes to `dead` (visible, with `last_error`, and retryable by an
//! operator with [`retry_dead`]); erasure of a person moves their unfinished
//! jobs to `cancelled` ([`cancel_for_user`]).
//!
//! Claiming counts the attempt and leases the row to one worker
//! (`locked_by`, `locked_until`). A worker that dies leaves its rows
//! `running`; once the lease has run out any worker claims them again, so
//! every job runs *at least once* and, without crashes, exactly once.
//! [`complete`] and [`fail`] only act on a row still `running` and still
//! leased by the calling worker, so a worker that lost its lease cannot
//! overwrite the outcome recorded by the worker that rescued the job.
//!
//! Payloads hold identifiers only, never personal data: the rows outlive
//! erasure as `cancelled`/`done` history until purged ([`purge_finished`]).
//!
//! The table has its own `diesel::table!` here so the queue stays one module.

use std::collections::BTreeMap;

use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;

use crate::lease::{self, AttemptBudget, LeasedRow, LeasedTable};
use crate::{now, DbConnection, DbError, DbResult};

diesel::table! {
    jobs (id) {
        id -> Text,
        kind -> Text,
        unique_key -> Nullable<Text>,
        payload -> Text,
        state -> Text,
        attempts -> Integer,
        max_attempts -> Integer,
        run_at -> Timestamp,
        locked_until -> Nullable<Timestamp>,
        locked_by -> Nullable<Text>,
        last_error -> Nullable<Text>,
        subject_user_id -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        finished_at -> Nullable<Timestamp>,
    }
}

pub const PENDING: &str = "pending";
pub const RUNNING: &str = "running";
pub const DONE: &str = "done";
pub const DEAD: &str = "dead";
pub const CANCELLED: &str = "cancelled";

/// Every state, in lifecycle order.
pub const STATES: [&str; 5] = [PENDING, RUNNING, DONE, DEAD, CANCELLED];

/// `last_error` is truncated to this many characters.
pub const MAX_ERROR_CHARS: usize = 2000;

/// One row of `jobs`.
#[derive(
    Debug,
    Clone,
    PartialEq,
    Eq,
    Queryable,
    Selectable,
    Insertable,
    QueryableByName,
    serde::Serialize,
)]
#[diesel(table_name = jobs)]
pub struct JobRow {
    pub id: String,
    pub kind: String,
    pub unique_key: Option<String>,
    /// JSON (identifiers only).
    pub payload: String,
    pub state: String,
    /// Attempts started so far (counted at claim time, so a crash counts).
    pub attempts: i32,
    pub max_attempts: i32,
    pub run_at: NaiveDateTime,
    pub locked_until: Option<NaiveDateTime>,
    pub locked_by: Option<String>,
    pub last_error: Option<String>,
    pub subject_user_id: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub finished_at: Option<NaiveDateTime>,
}

impl JobRow {
    /// The payload parsed as JSON.
    pub fn payload_json(&self) -> DbResult<serde_json::Value> {
        serde_json::from_str(&self.payload)
            .map_err(|e| DbError::Corrupt(format!("job {} payload is not JSON: {e}", self.id)))
    }

    /// True when this attempt is the last one allowed.
    pub fn is_last_attempt(&self) -> bool {
        self.attempts >= self.max_attempts
    }
}

/// A job to enqueue.
#[derive(Debug, Clone)]
pub struct NewJob<'a> {
    pub kind: &'a str,
    /// At most one job ever exists per key (e.g. `"mentor_notice:<match id>"`);
    /// enqueueing a second is a no-op.
    pub unique_key: Option<&'a str>,
    /// Identifiers only, never personal data.
    pub payload: &'a serde_json::Value,
    /// Not before this time (UTC).
    pub run_at: NaiveDateTime,
    /// ≥ 1 (smaller values are raised to 1).
    pub max_attempts: i32,
    /// The person the job concerns, so erasure can cancel it.
    pub subject_user_id: Option<&'a str>,
}

/// Enqueues a job. Meant to run inside the caller's transaction, so the job
/// exists if and only if the change that causes it is committed.
///
/// Idempotent by `unique_key`: if a row with that key exists (in any state)
/// nothing is written and `None` is returned. The insert is
/// `INSERT … ON CONFLICT (unique_key) DO NOTHING` on both backends, so a
/// concurrent enqueue of the same key never raises a unique violation — which
/// matters on PostgreSQL, where an error would abort the caller's transaction.
pub fn enqueue(conn: &mut DbConnection, job: &NewJob<'_>) -> DbResult<Option<String>> {
    let at = now();
    let row = JobRow {
        id: crate::new_id(),
        kind: job.kind.to_string(),
        unique_key: job.unique_key.map(str::to_string),
        payload: job.payload.to_string(),
        state: PENDING.to_string(),
        attempts: 0,
        max_attempts: job.max_attempts.max(1),
        run_at: crate::truncate_micros(job.run_at),
        locked_until: None,
        locked_by: None,
        last_error: None,
        subject_user_id: job.subject_user_id.map(str::to_string),
        created_at: at,
        updated_at: at,
        finished_at: None,
    };
    let inserted = insert_ignoring_duplicate_key(conn, &row)?;
    Ok((inserted > 0).then_some(row.id))
}

/// The one backend-specific upsert: `ON CONFLICT (unique_key) DO NOTHING`
/// (PostgreSQL ≥ 9.5, SQLite ≥ 3.24). Rows without a key never conflict.
fn insert_ignoring_duplicate_key(conn: &mut DbConnection, row: &JobRow) -> DbResult<usize> {
    let n = match conn {
        DbConnection::Postgresql(pg) => diesel::insert_into(jobs::table)
            .values(row)
            .on_conflict(jobs::unique_key)
            .do_nothing()
            .execute(pg)?,
        DbConnection::Sqlite(lite) => diesel::insert_into(jobs::table)
            .values(row)
            .on_conflict(jobs::unique_key)
            .do_nothing()
            .execute(lite)?,
    };
    Ok(n)
}

/// How `jobs` stores leased work, for the shared engine ([`crate::lease`]).
pub const TABLE: LeasedTable = LeasedTable {
    table: "jobs",
    due_column: "run_at",
    pending: PENDING,
    leased: RUNNING,
    done: DONE,
    dead: DEAD,
    max_error_chars: MAX_ERROR_CHARS,
    on_claim: ", updated_at = $1",
    on_done: ", updated_at = $1, finished_at = $1",
    on_retry: ", updated_at = $1",
    on_dead: ", updated_at = $1, finished_at = $1",
};

/// The attempt budget of a job is its own `max_attempts`.
pub const BUDGET: AttemptBudget = AttemptBudget::Column("max_attempts");

impl LeasedRow for JobRow {
    fn lease_id(&self) -> &str {
        &self.id
    }

    fn due_at(&self) -> NaiveDateTime {
        self.run_at
    }
}

/// Claims up to `limit` jobs for `worker_id`: pending jobs that are due
/// (`run_at <= now`) and running jobs whose lease has expired (their worker
/// died). Each claimed row becomes `running`, leased until `now + lease`, with
/// its attempt counted. Returned in `run_at` order.
///
/// A rescued job that had already used its last attempt is not run again: it
/// becomes `dead` ("lease expired on the last attempt"), so a job that crashes
/// its worker every time cannot loop forever.
///
/// See [`crate::lease::claim`] (`FOR UPDATE SKIP LOCKED` on PostgreSQL). Run
/// it in a short write transaction of its own (`write_tx`).
pub fn claim(
    conn: &mut DbConnection,
    worker_id: &str,
    now: NaiveDateTime,
    lease: TimeDelta,
    limit: i64,
) -> DbResult<Vec<JobRow>> {
    lease::claim(conn, &TABLE, BUDGET, worker_id, now, lease, limit)
}

/// Extends `worker_id`'s lease on a running job to `until`; false if the job
/// is no longer its own.
pub fn renew(
    conn: &mut DbConnection,
    id: &str,
    worker_id: &str,
    until: NaiveDateTime,
) -> DbResult<bool> {
    lease::renew(conn, &TABLE, id, worker_id, now(), until)
}

/// Marks a job done. Acts only if the job is still `running` and leased by
/// `worker_id`; returns whether it did (false: the lease was lost and another
/// worker owns the job now, or it was cancelled).
pub fn complete(conn: &mut DbConnection, id: &str, worker_id: &str) -> DbResult<bool> {
    lease::finish_done(conn, &TABLE, id, worker_id, now())
}

/// Records a failed attempt: back to `pending` at `retry_at`, or `dead` when
/// `retry_at` is `None`. Same ownership rule and return value as [`complete`].
pub fn fail(
    conn: &mut DbConnection,
    id: &str,
    worker_id: &str,
    error: &str,
    retry_at: Option<NaiveDateTime>,
) -> DbResult<bool> {
    lease::finish_failed(conn, &TABLE, id, worker_id, now(), error, retry_at)
}

/// An operator's retry of a dead job: back to `pending`, due now, with a
/// fresh attempt budget. `last_error` is kept as history. Returns false if
/// the job does not exist or is not dead.
pub fn retry_dead(conn: &mut DbConnection, id: &str) -> DbResult<bool> {
    let at = now();
    let n = diesel::update(jobs::table.find(id).filter(jobs::state.eq(DEAD)))
        .set((
            jobs::state.eq(PENDING),
            jobs::attempts.eq(0),
            jobs::run_at.eq(at),
            jobs::locked_until.eq(None::<NaiveDateTime>),
            jobs::locked_by.eq(None::<String>),
            jobs::updated_at.eq(at),
            jobs::finished_at.eq(None::<NaiveDateTime>),
        ))
        .execute(conn)?;
    Ok(n > 0)
}

/// Cancels every unfinished (pending or running) job concerning a person, for
/// erasure. A running job's worker then finds its `complete`/`fail` a no-op.
pub fn cancel_for_user(conn: &mut DbConnection, user_id: &str) -> DbResult<usize> {
    let at = now();
    Ok(diesel::update(
        jobs::table
            .filter(jobs::subject_user_id.eq(user_id))
            .filter(jobs::state.eq_any([PENDING, RUNNING])),
    )
    .set((
        jobs::state.eq(CANCELLED),
        jobs::locked_until.eq(None::<NaiveDateTime>),
        jobs::updated_at.eq(at),
        jobs::finished_at.eq(at),
    ))
    .execute(conn)?)
}

/// Jobs in id (= creation) order, optionally in one state, after the cursor
/// (the last id of the previous page). `limit` is clamped to 1..=1000.
pub fn list(
    conn: &mut DbConnection,
    state: Option<&str>,
    after_cursor: Option<&str>,
    limit: i64,
) -> DbResult<Vec<JobRow>> {
    let mut query = jobs::table
        .select(JobRow::as_select())
        .order(jobs::id.asc())
        .limit(limit.clamp(1, 1000))
        .into_boxed();
    if let Some(state) = state {
        query = query.filter(jobs::state.eq(state.to_string()));
    }
    if let Some(cursor) = after_cursor {
        query = query.filter(jobs::id.gt(cursor.to_string()));
    }
    Ok(query.load(conn)?)
}

pub fn get(conn: &mut DbConnection, id: &str) -> DbResult<Option<JobRow>> {
    Ok(jobs::table
        .find(id)
        .select(JobRow::as_select())
        .first(conn)
        .optional()?)
}

/// The job with this unique key, if any.
pub fn get_by_unique_key(conn: &mut DbConnection, key: &str) -> DbResult<Option<JobRow>> {
    Ok(jobs::table
        .filter(jobs::unique_key.eq(key))
        .select(JobRow::as_select())
        .first(conn)
        .optional()?)
}

/// Number of jobs per state; every state in [`STATES`] is present (0 if none).
pub fn counts_by_state(conn: &mut DbConnection) -> DbResult<BTreeMap<String, i64>> {
    let rows: Vec<(String, i64)> = jobs::table
        .group_by(jobs::state)
        .select((jobs::state, diesel::dsl::count_star()))
        .load(conn)?;
    let mut counts: BTreeMap<String, i64> = STATES.iter().map(|s| (s.to_string(), 0)).collect();
    for (state, n) in rows {
        counts.insert(state, n);
    }
    Ok(counts)
}

/// Deletes `done` and `cancelled` jobs finished before `before`. Unique keys
/// of deleted rows become free again, so keep history at least as long as a
/// duplicate enqueue of the same event is possible.
pub fn purge_finished(conn: &mut DbConnection, before: NaiveDateTime) -> DbResult<usize> {
    Ok(diesel::delete(
        jobs::table
            .filter(jobs::state.eq_any([DONE, CANCELLED]))
            .filter(jobs::finished_at.lt(before)),
    )
    .execute(conn)?)
}
