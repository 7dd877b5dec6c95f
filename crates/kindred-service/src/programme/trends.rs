//! Programme health over time, for the console's charts: per week of a
//! date range, requests made, matches started and ended, the median time
//! to a match and the acceptance rate; and over the range, why matches
//! ended early and the unmatched requests by kind of experience.
//!
//! **No cell describes fewer than [`MIN_CELL`] people.** A count from 1 to
//! 4 is shown as "fewer than 5"; a median or rate over fewer than 5 people
//! is not shown; early-end reasons given fewer than 5 times are pooled,
//! and the pool too is hidden when small. Zero is shown: it describes no
//! one.

use std::collections::BTreeMap;

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime};
use kindred_core::MatchState;
use kindred_db::models::{Match, Request};
use kindred_db::DbConnection;
use serde::Serialize;

use crate::caller::Caller;
use crate::error::{ServiceError, ServiceResult};

/// The smallest group a figure may describe.
pub const MIN_CELL: usize = 5;
/// The longest range, in weeks.
pub const MAX_WEEKS: i64 = 104;
/// The range when none is given, in weeks (ending this week).
pub const DEFAULT_WEEKS: i64 = 12;

/// A count that may be too small to show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Cell {
    /// `None` when it is from 1 to `MIN_CELL - 1`.
    pub value: Option<usize>,
}

impl Cell {
    pub fn of(n: usize) -> Cell {
        Cell {
            value: (n == 0 || n >= MIN_CELL).then_some(n),
        }
    }

