//! One struct per `[section]`. Defaults here mirror `config/default.toml`
//! exactly (a unit test enforces it), so `Settings::default()` and
//! `Settings::from_toml_str("")` give the documented defaults.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::str::FromStr;

use serde::{Deserialize, Deserializer};

use crate::{ByteSize, Cidr, DatabaseUrl, Duration, Secret, SendWindow};

/// Default of `mail.footer`: the support-resources text appended to every email.
pub const DEFAULT_MAIL_FOOTER: &str = "\
Kindred is a peer mentorship programme. Peer support does not replace
professional help.

In an emergency, or if you or someone else is in immediate danger, call your
local emergency number (112 in the EU, 911 in the US and Canada, 999 in the UK).

If you are struggling and want to talk to someone now:
- 988 Suicide & Crisis Lifeline (US): call or text 988
- Samaritans (UK & Ireland): call 116 123, free, day or night
- The Trevor Project, for LGBTQ+ young people: thetrevorproject.org
- Find a helpline near you: findahelpline.com

If anyone in the programme makes you feel unsafe, contact your programme
coordinator or file a report in Kindred (a report reaches the coordinators at once).";

/// Default of `mail.footers.es`: the Spanish support-resources text, the
/// same resources as [`DEFAULT_MAIL_FOOTER`] (plus Spain's 024 line).
pub const DEFAULT_MAIL_FOOTER_ES: &str = "\
Kindred es un programa de mentoría entre pares. El apoyo entre pares no
sustituye la ayuda profesional.

En una emergencia, o si tú u otra persona están en peligro inmediato, llama al
número de emergencias local (112 en la UE, 911 en EE. UU. y Canadá, 999 en el
Reino Unido).

Si lo estás pasando mal y quieres hablar con alguien ahora:
- Línea 024 de atención a la conducta suicida (España): llama al 024, gratis, a cualquier hora
- 988 Suicide & Crisis Lifeline (EE. UU.): llama o escribe al 988; en español, marca el 2
- Samaritans (Reino Unido e Irlanda): llama al 116 123, gratis, de día o de noche
- The Trevor Project, para jóvenes LGBTQ+: thetrevorproject.org
- Encuentra una línea de ayuda cerca de ti: findahelpline.com

Si alguien del programa hace que no te sientas a salvo, contacta con la persona
que coordina tu programa o envía una denuncia en Kindred (una denuncia llega de
inmediato al equipo de coordinación).";

/// `[server]`: the HTTP listener.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ServerSettings {
    /// Address to listen on (`127.0.0.1`, `0.0.0.0`, `::`, or a host name).
    pub host: String,
    /// TCP port; `0` lets the OS pick a free one (useful in tests).
    #[serde(deserialize_with = "de_port")]
    pub port: u16,
    /// Largest accepted request body.
    pub body_limit: ByteSize,
    /// Worker threads; `0` = number of CPUs.
    pub workers: usize,
    /// Public base URL, used to build links in emails. Always absolute http(s).
    #[serde(deserialize_with = "de_url")]
    pub public_url: url::Url,
    /// Take the client address from `X-Forwarded-For` (rate limits) when the
    /// connection comes from one of `trusted_proxies`. Only enable behind a
    /// reverse proxy that appends to that header.
    pub trust_forwarded_for: bool,
    /// The reverse proxies whose `X-Forwarded-For` entries are believed:
    /// the client is the right-most address not in these ranges. Required
    /// (non-empty) when `trust_forwarded_for` is on.
    #[serde(deserialize_with = "crate::cidr::de_cidr_list")]
    pub trusted_proxies: Vec<Cidr>,
}

impl Default for ServerSettings {
    fn default() -> Self {
        ServerSettings {
            host: "127.0.0.1".into(),
            port: 8080,
            body_limit: ByteSize::kib(64),
            workers: 0,
            #[allow(clippy::expect_used)]
            public_url: url::Url::parse("http://127.0.0.1:8080").expect("constant URL is valid"),
            trust_forwarded_for: false,
            trusted_proxies: Vec::new(),
        }
    }
}

/// `[database]`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DatabaseSettings {
    /// Backend and location; `Debug`/`Display` hide any password.
    pub url: DatabaseUrl,
    /// Maximum connections in the pool (≥ 1).
    pub pool_size: u32,
    /// How long to wait for a pooled connection.
    pub connection_timeout: Duration,
    /// SQLite `busy_timeout`: how long a writer waits for the lock.
    pub sqlite_busy_timeout: Duration,
}

impl Default for DatabaseSettings {
    fn default() -> Self {
        DatabaseSettings {
            url: DatabaseUrl::default(),
            pool_size: 8,
            connection_timeout: Duration::from_secs(5),
            sqlite_busy_timeout: Duration::from_secs(5),
        }
    }
}

