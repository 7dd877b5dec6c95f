//! Time zones: local weekly windows → UTC slots of the reference week, each
//! zone's reference-week offset, and the time-zone points between offsets.

use std::collections::HashMap;

use chrono::{Duration, LocalResult, NaiveDate, NaiveTime, TimeZone};
use chrono_tz::Tz;

use super::WEEK_MIN;
use crate::model::Window;
use crate::MatchError;

pub(super) fn gcd(a: u32, b: u32) -> u32 {
    if b == 0 {
        a
    } else {
        gcd(b, a % b)
    }
}

/// Converts local weekly windows to sorted, merged UTC minute intervals in
/// `[0, WEEK_MIN)` for the reference week, DST-correct. Nonexistent local
/// times (spring-forward gap) move forward to the first valid instant;
/// ambiguous ones (fall-back) take the earlier instant.
/// Memo of local (zone, day, minute) → UTC minute since the reference Monday.
pub(super) type TzMemo = HashMap<(Tz, u8, u16), i64>;

pub(super) fn windows_to_utc(
    tz: Tz,
    windows: &[Window],
    monday: NaiveDate,
    who: &str,
    memo: &mut TzMemo,
) -> Result<Vec<(u32, u32)>, MatchError> {
    let week_start = monday.and_time(NaiveTime::MIN).and_utc();
    let mut out: Vec<(u32, u32)> = Vec::new();
    for w in windows {
        if w.start_min >= w.end_min || w.end_min > 1440 {
            return Err(MatchError::InvalidWindow(who.to_owned()));
        }
        let day = monday + Duration::days(i64::from(w.day.index()));
        let to_utc_uncached = |minute: u16| -> i64 {
            let local = day.and_time(NaiveTime::MIN) + Duration::minutes(i64::from(minute));
            // In a DST gap: advance to the first valid local minute (gaps are ≤ 3 h).
            for step in 0..=180 {
                let probe = local + Duration::minutes(step);
                match tz.from_local_datetime(&probe) {
                    LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => {
                        return (t.naive_utc().and_utc() - week_start).num_minutes();
                    }
                    LocalResult::None => {}
                }
            }
            (local.and_utc() - week_start).num_minutes()
        };
        let mut to_utc = |minute: u16| -> i64 {
            *memo
                .entry((tz, w.day.index() as u8, minute))
                .or_insert_with(|| to_utc_uncached(minute))
        };
        let s = to_utc(w.start_min);
        let e = to_utc(w.end_min);
        if e <= s {
            continue;
        }
        let wk = i64::from(WEEK_MIN);
        let mut a = s.rem_euclid(wk);
        let mut len = e - s;
        while len > 0 {
            let take = len.min(wk - a);
            out.push((a as u32, (a + take) as u32));
            len -= take;
            a = 0;
        }
    }
    out.sort_unstable();
    let mut merged: Vec<(u32, u32)> = Vec::with_capacity(out.len());
    for (a, b) in out {
        if let Some(last) = merged.last_mut() {
            if a <= last.1 {
                last.1 = last.1.max(b);
                continue;
            }
        }
        merged.push((a, b));
    }
    Ok(merged)
}

pub(super) fn utc_offset_minutes(tz: Tz, monday: NaiveDate) -> i32 {
    let noon = monday.and_time(NaiveTime::MIN).and_utc() + Duration::hours(12);
    let local = noon.with_timezone(&tz).naive_local();
    i32::try_from((local - noon.naive_utc()).num_minutes()).unwrap_or(0)
}

/// Time-zone points between offset classes: `tz_points[a * n_tz + b]`,
/// linear in the (circular) offset difference, full points at 0 h, none at 12 h.
pub(super) fn tz_points(offsets: &[i32], timezone_points: u32) -> Vec<u32> {
    let n_tz = offsets.len();
    let mut tz_points = vec![0u32; n_tz * n_tz];
    for a in 0..n_tz {
        for b in 0..n_tz {
            let d = (offsets[a] - offsets[b]).unsigned_abs() % 1440;
            let d = d.min(1440 - d);
            tz_points[a * n_tz + b] = timezone_points * (720 - d) / 720;
        }
    }
    tz_points
}
