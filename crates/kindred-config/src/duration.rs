//! Human-readable durations: `500ms`, `90s`, `15m`, `2h`, `14d`, `1w`, `1h30m`.

use std::fmt;
use std::str::FromStr;

use serde::de::{self, Deserializer, Visitor};
use serde::Deserialize;

const UNITS: &[(&str, u64)] = &[
    // Longest spellings first so that `ms` wins over `m`.
    ("ms", 1),
    ("s", 1_000),
    ("m", 60_000),
    ("h", 3_600_000),
    ("d", 86_400_000),
    ("w", 604_800_000),
];

/// Units used by `Display`, largest first. Weeks are shown as days (`1w` → `7d`).
const DISPLAY_UNITS: &[(&str, u64)] = &[
    ("d", 86_400_000),
    ("h", 3_600_000),
    ("m", 60_000),
    ("s", 1_000),
    ("ms", 1),
];

const HINT: &str =
    "expected a duration such as \"500ms\", \"90s\", \"15m\", \"2h\", \"14d\", \"1w\" or \"1h30m\"";

/// A non-negative duration with millisecond precision, written in configuration
/// as one or more `<integer><unit>` groups (`ms`, `s`, `m`, `h`, `d`, `w`).
///
/// Bare numbers, negative values, fractions and unknown units are rejected.
/// `Display` writes the value in the largest unit that divides it exactly
/// (`90s` → `90s`, `1h30m` → `90m`, `1w` → `7d`), and parsing that text gives back
/// the same duration.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Duration(std::time::Duration);

impl Duration {
    /// A zero-length duration.
    pub const ZERO: Duration = Duration(std::time::Duration::ZERO);

    pub const fn from_millis(ms: u64) -> Self {
        Duration(std::time::Duration::from_millis(ms))
    }

    pub const fn from_secs(secs: u64) -> Self {
        Duration(std::time::Duration::from_secs(secs))
    }

    pub const fn from_mins(mins: u64) -> Self {
        Duration(std::time::Duration::from_secs(mins * 60))
    }

    pub const fn from_hours(hours: u64) -> Self {
        Duration(std::time::Duration::from_secs(hours * 3_600))
    }

    pub const fn from_days(days: u64) -> Self {
        Duration(std::time::Duration::from_secs(days * 86_400))
    }

    /// The value as a `std::time::Duration` (for `tokio::time::sleep`, timeouts, …).
    pub const fn as_std(&self) -> std::time::Duration {
        self.0
    }

    /// The value as a `chrono::TimeDelta` (for `now + ttl` arithmetic).
    /// Saturates at `TimeDelta::MAX` for absurdly large values.
    pub fn as_chrono(&self) -> chrono::TimeDelta {
        chrono::TimeDelta::from_std(self.0).unwrap_or(chrono::TimeDelta::MAX)
    }

    pub const fn as_millis(&self) -> u128 {
        self.0.as_millis()
    }

    pub const fn as_secs(&self) -> u64 {
        self.0.as_secs()
    }

    pub const fn is_zero(&self) -> bool {
        self.0.is_zero()
    }
}

impl From<Duration> for std::time::Duration {
    fn from(d: Duration) -> Self {
        d.0
    }
}

impl From<Duration> for chrono::TimeDelta {
    fn from(d: Duration) -> Self {
        d.as_chrono()
    }
}

/// Why a duration string was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{HINT}; {reason}, got {input:?}")]
pub struct ParseDurationError {
    input: String,
    reason: String,
}

impl ParseDurationError {
    fn new(input: &str, reason: impl Into<String>) -> Self {
        ParseDurationError {
            input: input.to_owned(),
            reason: reason.into(),
        }
    }
}

impl FromStr for Duration {
    type Err = ParseDurationError;

    fn from_str(input: &str) -> Result<Self, Self::Err> {
        let s = input.trim();
        if s.is_empty() {
            return Err(ParseDurationError::new(input, "the value is empty"));
        }
        if s.starts_with('-') {
            return Err(ParseDurationError::new(
                input,
                "durations cannot be negative",
            ));
        }
        let mut rest = s;
        let mut total_ms: u64 = 0;
        let mut used_units: Vec<&str> = Vec::new();
        while !rest.is_empty() {
            let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
            if digits == 0 {
                return Err(ParseDurationError::new(
                    input,
                    format!("expected a number at {rest:?}"),
                ));
            }
            let (number, after) = rest.split_at(digits);
            if after.starts_with(|c: char| c.is_ascii_whitespace()) {
                return Err(ParseDurationError::new(
                    input,
                    "spaces are not allowed inside a duration",
                ));
            }
            let unit_len = after
                .bytes()
                .take_while(|b| !b.is_ascii_digit() && !b.is_ascii_whitespace())
                .count();
            let (unit, after) = after.split_at(unit_len);
            if unit.is_empty() {
                let reason = if after.is_empty() && used_units.is_empty() {
                    "a bare number has no unit (write e.g. \"30s\")".to_owned()
                } else {
                    format!("{number} has no unit")
                };
                return Err(ParseDurationError::new(input, reason));
            }
            if unit.starts_with('.') || unit.starts_with(',') {
                return Err(ParseDurationError::new(
                    input,
                    "fractions are not supported (write \"1h30m\" or \"90m\", not \"1.5h\")",
                ));
            }
            let Some(&(_, factor)) = UNITS.iter().find(|(name, _)| *name == unit) else {
                return Err(ParseDurationError::new(
                    input,
                    format!("unknown unit {unit:?} (use ms, s, m, h, d or w)"),
                ));
            };
            if used_units.contains(&unit) {
                return Err(ParseDurationError::new(
                    input,
                    format!("unit {unit:?} appears twice"),
                ));
            }
            used_units.push(unit);
            let value: u64 = number
                .parse()
                .map_err(|_| ParseDurationError::new(input, "the number is too large"))?;
            total_ms = value
                .checked_mul(factor)
                .and_then(|ms| total_ms.checked_add(ms))
                .ok_or_else(|| ParseDurationError::new(input, "the duration is too large"))?;
            if after.starts_with(|c: char| c.is_ascii_whitespace()) {
                return Err(ParseDurationError::new(
                    input,
                    "spaces are not allowed inside a duration",
                ));
            }
            rest = after;
        }
        Ok(Duration::from_millis(total_ms))
    }
}

