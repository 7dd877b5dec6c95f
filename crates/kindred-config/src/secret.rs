//! Secret values that never show up in logs.

use std::fmt;

use serde::{Deserialize, Deserializer};

/// Placeholder printed instead of a secret.
pub const REDACTED: &str = "[redacted]";

/// A value whose `Debug` and `Display` print `[redacted]`.
///
/// Read it with [`Secret::expose_secret`] right where it is needed (e.g. when
/// building an SMTP transport); never format the exposed value.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Secret<T>(T);

impl<T> Secret<T> {
    pub const fn new(value: T) -> Self {
        Secret(value)
    }

    /// The secret value itself. Do not log it.
    pub fn expose_secret(&self) -> &T {
        &self.0
    }

    pub fn into_inner(self) -> T {
        self.0
    }
}

impl Secret<String> {
    /// For a URL: the URL with any password replaced by `***`
    /// (`smtps://user:***@mail.example.org`). Safe to log.
    pub fn redacted_url(&self) -> String {
        redact_url(&self.0)
    }
}

impl<T> From<T> for Secret<T> {
    fn from(value: T) -> Self {
        Secret(value)
    }
}

impl<T> fmt::Debug for Secret<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

impl<T> fmt::Display for Secret<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Secret<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        T::deserialize(deserializer).map(Secret)
    }
}

/// Replaces the password of a URL (`scheme://user:password@host/…`) and the value
/// of any query parameter whose name contains `pass` with `***`.
///
/// Errs on the side of hiding too much: when the text is not shaped like a URL
/// with an authority, the whole value is replaced by `[redacted]`.
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return REDACTED.to_owned();
    };
    if scheme.is_empty()
        || !scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    {
        return REDACTED.to_owned();
    }
    // Userinfo: everything before the LAST '@'. If a password contained an
    // unencoded '/', '?' or '@', this still hides all of it.
    let mut out = format!("{scheme}://");
    let after_userinfo = match rest.rfind('@') {
        Some(at) => {
            let userinfo = &rest[..at];
            match userinfo.split_once(':') {
                Some((user, _password)) => {
                    out.push_str(user);
                    out.push_str(":***@");
                }
                None => {
                    out.push_str(userinfo);
                    out.push('@');
                }
            }
            &rest[at + 1..]
        }
        None => rest,
    };
    // Query parameters such as `?password=…` (libpq accepts those).
    match after_userinfo.split_once('?') {
        Some((before, query)) => {
            out.push_str(before);
            out.push('?');
            let (query, fragment) = match query.split_once('#') {
                Some((q, f)) => (q, Some(f)),
                None => (query, None),
            };
            let parts: Vec<String> = query
                .split('&')
                .map(|pair| match pair.split_once('=') {
                    Some((name, _)) if name.to_ascii_lowercase().contains("pass") => {
                        format!("{name}=***")
                    }
                    _ => pair.to_owned(),
                })
                .collect();
            out.push_str(&parts.join("&"));
            if let Some(f) = fragment {
                out.push('#');
                out.push_str(f);
            }
        }
        None => out.push_str(after_userinfo),
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_display_are_redacted() {
        let s = Secret::new("hunter2".to_owned());
        assert_eq!(format!("{s:?}"), "[redacted]");
        assert_eq!(format!("{s}"), "[redacted]");
        assert_eq!(format!("{:?}", Some(s.clone())), "Some([redacted])");
        assert_eq!(s.expose_secret(), "hunter2");
    }

    #[test]
    fn redacts_urls() {
        let cases = [
            (
                "postgres://user:hunter2@host/db",
                "postgres://user:***@host/db",
            ),
            (
                "postgresql://user:p%40ss@host:5432/db?sslmode=require",
                "postgresql://user:***@host:5432/db?sslmode=require",
            ),
            ("postgres://user@host/db", "postgres://user@host/db"),
            ("smtp://127.0.0.1:2525", "smtp://127.0.0.1:2525"),
            (
                "smtps://me:s3cr/et@mail.example.org",
                "smtps://me:***@mail.example.org",
            ),
            (
                "postgres://host/db?user=u&password=hunter2&sslmode=disable",
                "postgres://host/db?user=u&password=***&sslmode=disable",
            ),
            ("postgres://u:a@b@host/db", "postgres://u:***@host/db"),
            ("not a url hunter2", "[redacted]"),
            ("u:hunter2@host", "[redacted]"),
        ];
        for (input, expected) in cases {
            let out = redact_url(input);
            assert_eq!(out, expected, "{input}");
            assert!(!out.contains("hunter2"));
        }
    }
}
