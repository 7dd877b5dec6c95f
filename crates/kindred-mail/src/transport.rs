//! Transports (SMTP, `.eml` files, in-memory) behind one cheaply clonable [`Mailer`].

use std::fmt;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::transport::smtp::PoolConfig;
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use percent_encoding::percent_decode_str;
use serde::{Deserialize, Serialize};

use crate::email::OutgoingEmail;

/// How a [`Mailer`] delivers messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TransportConfig {
    /// SMTP with lettre's connection pool.
    ///
    /// URL forms:
    /// * `smtp://host:port` — plain, no TLS (local sinks / relays on localhost);
    /// * `smtp://host:port?tls=starttls` or `smtp+starttls://host:port` — STARTTLS required;
    /// * `smtps://user:pass@host:port` — implicit TLS (default port 465).
    ///
    /// Credentials come from the userinfo (percent-decoded). Default ports: 25 (`smtp`),
    /// 587 (`smtp+starttls`), 465 (`smtps`).
    Smtp {
        url: String,
        /// Limit for one send (connect + whole SMTP transaction). On expiry the send fails
        /// with [`SendError::Transient`] and the connection pool is replaced.
        timeout: Duration,
        /// Maximum number of pooled connections.
        pool_size: u32,
    },
    /// One `<uuid>.eml` file per message in `dir` (created if missing).
    File { dir: PathBuf },
    /// Messages are kept in memory (see [`Mailer::outbox`]); for tests and development.
    Memory,
}

/// Why a message was not sent.
///
/// Messages never contain credentials.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SendError {
    /// Retrying cannot help: SMTP 5xx, invalid address, unbuildable message. Mark the email dead.
    #[error("permanent mail failure: {0}")]
    Permanent(String),
    /// May succeed later: connection refused, timeouts, SMTP 4xx, TLS/IO problems. Retry with backoff.
    #[error("transient mail failure: {0}")]
    Transient(String),
}

impl SendError {
    pub fn is_permanent(&self) -> bool {
        matches!(self, SendError::Permanent(_))
    }

    pub fn is_transient(&self) -> bool {
        matches!(self, SendError::Transient(_))
    }

    /// The human-readable reason (without the permanent/transient prefix).
    pub fn reason(&self) -> &str {
        match self {
            SendError::Permanent(m) | SendError::Transient(m) => m,
        }
    }
}

/// A [`TransportConfig`] that cannot be used (bad SMTP URL, unwritable directory).
/// Messages never contain credentials.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid mail transport configuration: {0}")]
pub struct ConfigError(pub String);

/// A message accepted by the memory transport.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SentEmail {
    /// The email as given to [`Mailer::send`].
    pub email: OutgoingEmail,
    /// The full RFC 5322 message as it would have gone over the wire.
    pub raw: String,
    /// Envelope recipient(s).
    pub envelope_to: Vec<String>,
}

/// What the memory transport does on the next sends (for testing retry logic).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MemoryFailure {
    Transient,
    Permanent,
}

/// The store behind the memory transport; clones share the same messages.
#[derive(Debug, Clone, Default)]
pub struct MemoryOutbox {
    messages: Arc<Mutex<Vec<SentEmail>>>,
    failure: Arc<Mutex<Option<MemoryFailure>>>,
}

impl MemoryOutbox {
    pub fn new() -> Self {
        Self::default()
    }

    /// A copy of everything sent so far, in order.
    pub fn messages(&self) -> Vec<SentEmail> {
        lock(&self.messages).clone()
    }

    pub fn len(&self) -> usize {
        lock(&self.messages).len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Removes and returns everything sent so far.
    pub fn take(&self) -> Vec<SentEmail> {
        std::mem::take(&mut *lock(&self.messages))
    }

    pub fn clear(&self) {
        lock(&self.messages).clear();
    }

    /// Messages whose recipient address equals `address` (case-insensitive).
    pub fn sent_to(&self, address: &str) -> Vec<SentEmail> {
        lock(&self.messages)
            .iter()
            .filter(|m| {
                m.envelope_to
                    .iter()
                    .any(|t| t.eq_ignore_ascii_case(address))
            })
            .cloned()
            .collect()
    }

    /// While set, every send fails with this kind of error and stores nothing.
    pub fn set_failure(&self, failure: Option<MemoryFailure>) {
        *lock(&self.failure) = failure;
    }

    fn push(&self, email: SentEmail) -> Result<(), SendError> {
        match *lock(&self.failure) {
            Some(MemoryFailure::Transient) => {
                return Err(SendError::Transient(
                    "memory transport: simulated failure".into(),
                ))
            }
            Some(MemoryFailure::Permanent) => {
                return Err(SendError::Permanent(
                    "memory transport: simulated failure".into(),
                ))
            }
            None => {}
        }
        lock(&self.messages).push(email);
        Ok(())
    }
}

/// Creates `dir` and any missing parents as 0700 (existing folders are left as they are).
fn create_private_dir(dir: &std::path::Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)
}

