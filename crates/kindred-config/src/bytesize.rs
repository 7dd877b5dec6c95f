//! Byte sizes: `65536`, `512B`, `64KiB`, `1MiB`, `2GiB`.

use std::fmt;
use std::str::FromStr;

use serde::de::{self, Deserializer, Visitor};
use serde::Deserialize;

const UNITS: &[(&str, u64)] = &[
    ("GiB", 1 << 30),
    ("MiB", 1 << 20),
    ("KiB", 1 << 10),
    ("B", 1),
];

const HINT: &str =
    "expected a size such as 65536 (bytes), \"512B\", \"64KiB\", \"1MiB\" or \"1GiB\"";

/// A number of bytes, written as a plain integer or with a binary unit
/// (`B`, `KiB`, `MiB`, `GiB`, all powers of 1024).
///
/// Decimal or ambiguous units (`KB`, `kb`, `MB`, `k`) are rejected rather than
/// guessed. `Display` uses the largest binary unit that divides the value exactly
/// (`65536` → `64KiB`, `1000` → `1000B`).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct ByteSize(u64);

impl ByteSize {
    pub const fn bytes(n: u64) -> Self {
        ByteSize(n)
    }

    pub const fn kib(n: u64) -> Self {
        ByteSize(n * 1024)
    }

    pub const fn mib(n: u64) -> Self {
        ByteSize(n * 1024 * 1024)
    }

    pub const fn as_u64(&self) -> u64 {
        self.0
    }

    /// The size as `usize` (e.g. for actix-web's `PayloadConfig::limit`);
    /// saturates on 32-bit targets.
    pub fn as_usize(&self) -> usize {
        usize::try_from(self.0).unwrap_or(usize::MAX)
    }
}

/// Why a size string was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{HINT}; {reason}, got {input:?}")]
pub struct ParseByteSizeError {
    input: String,
    reason: String,
}

impl FromStr for ByteSize {
    type Err = ParseByteSizeError;

    fn from_str(input: &str) -> Result<Self, Self::Err> {
        let err = |reason: String| ParseByteSizeError {
            input: input.to_owned(),
            reason,
        };
        let s = input.trim();
        if s.is_empty() {
            return Err(err("the value is empty".into()));
        }
        if s.starts_with('-') {
            return Err(err("sizes cannot be negative".into()));
        }
        let digits = s.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return Err(err("expected a number first".into()));
        }
        let (number, unit) = s.split_at(digits);
        let unit = unit.trim_start();
        let factor = if unit.is_empty() {
            1
        } else if let Some(&(_, f)) = UNITS.iter().find(|(name, _)| *name == unit) {
            f
        } else if unit.starts_with('.') {
            return Err(err("fractions are not supported".into()));
        } else {
            return Err(err(format!(
                "unknown or ambiguous unit {unit:?} (use B, KiB, MiB or GiB, which are powers of 1024)"
            )));
        };
        let n: u64 = number
            .parse()
            .map_err(|_| err("the number is too large".into()))?;
        n.checked_mul(factor)
            .map(ByteSize)
            .ok_or_else(|| err("the size is too large".into()))
    }
}

impl fmt::Display for ByteSize {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for &(unit, factor) in UNITS {
            if self.0 != 0 && self.0.is_multiple_of(factor) {
                return write!(f, "{}{unit}", self.0 / factor);
            }
        }
        write!(f, "{}B", self.0)
    }
}

impl fmt::Debug for ByteSize {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ByteSize({self})")
    }
}

impl<'de> Deserialize<'de> for ByteSize {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ByteSizeVisitor;

        impl Visitor<'_> for ByteSizeVisitor {
            type Value = ByteSize;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(HINT)
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<ByteSize, E> {
                v.parse().map_err(E::custom)
            }

            fn visit_u64<E: de::Error>(self, v: u64) -> Result<ByteSize, E> {
                Ok(ByteSize(v))
            }

            fn visit_i64<E: de::Error>(self, v: i64) -> Result<ByteSize, E> {
                u64::try_from(v)
                    .map(ByteSize)
                    .map_err(|_| E::custom(format!("{HINT}; sizes cannot be negative, got {v}")))
            }
        }

        deserializer.deserialize_any(ByteSizeVisitor)
    }
}

impl serde::Serialize for ByteSize {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_sizes() {
        assert_eq!("64KiB".parse::<ByteSize>().unwrap().as_u64(), 65_536);
        assert_eq!("1MiB".parse::<ByteSize>().unwrap().as_u64(), 1_048_576);
        assert_eq!("2GiB".parse::<ByteSize>().unwrap().as_u64(), 2 << 30);
        assert_eq!("65536".parse::<ByteSize>().unwrap().as_u64(), 65_536);
        assert_eq!("512B".parse::<ByteSize>().unwrap().as_u64(), 512);
        assert_eq!("64 KiB".parse::<ByteSize>().unwrap().as_u64(), 65_536);
    }

    #[test]
    fn rejects_ambiguous_and_bad_sizes() {
        for (text, needle) in [
            ("64KB", "ambiguous unit \"KB\""),
            ("64kb", "ambiguous"),
            ("1.5MiB", "fractions"),
            ("-1", "negative"),
            ("", "empty"),
            ("KiB", "number first"),
            ("99999999999GiB", "too large"),
        ] {
            let err = text.parse::<ByteSize>().unwrap_err().to_string();
            assert!(err.contains(needle), "{text:?}: {err}");
        }
    }

    #[test]
    fn display_round_trips() {
        for (n, shown) in [
            (65_536, "64KiB"),
            (1_048_576, "1MiB"),
            (1000, "1000B"),
            (0, "0B"),
        ] {
            let b = ByteSize::bytes(n);
            assert_eq!(b.to_string(), shown);
            assert_eq!(shown.parse::<ByteSize>().unwrap(), b);
        }
    }
}
