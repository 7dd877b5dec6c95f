//! Rules that types alone cannot express. Each failure names its key.

use crate::{
    AuthSettings, CirclesSettings, ConfigError, DatabaseSettings, Duration, ImportsSettings,
    JobsSettings, LogSettings, MailSettings, MailTransport, MatchingSettings, MetricsSettings,
    RateLimitSettings, SafetySettings, ScheduleSettings, Secret, ServerSettings, Settings,
};

type R = Result<(), ConfigError>;

fn at_least_one(key: &str, n: u64) -> R {
    if n == 0 {
        return Err(ConfigError::invalid(key, "must be at least 1, got 0"));
    }
    Ok(())
}

fn positive(key: &str, d: Duration) -> R {
    if d.is_zero() {
        return Err(ConfigError::invalid(
            key,
            "must be longer than zero, got \"0s\"",
        ));
    }
    Ok(())
}

fn not_blank(key: &str, s: &str) -> R {
    if s.trim().is_empty() {
        return Err(ConfigError::invalid(key, "must not be empty"));
    }
    Ok(())
}

fn backoff(section: &str, base: Duration, max: Duration) -> R {
    positive(&format!("{section}.retry_base"), base)?;
    if max < base {
        return Err(ConfigError::invalid(
            format!("{section}.retry_max"),
            format!("must be at least {section}.retry_base ({base}), got \"{max}\""),
        ));
    }
    Ok(())
}

pub(crate) fn settings(s: &Settings) -> R {
    server(&s.server)?;
    database(&s.database)?;
    mail(&s.mail)?;
    auth(&s.auth)?;
    rate_limit(&s.rate_limit)?;
    safety(&s.safety)?;
    matching(&s.matching)?;
    schedule(&s.schedule)?;
    jobs(&s.jobs)?;
    imports(&s.imports)?;
    circles(&s.circles)?;
    log(&s.log)?;
    metrics(&s.metrics)?;
    Ok(())
}

/// `[server]`.
fn server(s: &ServerSettings) -> R {
    not_blank("server.host", &s.host)?;
    // `port` is a u16: the 0-65535 range is checked while deserializing.
    if s.body_limit.as_u64() == 0 {
        return Err(ConfigError::invalid(
            "server.body_limit",
            "must be larger than zero",
        ));
    }
    if s.trust_forwarded_for && s.trusted_proxies.is_empty() {
        return Err(ConfigError::invalid(
            "server.trusted_proxies",
            "must list the reverse proxies' addresses (e.g. [\"10.0.0.0/8\"]) when \
             server.trust_forwarded_for = true; X-Forwarded-For from anyone else is forged",
        ));
    }
    public_url(&s.public_url)
}

/// `[metrics]`: a token, when set, must be long enough not to be guessed.
fn metrics(m: &MetricsSettings) -> R {
    if let Some(token) = &m.token {
        let t = token.expose_secret();
        if t.trim().len() < 16 || t.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(ConfigError::invalid(
                "metrics.token",
                "must be at least 16 characters without spaces (e.g. from `openssl rand -hex 32`)",
            ));
        }
    }
    Ok(())
}

/// `server.public_url`: absolute http(s) with a host, nothing after the path,
/// no credentials.
fn public_url(url: &url::Url) -> R {
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(ConfigError::invalid(
            "server.public_url",
            format!("expected an http:// or https:// URL with a host, got \"{url}\""),
        ));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(ConfigError::invalid(
            "server.public_url",
            format!("must not have a query or fragment, got \"{url}\""),
        ));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(ConfigError::invalid(
            "server.public_url",
            "must not contain credentials",
        ));
    }
    Ok(())
}

/// `[database]` (the URL scheme is checked while deserializing `DatabaseUrl`).
fn database(d: &DatabaseSettings) -> R {
    at_least_one("database.pool_size", d.pool_size.into())?;
    positive("database.connection_timeout", d.connection_timeout)
}

/// `[mail]`.
fn mail(m: &MailSettings) -> R {
    smtp_url(m.transport, m.smtp_url.as_ref())?;
    from_address(&m.from)?;
    for lang in m.footers.keys() {
        if !(2..=3).contains(&lang.len()) || !lang.bytes().all(|b| b.is_ascii_lowercase()) {
            return Err(ConfigError::invalid(
                format!("mail.footers.{lang}"),
                "must be keyed by a language's tag in lower case, e.g. es",
            ));
        }
    }
    if m.transport == MailTransport::File && m.file_dir.as_os_str().is_empty() {
        return Err(ConfigError::invalid(
            "mail.file_dir",
            "must not be empty when mail.transport = \"file\"",
        ));
    }
    positive("mail.smtp_timeout", m.smtp_timeout)?;
    at_least_one("mail.smtp_pool_size", m.smtp_pool_size.into())?;
    positive("mail.poll_interval", m.poll_interval)?;
    at_least_one("mail.batch_size", m.batch_size.into())?;
    at_least_one("mail.max_attempts", m.max_attempts.into())?;
    backoff("mail", m.retry_base, m.retry_max)?;
    at_least_one("mail.send_rate_per_second", m.send_rate_per_second.into())
}

