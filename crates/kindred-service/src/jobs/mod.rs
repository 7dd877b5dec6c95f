//! The scheduler: timed follow-ups of lifecycle events as durable jobs.
//!
//! Jobs are enqueued in the same transaction as the change that causes them,
//! with unique keys so each event has exactly one job (one reminder per match,
//! one check-in reminder per person per period). Handlers run on the job
//! worker with no transaction open; each opens its own short transaction,
//! re-checks the match (it may have moved on), and writes the emails it
//! causes into the outbox, which delivers them separately.

use std::sync::Arc;

use chrono::{NaiveDateTime, TimeDelta, TimeZone};
use chrono_tz::Tz;
use kindred_config::{SendWindow, Settings};
use kindred_core::MatchAction;
use kindred_db::models::Match;
use kindred_db::{DbConnection, Pool};
use kindred_jobs::{JobError, JobSpec, Registry};
use serde_json::json;

use crate::error::{ServiceError, ServiceResult};

pub const MENTOR_REMINDER: &str = "mentor_reminder";
pub const EXPIRE_MATCH: &str = "expire_match";
pub const CHECKIN_REMINDER: &str = "checkin_reminder";
pub const COORDINATOR_DIGEST: &str = "coordinator_digest";

fn enqueue(conn: &mut DbConnection, settings: &Settings, spec: JobSpec) -> ServiceResult<()> {
    let max = i32::try_from(settings.jobs.max_attempts).unwrap_or(i32::MAX);
    kindred_jobs::enqueue_in(conn, &spec, max)?;
    Ok(())
}

/// A match now waits for its mentor: a reminder at half the response time,
/// expiry at the full response time.
pub fn on_awaiting_mentor(
    conn: &mut DbConnection,
    settings: &Settings,
    m: &Match,
) -> ServiceResult<()> {
    let since = m.awaiting_since.unwrap_or_else(kindred_db::now);
    let timeout = settings.matching.response_timeout.as_chrono();
    let payload = json!({"match_id": m.id});
    enqueue(
        conn,
        settings,
        JobSpec::new(MENTOR_REMINDER, payload.clone())
            .unique_key(format!("{MENTOR_REMINDER}:{}", m.id))
            .run_at(since + timeout / 2)
            .subject_user(&m.mentor_id),
    )?;
    enqueue(
        conn,
        settings,
        JobSpec::new(EXPIRE_MATCH, payload)
            .unique_key(format!("{EXPIRE_MATCH}:{}", m.id))
            .run_at(since + timeout)
            .subject_user(&m.mentor_id),
    )
}

/// A match became active: the first check-in reminder for each person.
pub fn on_active(conn: &mut DbConnection, settings: &Settings, m: &Match) -> ServiceResult<()> {
    for user_id in [&m.mentor_id, &m.mentee_id] {
        schedule_checkin(conn, settings, m, user_id, 1)?;
    }
    Ok(())
}

/// When period `n` of a match's check-ins ends.
fn period_end(settings: &Settings, m: &Match, n: u32) -> NaiveDateTime {
    let start = m.activated_at.unwrap_or(m.updated_at);
    start + settings.schedule.checkin_interval.as_chrono() * i32::try_from(n).unwrap_or(i32::MAX)
}

fn schedule_checkin(
    conn: &mut DbConnection,
    settings: &Settings,
    m: &Match,
    user_id: &str,
    n: u32,
) -> ServiceResult<()> {
    let kind = if user_id == m.mentor_id {
        "mentor"
    } else {
        "mentee"
    };
    let tz = user_timezone(conn, user_id, kind)?;
    let at = next_in_window(
        period_end(settings, m, n),
        tz,
        &settings.schedule.send_window,
    );
    enqueue(
        conn,
        settings,
        JobSpec::new(
            CHECKIN_REMINDER,
            json!({"match_id": m.id, "user_id": user_id, "period": n}),
        )
        .unique_key(format!("{CHECKIN_REMINDER}:{}:{user_id}:{n}", m.id))
        .run_at(at)
        .subject_user(user_id),
    )
}

