//! The job catalogue: every durable job Kindred runs, as a typed
//! [`BackgroundJob`] with a serde payload (ids only, never personal data), a
//! unique key and a handler.
//!
//! | job (`KIND`) | queued when | does |
//! |---|---|---|
//! | [`MentorReminder`] (`mentor_reminder`) | a match enters `awaiting_mentor`; runs at half `matching.response_timeout` | reminds the mentor if the match still waits |
//! | [`ExpireMatch`] (`expire_match`) | the same; runs at the full timeout | `awaiting_mentor → expired` (actor `system`) |
//! | [`CheckinReminder`] (`checkin_reminder`) | a match becomes active, then after each period | reminds one person who has not checked in (in their local send window), alerts coordinators once if the match went quiet, queues the next period |
//! | [`CoordinatorDigest`] (`coordinator_digest`) | the scheduler tick, once per `schedule.digest_interval` | the coordinators' digest |
//! | [`ImportParticipants`] (`import_participants`) | a coordinator uploads a CSV file (`POST /admin/imports`) | applies its rows in chunks, resuming after the last committed chunk on a retry |
//! | [`ExpireCircleInvitation`] (`expire_circle_invitation`) | a circle member is invited; runs after `circles.invite_timeout` | expires the invitation if still unanswered and offers the place to the next compatible open request |
//! | [`PlanCircleSession`] (`plan_circle_session`) | a circle starts (session 1), then as each session begins (the next) | queues each person's reminder of that session |
//! | [`CircleSessionReminder`] (`circle_session_reminder`) | by the planner, `circles.reminder_before` the session, inside the person's send window | reminds one person with the meeting details |
//! | [`AlertSummary`] (`alert_summary`) | a report or support alert is held because one of its kind went out within `safety.alert_batch_window`; runs at the window's end | one summary email per coordinator with the count of held alerts |
//!
//! Jobs are enqueued in the same transaction as the change that causes them,
//! with unique keys so each event has exactly one job. Handlers run on the
//! job worker with no transaction open; each opens its own short
//! transaction, re-checks the match (it may have moved on), and writes the
//! emails it causes into the outbox, which delivers them separately.

mod alert_summary;
mod checkin_reminder;
mod circle_invitation;
mod circle_sessions;
mod coordinator_digest;
mod import_participants;
mod mentor_response;

use std::sync::Arc;

use kindred_config::Settings;
use kindred_db::models::Match;
use kindred_db::{DbConnection, Pool};
use kindred_jobs::{BackgroundJob, EnqueueOptions, JobError, Registry};

use crate::error::{ServiceError, ServiceResult};

pub use alert_summary::{hold_alert, AlertSummary};
pub use checkin_reminder::{next_in_window, CheckinReminder};
pub use circle_invitation::{schedule_invitation_expiry, ExpireCircleInvitation};
pub use circle_sessions::{
    latest_in_window, remind_new_member, schedule_session_reminder, CircleSessionReminder,
    PlanCircleSession,
};
pub use coordinator_digest::{enqueue_digest, CoordinatorDigest};
pub use import_participants::{enqueue_import, ImportParticipants};
pub use mentor_response::{ExpireMatch, MentorReminder};

/// Transient failures are retried; a rule that said no (the match moved
/// on, a capacity conflict, …) cannot change by retrying.
pub fn to_job_error(e: ServiceError) -> JobError {
    match e {
        ServiceError::Internal(cause) | ServiceError::Unavailable(cause) => JobError::retry(cause),
        other => JobError::permanent(other.to_string()),
    }
}

/// What every handler gets.
#[derive(Clone)]
pub struct JobContext {
    pub pool: Pool,
    pub settings: Arc<Settings>,
    pub outbox_wake: Arc<tokio::sync::Notify>,
}

impl JobContext {
    /// Runs `f` in one write transaction on a blocking thread, then wakes
    /// the mail loop for the emails it queued.
    async fn tx<F>(&self, f: F) -> Result<(), JobError>
    where
        F: FnOnce(&mut DbConnection, &Settings) -> ServiceResult<()> + Send + 'static,
    {
        let pool = self.pool.clone();
        let settings = Arc::clone(&self.settings);
        tokio::task::spawn_blocking(move || {
            let mut conn = pool.get().map_err(|e| JobError::retry(e.to_string()))?;
            kindred_db::write_tx(&mut conn, |conn| f(conn, &settings)).map_err(to_job_error)
        })
        .await
        .map_err(|e| JobError::retry(format!("handler task: {e}")))??;
        self.outbox_wake.notify_one();
        Ok(())
    }
}

/// Every job kind with its handler.
pub fn registry(ctx: JobContext) -> Registry {
    let mut registry = Registry::new();
    registry
        .register_job::<MentorReminder>(ctx.clone())
        .register_job::<ExpireMatch>(ctx.clone())
        .register_job::<CheckinReminder>(ctx.clone())
        .register_job::<CoordinatorDigest>(ctx.clone())
        .register_job::<ImportParticipants>(ctx.clone())
        .register_job::<ExpireCircleInvitation>(ctx.clone())
        .register_job::<PlanCircleSession>(ctx.clone())
        .register_job::<CircleSessionReminder>(ctx.clone())
        .register_job::<AlertSummary>(ctx);
    registry
}

/// Enqueues `job` in the caller's transaction (a second job with the same
/// unique key is a no-op).
fn enqueue<J: BackgroundJob>(
    conn: &mut DbConnection,
    settings: &Settings,
    job: &J,
    options: EnqueueOptions,
) -> ServiceResult<()> {
    let options = EnqueueOptions {
        max_attempts: Some(i32::try_from(settings.jobs.max_attempts).unwrap_or(i32::MAX)),
        ..options
    };
    kindred_jobs::enqueue(conn, job, options)?;
    Ok(())
}

/// A match now waits for its mentor: a reminder at half the response time,
/// expiry at the full response time.
pub fn on_awaiting_mentor(
    conn: &mut DbConnection,
    settings: &Settings,
    m: &Match,
) -> ServiceResult<()> {
    mentor_response::schedule(conn, settings, m)
}

/// A match became active: the first check-in reminder for each person.
pub fn on_active(conn: &mut DbConnection, settings: &Settings, m: &Match) -> ServiceResult<()> {
    for user_id in [&m.mentor_id, &m.mentee_id] {
        checkin_reminder::schedule(conn, settings, m, user_id, 1)?;
    }
    Ok(())
}
