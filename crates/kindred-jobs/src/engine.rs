//! The one delivery engine behind the job [`Worker`](crate::Worker) and the
//! mail [`OutboxWorker`](crate::OutboxWorker).
//!
//! # Why a shared leased-rows engine, not "email as a job kind"
//!
//! Both tables hold the same kind of work — rows claimed under a lease, run
//! with no transaction open, then recorded — and used to do it with two
//! drifted copies (the outbox had no lease owner and no exhausted-lease
//! guard). There were two ways to make them one:
//!
//! * deliver email as a job kind, so the outbox table became plain storage;
//! * keep both tables and share the mechanism.
//!
//! We share the mechanism. The `outbox` rows are read as they are by the rest
//! of the service (the backlog gauge, the operator's dead-letter view, a
//! person's data export, erasure by event key), and the API enqueues email by
//! writing them; moving delivery into `jobs` would change all of that and
//! double the rows per email. Instead:
//!
//! * in the database, [`kindred_db::lease`] is the only code that claims,
//!   renews and finishes leased rows, for both tables, each described by a
//!   [`kindred_db::lease::LeasedTable`] (`jobs::TABLE`, `outbox::TABLE`).
//!   Claims bury rows whose lease ran out on their last attempt, and every
//!   outcome is recorded only by the lease's owner (`locked_by`, which the
//!   outbox gained in migration `2026-12-01-000005_outbox_lease_owner`);
//! * here, `run_passes` is the one loop both workers run (passes back to
//!   back while there is work, else wait for a wake-up, the poll interval or
//!   shutdown), and it purges finished history on a [`PurgeSchedule`];
//!   [`backoff`](crate::backoff) is the one retry delay, `blocking` the one
//!   way onto the connection pool.
//!
//! # Purge
//!
//! Finished rows (jobs `done`/`cancelled`, email `sent`/`cancelled`) older
//! than the worker's `retention` are deleted by the running worker: at its
//! start and then at most once per [`PURGE_INTERVAL`] per worker (clones
//! share the schedule). [`purge_jobs`] and [`purge_outbox`] are the same purge
//! as plain functions. Dead rows are never purged: they wait for an operator.

use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::{NaiveDateTime, TimeDelta};
use kindred_db::{DbConnection, DbResult, Pool};
use tokio::sync::{watch, Notify};

use crate::queue::QueueError;

/// How long finished rows are kept when the configuration does not say.
pub const DEFAULT_RETENTION: Duration = Duration::from_secs(14 * 24 * 60 * 60);

/// A worker purges at most this often.
pub const PURGE_INTERVAL: Duration = Duration::from_secs(60 * 60);

/// The lease length as a database interval (5 minutes if out of range).
pub(crate) fn lease_delta(lease: Duration) -> TimeDelta {
    TimeDelta::from_std(lease).unwrap_or(TimeDelta::minutes(5))
}

/// `now + delay` (an hour if out of range), for a retry time.
pub(crate) fn after(now: NaiveDateTime, delay: Duration) -> NaiveDateTime {
    now + TimeDelta::from_std(delay).unwrap_or(TimeDelta::hours(1))
}

/// Rows finished before this instant are purged: `now − retention`.
pub fn retention_cutoff(now: NaiveDateTime, retention: Duration) -> NaiveDateTime {
    TimeDelta::from_std(retention)
        .ok()
        .and_then(|r| now.checked_sub_signed(r))
        .unwrap_or(NaiveDateTime::MIN)
}

/// Deletes `done` and `cancelled` jobs finished more than `retention` before `now`.
pub fn purge_jobs(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    retention: Duration,
) -> DbResult<usize> {
    kindred_db::jobs::purge_finished(conn, retention_cutoff(now, retention))
}

/// Deletes `sent` and `cancelled` email older than `retention` before `now`.
pub fn purge_outbox(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    retention: Duration,
) -> DbResult<usize> {
    kindred_db::outbox::purge_finished(conn, retention_cutoff(now, retention))
}

