//! The one error type of this crate.
//!
//! Every variant that concerns a setting names the full dotted key
//! (`mail.transport`) and, when known, where the offending value came from
//! (a file or an environment variable). No variant ever carries a secret
//! value: messages about `database.url` and `mail.smtp_url` only quote the
//! scheme, never the URL.

use std::fmt;
use std::path::PathBuf;

/// Where a configuration value came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// A TOML file (`config/default.toml`, `config/$KINDRED_ENV.toml`).
    File(PathBuf),
    /// An environment variable such as `KINDRED__SERVER__PORT`.
    Env(String),
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::File(path) => write!(f, "{}", path.display()),
            Origin::Env(var) => f.write_str(var),
        }
    }
}

/// Renders ` (from X)` when an origin is known, nothing otherwise.
struct FromOrigin<'a>(&'a Option<Origin>);

impl fmt::Display for FromOrigin<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(origin) => write!(f, " (from {origin})"),
            None => Ok(()),
        }
    }
}

/// Everything that can go wrong while loading or validating [`crate::Settings`].
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// A configuration file could not be read (missing `default.toml`, permissions, …).
    #[error("cannot read configuration file {}: {source}", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    /// A configuration file (or a string given to `from_toml_str`) is not valid TOML.
    #[error("{}: invalid TOML: {message}", path.display())]
    Syntax { path: PathBuf, message: String },

    /// `KINDRED_ENV` names an environment whose file does not exist or is not a usable name.
    #[error("KINDRED_ENV={env:?}: {message}")]
    Environment { env: String, message: String },

    /// A `KINDRED__…` variable that cannot be mapped to a key.
    #[error("environment variable {var}: {message}")]
    EnvVar { var: String, message: String },

    /// A key (or section) that does not exist.
    #[error(
        "unknown key \"{key}\"{}; expected one of {}",
        FromOrigin(origin),
        expected.join(", ")
    )]
    UnknownKey {
        /// Full dotted key, e.g. `server.prot`.
        key: String,
        origin: Option<Origin>,
        /// The keys that are allowed at that level.
        expected: Vec<String>,
    },

    /// A value of the wrong type or format, or one that fails validation.
    #[error("{key}: {message}{}", FromOrigin(origin))]
    InvalidValue {
        /// Full dotted key, e.g. `mail.transport`.
        key: String,
        message: String,
        origin: Option<Origin>,
    },
}

impl ConfigError {
    /// The full dotted key this error is about, if it is about one.
    pub fn key(&self) -> Option<&str> {
        match self {
            ConfigError::UnknownKey { key, .. } | ConfigError::InvalidValue { key, .. } => {
                Some(key)
            }
            _ => None,
        }
    }

    pub(crate) fn invalid(key: impl Into<String>, message: impl Into<String>) -> Self {
        ConfigError::InvalidValue {
            key: key.into(),
            message: message.into(),
            origin: None,
        }
    }

    /// Attaches an origin to key errors that do not have one yet.
    pub(crate) fn with_origin(mut self, lookup: impl Fn(&str) -> Option<Origin>) -> Self {
        if let ConfigError::UnknownKey { key, origin, .. }
        | ConfigError::InvalidValue { key, origin, .. } = &mut self
        {
            if origin.is_none() {
                *origin = lookup(key);
            }
        }
        self
    }
}
