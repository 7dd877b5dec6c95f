//! Session reminders of an active circle. A planner job per session (the
//! first queued when the circle starts, each next one when the previous
//! session begins) queues one reminder per person, due `circles.reminder_before`
//! the session, moved earlier into that person's send window when it would
//! fall outside it.

use chrono::{NaiveDateTime, TimeDelta, TimeZone};
use chrono_tz::Tz;
use kindred_config::{SendWindow, Settings};
use kindred_core::{CircleState, MemberState};
use kindred_db::circles::Circle;
use kindred_db::DbConnection;
use kindred_jobs::{BackgroundJob, EnqueueOptions, JobError};
use serde::{Deserialize, Serialize};

use super::JobContext;
use crate::circles::sessions::session_start;
use crate::error::ServiceResult;

/// Plans the reminders of session `n` and the planner of session `n + 1`.
#[derive(Debug, Serialize, Deserialize)]
pub struct PlanCircleSession {
    pub circle_id: String,
    pub n: i64,
}

impl BackgroundJob for PlanCircleSession {
    const KIND: &'static str = "plan_circle_session";
    type Context = JobContext;

    fn unique_key(&self) -> Option<String> {
        Some(format!("{}:{}:{}", Self::KIND, self.circle_id, self.n))
    }

    async fn run(self, ctx: JobContext) -> Result<(), JobError> {
        ctx.tx(move |conn, settings| plan(conn, settings, &self.circle_id, self.n))
            .await
    }
}

/// Reminds one person of session `n`.
#[derive(Debug, Serialize, Deserialize)]
pub struct CircleSessionReminder {
    pub circle_id: String,
    pub n: i64,
    pub user_id: String,
}

impl BackgroundJob for CircleSessionReminder {
    const KIND: &'static str = "circle_session_reminder";
    type Context = JobContext;

    fn unique_key(&self) -> Option<String> {
        Some(format!(
            "{}:{}:{}:{}",
            Self::KIND,
            self.circle_id,
            self.n,
            self.user_id
        ))
    }

    async fn run(self, ctx: JobContext) -> Result<(), JobError> {
        ctx.tx(move |conn, settings| remind(conn, settings, &self))
            .await
    }
}

/// The latest moment at or before `target` inside the local send window
/// (at most two days earlier), else `target`.
pub fn latest_in_window(target: NaiveDateTime, tz: Tz, window: &SendWindow) -> NaiveDateTime {
    let local = tz.from_utc_datetime(&target);
    if window.contains(local.time()) {
        return target;
    }
    for days_back in 0..=2 {
        let day = local.date_naive() - TimeDelta::days(days_back);
        // One minute before the window closes (its end is exclusive).
        let end = day.and_time(window.end) - TimeDelta::minutes(1);
        let Some(candidate) = tz.from_local_datetime(&end).earliest() else {
            continue;
        };
        let utc = candidate.naive_utc();
        if utc <= target {
            return utc;
        }
    }
    target
}

/// The people a session reminder goes to: the members who joined and the facilitator.
fn people(conn: &mut DbConnection, c: &Circle) -> ServiceResult<Vec<String>> {
    let mut out: Vec<String> = kindred_db::circles::members::of_circle(conn, &c.id)?
        .into_iter()
        .filter(|m| m.state == MemberState::Joined)
        .map(|m| m.user_id)
        .collect();
    out.push(c.facilitator_id.clone());
    Ok(out)
}

fn plan(
    conn: &mut DbConnection,
    settings: &Settings,
    circle_id: &str,
    n: i64,
) -> ServiceResult<()> {
    let Some(c) = kindred_db::circles::rows::get(conn, circle_id)? else {
        return Ok(());
    };
    if c.state != CircleState::Active {
        return Ok(());
    }
    let Some(starts) = session_start(settings, &c, n) else {
        return Ok(());
    };
    for user_id in people(conn, &c)? {
        remind_later(conn, settings, &c, n, starts, &user_id)?;
    }
    super::enqueue(
        conn,
        settings,
        &PlanCircleSession {
            circle_id: c.id.clone(),
            n: n + 1,
        },
        EnqueueOptions {
            run_at: Some(starts),
            subject_user: None,
            max_attempts: None,
        },
    )
}