/// How outgoing email leaves the process.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum MailTransport {
    /// Send through `mail.smtp_url`.
    Smtp,
    /// Write `.eml` files into `mail.file_dir`.
    #[default]
    File,
    /// Keep messages in memory (tests).
    Memory,
}

impl MailTransport {
    pub fn as_str(&self) -> &'static str {
        match self {
            MailTransport::Smtp => "smtp",
            MailTransport::File => "file",
            MailTransport::Memory => "memory",
        }
    }
}

impl std::fmt::Display for MailTransport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// `[mail]`: outgoing email and the mail outbox worker.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MailSettings {
    pub transport: MailTransport,
    /// `smtp://host:port` or `smtps://user:pass@host`; required when
    /// `transport = "smtp"`. Use [`Secret::redacted_url`] to log it.
    pub smtp_url: Option<Secret<String>>,
    /// `From:` header, e.g. `Kindred <no-reply@kindred.local>`.
    pub from: String,
    /// Directory for `.eml` files when `transport = "file"`.
    pub file_dir: PathBuf,
    /// Support-resources text appended to every email in English, and in
    /// any language without its own entry in `footers`; also shown at the
    /// foot of every web page in those languages.
    pub footer: String,
    /// The support-resources text per language (`es = "…"`), keyed by the
    /// language's tag; see [`MailSettings::footer_for`].
    pub footers: BTreeMap<String, String>,
    /// Timeout of one SMTP exchange.
    pub smtp_timeout: Duration,
    /// Pooled SMTP connections (≥ 1).
    pub smtp_pool_size: u32,
    /// How often the outbox worker looks for messages to send.
    pub poll_interval: Duration,
    /// Messages taken from the outbox per poll (≥ 1).
    pub batch_size: u32,
    /// Attempts before a message is marked dead (≥ 1).
    pub max_attempts: u32,
    /// First retry delay; doubles per attempt up to `retry_max`.
    pub retry_base: Duration,
    pub retry_max: Duration,
    /// Upper bound on messages handed to the transport per second (≥ 1).
    pub send_rate_per_second: u32,
}

impl Default for MailSettings {
    fn default() -> Self {
        MailSettings {
            transport: MailTransport::File,
            smtp_url: None,
            from: "Kindred <no-reply@kindred.local>".into(),
            file_dir: PathBuf::from("data/outbox"),
            footer: DEFAULT_MAIL_FOOTER.into(),
            footers: BTreeMap::from([("es".to_string(), DEFAULT_MAIL_FOOTER_ES.to_string())]),
            smtp_timeout: Duration::from_secs(10),
            smtp_pool_size: 4,
            poll_interval: Duration::from_secs(2),
            batch_size: 50,
            max_attempts: 8,
            retry_base: Duration::from_secs(30),
            retry_max: Duration::from_hours(6),
            send_rate_per_second: 20,
        }
    }
}

impl MailSettings {
    /// The support-resources text for the language tagged `lang` (`en`,
    /// `es`): its `footers` entry, else `footer`.
    pub fn footer_for(&self, lang: &str) -> &str {
        self.footers
            .get(lang)
            .map_or(self.footer.as_str(), String::as_str)
    }
}

/// `[auth]`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AuthSettings {
    /// Lifetime of an email verification code.
    pub verification_ttl: Duration,
    /// Lifetime of a session token.
    pub token_ttl: Duration,
    /// Wrong codes allowed before a verification code is burnt (≥ 1).
    pub verification_max_attempts: u32,
}

impl Default for AuthSettings {
    fn default() -> Self {
        AuthSettings {
            verification_ttl: Duration::from_hours(1),
            token_ttl: Duration::from_days(30),
            verification_max_attempts: 5,
        }
    }
}

/// `[rate_limit]`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RateLimitSettings {
    pub enabled: bool,
    /// Sustained requests per client IP per minute (≥ 1).
    pub per_ip_per_minute: u32,
    /// Extra requests an IP may burst above the sustained rate (≥ 1).
    pub per_ip_burst: u32,
    /// Sustained rate-limited actions per account per hour (≥ 1).
    pub per_account_per_hour: u32,
    pub per_account_burst: u32,
    /// Failed logins per account per hour across every client address (≥ 1,
    /// ≥ `per_account_burst`); the whole hour's worth may come at once.
    pub per_account_ceiling_per_hour: u32,
    /// Sustained actions per signed-in user per minute, per route family
    /// (reports, check-ins, blocks, requests) (≥ 1).
    pub per_user_per_minute: u32,
    /// Extra actions a signed-in user may burst per route family (≥ 1).
    pub per_user_burst: u32,
}

