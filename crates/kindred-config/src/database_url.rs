//! `database.url`: which backend, chosen from the scheme — never guessed.

use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use serde::{Deserialize, Deserializer};

use crate::secret::redact_url;

/// The database to connect to, decided from the URL scheme:
///
/// | written as | value |
/// |---|---|
/// | `sqlite://data/kindred.db` | `Sqlite("data/kindred.db")` — a path **relative** to the working directory |
/// | `sqlite:///var/lib/kindred/kindred.db` | `Sqlite("/var/lib/kindred/kindred.db")` — absolute |
/// | `sqlite::memory:` | `Sqlite(":memory:")` — every connection gets its own empty database |
/// | `data/kindred.db` (no scheme, ends in `.db`) | `Sqlite("data/kindred.db")` |
/// | `postgres://…`, `postgresql://…` | `Postgres(url)` — passed to libpq unchanged |
///
/// Anything else is an error. `Debug` and `Display` never show a password.
#[derive(Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    /// Path of the SQLite database file (or `:memory:`).
    Sqlite(PathBuf),
    /// A libpq connection URL; may contain a password — do not log it, use
    /// [`DatabaseUrl::redacted`].
    Postgres(String),
}

impl DatabaseUrl {
    /// The path used for an in-memory SQLite database.
    pub const SQLITE_MEMORY: &'static str = ":memory:";

    /// The URL in a form safe to log: `postgres://user:***@host/db`.
    pub fn redacted(&self) -> String {
        self.to_string()
    }

    pub fn is_sqlite(&self) -> bool {
        matches!(self, DatabaseUrl::Sqlite(_))
    }

    pub fn is_postgres(&self) -> bool {
        matches!(self, DatabaseUrl::Postgres(_))
    }

    /// `"sqlite"` or `"postgres"`.
    pub fn backend_name(&self) -> &'static str {
        match self {
            DatabaseUrl::Sqlite(_) => "sqlite",
            DatabaseUrl::Postgres(_) => "postgres",
        }
    }

    /// The SQLite file path, if this is SQLite.
    pub fn sqlite_path(&self) -> Option<&Path> {
        match self {
            DatabaseUrl::Sqlite(p) => Some(p),
            DatabaseUrl::Postgres(_) => None,
        }
    }
}

impl Default for DatabaseUrl {
    fn default() -> Self {
        DatabaseUrl::Sqlite(PathBuf::from("data/kindred.db"))
    }
}

/// Why a database URL was rejected. Never contains the URL itself.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ParseDatabaseUrlError(String);

const EXPECTED: &str = "expected sqlite://PATH, sqlite:///ABSOLUTE/PATH, sqlite::memory:, \
postgres://…, postgresql://… or a file path ending in .db";

impl FromStr for DatabaseUrl {
    type Err = ParseDatabaseUrlError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = |m: String| ParseDatabaseUrlError(m);
        if s.trim() != s {
            return Err(err(format!(
                "{EXPECTED}; the value has leading or trailing spaces"
            )));
        }
        if s.is_empty() {
            return Err(err(format!("{EXPECTED}; the value is empty")));
        }
        if s == "sqlite::memory:" {
            return Ok(DatabaseUrl::Sqlite(PathBuf::from(Self::SQLITE_MEMORY)));
        }
        match s.split_once("://") {
            Some((scheme, rest)) => match scheme.to_ascii_lowercase().as_str() {
                "sqlite" => {
                    if rest.is_empty() {
                        return Err(err(format!("{EXPECTED}; sqlite:// needs a file path")));
                    }
                    if rest.contains('?') || rest.contains('#') {
                        return Err(err(format!(
                            "{EXPECTED}; query parameters are not supported in sqlite:// URLs"
                        )));
                    }
                    Ok(DatabaseUrl::Sqlite(PathBuf::from(rest)))
                }
                "postgres" | "postgresql" => {
                    url::Url::parse(s).map_err(|e| {
                        // `url`'s messages do not echo the input.
                        err(format!("not a valid {scheme}:// URL ({e})"))
                    })?;
                    Ok(DatabaseUrl::Postgres(s.to_owned()))
                }
                other => {
                    let shown: String = other.chars().take(20).collect();
                    Err(err(format!("{EXPECTED}; unsupported scheme {shown:?}")))
                }
            },
            None if s.starts_with("sqlite:") => Err(err(format!(
                "{EXPECTED}; write sqlite://PATH (two slashes) for a relative path"
            ))),
            None if s.ends_with(".db") && !s.contains(':') || is_windows_path(s) => {
                Ok(DatabaseUrl::Sqlite(PathBuf::from(s)))
            }
            None => Err(err(format!(
                "{EXPECTED}; the value has no scheme and is not a path ending in .db"
            ))),
        }
    }
}

