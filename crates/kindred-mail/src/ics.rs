//! Calendar pieces for the check-in scheduler: a recurring check-in as an
//! iCalendar (RFC 5545) attachment, a circle's recurring sessions (which name
//! nobody: [`circle_event`]), and the first time two people in different time
//! zones are both available.
//!
//! Time zones: the event's `DTSTART` carries `TZID=<IANA name>` and the
//! calendar includes a generated `VTIMEZONE` for that name (RFC 5545 requires
//! one per TZID, and Outlook needs it), built from the chrono-tz database:
//! yearly `RRULE`s (e.g. `BYMONTH=3;BYDAY=-1SU`) when the zone's transitions
//! follow one, otherwise its explicit transitions for the surrounding years.
//! Clients that know the IANA name (Google, Apple, Thunderbird) use it directly.
//!
//! iTIP method: `METHOD:PUBLISH`, which RFC 5546 §3.2.1 defines without
//! attendees ("Attendees MUST NOT be present") and with an organizer: the
//! people taking part are named in the description instead of `ATTENDEE`
//! lines, so calendars add the event without sending RSVPs to our address.

use chrono::{
    DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, Offset, TimeZone, Timelike, Utc,
    Weekday,
};
use chrono_tz::Tz;

/// Product identifier written as `PRODID`.
pub const PRODID: &str = "-//Kindred//Kindred mentorship//EN";

/// A recurring check-in to put in both people's calendars.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventSpec<'a> {
    /// Stable and globally unique, e.g. `checkin-<match id>@kindred.example`:
    /// sending it again updates the same event instead of adding a second.
    pub uid: &'a str,
    pub summary: &'a str,
    pub description: &'a str,
    /// First occurrence, wall-clock time in `tzid`.
    pub start_local: NaiveDateTime,
    pub duration_minutes: u32,
    /// IANA name, e.g. `Europe/Madrid`. An unknown name falls back to UTC.
    pub tzid: &'a str,
    /// Repeat every N days (0 = a single event). Multiples of 7 become `FREQ=WEEKLY`.
    pub interval_days: u32,
    pub organizer_email: Option<&'a str>,
    /// `(name, email)` of the people taking part; named in the description.
    pub attendees: Vec<(&'a str, &'a str)>,
    /// The word before the people in the description ("With", "Con").
    pub with_label: &'a str,
}

/// The check-in as a complete `VCALENDAR` (CRLF line endings, lines folded at 75 octets).
pub fn checkin_event(spec: &EventSpec<'_>) -> String {
    checkin_event_at(spec, Utc::now())
}

/// [`checkin_event`] with an explicit `DTSTAMP` (for reproducible output).
pub fn checkin_event_at(spec: &EventSpec<'_>, dtstamp: DateTime<Utc>) -> String {
    let tz: Tz = spec.tzid.parse().unwrap_or(Tz::UTC);
    let tzid = tz.name();
    let mut lines: Vec<String> = vec![
        "BEGIN:VCALENDAR".into(),
        "VERSION:2.0".into(),
        format!("PRODID:{PRODID}"),
        "CALSCALE:GREGORIAN".into(),
        "METHOD:PUBLISH".into(),
    ];
    lines.extend(vtimezone(tz, spec.start_local.year()));
    lines.push("BEGIN:VEVENT".into());
    lines.push(format!("UID:{}", escape_text(spec.uid)));
    lines.push(format!("DTSTAMP:{}", dtstamp.format("%Y%m%dT%H%M%SZ")));
    lines.push(format!(
        "DTSTART;TZID={tzid}:{}",
        spec.start_local.format("%Y%m%dT%H%M%S")
    ));
    lines.push(format!("DURATION:{}", ics_duration(spec.duration_minutes)));
    if let Some(rule) = rrule(spec.interval_days) {
        lines.push(rule);
    }
    lines.push(format!("SUMMARY:{}", escape_text(spec.summary)));
    let mut description = spec.description.trim_end().to_string();
    if !spec.attendees.is_empty() {
        let people: Vec<String> = spec
            .attendees
            .iter()
            .map(|(name, email)| format!("{} <{}>", one_line(name), one_line(email)))
            .collect();
        if !description.is_empty() {
            description.push_str("\n\n");
        }
        description.push_str(&one_line(spec.with_label));
        description.push_str(": ");
        description.push_str(&people.join(", "));
    }
    if !description.is_empty() {
        lines.push(format!("DESCRIPTION:{}", escape_text(&description)));
    }
    if let Some(email) = spec.organizer_email {
        lines.push(format!(
            "ORGANIZER;CN=Kindred:mailto:{}",
            one_line(email).replace([';', ':', ','], "")
        ));
    }
    lines.push("STATUS:CONFIRMED".into());
    lines.push("TRANSP:OPAQUE".into());
    lines.push("END:VEVENT".into());
    lines.push("END:VCALENDAR".into());

    let mut out = String::new();
    for line in lines {
        out.push_str(&fold_line(&line));
    }
    out
}