impl Default for RateLimitSettings {
    fn default() -> Self {
        RateLimitSettings {
            enabled: true,
            per_ip_per_minute: 30,
            per_ip_burst: 10,
            per_account_per_hour: 20,
            per_account_burst: 5,
            per_account_ceiling_per_hour: 100,
            per_user_per_minute: 10,
            per_user_burst: 5,
        }
    }
}

/// `[safety]`: coordinator alerts.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SafetySettings {
    /// After an alert of one kind (a report, a check-in asking for support)
    /// is sent, further alerts of that kind within this window are gathered
    /// into one summary email at its end (> 0).
    pub alert_batch_window: Duration,
}

impl Default for SafetySettings {
    fn default() -> Self {
        SafetySettings {
            alert_batch_window: Duration::from_mins(10),
        }
    }
}

/// `[matching]`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MatchingSettings {
    /// Skip coordinator review of proposed matches.
    pub auto_approve: bool,
    /// How long a mentor has to answer before the proposal expires.
    pub response_timeout: Duration,
    /// Alert coordinators about mentees waiting longer than this.
    pub wait_alert: Duration,
    /// `[matching.weights]`, passed through untouched; its keys are defined
    /// by the matching crate (docs/matching.md). Read it with
    /// [`MatchingSettings::weights_as`].
    pub weights: toml::Table,
}

impl Default for MatchingSettings {
    fn default() -> Self {
        MatchingSettings {
            auto_approve: false,
            response_timeout: Duration::from_days(7),
            wait_alert: Duration::from_days(21),
            weights: toml::Table::new(),
        }
    }
}

impl MatchingSettings {
    /// Deserializes `[matching.weights]` into the matching crate's own type,
    /// with the same key-named errors as the rest of the configuration
    /// (`unknown key "matching.weights.foo"; expected one of …`). If `T` is a
    /// struct with `#[serde(default)]`, missing keys take its defaults.
    pub fn weights_as<T: serde::de::DeserializeOwned>(&self) -> Result<T, crate::ConfigError> {
        crate::layers::deserialize_table(
            self.weights.clone(),
            "matching.weights",
            &crate::layers::Sources::default(),
        )
    }
}

/// `[schedule]`: the scheduler's reminders and digests.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ScheduleSettings {
    /// Check-in reminder cadence for active matches.
    pub checkin_interval: Duration,
    /// Local hours during which reminders may be sent.
    pub send_window: SendWindow,
    /// How often the scheduler wakes up.
    pub tick: Duration,
    /// Coordinator digest cadence.
    pub digest_interval: Duration,
    /// Missed check-ins after which a match counts as stalled (≥ 1).
    pub stalled_after_missed: u32,
}

impl Default for ScheduleSettings {
    fn default() -> Self {
        ScheduleSettings {
            checkin_interval: Duration::from_days(14),
            send_window: SendWindow::default(),
            tick: Duration::from_secs(30),
            digest_interval: Duration::from_days(7),
            stalled_after_missed: 2,
        }
    }
}

/// `[jobs]`: the background job runner.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct JobsSettings {
    /// How long a claimed job stays leased before another worker may rescue it.
    pub lease: Duration,
    /// Attempts before a job is moved to the dead state (≥ 1).
    pub max_attempts: u32,
    /// First retry delay; doubles per attempt up to `retry_max`.
    pub retry_base: Duration,
    pub retry_max: Duration,
    /// How often idle workers look for new jobs.
    pub poll_interval: Duration,
    /// Jobs run at the same time (≥ 1).
    pub concurrency: usize,
    /// How long finished jobs (done/cancelled) and sent/cancelled emails are
    /// kept before the worker purges them (> 0). Dead ones are kept until
    /// retried or their person is erased.
    pub retention: Duration,
    /// Run the scheduler, job worker and mail delivery inside `kindred serve`.
    /// Turn off when separate `kindred worker` processes do that work.
    pub in_process: bool,
}

impl Default for JobsSettings {
    fn default() -> Self {
        JobsSettings {
            lease: Duration::from_mins(5),
            max_attempts: 20,
            retry_base: Duration::from_secs(30),
            retry_max: Duration::from_hours(12),
            poll_interval: Duration::from_secs(1),
            concurrency: 4,
            retention: Duration::from_days(14),
            in_process: true,
        }
    }
}

/// `[imports]`: coordinators' CSV imports (`POST /api/v1/admin/imports`,
/// `kindred import participants`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ImportsSettings {
    /// Largest accepted CSV file; larger uploads get `413`.
    pub max_bytes: ByteSize,
    /// How long an invitation code (the one-time code that lets an imported
    /// person choose a password) stays valid.
    pub invitation_ttl: Duration,
}