    pub fn hidden(&self) -> bool {
        self.value.is_none()
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Week {
    /// The Monday the week starts on.
    pub start: NaiveDate,
    pub requests: Cell,
    pub started: Cell,
    pub ended: Cell,
    /// Median hours from request to an active match, over the requests
    /// matched this week; `None` when fewer than `MIN_CELL` were.
    pub median_hours_to_match: Option<f64>,
    /// Accepted ÷ answered (accepted, declined, expired) this week; `None`
    /// with fewer than `MIN_CELL` answers.
    pub acceptance_rate: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Trends {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub weeks: Vec<Week>,
    /// Why matches that started in the range ended early (within 90 days),
    /// reasons given at least `MIN_CELL` times.
    pub ended_early_reasons: Vec<(String, usize)>,
    /// The other early ends, pooled (hidden when fewer than `MIN_CELL`).
    pub ended_early_other: Cell,
    /// Requests waiting with no match now, by kind of experience.
    pub unmatched_by_category: Vec<(String, Cell)>,
}

/// The range asked for: `from` and `to` as `YYYY-MM-DD` (either may be
/// empty), widened to whole weeks (Monday to Sunday).
pub fn range(
    today: NaiveDate,
    from: Option<&str>,
    to: Option<&str>,
) -> ServiceResult<(NaiveDate, NaiveDate)> {
    let parse = |raw: Option<&str>, field: &'static str| -> ServiceResult<Option<NaiveDate>> {
        match raw.map(str::trim).filter(|s| !s.is_empty()) {
            None => Ok(None),
            Some(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .map(Some)
                .map_err(|_| ServiceError::field(field, "must be a date, YYYY-MM-DD")),
        }
    };
    let to = parse(to, "to")?.unwrap_or(today);
    let from = parse(from, "from")?.unwrap_or(to - Duration::weeks(DEFAULT_WEEKS - 1));
    if from > to {
        return Err(ServiceError::field(
            "from",
            "must not be after the end of the range",
        ));
    }
    let monday = from - Duration::days(i64::from(from.weekday().num_days_from_monday()));
    let sunday = to + Duration::days(6 - i64::from(to.weekday().num_days_from_monday()));
    if (sunday - monday).num_weeks() >= MAX_WEEKS {
        return Err(ServiceError::field(
            "from",
            "the range is at most 104 weeks",
        ));
    }
    Ok((monday, sunday))
}

fn week_of(at: NaiveDateTime, monday: NaiveDate) -> Option<usize> {
    let days = (at.date() - monday).num_days();
    (days >= 0).then_some((days / 7) as usize)
}

fn median(mut xs: Vec<f64>) -> Option<f64> {
    if xs.len() < MIN_CELL {
        return None;
    }
    xs.sort_by(f64::total_cmp);
    let mid = xs.len() / 2;
    Some(if xs.len().is_multiple_of(2) {
        (xs[mid - 1] + xs[mid]) / 2.0
    } else {
        xs[mid]
    })
}

/// Per week of `monday..=sunday`: the figures, small cells hidden.
pub fn weeks(
    requests: &[Request],
    matches: &[Match],
    monday: NaiveDate,
    sunday: NaiveDate,
) -> Vec<Week> {
    let n = ((sunday - monday).num_days() / 7 + 1) as usize;
    let mut made = vec![0usize; n];
    let mut started = vec![0usize; n];
    let mut ended = vec![0usize; n];
    let mut hours: Vec<Vec<f64>> = vec![Vec::new(); n];
    let mut accepted = vec![0usize; n];
    let mut answered = vec![0usize; n];
    let at = |t: Option<NaiveDateTime>| t.and_then(|t| week_of(t, monday)).filter(|w| *w < n);
    for r in requests {
        if let Some(w) = at(Some(r.created_at)) {
            made[w] += 1;
        }
        if let (Some(w), Some(m)) = (at(r.matched_at), r.matched_at) {
            hours[w].push((m - r.created_at).num_seconds() as f64 / 3600.0);
        }
    }
    for m in matches {
        if let Some(w) = at(m.activated_at) {
            started[w] += 1;
            accepted[w] += 1;
            answered[w] += 1;
        }
        if let Some(w) = at(m.ended_at) {
            ended[w] += 1;
        }
        if matches!(m.state, MatchState::Declined | MatchState::Expired) {
            // Final states: the row last changed when it was answered.
            if let Some(w) = at(Some(m.updated_at)) {
                answered[w] += 1;
            }
        }
    }
    (0..n)
        .map(|w| Week {
            start: monday + Duration::weeks(w as i64),
            requests: Cell::of(made[w]),
            started: Cell::of(started[w]),
            ended: Cell::of(ended[w]),
            median_hours_to_match: median(std::mem::take(&mut hours[w])),
            acceptance_rate: (answered[w] >= MIN_CELL)
                .then(|| accepted[w] as f64 / answered[w] as f64),
        })
        .collect()
}

/// Early-end reasons of matches that started in the range: the ones given
/// at least `MIN_CELL` times, and the rest pooled.
pub fn early_reasons(
    matches: &[Match],
    monday: NaiveDate,
    sunday: NaiveDate,
) -> (Vec<(String, usize)>, Cell) {
    let in_range: Vec<Match> = matches
        .iter()
        .filter(|m| {
            m.activated_at
                .is_some_and(|a| a.date() >= monday && a.date() <= sunday)
        })
        .cloned()
        .collect();
    let early = super::ended_early(&in_range);
    let mut by: BTreeMap<String, usize> = BTreeMap::new();
    for m in early {
        let reason = m.ended_reason.clone().unwrap_or_default();
        *by.entry(reason.trim().to_lowercase()).or_insert(0) += 1;
    }
    let mut shown: Vec<(String, usize)> = Vec::new();
    let mut other = 0;
    for (reason, n) in by {
        if n >= MIN_CELL && !reason.is_empty() {
            shown.push((reason, n));
        } else {
            other += n;
        }
    }
    shown.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    (shown, Cell::of(other))
}

/// Programme health over `from..to` (coordinators).
pub fn trends(
    conn: &mut DbConnection,
    caller: &Caller,
    from: Option<&str>,
    to: Option<&str>,
) -> ServiceResult<Trends> {
    caller.require_coordinator()?;
    let (monday, sunday) = range(kindred_db::now().date(), from, to)?;
    kindred_db::read_tx(conn, |conn| -> ServiceResult<Trends> {
        let requests = kindred_db::requests::all_requests(conn)?;
        let matches = kindred_db::matches::all_matches(conn)?;
        let unmatched = kindred_db::requests::unmatched_open_requests(conn)?;
        let (ended_early_reasons, ended_early_other) = early_reasons(&matches, monday, sunday);
        Ok(Trends {
            from: monday,
            to: sunday,
            weeks: weeks(&requests, &matches, monday, sunday),
            ended_early_reasons,
            ended_early_other,
            unmatched_by_category: super::unmatched_by_category(conn, &unmatched)?
                .into_iter()
                .map(|(c, n)| (c, Cell::of(n)))
                .collect(),
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default()
    }

    #[test]
    fn small_cells_are_hidden_and_zero_is_shown() {
        assert_eq!(Cell::of(0).value, Some(0));
        for n in 1..MIN_CELL {
            assert!(Cell::of(n).hidden(), "{n}");
        }
        assert_eq!(Cell::of(5).value, Some(5));
        assert_eq!(median(vec![1.0, 2.0, 3.0, 4.0]), None);
        assert_eq!(median(vec![5.0, 1.0, 3.0, 2.0, 4.0]), Some(3.0));
    }

    #[test]
    fn ranges_are_whole_weeks_and_bounded() {
        let today = d("2026-12-09"); // a Wednesday
        let (from, to) = range(today, None, None).unwrap_or((today, today));
        assert_eq!(from.weekday(), chrono::Weekday::Mon);
        assert_eq!(to, d("2026-12-13"));
        assert_eq!((to - from).num_days() + 1, 7 * DEFAULT_WEEKS);
        let (from, to) =
            range(today, Some("2026-11-04"), Some("2026-11-04")).unwrap_or((today, today));
        assert_eq!((from, to), (d("2026-11-02"), d("2026-11-08")));
        assert!(range(today, Some("2026-12-10"), Some("2026-12-01")).is_err());
        assert!(range(today, Some("nope"), None).is_err());
        assert!(
            range(today, Some("2020-01-01"), None).is_err(),
            "over 104 weeks"
        );
    }
}
