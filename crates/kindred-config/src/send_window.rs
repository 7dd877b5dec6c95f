//! `schedule.send_window`: the hours during which reminder emails may go out.

use std::fmt;
use std::str::FromStr;

use chrono::{NaiveTime, Timelike};
use serde::{Deserialize, Deserializer};

/// A daily window `HH:MM-HH:MM` (24-hour clock), start inclusive, end exclusive.
///
/// The window may wrap past midnight (`22:00-06:00`). `00:00-24:00` means the
/// whole day; `24:00` is accepted only as the end of that form, and otherwise
/// start and end must differ.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct SendWindow {
    pub start: NaiveTime,
    /// Exclusive. Equal to `start` only for the whole-day window `00:00-24:00`.
    pub end: NaiveTime,
}

impl SendWindow {
    /// The whole day (`00:00-24:00`).
    pub const ALL_DAY: SendWindow = SendWindow {
        start: NaiveTime::MIN,
        end: NaiveTime::MIN,
    };

    pub fn is_all_day(&self) -> bool {
        self.start == self.end
    }

    /// Whether a (local) time of day falls inside the window.
    pub fn contains(&self, t: NaiveTime) -> bool {
        if self.start == self.end {
            true
        } else if self.start < self.end {
            self.start <= t && t < self.end
        } else {
            t >= self.start || t < self.end
        }
    }
}

impl Default for SendWindow {
    fn default() -> Self {
        SendWindow {
            start: hm(9, 0),
            end: hm(20, 0),
        }
    }
}

fn hm(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).unwrap_or(NaiveTime::MIN)
}

/// Why a send window was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("expected HH:MM-HH:MM on a 24-hour clock, e.g. \"09:00-20:00\"; {reason}, got {input:?}")]
pub struct ParseSendWindowError {
    input: String,
    reason: String,
}

/// Parses `HH:MM`; returns minutes since midnight (0..=1440).
fn parse_hhmm(s: &str) -> Result<u32, String> {
    let b = s.as_bytes();
    if b.len() != 5
        || b[2] != b':'
        || !b
            .iter()
            .enumerate()
            .all(|(i, c)| i == 2 || c.is_ascii_digit())
    {
        return Err(format!("{s:?} is not HH:MM"));
    }
    let h = u32::from(b[0] - b'0') * 10 + u32::from(b[1] - b'0');
    let m = u32::from(b[3] - b'0') * 10 + u32::from(b[4] - b'0');
    if m > 59 || h > 24 || (h == 24 && m != 0) {
        return Err(format!("{s:?} is not a time of day"));
    }
    Ok(h * 60 + m)
}

impl FromStr for SendWindow {
    type Err = ParseSendWindowError;

    fn from_str(input: &str) -> Result<Self, Self::Err> {
        let err = |reason: String| ParseSendWindowError {
            input: input.to_owned(),
            reason,
        };
        let s = input.trim();
        let Some((a, b)) = s.split_once('-') else {
            return Err(err("missing '-' between start and end".into()));
        };
        let start = parse_hhmm(a.trim()).map_err(err)?;
        let end = parse_hhmm(b.trim()).map_err(err)?;
        if start == 24 * 60 {
            return Err(err("24:00 can only be the end of the window".into()));
        }
        let to_time = |mins: u32| hm((mins / 60) % 24, mins % 60);
        if start == end {
            return Err(err(
                "start and end are equal (write 00:00-24:00 for the whole day)".into(),
            ));
        }
        if end == 24 * 60 && start != 0 {
            return Err(err(
                "24:00 is only allowed in 00:00-24:00; write e.g. 20:00-00:00".into(),
            ));
        }
        Ok(SendWindow {
            start: to_time(start),
            end: to_time(end),
        })
    }
}

impl fmt::Display for SendWindow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_all_day() {
            return f.write_str("00:00-24:00");
        }
        write!(
            f,
            "{:02}:{:02}-{:02}:{:02}",
            self.start.hour(),
            self.start.minute(),
            self.end.hour(),
            self.end.minute()
        )
    }
}

impl fmt::Debug for SendWindow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SendWindow({self})")
    }
}

impl<'de> Deserialize<'de> for SendWindow {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_displays() {
        let w: SendWindow = "09:00-20:00".parse().unwrap();
        assert_eq!(w.start, hm(9, 0));
        assert_eq!(w.end, hm(20, 0));
        assert_eq!(w.to_string(), "09:00-20:00");
        assert!(w.contains(hm(9, 0)));
        assert!(w.contains(hm(19, 59)));
        assert!(!w.contains(hm(20, 0)));
        assert!(!w.contains(hm(3, 0)));

        let night: SendWindow = "22:00-06:30".parse().unwrap();
        assert!(night.contains(hm(23, 0)) && night.contains(hm(6, 0)));
        assert!(!night.contains(hm(12, 0)));
        assert_eq!(night.to_string(), "22:00-06:30");

        let all: SendWindow = "00:00-24:00".parse().unwrap();
        assert_eq!(all, SendWindow::ALL_DAY);
        assert!(all.contains(hm(13, 37)));
        assert_eq!(all.to_string(), "00:00-24:00");

        assert_eq!(SendWindow::default().to_string(), "09:00-20:00");
    }

    #[test]
    fn rejects_bad_windows() {
        for (text, needle) in [
            ("9-20", "is not HH:MM"),
            ("9:00-20:00", "is not HH:MM"),
            ("09:00", "missing '-'"),
            ("09:60-20:00", "not a time of day"),
            ("25:00-26:00", "not a time of day"),
            ("09:00-09:00", "equal"),
            ("24:00-06:00", "only be the end"),
            ("20:00-24:00", "only allowed in 00:00-24:00"),
            ("09h00-20h00", "is not HH:MM"),
            ("ab:cd-20:00", "is not HH:MM"),
        ] {
            let e = text.parse::<SendWindow>().unwrap_err().to_string();
            assert!(e.contains(needle), "{text}: {e}");
            assert!(e.contains("HH:MM-HH:MM"), "{text}: {e}");
        }
    }
}