/// The person's time zone from the profile they use in this match (then
/// their other profile; UTC if they have none).
fn user_timezone(conn: &mut DbConnection, user_id: &str, kind: &str) -> ServiceResult<Tz> {
    let other = if kind == "mentor" { "mentee" } else { "mentor" };
    for kind in [kind, other] {
        if let Some(p) = kindred_db::profiles::get(conn, user_id, kind)? {
            if let Ok(tz) = p.profile.timezone.parse::<Tz>() {
                return Ok(tz);
            }
        }
    }
    Ok(Tz::UTC)
}

/// The first instant at or after `at` (UTC) that falls inside the local
/// sending window in `tz`, so nobody gets a reminder at 3 a.m.
pub fn next_in_window(at: NaiveDateTime, tz: Tz, window: &SendWindow) -> NaiveDateTime {
    let local = tz.from_utc_datetime(&at);
    if window.contains(local.time()) {
        return at;
    }
    for days_ahead in 0..=2 {
        let day = local.date_naive() + TimeDelta::days(days_ahead);
        let Some(candidate) = tz
            .from_local_datetime(&day.and_time(window.start))
            .earliest()
        else {
            continue; // the start time does not exist that day (DST gap)
        };
        let utc = candidate.naive_utc();
        if utc >= at {
            return utc;
        }
    }
    at
}

/// Enqueues this period's coordinator digest (one per `digest_interval`,
/// whoever's tick gets there first).
pub fn enqueue_digest(conn: &mut DbConnection, settings: &Settings) -> ServiceResult<()> {
    let interval = settings.schedule.digest_interval.as_secs().max(1);
    let now = kindred_db::now();
    let period = u64::try_from(now.and_utc().timestamp()).unwrap_or(0) / interval;
    enqueue(
        conn,
        settings,
        JobSpec::new(COORDINATOR_DIGEST, json!({"period": period}))
            .unique_key(format!("{COORDINATOR_DIGEST}:{interval}:{period}")),
    )
}

// ------------------------------------------------------------------ handlers

fn payload_str(job: &kindred_db::jobs::JobRow, key: &str) -> Result<String, JobError> {
    job.payload_json()?
        .get(key)
        .and_then(|v| v.as_str())
        .map(str::to_string)
        .ok_or_else(|| JobError::permanent(format!("job payload lacks {key}")))
}

/// Transient failures are retried; a rule that said no (the match moved
/// on, a capacity conflict, …) cannot change by retrying.
pub fn to_job_error(e: ServiceError) -> JobError {
    match e {
        ServiceError::Internal(m) | ServiceError::Unavailable(m) => JobError::retry(m),
        other => JobError::permanent(other.to_string()),
    }
}

/// What every handler gets.
#[derive(Clone)]
pub struct SchedulerContext {
    pub pool: Pool,
    pub settings: Arc<Settings>,
    pub outbox_wake: Arc<tokio::sync::Notify>,
}