/// `C:\data\kindred.db` — a drive letter is the only colon we accept in a bare path.
fn is_windows_path(s: &str) -> bool {
    let b = s.as_bytes();
    s.ends_with(".db")
        && b.len() > 3
        && b[0].is_ascii_alphabetic()
        && b[1] == b':'
        && (b[2] == b'\\' || b[2] == b'/')
        && !s[2..].contains(':')
}

impl fmt::Display for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DatabaseUrl::Sqlite(p) if p.as_os_str() == Self::SQLITE_MEMORY => {
                f.write_str("sqlite::memory:")
            }
            DatabaseUrl::Sqlite(p) => write!(f, "sqlite://{}", p.display()),
            DatabaseUrl::Postgres(url) => f.write_str(&redact_url(url)),
        }
    }
}

impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DatabaseUrl::Sqlite(p) => f.debug_tuple("Sqlite").field(p).finish(),
            DatabaseUrl::Postgres(url) => {
                f.debug_tuple("Postgres").field(&redact_url(url)).finish()
            }
        }
    }
}

impl<'de> Deserialize<'de> for DatabaseUrl {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sqlite(p: &str) -> DatabaseUrl {
        DatabaseUrl::Sqlite(PathBuf::from(p))
    }

    #[test]
    fn sqlite_paths_are_relative_unless_three_slashes() {
        let rel: DatabaseUrl = "sqlite://data/kindred.db".parse().unwrap();
        assert_eq!(rel, sqlite("data/kindred.db"));
        assert!(rel.sqlite_path().unwrap().is_relative());
        let abs: DatabaseUrl = "sqlite:///abs/path.db".parse().unwrap();
        assert_eq!(abs, sqlite("/abs/path.db"));
        assert!(abs.sqlite_path().unwrap().is_absolute());
        assert_eq!(
            "sqlite::memory:".parse::<DatabaseUrl>().unwrap(),
            sqlite(":memory:")
        );
        assert_eq!(
            "data/kindred.db".parse::<DatabaseUrl>().unwrap(),
            sqlite("data/kindred.db")
        );
        assert_eq!(
            "/var/lib/k.db".parse::<DatabaseUrl>().unwrap(),
            sqlite("/var/lib/k.db")
        );
        assert_eq!(
            "C:\\data\\k.db".parse::<DatabaseUrl>().unwrap(),
            sqlite("C:\\data\\k.db")
        );
    }

    #[test]
    fn postgres_urls_are_kept_verbatim() {
        for url in [
            "postgres://kindred:pw@localhost:5432/kindred",
            "postgresql://localhost/kindred",
            "postgres:///kindred?host=/run/postgresql",
        ] {
            assert_eq!(
                url.parse::<DatabaseUrl>().unwrap(),
                DatabaseUrl::Postgres(url.to_owned())
            );
        }
    }

    #[test]
    fn anything_else_is_rejected_without_echoing_it() {
        for (url, needle) in [
            (
                "mysql://root:hunter2@db/kindred",
                "unsupported scheme \"mysql\"",
            ),
            ("http://hunter2.example/db", "unsupported scheme \"http\""),
            ("sqlite:data/hunter2.db", "two slashes"),
            ("sqlite://", "needs a file path"),
            ("sqlite://data/k.db?mode=hunter2", "query parameters"),
            ("data/hunter2.sqlite", "not a path ending in .db"),
            ("hunter2", "not a path ending in .db"),
            ("", "empty"),
            (" sqlite://x.db", "spaces"),
            (
                "postgres://user:hunter2@[::1/db",
                "not a valid postgres:// URL",
            ),
        ] {
            let e = url.parse::<DatabaseUrl>().unwrap_err().to_string();
            assert!(e.contains(needle), "{url}: {e}");
            assert!(!e.contains("hunter2"), "{url}: {e}");
        }
    }

    #[test]
    fn display_and_debug_hide_the_password() {
        let url: DatabaseUrl = "postgres://user:hunter2@host/db".parse().unwrap();
        assert_eq!(url.redacted(), "postgres://user:***@host/db");
        assert_eq!(url.to_string(), "postgres://user:***@host/db");
        assert_eq!(
            format!("{url:?}"),
            "Postgres(\"postgres://user:***@host/db\")"
        );
        assert_eq!(
            sqlite("data/kindred.db").to_string(),
            "sqlite://data/kindred.db"
        );
        assert_eq!(sqlite("/abs/k.db").to_string(), "sqlite:///abs/k.db");
        assert_eq!(sqlite(":memory:").to_string(), "sqlite::memory:");
        // Display re-parses to the same value.
        for s in [
            "sqlite://data/kindred.db",
            "sqlite:///abs/k.db",
            "sqlite::memory:",
        ] {
            let u: DatabaseUrl = s.parse().unwrap();
            assert_eq!(u.to_string().parse::<DatabaseUrl>().unwrap(), u);
        }
    }
}