impl Default for ImportsSettings {
    fn default() -> Self {
        ImportsSettings {
            max_bytes: ByteSize::mib(5),
            invitation_ttl: Duration::from_days(14),
        }
    }
}

/// `[circles]`: peer-support circles.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CirclesSettings {
    /// Fewest members of a circle (the facilitator not counted, ≥ 2).
    pub min_size: u32,
    /// Most members of a circle (≥ `min_size`, ≤ 20).
    pub max_size: u32,
    /// Time between sessions (a whole number of weeks, so the slot stays weekly).
    pub cadence: Duration,
    /// Length of a session; a circle's weekly slot is at least this long.
    pub session_length: Duration,
    /// How long an invited member has to join before the place is offered
    /// to the next compatible request.
    pub invite_timeout: Duration,
    /// How long before a session its reminder goes (moved earlier into the
    /// recipient's send window when it would fall outside it).
    pub reminder_before: Duration,
    /// Consecutive missed sessions after which the member gets a gentle note
    /// and the facilitator is told (≥ 1).
    pub missed_sessions_note: u32,
}

impl Default for CirclesSettings {
    fn default() -> Self {
        CirclesSettings {
            min_size: 4,
            max_size: 8,
            cadence: Duration::from_days(7),
            session_length: Duration::from_mins(90),
            invite_timeout: Duration::from_days(7),
            reminder_before: Duration::from_hours(24),
            missed_sessions_note: 2,
        }
    }
}

/// Log output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum LogFormat {
    #[default]
    Text,
    Json,
}

impl LogFormat {
    pub fn as_str(&self) -> &'static str {
        match self {
            LogFormat::Text => "text",
            LogFormat::Json => "json",
        }
    }
}

impl std::fmt::Display for LogFormat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// `[log]`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LogSettings {
    /// A `tracing_subscriber::EnvFilter` directive, e.g. `info` or
    /// `info,kindred_matching=debug`. `RUST_LOG`, if the binary honours it,
    /// is the binary's business.
    pub level: String,
    pub format: LogFormat,
}

impl Default for LogSettings {
    fn default() -> Self {
        LogSettings {
            level: "info".into(),
            format: LogFormat::Text,
        }
    }
}

/// `[metrics]`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MetricsSettings {
    /// Serve `GET /metrics` (Prometheus text format).
    pub enabled: bool,
    /// Bearer token a scraper must send (`Authorization: Bearer <token>`).
    /// When set it is always required, whatever `public` says.
    pub token: Option<Secret<String>>,
    /// Without a token: serve `/metrics` to anyone (`true`) or answer 404
    /// (`false`, the default). The counters (erasures, reports, …) are not
    /// for the public.
    pub public: bool,
}

impl Default for MetricsSettings {
    fn default() -> Self {
        MetricsSettings {
            enabled: true,
            token: None,
            public: false,
        }
    }
}

// ---------------------------------------------------------------------------
// Deserialization helpers with messages in the form `expected …, got …`.

/// Deserializes a string into one of the named variants.
fn de_choice<'de, D, T>(d: D, choices: &[(&str, T)]) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Copy,
{
    let s = String::deserialize(d)?;
    choices
        .iter()
        .find(|(name, _)| *name == s)
        .map(|(_, v)| *v)
        .ok_or_else(|| {
            let names: Vec<&str> = choices.iter().map(|(n, _)| *n).collect();
            serde::de::Error::custom(format!("expected one of {}, got {s:?}", names.join(", ")))
        })
}

impl<'de> Deserialize<'de> for MailTransport {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        de_choice(
            d,
            &[
                ("smtp", MailTransport::Smtp),
                ("file", MailTransport::File),
                ("memory", MailTransport::Memory),
            ],
        )
    }
}

impl<'de> Deserialize<'de> for LogFormat {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        de_choice(d, &[("text", LogFormat::Text), ("json", LogFormat::Json)])
    }
}

fn de_port<'de, D: Deserializer<'de>>(d: D) -> Result<u16, D::Error> {
    let value = toml::Value::deserialize(d)?;
    value
        .as_integer()
        .and_then(|n| u16::try_from(n).ok())
        .ok_or_else(|| {
            serde::de::Error::custom(format!(
                "expected a port number 0-65535 (0 = any free port), got {value}"
            ))
        })
}

fn de_url<'de, D: Deserializer<'de>>(d: D) -> Result<url::Url, D::Error> {
    let s = String::deserialize(d)?;
    url::Url::from_str(&s).map_err(|e| {
        serde::de::Error::custom(format!(
            "expected an absolute URL such as \"https://kindred.example.org\" ({e}), got {s:?}"
        ))
    })
}