/// Writes a new file readable and writable by the owner only (0600).
async fn write_private_file(path: &std::path::Path, contents: &[u8]) -> std::io::Result<()> {
    use tokio::io::AsyncWriteExt;
    let mut options = tokio::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    options.mode(0o600);
    let mut file = options.open(path).await?;
    file.write_all(contents).await?;
    file.flush().await
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Sends [`OutgoingEmail`]s. Cheap to clone; `Send + Sync`.
///
/// The SMTP connection pool is created lazily on the first send, inside the caller's tokio
/// runtime; constructing a `Mailer` does not need a runtime.
#[derive(Clone)]
pub struct Mailer {
    inner: Arc<Inner>,
}

enum Inner {
    Smtp(SmtpInner),
    /// `.eml` files readable by the service's user only (0600 in folders it
    /// creates 0700): they hold names, addresses and codes.
    File {
        dir: PathBuf,
    },
    Memory(MemoryOutbox),
}

struct SmtpInner {
    settings: SmtpSettings,
    /// Built lazily (lettre's pool spawns a task, so it needs a runtime); replaced after a
    /// timeout so that a connection left mid-transaction is never reused.
    transport: Mutex<Option<Arc<AsyncSmtpTransport<Tokio1Executor>>>>,
}

impl SmtpInner {
    fn transport(&self) -> Arc<AsyncSmtpTransport<Tokio1Executor>> {
        let mut slot = lock(&self.transport);
        match &*slot {
            Some(t) => Arc::clone(t),
            None => {
                let t = Arc::new(self.settings.build());
                *slot = Some(Arc::clone(&t));
                t
            }
        }
    }

    fn discard(&self, used: &Arc<AsyncSmtpTransport<Tokio1Executor>>) {
        let mut slot = lock(&self.transport);
        if slot.as_ref().is_some_and(|t| Arc::ptr_eq(t, used)) {
            *slot = None;
        }
    }

    async fn send(&self, message: lettre::Message) -> Result<(), SendError> {
        let transport = self.transport();
        match tokio::time::timeout(self.settings.timeout, transport.send(message)).await {
            Ok(Ok(_)) => Ok(()),
            Ok(Err(e)) => Err(classify_smtp_error(&e, &self.settings)),
            Err(_) => {
                self.discard(&transport);
                Err(SendError::Transient(format!(
                    "SMTP {}:{}: no answer within {:?}",
                    self.settings.host, self.settings.port, self.settings.timeout
                )))
            }
        }
    }
}

#[derive(Clone, PartialEq, Eq)]
struct SmtpSettings {
    host: String,
    port: u16,
    security: Security,
    credentials: Option<(String, String)>,
    timeout: Duration,
    pool_size: u32,
}

impl fmt::Debug for SmtpSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SmtpSettings")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("security", &self.security)
            .field("user", &self.credentials.as_ref().map(|(u, _)| u))
            .field("password", &self.credentials.as_ref().map(|_| "***"))
            .field("timeout", &self.timeout)
            .field("pool_size", &self.pool_size)
            .finish()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Security {
    Plain,
    StartTls,
    ImplicitTls,
}

impl fmt::Debug for Mailer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &*self.inner {
            Inner::Smtp(s) => f
                .debug_struct("Mailer::Smtp")
                .field("host", &s.settings.host)
                .field("port", &s.settings.port)
                .field("security", &s.settings.security)
                .field("authenticated", &s.settings.credentials.is_some())
                .finish(),
            Inner::File { dir, .. } => f.debug_struct("Mailer::File").field("dir", dir).finish(),
            Inner::Memory(o) => f
                .debug_struct("Mailer::Memory")
                .field("sent", &o.len())
                .finish(),
        }
    }
}

