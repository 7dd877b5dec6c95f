//! Kindred configuration.
//!
//! [`Settings::load`] layers, from lowest to highest precedence:
//!
//! 1. `config/default.toml` (required),
//! 2. `config/$KINDRED_ENV.toml` when `KINDRED_ENV` is set (required then),
//! 3. `KINDRED__SECTION__KEY=value` environment variables.
//!
//! The layers are merged as TOML tables, then deserialized into strict,
//! typed structs (unknown keys are errors) and validated. Every error names
//! the full key and where its value came from. See `docs/configuration.md`.
//!
//! ```
//! let s = kindred_config::Settings::from_toml_str("[server]\nport = 9000").unwrap();
//! assert_eq!(s.server.port, 9000);
//! assert_eq!(s.auth.token_ttl.to_string(), "30d");
//! ```

use std::path::Path;

use serde::Deserialize;

mod bytesize;
mod cidr;
mod database_url;
mod duration;
mod error;
mod layers;
mod secret;
mod sections;
mod send_window;

pub use bytesize::{ByteSize, ParseByteSizeError};
pub use cidr::{Cidr, ParseCidrError};
pub use database_url::{DatabaseUrl, ParseDatabaseUrlError};
pub use duration::{Duration, ParseDurationError};
pub use error::{ConfigError, Origin};
pub use layers::{ENV_NAME_VAR, ENV_PREFIX};
pub use secret::{redact_url, Secret, REDACTED};
pub use sections::{
    AuthSettings, CirclesSettings, DatabaseSettings, ImportsSettings, JobsSettings, LogFormat,
    LogSettings, MailSettings, MailTransport, MatchingSettings, MetricsSettings, RateLimitSettings,
    SafetySettings, ScheduleSettings, ServerSettings, DEFAULT_MAIL_FOOTER, DEFAULT_MAIL_FOOTER_ES,
};
pub use send_window::{ParseSendWindowError, SendWindow};

use layers::{deserialize_table, Layered, Sources};

/// The whole configuration. `Default` gives the values of `config/default.toml`.
///
/// `Debug` is safe to log: `database.url` and `mail.smtp_url` never show a
/// password. For a start-up log line use [`Settings::redacted_summary`].
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    pub server: ServerSettings,
    pub database: DatabaseSettings,
    pub mail: MailSettings,
    pub auth: AuthSettings,
    pub rate_limit: RateLimitSettings,
    pub safety: SafetySettings,
    pub matching: MatchingSettings,
    pub schedule: ScheduleSettings,
    pub jobs: JobsSettings,
    pub imports: ImportsSettings,
    pub circles: CirclesSettings,
    pub log: LogSettings,
    pub metrics: MetricsSettings,
}

impl Settings {
    /// Loads `config_dir/default.toml`, `config_dir/$KINDRED_ENV.toml` and
    /// `KINDRED__*` variables from the process environment, then validates.
    pub fn load(config_dir: &Path) -> Result<Settings, ConfigError> {
        let vars = std::env::vars_os().map(|(k, v)| {
            (
                k.to_string_lossy().into_owned(),
                v.to_string_lossy().into_owned(),
            )
        });
        Self::load_from_env_map(config_dir, vars)
    }

    /// Like [`Settings::load`], but reads `KINDRED_ENV` and `KINDRED__*` from
    /// `env` instead of the process environment (for tests). Other variables
    /// in `env` are ignored.
    pub fn load_from_env_map(
        config_dir: &Path,
        env: impl Iterator<Item = (String, String)>,
    ) -> Result<Settings, ConfigError> {
        let vars: Vec<(String, String)> = env.collect();
        let mut layered = Layered::default();
        layered.merge_file(&config_dir.join("default.toml"))?;

        let env_name = vars
            .iter()
            .find(|(k, _)| k == ENV_NAME_VAR)
            .map(|(_, v)| v.trim())
            .filter(|v| !v.is_empty());
        if let Some(name) = env_name {
            if !name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
            {
                return Err(ConfigError::Environment {
                    env: name.to_owned(),
                    message: "the name may only contain letters, digits, '-' and '_'".into(),
                });
            }
            let path = config_dir.join(format!("{name}.toml"));
            if !path.is_file() {
                return Err(ConfigError::Environment {
                    env: name.to_owned(),
                    message: format!("{} does not exist", path.display()),
                });
            }
            layered.merge_file(&path)?;
        }

        layered.merge_env(&vars)?;
        Self::from_layered(layered)
    }

    /// Parses one TOML document over the built-in defaults (which equal
    /// `config/default.toml`) and validates the result. For unit tests:
    /// `Settings::from_toml_str("[mail]\ntransport = \"memory\"")`.
    pub fn from_toml_str(toml: &str) -> Result<Settings, ConfigError> {
        let mut layered = Layered::default();
        layered.merge_str(toml, Origin::File("<string>".into()))?;
        Self::from_layered(layered)
    }

    fn from_layered(layered: Layered) -> Result<Settings, ConfigError> {
        let Layered { table, sources } = layered;
        let settings: Settings = deserialize_sections(table, &sources)?;
        settings
            .validate()
            .map_err(|e| e.with_origin(|key| sources.origin_exact(key)))?;
        Ok(settings)
    }