impl SchedulerContext {
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

/// The scheduler's job kinds and their handlers.
pub fn registry(ctx: SchedulerContext) -> Registry {
    let mut registry = Registry::new();
    let c = ctx.clone();
    registry.register(MENTOR_REMINDER, move |job| {
        let c = c.clone();
        async move {
            let match_id = payload_str(&job, "match_id")?;
            c.tx(move |conn, settings| crate::emails::mentor_reminder(conn, settings, &match_id))
                .await
        }
    });
    let c = ctx.clone();
    registry.register(EXPIRE_MATCH, move |job| {
        let c = c.clone();
        async move {
            let match_id = payload_str(&job, "match_id")?;
            c.tx(move |conn, settings| {
                let Some(m) = kindred_db::matches::get_match(conn, &match_id)? else {
                    return Ok(());
                };
                if m.state != kindred_core::MatchState::AwaitingMentor {
                    return Ok(()); // answered in time
                }
                let reason = "the mentor did not answer in time";
                crate::matches::transitions::apply(
                    conn,
                    settings,
                    &m.id,
                    MatchAction::Expire,
                    &crate::matches::transitions::Actor::SYSTEM,
                    Some(reason),
                )?;
                Ok(())
            })
            .await
        }
    });
    let c = ctx.clone();
    registry.register(CHECKIN_REMINDER, move |job| {
        let c = c.clone();
        async move {
            let match_id = payload_str(&job, "match_id")?;
            let user_id = payload_str(&job, "user_id")?;
            let period = job
                .payload_json()?
                .get("period")
                .and_then(|v| v.as_u64())
                .and_then(|n| u32::try_from(n).ok())
                .ok_or_else(|| JobError::permanent("job payload lacks period"))?;
            c.tx(move |conn, settings| checkin_due(conn, settings, &match_id, &user_id, period))
                .await
        }
    });
    let c = ctx;
    registry.register(COORDINATOR_DIGEST, move |job| {
        let c = c.clone();
        async move {
            let period = job
                .payload_json()?
                .get("period")
                .and_then(|v| v.as_u64())
                .ok_or_else(|| JobError::permanent("job payload lacks period"))?;
            c.tx(move |conn, settings| crate::emails::coordinator_digest(conn, settings, period))
                .await
        }
    });
    registry
}

/// Period `period` of an active match ended for `user_id`: remind them unless
/// they checked in during it, tell coordinators once if the match has gone
/// quiet, and schedule the next period.
fn checkin_due(
    conn: &mut DbConnection,
    settings: &Settings,
    match_id: &str,
    user_id: &str,
    period: u32,
) -> ServiceResult<()> {
    let Some(m) = kindred_db::matches::get_match(conn, match_id)? else {
        return Ok(());
    };
    if m.state != kindred_core::MatchState::Active {
        return Ok(()); // ended: reminders stop
    }
    let interval = settings.schedule.checkin_interval.as_chrono();
    let period_start = period_end(settings, &m, period) - interval;
    let check_ins = kindred_db::safety::check_ins_for_match(conn, &m.id)?;
    let mine = check_ins
        .iter()
        .any(|c| c.author_id == user_id && c.created_at >= period_start);
    if !mine {
        crate::emails::checkin_reminder(conn, settings, &m, user_id, period)?;
    }
    // Quiet for `stalled_after_missed` whole periods: nobody checked in.
    let missed = settings.schedule.stalled_after_missed.max(1);
    if period >= missed {
        let quiet_since =
            period_end(settings, &m, period) - interval * i32::try_from(missed).unwrap_or(2);
        if !check_ins.iter().any(|c| c.created_at >= quiet_since) {
            crate::emails::match_stalled(conn, settings, &m, missed)?;
        }
    }
    // After downtime, skip periods that are already over instead of
    // sending a burst of overdue reminders.
    let now = kindred_db::now();
    let mut next = period + 1;
    while period_end(settings, &m, next) <= now {
        next += 1;
    }
    schedule_checkin(conn, settings, &m, user_id, next)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d)
            .unwrap()
            .and_hms_opt(h, min, 0)
            .unwrap()
    }

    #[test]
    fn reminders_wait_for_the_local_sending_window() {
        let window: SendWindow = "09:00-20:00".parse().unwrap();
        let madrid: Tz = "Europe/Madrid".parse().unwrap();
        // 12:00 UTC is 13:00 in Madrid (winter): inside, unchanged.
        assert_eq!(
            next_in_window(at(2026, 1, 5, 12, 0), madrid, &window),
            at(2026, 1, 5, 12, 0)
        );
        // 21:30 UTC is 22:30 in Madrid: next morning 09:00 local = 08:00 UTC.
        assert_eq!(
            next_in_window(at(2026, 1, 5, 21, 30), madrid, &window),
            at(2026, 1, 6, 8, 0)
        );
        // 05:00 UTC is 06:00 local: 09:00 local the same day.
        assert_eq!(
            next_in_window(at(2026, 1, 5, 5, 0), madrid, &window),
            at(2026, 1, 5, 8, 0)
        );
        // Summer time: 09:00 local is 07:00 UTC.
        assert_eq!(
            next_in_window(at(2026, 7, 6, 4, 0), madrid, &window),
            at(2026, 7, 6, 7, 0)
        );
        let auckland: Tz = "Pacific/Auckland".parse().unwrap();
        // 10:00 UTC is 23:00 in Auckland (summer, +13): next local morning.
        assert_eq!(
            next_in_window(at(2026, 1, 5, 10, 0), auckland, &window),
            at(2026, 1, 5, 20, 0)
        );
        let all_day: SendWindow = "00:00-24:00".parse().unwrap();
        assert_eq!(
            next_in_window(at(2026, 1, 5, 3, 0), madrid, &all_day),
            at(2026, 1, 5, 3, 0)
        );
    }
}