impl Mailer {
    /// Validates the configuration (parses the SMTP URL, creates the file directory).
    pub fn new(config: &TransportConfig) -> Result<Self, ConfigError> {
        let inner = match config {
            TransportConfig::Smtp {
                url,
                timeout,
                pool_size,
            } => Inner::Smtp(SmtpInner {
                settings: parse_smtp_url(url, *timeout, *pool_size)?,
                transport: Mutex::new(None),
            }),
            TransportConfig::File { dir } => {
                create_private_dir(dir).map_err(|e| {
                    ConfigError(format!(
                        "cannot create mail directory {}: {e}",
                        dir.display()
                    ))
                })?;
                Inner::File { dir: dir.clone() }
            }
            TransportConfig::Memory => Inner::Memory(MemoryOutbox::new()),
        };
        Ok(Self {
            inner: Arc::new(inner),
        })
    }

    /// A memory mailer and a handle on its outbox.
    pub fn memory() -> (Self, MemoryOutbox) {
        let outbox = MemoryOutbox::new();
        (Self::with_outbox(outbox.clone()), outbox)
    }

    /// A memory mailer storing into an existing outbox.
    pub fn with_outbox(outbox: MemoryOutbox) -> Self {
        Self {
            inner: Arc::new(Inner::Memory(outbox)),
        }
    }

    /// The in-memory store, for a memory transport; `None` otherwise.
    pub fn outbox(&self) -> Option<MemoryOutbox> {
        match &*self.inner {
            Inner::Memory(o) => Some(o.clone()),
            _ => None,
        }
    }

    /// Short name of the transport: `"smtp"`, `"file"` or `"memory"`.
    pub fn kind(&self) -> &'static str {
        match &*self.inner {
            Inner::Smtp(_) => "smtp",
            Inner::File { .. } => "file",
            Inner::Memory(_) => "memory",
        }
    }

    /// Sends one email. Must be called inside a tokio runtime.
    pub async fn send(&self, email: &OutgoingEmail) -> Result<(), SendError> {
        let message = email.to_message()?;
        let envelope_to: Vec<String> = message
            .envelope()
            .to()
            .iter()
            .map(|a| a.to_string())
            .collect();
        match &*self.inner {
            Inner::Memory(outbox) => {
                let raw = String::from_utf8_lossy(&message.formatted()).into_owned();
                outbox.push(SentEmail {
                    email: email.clone(),
                    raw,
                    envelope_to,
                })
            }
            Inner::File { dir } => {
                let path = dir.join(format!("{}.eml", uuid::Uuid::new_v4()));
                match write_private_file(&path, &message.formatted()).await {
                    Ok(()) => {
                        tracing::debug!(file = %path.display(), "email written");
                        Ok(())
                    }
                    Err(e) => Err(SendError::Transient(format!(
                        "cannot write email to {}: {e}",
                        dir.display()
                    ))),
                }
            }
            Inner::Smtp(smtp) => smtp.send(message).await,
        }
    }
}

impl SmtpSettings {
    fn build(&self) -> AsyncSmtpTransport<Tokio1Executor> {
        let mut builder =
            AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(self.host.clone())
                .port(self.port)
                .timeout(Some(self.timeout))
                .pool_config(PoolConfig::new().max_size(self.pool_size.max(1)));
        let tls = || TlsParameters::new(self.host.clone());
        builder = match self.security {
            Security::Plain => builder.tls(Tls::None),
            Security::StartTls => match tls() {
                Ok(params) => builder.tls(Tls::Required(params)),
                // Unreachable with rustls for a valid host name; fail closed on send.
                Err(_) => builder.tls(Tls::Required(invalid_tls_params())),
            },
            Security::ImplicitTls => match tls() {
                Ok(params) => builder.tls(Tls::Wrapper(params)),
                Err(_) => builder.tls(Tls::Wrapper(invalid_tls_params())),
            },
        };
        if let Some((user, pass)) = &self.credentials {
            builder = builder.credentials(Credentials::new(user.clone(), pass.clone()));
        }
        builder.build()
    }
}

fn invalid_tls_params() -> TlsParameters {
    // A host name that never matches a certificate: TLS then fails (transient) instead of
    // silently downgrading to plain text.
    #[allow(clippy::expect_used)]
    TlsParameters::new("invalid.invalid".into()).expect("static TLS parameters")
}

