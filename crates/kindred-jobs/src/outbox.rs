//! Delivers queued email rows.
//!
//! Each pass claims a batch of due rows (a short write transaction), sends
//! them with no transaction open, then records the outcomes (one short write
//! transaction per row). Transient failures retry with capped exponential backoff and
//! jitter; permanent ones and those past `max_attempts` become `dead`. A worker
//! that dies mid-send leaves rows in `sending`; their lease runs out and any
//! worker claims them again, so delivery is at-least-once with at most the
//! in-flight batch doubled; a row whose lease ran out on its last attempt is
//! buried instead.
//!
//! Claims and outcomes go through the leased-rows engine shared with the job
//! worker ([`crate::engine`]): each worker has an owner id (`locked_by`), and
//! an outcome is recorded only while the lease is still that worker's. The
//! running worker also purges sent and cancelled email older than
//! [`OutboxSettings::retention`].

use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::StreamExt;
use kindred_db::Pool;
use kindred_mail::{Mailer, OutgoingEmail, SendError};
use tokio::sync::{watch, Notify};

use crate::engine::{self, blocking, Passes, PurgeSchedule, SharedSchedule};

#[derive(Debug, Clone)]
pub struct OutboxSettings {
    pub batch_size: u32,
    pub max_attempts: u32,
    pub retry_base: Duration,
    pub retry_max: Duration,
    pub lease: Duration,
    pub poll_interval: Duration,
    /// How many messages are sent at once.
    pub concurrency: usize,
    /// Sent and cancelled email older than this is purged by the running worker.
    pub retention: Duration,
}

impl OutboxSettings {
    pub fn from_config(settings: &kindred_config::Settings) -> Self {
        Self {
            batch_size: settings.mail.batch_size.max(1),
            max_attempts: settings.mail.max_attempts.max(1),
            retry_base: settings.mail.retry_base.as_std(),
            retry_max: settings.mail.retry_max.as_std(),
            lease: settings.jobs.lease.as_std(),
            poll_interval: settings.mail.poll_interval.as_std(),
            concurrency: usize::try_from(settings.mail.smtp_pool_size)
                .unwrap_or(4)
                .max(1),
            retention: settings.jobs.retention.as_std(),
        }
    }
}

/// Backoff before attempt `attempts + 1` (shared with the job worker).
pub fn backoff(settings: &OutboxSettings, attempts: u32) -> Duration {
    crate::worker::backoff(settings.retry_base, settings.retry_max, attempts)
}

/// Errors of an outbox pass (the same as the job queue's).
pub type WorkerError = crate::queue::QueueError;

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct PassReport {
    pub sent: usize,
    pub retried: usize,
    pub dead: usize,
    /// Outcomes not recorded because the row was no longer ours (the lease
    /// ran out and another worker took it over, or an operator moved it).
    pub lost: usize,
}

impl PassReport {
    /// True when the pass claimed nothing.
    pub fn is_idle(&self) -> bool {
        self.sent + self.retried + self.dead + self.lost == 0
    }
}

#[derive(Clone, Copy)]
enum Outcome {
    Sent,
    Retried,
    Dead,
}

#[derive(Clone)]
pub struct OutboxWorker {
    pool: Pool,
    mailer: Mailer,
    settings: OutboxSettings,
    wake: Arc<Notify>,
    /// The lease owner recorded in `locked_by` (a UUID; clones share it).
    owner: String,
    purge: SharedSchedule,
}

impl OutboxWorker {
    pub fn new(pool: Pool, mailer: Mailer, settings: OutboxSettings, wake: Arc<Notify>) -> Self {
        Self {
            pool,
            mailer,
            settings,
            wake,
            owner: uuid::Uuid::new_v4().to_string(),
            purge: Arc::new(Mutex::new(PurgeSchedule::default())),
        }
    }

    /// The id this worker records as the lease owner (`outbox.locked_by`).
    pub fn owner_id(&self) -> &str {
        &self.owner
    }