/// When a worker purges next: the first time it asks, then once per `every`.
#[derive(Debug, Clone)]
pub struct PurgeSchedule {
    every: Duration,
    last: Option<Instant>,
}

impl PurgeSchedule {
    pub fn new(every: Duration) -> Self {
        Self { every, last: None }
    }

    /// True (and the purge counts as done at `now`) if one is due at `now`.
    pub fn due(&mut self, now: Instant) -> bool {
        let due = self
            .last
            .is_none_or(|last| now.saturating_duration_since(last) >= self.every);
        if due {
            self.last = Some(now);
        }
        due
    }
}

impl Default for PurgeSchedule {
    fn default() -> Self {
        Self::new(PURGE_INTERVAL)
    }
}

/// A schedule shared by the clones of one worker.
pub(crate) type SharedSchedule = Arc<Mutex<PurgeSchedule>>;

pub(crate) fn purge_due(schedule: &SharedSchedule) -> bool {
    schedule
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .due(Instant::now())
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

/// What [`run_passes`] drives.
pub(crate) struct Passes<'a, P, G> {
    /// For the logs: "job worker", "mail outbox worker".
    pub name: &'static str,
    pub poll_interval: Duration,
    pub wake: &'a Notify,
    pub schedule: &'a SharedSchedule,
    /// One pass; `Ok(true)` when it found work (run the next one at once).
    pub pass: P,
    /// Deletes finished history; returns the number of rows deleted.
    pub purge: G,
}

/// The loop of both workers: until `shutdown` becomes true, purge when the
/// schedule says so, then run passes back to back while there is work,
/// otherwise wait for a wake-up, the poll interval or shutdown. A pass in
/// progress is finished before stopping.
pub(crate) async fn run_passes<P, PF, G, GF>(
    mut passes: Passes<'_, P, G>,
    mut shutdown: watch::Receiver<bool>,
) where
    P: FnMut() -> PF,
    PF: Future<Output = Result<bool, QueueError>>,
    G: FnMut() -> GF,
    GF: Future<Output = Result<usize, QueueError>>,
{
    let name = passes.name;
    loop {
        if *shutdown.borrow() {
            break;
        }
        if purge_due(passes.schedule) {
            match (passes.purge)().await {
                Ok(0) => {}
                Ok(n) => tracing::info!(worker = name, purged = n, "purged finished rows"),
                Err(e) => tracing::warn!(worker = name, error = %e, "purge failed"),
            }
        }
        let busy = match (passes.pass)().await {
            Ok(busy) => busy,
            Err(e) => {
                tracing::error!(worker = name, error = %e, "pass failed");
                false
            }
        };
        if busy {
            continue;
        }
        tokio::select! {
            _ = passes.wake.notified() => {}
            _ = tokio::time::sleep(passes.poll_interval) => {}
            _ = shutdown.changed() => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn purges_first_then_at_most_once_per_interval() {
        let mut s = PurgeSchedule::new(Duration::from_secs(3600));
        let t0 = Instant::now();
        assert!(s.due(t0), "the first ask purges");
        assert!(!s.due(t0 + Duration::from_secs(1)));
        assert!(!s.due(t0 + Duration::from_secs(3599)));
        assert!(s.due(t0 + Duration::from_secs(3600)));
        assert!(!s.due(t0 + Duration::from_secs(3601)));
    }

    #[test]
    fn cutoff_is_now_minus_retention() {
        let now = chrono::NaiveDate::from_ymd_opt(2026, 12, 15)
            .unwrap_or_default()
            .and_hms_opt(12, 0, 0)
            .unwrap_or_default();
        assert_eq!(
            retention_cutoff(now, DEFAULT_RETENTION),
            now - TimeDelta::days(14)
        );
        assert_eq!(
            retention_cutoff(now, Duration::MAX),
            NaiveDateTime::MIN,
            "an endless retention purges nothing"
        );
    }
}