    /// Checks ranges and cross-field rules. [`Settings::load`] and
    /// [`Settings::from_toml_str`] call this; call it again after changing
    /// fields by hand.
    pub fn validate(&self) -> Result<(), ConfigError> {
        validate::settings(self)
    }

    /// One line, safe to log at start-up: the main settings without secrets.
    pub fn redacted_summary(&self) -> String {
        let s = self;
        let mail = match s.mail.transport {
            MailTransport::Smtp => format!(
                "smtp({})",
                s.mail
                    .smtp_url
                    .as_ref()
                    .map_or_else(|| "no url".to_owned(), Secret::redacted_url)
            ),
            MailTransport::File => format!("file({})", s.mail.file_dir.display()),
            MailTransport::Memory => "memory".to_owned(),
        };
        let workers = if s.server.workers == 0 {
            "auto".to_owned()
        } else {
            s.server.workers.to_string()
        };
        let rate_limit = if s.rate_limit.enabled {
            format!(
                "{}/min/ip+{},{}/h/account+{}",
                s.rate_limit.per_ip_per_minute,
                s.rate_limit.per_ip_burst,
                s.rate_limit.per_account_per_hour,
                s.rate_limit.per_account_burst
            )
        } else {
            "off".to_owned()
        };
        format!(
            "listen={}:{} workers={} public_url={} body_limit={} trust_forwarded_for={} \
             database={} pool_size={} mail={} mail.from={:?} rate_limit={} \
             matching.auto_approve={} schedule.send_window={} jobs.concurrency={} \
             log={}/{} metrics={}",
            s.server.host,
            s.server.port,
            workers,
            s.server.public_url,
            s.server.body_limit,
            s.server.trust_forwarded_for,
            s.database.url.redacted(),
            s.database.pool_size,
            mail,
            s.mail.from,
            rate_limit,
            s.matching.auto_approve,
            s.schedule.send_window,
            s.jobs.concurrency,
            s.log.level,
            s.log.format,
            if s.metrics.enabled { "on" } else { "off" },
        )
    }

    /// Every key this crate knows, dotted (`server.port`, …), in declaration
    /// order. `matching.weights` stands for its whole free-form table.
    pub fn known_keys() -> Vec<String> {
        fn keys_of<T: serde::de::DeserializeOwned>(section: &str, out: &mut Vec<String>) {
            for f in layers::struct_fields::<T>().unwrap_or(&[]) {
                out.push(format!("{section}.{f}"));
            }
        }
        let mut out = Vec::new();
        keys_of::<ServerSettings>("server", &mut out);
        keys_of::<DatabaseSettings>("database", &mut out);
        keys_of::<MailSettings>("mail", &mut out);
        keys_of::<AuthSettings>("auth", &mut out);
        keys_of::<RateLimitSettings>("rate_limit", &mut out);
        keys_of::<SafetySettings>("safety", &mut out);
        keys_of::<MatchingSettings>("matching", &mut out);
        keys_of::<ScheduleSettings>("schedule", &mut out);
        keys_of::<JobsSettings>("jobs", &mut out);
        keys_of::<ImportsSettings>("imports", &mut out);
        keys_of::<CirclesSettings>("circles", &mut out);
        keys_of::<LogSettings>("log", &mut out);
        keys_of::<MetricsSettings>("metrics", &mut out);
        out
    }
}

/// Top level: unknown sections, then each section with its own type.
fn deserialize_sections(mut root: toml::Table, sources: &Sources) -> Result<Settings, ConfigError> {
    use toml::Value;

    let sections = layers::struct_fields::<Settings>().unwrap_or(&[]);
    if let Some(k) = root.keys().find(|k| !sections.contains(&k.as_str())) {
        return Err(ConfigError::UnknownKey {
            key: k.clone(),
            origin: sources.origin_of(k),
            expected: sections.iter().map(|s| (*s).to_owned()).collect(),
        });
    }

    fn section<T: serde::de::DeserializeOwned + Default>(
        root: &mut toml::Table,
        name: &str,
        sources: &Sources,
    ) -> Result<T, ConfigError> {
        match root.remove(name) {
            None => Ok(T::default()),
            Some(Value::Table(t)) => deserialize_table(t, name, sources),
            Some(other) => Err(ConfigError::InvalidValue {
                key: name.to_owned(),
                message: format!("expected a section [{name}], got a {}", other.type_str()),
                origin: sources.origin_of(name),
            }),
        }
    }

    Ok(Settings {
        server: section(&mut root, "server", sources)?,
        database: section(&mut root, "database", sources)?,
        mail: section(&mut root, "mail", sources)?,
        auth: section(&mut root, "auth", sources)?,
        rate_limit: section(&mut root, "rate_limit", sources)?,
        safety: section(&mut root, "safety", sources)?,
        matching: section(&mut root, "matching", sources)?,
        schedule: section(&mut root, "schedule", sources)?,
        jobs: section(&mut root, "jobs", sources)?,
        imports: section(&mut root, "imports", sources)?,
        circles: section(&mut root, "circles", sources)?,
        log: section(&mut root, "log", sources)?,
        metrics: section(&mut root, "metrics", sources)?,
    })
}

mod validate;

#[cfg(test)]
mod tests;
