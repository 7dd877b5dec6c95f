//! Rules that types alone cannot express. Each failure names its key.

use crate::{ConfigError, Duration, MailTransport, Settings};

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
    // [server]
    not_blank("server.host", &s.server.host)?;
    // `port` is a u16: the 0-65535 range is checked while deserializing.
    if s.server.body_limit.as_u64() == 0 {
        return Err(ConfigError::invalid(
            "server.body_limit",
            "must be larger than zero",
        ));
    }
    let url = &s.server.public_url;
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

    // [database] (the URL scheme is checked while deserializing `DatabaseUrl`)
    at_least_one("database.pool_size", s.database.pool_size.into())?;
    positive("database.connection_timeout", s.database.connection_timeout)?;

    // [mail]
    let m = &s.mail;
    match (&m.transport, &m.smtp_url) {
        (MailTransport::Smtp, None) => {
            return Err(ConfigError::invalid(
                "mail.smtp_url",
                "is required when mail.transport = \"smtp\" \
                 (e.g. \"smtp://127.0.0.1:2525\" or \"smtps://user:pass@host\")",
            ))
        }
        (_, Some(url)) => {
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
        }
        _ => {}
    }
    not_blank("mail.from", &m.from)?;
    if !m.from.contains('@') {
        return Err(ConfigError::invalid(
            "mail.from",
            format!(
                "expected an address such as \"Kindred <no-reply@example.org>\", got {:?}",
                m.from
            ),
        ));
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
    at_least_one("mail.send_rate_per_second", m.send_rate_per_second.into())?;

    // [auth]
    positive("auth.verification_ttl", s.auth.verification_ttl)?;
    positive("auth.token_ttl", s.auth.token_ttl)?;
    at_least_one(
        "auth.verification_max_attempts",
        s.auth.verification_max_attempts.into(),
    )?;

    // [rate_limit]
    let r = &s.rate_limit;
    at_least_one("rate_limit.per_ip_per_minute", r.per_ip_per_minute.into())?;
    at_least_one("rate_limit.per_ip_burst", r.per_ip_burst.into())?;
    at_least_one(
        "rate_limit.per_account_per_hour",
        r.per_account_per_hour.into(),
    )?;
    at_least_one("rate_limit.per_account_burst", r.per_account_burst.into())?;

    // [matching]
    positive("matching.response_timeout", s.matching.response_timeout)?;
    positive("matching.wait_alert", s.matching.wait_alert)?;
    at_least_one(
        "matching.candidates_per_mentee",
        s.matching.candidates_per_mentee.into(),
    )?;
    at_least_one(
        "matching.candidates_per_mentor",
        s.matching.candidates_per_mentor.into(),
    )?;

    // [schedule] (send_window format is checked while deserializing)
    positive("schedule.checkin_interval", s.schedule.checkin_interval)?;
    positive("schedule.tick", s.schedule.tick)?;
    positive("schedule.digest_interval", s.schedule.digest_interval)?;
    at_least_one(
        "schedule.stalled_after_missed",
        s.schedule.stalled_after_missed.into(),
    )?;

    // [jobs]
    let j = &s.jobs;
    positive("jobs.lease", j.lease)?;
    at_least_one("jobs.max_attempts", j.max_attempts.into())?;
    backoff("jobs", j.retry_base, j.retry_max)?;
    positive("jobs.poll_interval", j.poll_interval)?;
    at_least_one("jobs.concurrency", j.concurrency as u64)?;

    // [log]
    not_blank("log.level", &s.log.level)?;

    Ok(())
}