/// `mail.smtp_url`: required for the SMTP transport; when given, an
/// `smtp://` or `smtps://` URL. Messages never contain the URL (it may hold a
/// password).
fn smtp_url(transport: MailTransport, url: Option<&Secret<String>>) -> R {
    let Some(url) = url else {
        if transport == MailTransport::Smtp {
            return Err(ConfigError::invalid(
                "mail.smtp_url",
                "is required when mail.transport = \"smtp\" \
                 (e.g. \"smtp://127.0.0.1:2525\" or \"smtps://user:pass@host\")",
            ));
        }
        return Ok(());
    };
    let scheme = url
        .expose_secret()
        .split_once("://")
        .map(|(s, _)| s.to_ascii_lowercase());
    match scheme.as_deref() {
        Some("smtp" | "smtps") => {}
        Some(other) => {
            let other: String = other.chars().take(20).collect();
            return Err(ConfigError::invalid(
                "mail.smtp_url",
                format!("expected an smtp:// or smtps:// URL, got scheme {other:?}"),
            ));
        }
        None => {
            return Err(ConfigError::invalid(
                "mail.smtp_url",
                "expected an smtp:// or smtps:// URL",
            ))
        }
    }
    if let Err(e) = url::Url::parse(url.expose_secret()) {
        return Err(ConfigError::invalid(
            "mail.smtp_url",
            format!("not a valid URL ({e})"),
        ));
    }
    Ok(())
}

/// `mail.from`: a non-blank address.
fn from_address(from: &str) -> R {
    not_blank("mail.from", from)?;
    if !from.contains('@') {
        return Err(ConfigError::invalid(
            "mail.from",
            format!("expected an address such as \"Kindred <no-reply@example.org>\", got {from:?}"),
        ));
    }
    Ok(())
}

/// `[auth]`.
fn auth(a: &AuthSettings) -> R {
    positive("auth.verification_ttl", a.verification_ttl)?;
    positive("auth.token_ttl", a.token_ttl)?;
    at_least_one(
        "auth.verification_max_attempts",
        a.verification_max_attempts.into(),
    )
}

/// `[rate_limit]`.
fn rate_limit(r: &RateLimitSettings) -> R {
    at_least_one("rate_limit.per_ip_per_minute", r.per_ip_per_minute.into())?;
    at_least_one("rate_limit.per_ip_burst", r.per_ip_burst.into())?;
    at_least_one(
        "rate_limit.per_account_per_hour",
        r.per_account_per_hour.into(),
    )?;
    at_least_one("rate_limit.per_account_burst", r.per_account_burst.into())?;
    at_least_one(
        "rate_limit.per_account_ceiling_per_hour",
        r.per_account_ceiling_per_hour.into(),
    )?;
    if r.per_account_ceiling_per_hour < r.per_account_burst {
        // Otherwise failures from any address would lock the owner out
        // before their own address's allowance is used up.
        return Err(ConfigError::invalid(
            "rate_limit.per_account_ceiling_per_hour",
            format!(
                "must be at least rate_limit.per_account_burst ({}), got {}",
                r.per_account_burst, r.per_account_ceiling_per_hour
            ),
        ));
    }
    at_least_one(
        "rate_limit.per_user_per_minute",
        r.per_user_per_minute.into(),
    )?;
    at_least_one("rate_limit.per_user_burst", r.per_user_burst.into())
}

/// `[safety]`.
fn safety(s: &SafetySettings) -> R {
    positive("safety.alert_batch_window", s.alert_batch_window)
}

/// `[matching]` (`weights` is checked by the matching crate).
fn matching(m: &MatchingSettings) -> R {
    positive("matching.response_timeout", m.response_timeout)?;
    positive("matching.wait_alert", m.wait_alert)
}

/// `[schedule]` (send_window format is checked while deserializing).
fn schedule(s: &ScheduleSettings) -> R {
    positive("schedule.checkin_interval", s.checkin_interval)?;
    positive("schedule.tick", s.tick)?;
    positive("schedule.digest_interval", s.digest_interval)?;
    at_least_one(
        "schedule.stalled_after_missed",
        s.stalled_after_missed.into(),
    )
}

/// `[jobs]`.
fn jobs(j: &JobsSettings) -> R {
    positive("jobs.lease", j.lease)?;
    at_least_one("jobs.max_attempts", j.max_attempts.into())?;
    backoff("jobs", j.retry_base, j.retry_max)?;
    positive("jobs.poll_interval", j.poll_interval)?;
    at_least_one("jobs.concurrency", j.concurrency as u64)?;
    positive("jobs.retention", j.retention)
}

/// `[imports]`.
fn imports(i: &ImportsSettings) -> R {
    at_least_one("imports.max_bytes", i.max_bytes.as_u64())?;
    positive("imports.invitation_ttl", i.invitation_ttl)
}

/// `[log]`.
fn log(l: &LogSettings) -> R {
    not_blank("log.level", &l.level)
}

/// `[circles]`.
fn circles(c: &CirclesSettings) -> R {
    if c.min_size < 2 {
        return Err(ConfigError::invalid(
            "circles.min_size",
            "must be at least 2",
        ));
    }
    if c.max_size < c.min_size || c.max_size > 20 {
        return Err(ConfigError::invalid(
            "circles.max_size",
            "must be at least circles.min_size and at most 20",
        ));
    }
    positive("circles.cadence", c.cadence)?;
    if !c.cadence.as_secs().is_multiple_of(7 * 86_400) {
        return Err(ConfigError::invalid(
            "circles.cadence",
            "must be a whole number of weeks (7d, 14d, …)",
        ));
    }
    positive("circles.session_length", c.session_length)?;
    if !c.session_length.as_secs().is_multiple_of(900) || c.session_length.as_secs() > 6 * 3600 {
        return Err(ConfigError::invalid(
            "circles.session_length",
            "must be a multiple of 15 minutes, at most 6h",
        ));
    }
    positive("circles.invite_timeout", c.invite_timeout)?;
    positive("circles.reminder_before", c.reminder_before)?;
    at_least_one(
        "circles.missed_sessions_note",
        u64::from(c.missed_sessions_note),
    )
}
