//! `HH:MM` times of day and three-letter weekday names, as used in profile availability.

use chrono::{Datelike, NaiveDateTime, NaiveTime, TimeDelta, Weekday};

/// Minutes in a day; `24:00` parses to this and is only valid as a window's end.
pub const MINUTES_PER_DAY: u16 = 24 * 60;

/// Parses a strict 24-hour `HH:MM` (two digits each, `00:00`..=`24:00`) into minutes after
/// midnight. `24:00` is accepted so a window can run to the end of the day; callers decide
/// where it is allowed.
pub fn parse_hhmm(s: &str) -> Result<u16, String> {
    let b = s.as_bytes();
    let digits = |x: &[u8]| -> Option<u16> {
        x.iter().try_fold(0u16, |acc, &c| {
            c.is_ascii_digit().then(|| acc * 10 + u16::from(c - b'0'))
        })
    };
    let parsed = if b.len() == 5 && b[2] == b':' {
        digits(&b[..2]).zip(digits(&b[3..]))
    } else {
        None
    };
    match parsed {
        Some((h, m)) if h < 24 && m < 60 => Ok(h * 60 + m),
        Some((24, 0)) => Ok(MINUTES_PER_DAY),
        _ => Err("must be a 24-hour time written HH:MM".to_owned()),
    }
}

/// Formats minutes after midnight as `HH:MM` (`1440` → `24:00`).
pub fn format_hhmm(minutes: u16) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

/// Parses the contract's lower-case day names `mon`..`sun`.
pub fn parse_weekday(s: &str) -> Result<Weekday, String> {
    Ok(match s {
        "mon" => Weekday::Mon,
        "tue" => Weekday::Tue,
        "wed" => Weekday::Wed,
        "thu" => Weekday::Thu,
        "fri" => Weekday::Fri,
        "sat" => Weekday::Sat,
        "sun" => Weekday::Sun,
        _ => return Err("must be one of: mon, tue, wed, thu, fri, sat, sun".to_owned()),
    })
}

/// The contract's lower-case day name (chrono's own serde form is `Mon`).
pub fn weekday_str(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "mon",
        Weekday::Tue => "tue",
        Weekday::Wed => "wed",
        Weekday::Thu => "thu",
        Weekday::Fri => "fri",
        Weekday::Sat => "sat",
        Weekday::Sun => "sun",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn parses_and_rejects() {
        assert_eq!(parse_hhmm("00:00"), Ok(0));
        assert_eq!(parse_hhmm("18:30"), Ok(1110));
        assert_eq!(parse_hhmm("23:59"), Ok(1439));
        assert_eq!(parse_hhmm("24:00"), Ok(1440));
        for bad in [
            "24:15", "25:00", "9:00", "09:60", "0900", "09:0a", "+9:00", "", "09:00 ",
        ] {
            assert!(parse_hhmm(bad).is_err(), "{bad}");
        }
        assert_eq!(format_hhmm(0), "00:00");
        assert_eq!(format_hhmm(1440), "24:00");
    }

    #[test]
    fn weekdays() {
        for d in ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] {
            assert_eq!(weekday_str(parse_weekday(d).unwrap()), d);
        }
        assert!(parse_weekday("Mon").is_err());
        assert!(parse_weekday("monday").is_err());
    }

    proptest! {
        #[test]
        fn round_trip(m in 0u16..=1440) {
            prop_assert_eq!(parse_hhmm(&format_hhmm(m)), Ok(m));
        }
    }
}

/// The first start of a weekly slot (`day` at `start_min` minutes after
/// midnight, both in the same zone as `after`) strictly after `after`.
pub fn next_weekly(day: Weekday, start_min: i64, after: NaiveDateTime) -> NaiveDateTime {
    let ahead = (i64::from(day.num_days_from_monday())
        - i64::from(after.weekday().num_days_from_monday()))
    .rem_euclid(7);
    let at = (after.date() + TimeDelta::days(ahead)).and_time(NaiveTime::MIN)
        + TimeDelta::minutes(start_min);
    if at <= after {
        at + TimeDelta::days(7)
    } else {
        at
    }
}

#[cfg(test)]
mod next_weekly_tests {
    use super::*;

    #[test]
    fn the_next_start_is_strictly_later_and_on_its_weekday() {
        let at = |d: u32, h: u32, m: u32| {
            chrono::NaiveDate::from_ymd_opt(2026, 12, d)
                .and_then(|d| d.and_hms_opt(h, m, 0))
                .unwrap_or_default()
        };
        // Monday 7 December 2026.
        assert_eq!(
            next_weekly(Weekday::Mon, 17 * 60, at(7, 11, 0)),
            at(7, 17, 0)
        );
        assert_eq!(
            next_weekly(Weekday::Mon, 17 * 60, at(7, 17, 0)),
            at(14, 17, 0)
        );
        assert_eq!(next_weekly(Weekday::Sun, 60, at(7, 11, 0)), at(13, 1, 0));
        assert_eq!(next_weekly(Weekday::Mon, 60, at(7, 11, 0)), at(14, 1, 0));
    }
}