/// A circle's sessions in one reader's calendar. Unlike a check-in it
/// names nobody: members never see each other's email addresses, so the
/// event has no attendees and no organizer, and its description is the
/// reader's words and the facilitator's meeting details.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CircleEvent<'a> {
    /// The circle's id: the event's `UID` is `circle-<id>@kindred`, the same
    /// for every reader, so sending it again updates the event.
    pub circle_id: &'a str,
    pub summary: &'a str,
    /// The reader's words (the `ics-circle-description` message).
    pub description: &'a str,
    /// The facilitator's free text, after the description.
    pub meeting_details: &'a str,
    /// The first session, wall-clock time in `tzid` (the reader's zone).
    pub start_local: NaiveDateTime,
    pub duration_minutes: u32,
    /// The reader's IANA zone, e.g. `Europe/Madrid`; unknown names fall back to UTC.
    pub tzid: &'a str,
    /// Days between sessions (the circle's cadence; 7 = weekly).
    pub interval_days: u32,
}

/// The `UID` of a circle's calendar event.
pub fn circle_uid(circle_id: &str) -> String {
    format!("circle-{}@kindred", one_line(circle_id))
}

/// A circle's sessions as a complete `VCALENDAR` (see [`checkin_event`]).
pub fn circle_event(event: &CircleEvent<'_>) -> String {
    circle_event_at(event, Utc::now())
}

/// [`circle_event`] with an explicit `DTSTAMP` (for reproducible output).
pub fn circle_event_at(event: &CircleEvent<'_>, dtstamp: DateTime<Utc>) -> String {
    let uid = circle_uid(event.circle_id);
    let details = event.meeting_details.trim();
    let description = match (event.description.trim(), details) {
        (d, "") => d.to_string(),
        ("", m) => m.to_string(),
        (d, m) => format!("{d}\n\n{m}"),
    };
    checkin_event_at(
        &EventSpec {
            uid: &uid,
            summary: event.summary,
            description: &description,
            start_local: event.start_local,
            duration_minutes: event.duration_minutes,
            tzid: event.tzid,
            interval_days: event.interval_days,
            organizer_email: None,
            attendees: Vec::new(),
            with_label: "",
        },
        dtstamp,
    )
}

fn rrule(interval_days: u32) -> Option<String> {
    match interval_days {
        0 => None,
        d if d % 7 == 0 => Some(format!("RRULE:FREQ=WEEKLY;INTERVAL={}", d / 7)),
        d => Some(format!("RRULE:FREQ=DAILY;INTERVAL={d}")),
    }
}

