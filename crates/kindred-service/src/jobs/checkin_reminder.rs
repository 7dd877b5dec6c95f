//! Check-in reminders: one per person per period of an active match, in
//! their local sending window, skipped when they checked in; coordinators
//! hear once when a match has gone quiet.

use chrono::{NaiveDateTime, TimeDelta, TimeZone};
use chrono_tz::Tz;
use kindred_config::{SendWindow, Settings};
use kindred_db::models::Match;
use kindred_db::DbConnection;
use kindred_jobs::{BackgroundJob, EnqueueOptions, JobError};
use serde::{Deserialize, Serialize};

use super::JobContext;
use crate::error::ServiceResult;

/// Period `period` of an active match ended for `user_id`.
#[derive(Debug, Serialize, Deserialize)]
pub struct CheckinReminder {
    pub match_id: String,
    pub user_id: String,
    pub period: u32,
}

impl BackgroundJob for CheckinReminder {
    const KIND: &'static str = "checkin_reminder";
    type Context = JobContext;

    fn unique_key(&self) -> Option<String> {
        Some(format!(
            "{}:{}:{}:{}",
            Self::KIND,
            self.match_id,
            self.user_id,
            self.period
        ))
    }

    async fn run(self, ctx: JobContext) -> Result<(), JobError> {
        ctx.tx(move |conn, settings| {
            checkin_due(conn, settings, &self.match_id, &self.user_id, self.period)
        })
        .await
    }
}

/// When period `n` of a match's check-ins ends.
fn period_end(settings: &Settings, m: &Match, n: u32) -> NaiveDateTime {
    let start = m.activated_at.unwrap_or(m.updated_at);
    start + settings.schedule.checkin_interval.as_chrono() * i32::try_from(n).unwrap_or(i32::MAX)
}

/// Queues the reminder for period `n` of `m` for `user_id`.
pub(super) fn schedule(
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
    let job = CheckinReminder {
        match_id: m.id.clone(),
        user_id: user_id.to_string(),
        period: n,
    };
    let options = EnqueueOptions {
        run_at: Some(at),
        subject_user: Some(user_id.to_string()),
        max_attempts: None,
    };
    super::enqueue(conn, settings, &job, options)
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
    schedule(conn, settings, &m, user_id, next)
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