/// Queues one person's reminder of session `n` (starting at `starts`),
/// `circles.reminder_before` it inside their send window, unless that is
/// already too late.
fn remind_later(
    conn: &mut DbConnection,
    settings: &Settings,
    c: &Circle,
    n: i64,
    starts: NaiveDateTime,
    user_id: &str,
) -> ServiceResult<()> {
    let due = starts - settings.circles.reminder_before.as_chrono();
    let tz = crate::circles::person_zone(conn, c, user_id)?;
    let run_at = latest_in_window(due, tz, &settings.schedule.send_window).max(kindred_db::now());
    if run_at >= starts {
        return Ok(()); // too late to remind
    }
    super::enqueue(
        conn,
        settings,
        &CircleSessionReminder {
            circle_id: c.id.clone(),
            n,
            user_id: user_id.to_string(),
        },
        EnqueueOptions {
            run_at: Some(run_at),
            subject_user: Some(user_id.to_string()),
            max_attempts: None,
        },
    )
}

/// Someone joined an active circle: their reminder of the next session
/// (the planner of that session may have run before they joined; the
/// unique key keeps it to one).
pub fn remind_new_member(
    conn: &mut DbConnection,
    settings: &Settings,
    c: &Circle,
    user_id: &str,
) -> ServiceResult<()> {
    let now = kindred_db::now();
    for n in 1..=10_000 {
        let Some(starts) = session_start(settings, c, n) else {
            return Ok(());
        };
        if starts > now {
            return remind_later(conn, settings, c, n, starts, user_id);
        }
    }
    Ok(())
}

fn remind(
    conn: &mut DbConnection,
    settings: &Settings,
    job: &CircleSessionReminder,
) -> ServiceResult<()> {
    let Some(c) = kindred_db::circles::rows::get(conn, &job.circle_id)? else {
        return Ok(());
    };
    if c.state != CircleState::Active || !people(conn, &c)?.contains(&job.user_id) {
        return Ok(());
    }
    if session_start(settings, &c, job.n).is_none_or(|s| s <= kindred_db::now()) {
        return Ok(());
    }
    crate::emails::circles::session_reminder(conn, settings, &c, job.n, &job.user_id)
}

/// Queues the planner of session `n` now (the circle just started).
pub fn schedule_session_reminder(
    conn: &mut DbConnection,
    settings: &Settings,
    c: &Circle,
    n: i64,
) -> ServiceResult<()> {
    super::enqueue(
        conn,
        settings,
        &PlanCircleSession {
            circle_id: c.id.clone(),
            n,
        },
        EnqueueOptions::default(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn at(d: u32, h: u32, m: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 12, d)
            .and_then(|d| d.and_hms_opt(h, m, 0))
            .unwrap_or_default()
    }

    #[test]
    fn reminders_move_earlier_into_the_send_window() {
        let window: SendWindow = "09:00-20:00".parse().unwrap_or(SendWindow::ALL_DAY);
        let madrid: Tz = "Europe/Madrid".parse().unwrap_or(Tz::UTC);
        // 10:00 UTC is 11:00 in Madrid: inside the window, unchanged.
        assert_eq!(
            latest_in_window(at(8, 10, 0), madrid, &window),
            at(8, 10, 0)
        );
        // 03:00 UTC is 04:00 in Madrid: the day before at 19:59 local (18:59 UTC).
        assert_eq!(
            latest_in_window(at(8, 3, 0), madrid, &window),
            at(7, 18, 59)
        );
        // 21:30 UTC is 22:30 in Madrid: the same day at 19:59 local.
        assert_eq!(
            latest_in_window(at(8, 21, 30), madrid, &window),
            at(8, 18, 59)
        );
    }
}