/// `PT45M`, `PT1H30M`, `P1DT2H` …
fn ics_duration(minutes: u32) -> String {
    let (days, rest) = (minutes / 1440, minutes % 1440);
    let (hours, mins) = (rest / 60, rest % 60);
    let mut s = String::from("P");
    if days > 0 {
        s.push_str(&format!("{days}D"));
    }
    if hours > 0 || mins > 0 || days == 0 {
        s.push('T');
        if hours > 0 {
            s.push_str(&format!("{hours}H"));
        }
        if mins > 0 || (hours == 0) {
            s.push_str(&format!("{mins}M"));
        }
    }
    s
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Escapes a TEXT value (RFC 5545 §3.3.11): `\` `;` `,` and newlines; other
/// control characters are dropped.
pub fn escape_text(s: &str) -> String {
    let normalized = s.replace("\r\n", "\n").replace('\r', "\n");
    let mut out = String::with_capacity(normalized.len() + 8);
    for c in normalized.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Folds a content line into chunks of at most 75 octets (never splitting a
/// UTF-8 character), continuation lines starting with a space, each ended by CRLF.
pub fn fold_line(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + line.len() / 70 * 3 + 2);
    let mut used = 0usize;
    for c in line.chars() {
        let n = c.len_utf8();
        if used + n > 75 {
            out.push_str("\r\n ");
            used = 1;
        }
        out.push(c);
        used += n;
    }
    out.push_str("\r\n");
    out
}

// ---------------------------------------------------------------------------
// VTIMEZONE generation

/// A UTC-offset change: the instant, the offsets before and after (seconds),
/// and the abbreviation after.
#[derive(Debug, Clone)]
struct Transition {
    at: DateTime<Utc>,
    from: i32,
    to: i32,
    name: String,
}

impl Transition {
    /// Local wall time of the change in the old offset (an observance's DTSTART).
    fn local_start(&self) -> NaiveDateTime {
        self.at.naive_utc() + Duration::seconds(i64::from(self.from))
    }
}

fn offset_at(tz: Tz, at: DateTime<Utc>) -> (i32, String) {
    let off = tz.offset_from_utc_datetime(&at.naive_utc());
    (off.fix().local_minus_utc(), off.to_string())
}

/// All offset changes in calendar year `year` (UTC), found per day then
/// narrowed to the minute.
fn transitions_in(tz: Tz, year: i32) -> Vec<Transition> {
    let Some(start) = NaiveDate::from_ymd_opt(year, 1, 1).and_then(|d| d.and_hms_opt(0, 0, 0))
    else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut t = start.and_utc();
    let mut prev = offset_at(tz, t).0;
    while t.year() == year {
        let next = t + Duration::days(1);
        let off = offset_at(tz, next).0;
        if off != prev {
            // Binary search for the first minute with the new offset.
            let (mut lo, mut hi) = (t, next);
            while hi - lo > Duration::minutes(1) {
                let mid = lo + (hi - lo) / 2;
                if offset_at(tz, mid).0 == prev {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            let at = hi
                .with_second(0)
                .and_then(|h| h.with_nanosecond(0))
                .unwrap_or(hi);
            let (to, name) = offset_at(tz, at);
            out.push(Transition {
                at,
                from: prev,
                to,
                name,
            });
            prev = off;
        }
        t = next;
    }
    out
}

fn fmt_offset(seconds: i32) -> String {
    let sign = if seconds < 0 { '-' } else { '+' };
    let s = seconds.unsigned_abs();
    let (h, m, sec) = (s / 3600, (s % 3600) / 60, s % 60);
    if sec == 0 {
        format!("{sign}{h:02}{m:02}")
    } else {
        format!("{sign}{h:02}{m:02}{sec:02}")
    }
}

fn weekday_code(d: Weekday) -> &'static str {
    match d {
        Weekday::Mon => "MO",
        Weekday::Tue => "TU",
        Weekday::Wed => "WE",
        Weekday::Thu => "TH",
        Weekday::Fri => "FR",
        Weekday::Sat => "SA",
        Weekday::Sun => "SU",
    }
}

/// Candidate yearly rules for a local date: the nth and (if it is) the last
/// weekday of its month, as `(BYDAY, matcher)`.
fn byday_candidates(d: NaiveDate) -> Vec<(String, i32)> {
    let nth = i32::try_from((d.day() - 1) / 7 + 1).unwrap_or(1);
    let mut c = vec![(format!("{nth}{}", weekday_code(d.weekday())), nth)];
    if (d + Duration::days(7)).month() != d.month() {
        c.insert(0, (format!("-1{}", weekday_code(d.weekday())), -1));
    }
    c
}

fn matches_rule(d: NaiveDate, month: u32, weekday: Weekday, nth: i32) -> bool {
    if d.month() != month || d.weekday() != weekday {
        return false;
    }
    if nth == -1 {
        (d + Duration::days(7)).month() != month
    } else {
        i32::try_from((d.day() - 1) / 7 + 1).is_ok_and(|n| n == nth)
    }
}

fn observance(t: &Transition, rrule: Option<String>) -> Vec<String> {
    let kind = if t.to > t.from {
        "DAYLIGHT"
    } else {
        "STANDARD"
    };
    let mut v = vec![
        format!("BEGIN:{kind}"),
        format!("DTSTART:{}", t.local_start().format("%Y%m%dT%H%M%S")),
        format!("TZOFFSETFROM:{}", fmt_offset(t.from)),
        format!("TZOFFSETTO:{}", fmt_offset(t.to)),
    ];
    if let Some(r) = rrule {
        v.push(r);
    }
    if t.name.chars().all(|c| c.is_ascii_alphabetic()) && !t.name.is_empty() {
        v.push(format!("TZNAME:{}", t.name));
    }
    v.push(format!("END:{kind}"));
    v
}

/// A `VTIMEZONE` for `tz` valid around `year`.
fn vtimezone(tz: Tz, year: i32) -> Vec<String> {
    let mut lines = vec!["BEGIN:VTIMEZONE".to_string(), format!("TZID:{}", tz.name())];
    let years = [year - 1, year, year + 1, year + 2];
    let per_year: Vec<Vec<Transition>> = years.iter().map(|&y| transitions_in(tz, y)).collect();
    let base = &per_year[0];
    let regular =
        !base.is_empty() && per_year.iter().all(|v| v.len() == base.len()) && base.len() <= 2;
    let mut rules: Vec<(Transition, String)> = Vec::new();
    if regular {
        for (i, t) in base.iter().enumerate() {
            let local = t.local_start();
            let rule = byday_candidates(local.date()).into_iter().find(|(_, nth)| {
                per_year.iter().all(|v| {
                    let other = &v[i];
                    let ol = other.local_start();
                    other.from == t.from
                        && other.to == t.to
                        && ol.time() == local.time()
                        && matches_rule(ol.date(), local.month(), local.weekday(), *nth)
                })
            });
            match rule {
                Some((byday, _)) => rules.push((
                    t.clone(),
                    format!("RRULE:FREQ=YEARLY;BYMONTH={};BYDAY={byday}", local.month()),
                )),
                None => {
                    rules.clear();
                    break;
                }
            }
        }
    }
    if rules.len() == base.len() && !rules.is_empty() {
        for (t, rule) in &rules {
            lines.extend(observance(t, Some(rule.clone())));
        }
    } else if per_year.iter().all(Vec::is_empty) {
        // No changes around this year: one fixed offset.
        let at = NaiveDate::from_ymd_opt(year, 1, 1)
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .map(|d| d.and_utc())
            .unwrap_or_default();
        let (off, name) = offset_at(tz, at);
        lines.extend(observance(
            &Transition {
                at: NaiveDate::from_ymd_opt(1970, 1, 1)
                    .and_then(|d| d.and_hms_opt(0, 0, 0))
                    .map(|d| d.and_utc() - Duration::seconds(i64::from(off)))
                    .unwrap_or_default(),
                from: off,
                to: off,
                name,
            },
            None,
        ));
    } else {
        // Irregular zone: its explicit transitions for these years.
        for t in per_year.iter().flatten() {
            lines.extend(observance(t, None));
        }
    }
    lines.push("END:VTIMEZONE".into());
    lines
}

// ---------------------------------------------------------------------------
// Availability

/// A weekly availability window in a person's local time: `day`, from
/// `start_min` to `end_min` minutes after local midnight (`end_min` ≤ 1440).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub day: Weekday,
    pub start_min: u32,
    pub end_min: u32,
}

impl Window {
    pub fn new(day: Weekday, start: (u32, u32), end: (u32, u32)) -> Self {
        Self {
            day,
            start_min: start.0 * 60 + start.1,
            end_min: end.0 * 60 + end.1,
        }
    }
}

/// How far ahead [`first_common_slot`] looks.
pub const SLOT_HORIZON_DAYS: i64 = 14;
/// Candidate start times are on this grid (UTC quarter hours, which are local
/// quarter hours in every current time zone).
pub const SLOT_STEP_MINUTES: i64 = 15;

/// True when `[start, start + duration)` lies inside one of `windows` in `tz`'s
/// local time (same local day; a meeting ending at local midnight counts).
fn available(windows: &[Window], tz: Tz, start: DateTime<Utc>, duration: Duration) -> bool {
    let ls = start.with_timezone(&tz);
    let le = (start + duration).with_timezone(&tz);
    let start_min = ls.hour() * 60 + ls.minute();
    let end_min = if le.date_naive() == ls.date_naive() {
        le.hour() * 60 + le.minute()
    } else if le.date_naive() == ls.date_naive() + Duration::days(1)
        && le.hour() == 0
        && le.minute() == 0
    {
        1440
    } else {
        return false;
    };
    windows.iter().any(|w| {
        w.day == ls.weekday() && w.start_min <= start_min && end_min <= w.end_min.min(1440)
    })
}

/// The earliest start time ≥ `from` (on a 15-minute grid, before
/// `from + 14 days`) at which both people are available for `duration_min`
/// minutes, each in their own time zone (DST handled by chrono-tz).
pub fn first_common_slot(
    a: (&[Window], Tz),
    b: (&[Window], Tz),
    from: DateTime<Utc>,
    duration_min: u32,
) -> Option<DateTime<Utc>> {
    if duration_min == 0 || a.0.is_empty() || b.0.is_empty() {
        return None;
    }
    let duration = Duration::minutes(i64::from(duration_min));
    let step = SLOT_STEP_MINUTES * 60;
    let secs = from.timestamp();
    let first = secs.div_euclid(step) * step
        + if secs.rem_euclid(step) == 0 && from.timestamp_subsec_nanos() == 0 {
            0
        } else {
            step
        };
    let mut t = DateTime::<Utc>::from_timestamp(first, 0)?;
    let end = from + Duration::days(SLOT_HORIZON_DAYS);
    while t < end {
        if available(a.0, a.1, t, duration) && available(b.0, b.1, t, duration) {
            return Some(t);
        }
        t += Duration::minutes(SLOT_STEP_MINUTES);
    }
    None
}

#[cfg(test)]
mod tests;