    /// Claims and delivers one batch of due email. Returns what happened.
    pub async fn deliver_due(&self) -> Result<PassReport, WorkerError> {
        let now = kindred_db::now();
        let lease = engine::lease_delta(self.settings.lease);
        let limit = i64::from(self.settings.batch_size);
        let max_attempts = i32::try_from(self.settings.max_attempts).unwrap_or(i32::MAX);
        let owner = self.owner.clone();
        let rows = blocking(&self.pool, move |conn| {
            kindred_db::write_tx(conn, |conn| {
                kindred_db::outbox::claim_due(conn, &owner, now, lease, limit, max_attempts)
            })
        })
        .await?;
        let outcomes: Vec<(String, u32, Result<(), SendError>)> = futures_util::stream::iter(rows)
            .map(|row| async move {
                let attempts = u32::try_from(row.attempts).unwrap_or(u32::MAX);
                let result = match serde_json::from_str::<OutgoingEmail>(&row.message) {
                    // The row id doubles as Message-ID, so a re-send after a
                    // crash carries the same id and receivers can fold it.
                    Ok(email) if email.message_id.is_none() => {
                        self.mailer
                            .send(&email.with_message_id(row.id.clone()))
                            .await
                    }
                    Ok(email) => self.mailer.send(&email).await,
                    Err(e) => Err(SendError::Permanent(format!(
                        "stored message unreadable: {e}"
                    ))),
                };
                (row.id, attempts, result)
            })
            .buffer_unordered(self.settings.concurrency)
            .collect()
            .await;
        let mut updates = Vec::with_capacity(outcomes.len());
        for (id, attempts, result) in outcomes {
            match result {
                Ok(()) => updates.push((id, attempts, Outcome::Sent, None, None)),
                Err(err) => {
                    let give_up = err.is_permanent() || attempts >= self.settings.max_attempts;
                    let retry_at = (!give_up).then(|| {
                        engine::after(kindred_db::now(), backoff(&self.settings, attempts))
                    });
                    let outcome = if give_up {
                        Outcome::Dead
                    } else {
                        Outcome::Retried
                    };
                    updates.push((id, attempts, outcome, Some(err.to_string()), retry_at));
                }
            }
        }
        let mut report = PassReport::default();
        if updates.is_empty() {
            return Ok(report);
        }
        let owner = self.owner.clone();
        // One short transaction per row: holding several rows' locks at once
        // could deadlock with an erasure cancelling the same person's emails
        // (PostgreSQL locks the rows of a multi-row DELETE in its own order).
        let recorded = blocking(&self.pool, move |conn| {
            let mut recorded = Vec::with_capacity(updates.len());
            for (id, attempts, outcome, error, retry_at) in updates {
                let ours = kindred_db::write_tx(conn, |conn| match &error {
                    None => kindred_db::outbox::mark_sent(conn, &id, &owner),
                    Some(error) => {
                        kindred_db::outbox::mark_failed(conn, &id, &owner, error, retry_at)
                    }
                })?;
                recorded.push((id, attempts, outcome, error, ours));
            }
            Ok::<_, kindred_db::DbError>(recorded)
        })
        .await?;
        for (id, attempts, outcome, error, ours) in recorded {
            let error = error.unwrap_or_default();
            match (ours, outcome) {
                (false, _) => {
                    report.lost += 1;
                    tracing::warn!(email_id = %id, attempts, "email outcome not recorded: its lease was lost");
                }
                (true, Outcome::Sent) => report.sent += 1,
                (true, Outcome::Retried) => {
                    report.retried += 1;
                    tracing::info!(email_id = %id, attempts, %error, "email will be retried");
                }
                (true, Outcome::Dead) => {
                    report.dead += 1;
                    tracing::warn!(email_id = %id, attempts, %error, "email is dead");
                }
            }
        }
        Ok(report)
    }

    /// Deletes sent and cancelled email older than the retention now; returns
    /// how many. The running worker does this at start and then at most once
    /// per [`engine::PURGE_INTERVAL`].
    pub async fn purge_finished(&self) -> Result<usize, WorkerError> {
        let retention = self.settings.retention;
        blocking(&self.pool, move |conn| {
            engine::purge_outbox(conn, kindred_db::now(), retention)
        })
        .await
    }

    /// Delivers until `shutdown` flips to true: passes back to back while there
    /// is work, otherwise waits for a wake-up or the poll interval. Purges
    /// finished email at start and then at most hourly.
    pub async fn run(self, shutdown: watch::Receiver<bool>) {
        tracing::info!(transport = self.mailer.kind(), owner = %self.owner, "mail outbox worker started");
        let this = &self;
        engine::run_passes(
            Passes {
                name: "mail outbox worker",
                poll_interval: self.settings.poll_interval,
                wake: &self.wake,
                schedule: &self.purge,
                pass: move || async move {
                    let report = this.deliver_due().await?;
                    if !report.is_idle() {
                        tracing::debug!(?report, "outbox pass");
                    }
                    Ok(!report.is_idle())
                },
                purge: move || this.purge_finished(),
            },
            shutdown,
        )
        .await;
        tracing::info!("mail outbox worker stopped");
    }
}