impl fmt::Display for Duration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ms = self.0.as_millis();
        if ms == 0 {
            return f.write_str("0s");
        }
        for &(unit, factor) in DISPLAY_UNITS {
            let factor = u128::from(factor);
            if ms.is_multiple_of(factor) {
                return write!(f, "{}{unit}", ms / factor);
            }
        }
        // Unreachable: every millisecond count is divisible by 1.
        write!(f, "{ms}ms")
    }
}

impl fmt::Debug for Duration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Duration({self})")
    }
}

impl<'de> Deserialize<'de> for Duration {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct DurationVisitor;

        impl Visitor<'_> for DurationVisitor {
            type Value = Duration;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(HINT)
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<Duration, E> {
                v.parse().map_err(E::custom)
            }

            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Duration, E> {
                Err(E::custom(format!(
                    "{HINT}; a bare number has no unit (write e.g. \"{}s\"), got {v}",
                    v.unsigned_abs()
                )))
            }

            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Duration, E> {
                Err(E::custom(format!(
                    "{HINT}; a bare number has no unit (write e.g. \"{v}s\"), got {v}"
                )))
            }

            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Duration, E> {
                Err(E::custom(format!(
                    "{HINT}; a bare number has no unit, got {v}"
                )))
            }
        }

        deserializer.deserialize_any(DurationVisitor)
    }
}

impl serde::Serialize for Duration {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_unit() {
        let cases = [
            ("500ms", 500),
            ("90s", 90_000),
            ("15m", 900_000),
            ("2h", 7_200_000),
            ("14d", 1_209_600_000),
            ("1w", 604_800_000),
            ("1h30m", 5_400_000),
            ("1d12h", 129_600_000),
            ("0s", 0),
            (" 5s ", 5_000),
        ];
        for (text, ms) in cases {
            let d: Duration = text.parse().unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(d.as_millis(), ms, "{text}");
        }
    }

    #[test]
    fn display_round_trips() {
        for text in [
            "500ms", "90s", "15m", "2h", "14d", "30d", "1w", "1h30m", "0s", "1m1ms", "5s",
        ] {
            let d: Duration = text.parse().unwrap();
            let shown = d.to_string();
            let again: Duration = shown.parse().unwrap();
            assert_eq!(d, again, "{text} -> {shown}");
        }
        // Same form as written where the unit is the largest exact one.
        for text in [
            "500ms", "90s", "15m", "2h", "14d", "30d", "10m", "100ms", "0s",
        ] {
            assert_eq!(text.parse::<Duration>().unwrap().to_string(), text);
        }
        assert_eq!("1w".parse::<Duration>().unwrap().to_string(), "7d");
        assert_eq!("1h30m".parse::<Duration>().unwrap().to_string(), "90m");
        assert_eq!("1500ms".parse::<Duration>().unwrap().to_string(), "1500ms");
    }

    #[test]
    fn rejects_bad_input_with_a_reason() {
        let cases = [
            ("90", "bare number has no unit"),
            ("", "empty"),
            ("-5s", "negative"),
            ("5x", "unknown unit \"x\""),
            ("5 s", "spaces"),
            ("5s 3m", "spaces"),
            ("1.5h", "fractions"),
            ("s", "expected a number"),
            ("1h30", "30 has no unit"),
            ("5s5s", "appears twice"),
            ("5sec", "unknown unit \"sec\""),
            ("99999999999999999999s", "too large"),
            ("999999999999999w", "too large"),
        ];
        for (text, needle) in cases {
            let err = text.parse::<Duration>().unwrap_err().to_string();
            assert!(err.contains(needle), "{text:?}: {err}");
            assert!(err.contains("expected a duration"), "{text:?}: {err}");
        }
    }

    #[test]
    fn conversions() {
        let d = Duration::from_mins(90);
        assert_eq!(d.as_std(), std::time::Duration::from_secs(5_400));
        assert_eq!(d.as_chrono(), chrono::TimeDelta::minutes(90));
        assert_eq!(Duration::from_days(14), "2w".parse().unwrap());
        assert_eq!(format!("{:?}", Duration::from_secs(90)), "Duration(90s)");
    }
}