fn parse_smtp_url(
    raw: &str,
    timeout: Duration,
    pool_size: u32,
) -> Result<SmtpSettings, ConfigError> {
    // Never echo the URL itself: it may contain a password.
    let url = url::Url::parse(raw)
        .map_err(|e| ConfigError(format!("mail SMTP URL does not parse: {e}")))?;
    let mut security = match url.scheme() {
        "smtp" => Security::Plain,
        "smtp+starttls" => Security::StartTls,
        "smtps" => Security::ImplicitTls,
        other => {
            return Err(ConfigError(format!(
                "mail SMTP URL scheme must be smtp, smtp+starttls or smtps, not {other:?}"
            )))
        }
    };
    for (key, value) in url.query_pairs() {
        match (key.as_ref(), value.as_ref()) {
            ("tls", "starttls" | "required") if security != Security::ImplicitTls => {
                security = Security::StartTls
            }
            ("tls", "none") if security == Security::Plain => {}
            ("tls", v) => {
                return Err(ConfigError(format!(
                    "unsupported tls={v:?} in mail SMTP URL for this scheme"
                )))
            }
            (k, _) => {
                return Err(ConfigError(format!(
                    "unknown query parameter {k:?} in mail SMTP URL"
                )))
            }
        }
    }
    let host = url
        .host_str()
        .filter(|h| !h.is_empty())
        .ok_or_else(|| ConfigError("mail SMTP URL has no host".into()))?;
    let host = host
        .trim_start_matches('[')
        .trim_end_matches(']')
        .to_owned();
    let port = url.port().unwrap_or(match security {
        Security::Plain => 25,
        Security::StartTls => 587,
        Security::ImplicitTls => 465,
    });
    let credentials = if url.username().is_empty() {
        None
    } else {
        let decode = |s: &str| {
            percent_decode_str(s)
                .decode_utf8()
                .map(|c| c.into_owned())
                .map_err(|_| ConfigError("mail SMTP URL credentials are not valid UTF-8".into()))
        };
        Some((
            decode(url.username())?,
            decode(url.password().unwrap_or(""))?,
        ))
    };
    Ok(SmtpSettings {
        host,
        port,
        security,
        credentials,
        timeout,
        pool_size,
    })
}

fn classify_smtp_error(e: &lettre::transport::smtp::Error, settings: &SmtpSettings) -> SendError {
    let mut text = e.to_string();
    if let Some((user, pass)) = &settings.credentials {
        if !pass.is_empty() {
            text = text.replace(pass.as_str(), "***");
        }
        if !user.is_empty() {
            text = text.replace(user.as_str(), "***");
        }
    }
    let text = format!("SMTP {}:{}: {}", settings.host, settings.port, text);
    if e.is_permanent() {
        SendError::Permanent(text)
    } else {
        // 4xx, connection refused/reset, timeouts, TLS and protocol problems, and
        // client-side configuration problems (e.g. STARTTLS unsupported) are retried.
        SendError::Transient(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(url: &str) -> Result<SmtpSettings, ConfigError> {
        parse_smtp_url(url, Duration::from_secs(5), 4)
    }

    #[test]
    fn smtp_url_forms() {
        let s = parse("smtp://127.0.0.1:2525").unwrap();
        assert_eq!(
            (s.host.as_str(), s.port, s.security),
            ("127.0.0.1", 2525, Security::Plain)
        );
        assert!(s.credentials.is_none());

        let s = parse("smtp://mail.example.org:587?tls=starttls").unwrap();
        assert_eq!(s.security, Security::StartTls);
        let s = parse("smtp+starttls://mail.example.org").unwrap();
        assert_eq!((s.port, s.security), (587, Security::StartTls));

        let s = parse("smtps://us%40er:p%3Ass%2Fw@mail.example.org").unwrap();
        assert_eq!((s.port, s.security), (465, Security::ImplicitTls));
        assert_eq!(
            s.credentials,
            Some(("us@er".to_owned(), "p:ss/w".to_owned()))
        );
    }

    #[test]
    fn bad_urls_do_not_leak_passwords() {
        for url in [
            "http://user:hunter2@host",
            "smtp://user:hunter2@host?foo=bar",
            "smtps://user:hunter2@host?tls=none",
            "smtp://user:hunter2@",
        ] {
            let err = parse(url).unwrap_err();
            assert!(!err.to_string().contains("hunter2"), "{err}");
        }
        let mailer_debug = format!(
            "{:?}",
            Mailer::new(&TransportConfig::Smtp {
                url: "smtps://user:hunter2@host".into(),
                timeout: Duration::from_secs(1),
                pool_size: 1,
            })
            .unwrap()
        );
        assert!(!mailer_debug.contains("hunter2"), "{mailer_debug}");
    }

    #[test]
    fn mailer_is_send_sync_clone() {
        fn check<T: Send + Sync + Clone + 'static>() {}
        check::<Mailer>();
        check::<MemoryOutbox>();
    }
}
