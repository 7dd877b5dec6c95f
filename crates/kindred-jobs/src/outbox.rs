//! Delivers queued email rows.
//!
//! Each pass claims a batch of due rows (a short write transaction), sends
//! them with no transaction open, then records each outcome. Transient
//! failures retry with capped exponential backoff and jitter; permanent ones
//! and those past `max_attempts` become `dead`. A worker that dies mid-send
//! leaves rows in `sending`; their lease runs out and any worker claims them
//! again, so delivery is at-least-once with at most the in-flight batch doubled.

use std::sync::Arc;
use std::time::Duration;

use futures_util::StreamExt;
use kindred_db::Pool;
use kindred_mail::{Mailer, OutgoingEmail, SendError};
use tokio::sync::{watch, Notify};

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
}

#[derive(Clone)]
pub struct OutboxWorker {
    pool: Pool,
    mailer: Mailer,
    settings: OutboxSettings,
    wake: Arc<Notify>,
}

impl OutboxWorker {
    pub fn new(pool: Pool, mailer: Mailer, settings: OutboxSettings, wake: Arc<Notify>) -> Self {
        Self {
            pool,
            mailer,
            settings,
            wake,
        }
    }

    /// Claims and delivers one batch of due email. Returns what happened.
    pub async fn deliver_due(&self) -> Result<PassReport, WorkerError> {
        let now = kindred_db::now();
        let lease_until = now
            + chrono::TimeDelta::from_std(self.settings.lease)
                .unwrap_or(chrono::TimeDelta::minutes(5));
        let limit = i64::from(self.settings.batch_size);
        let rows = crate::queue::blocking(&self.pool, move |conn| {
            kindred_db::write_tx(conn, |conn| {
                kindred_db::outbox::claim_due(conn, now, lease_until, limit)
            })
        })
        .await?;
        let mut report = PassReport::default();
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
                Ok(()) => {
                    report.sent += 1;
                    updates.push((id, None, None));
                }
                Err(err) => {
                    let give_up = err.is_permanent() || attempts >= self.settings.max_attempts;
                    let retry_at = (!give_up).then(|| {
                        kindred_db::now()
                            + chrono::TimeDelta::from_std(backoff(&self.settings, attempts))
                                .unwrap_or(chrono::TimeDelta::hours(1))
                    });
                    if give_up {
                        report.dead += 1;
                        tracing::warn!(email_id = %id, attempts, error = %err, "email is dead");
                    } else {
                        report.retried += 1;
                        tracing::info!(email_id = %id, attempts, error = %err, "email will be retried");
                    }
                    updates.push((id, Some(err.to_string()), Some(retry_at)));
                }
            }
        }
        if !updates.is_empty() {
            crate::queue::blocking(&self.pool, move |conn| {
                kindred_db::write_tx(conn, |conn| {
                    for (id, error, retry) in &updates {
                        match (error, retry) {
                            (None, _) => kindred_db::outbox::mark_sent(conn, id)?,
                            (Some(error), Some(retry_at)) => {
                                kindred_db::outbox::mark_failed(conn, id, error, *retry_at)?
                            }
                            (Some(error), None) => {
                                kindred_db::outbox::mark_failed(conn, id, error, None)?
                            }
                        }
                    }
                    Ok(())
                })
            })
            .await?;
        }
        Ok(report)
    }

    /// Delivers until `shutdown` flips to true: passes back to back while there
    /// is work, otherwise waits for a wake-up or the poll interval.
    pub async fn run(self, mut shutdown: watch::Receiver<bool>) {
        tracing::info!(transport = self.mailer.kind(), "mail outbox worker started");
        loop {
            if *shutdown.borrow() {
                break;
            }
            let busy = match self.deliver_due().await {
                Ok(report) => {
                    if report != PassReport::default() {
                        tracing::debug!(?report, "outbox pass");
                    }
                    report.sent + report.retried + report.dead > 0
                }
                Err(e) => {
                    tracing::error!(error = %e, "outbox pass failed");
                    false
                }
            };
            if busy {
                continue;
            }
            tokio::select! {
                _ = self.wake.notified() => {}
                _ = tokio::time::sleep(self.settings.poll_interval) => {}
                _ = shutdown.changed() => {}
            }
        }
        tracing::info!("mail outbox worker stopped");
    }
}
