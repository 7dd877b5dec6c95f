//! `?limit=&cursor=` pagination: `{"items": [...], "next_cursor": "..." | null}`.
//! A cursor is the id of the last row of the previous page (keyset-based, so
//! pages stay consistent while rows are added). Any string of id characters
//! is a valid cursor: the page holds the rows after it. Clients should still
//! treat cursors as opaque.

use serde::Serialize;

use crate::error::{ServiceError, ServiceResult};

pub const DEFAULT_LIMIT: i64 = 50;
pub const MAX_LIMIT: i64 = 200;

#[derive(Serialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next_cursor: Option<String>,
}

/// Raw query values (strings, so a bad number is a 422, not a 400).
pub struct PageQuery {
    pub limit: Option<String>,
    pub cursor: Option<String>,
}

pub struct ValidPage {
    pub limit: i64,
    pub after: Option<String>,
}

impl PageQuery {
    pub fn validate(self) -> ServiceResult<ValidPage> {
        let mut errors = kindred_core::FieldErrors::new();
        let limit = match self.limit.as_deref() {
            None => DEFAULT_LIMIT,
            Some(raw) => match raw.parse::<i64>() {
                Ok(n) if (1..=MAX_LIMIT).contains(&n) => n,
                _ => {
                    errors.add("limit", format!("must be an integer from 1 to {MAX_LIMIT}"));
                    DEFAULT_LIMIT
                }
            },
        };
        let after = match self.cursor.as_deref().filter(|c| !c.is_empty()) {
            None => None,
            Some(raw) => match decode_cursor(raw) {
                Some(key) => Some(key),
                None => {
                    errors.add("cursor", "is not a cursor this server issued");
                    None
                }
            },
        };
        if errors.is_empty() {
            Ok(ValidPage { limit, after })
        } else {
            Err(ServiceError::from(errors))
        }
    }
}

impl ValidPage {
    /// Loads one page: `load(conn, after, limit + 1)` fetches one row more
    /// than asked, which tells whether a next page exists.
    pub fn load<T>(
        &self,
        conn: &mut kindred_db::DbConnection,
        load: impl FnOnce(
            &mut kindred_db::DbConnection,
            Option<&str>,
            i64,
        ) -> kindred_db::DbResult<Vec<T>>,
        key: impl Fn(&T) -> String,
    ) -> ServiceResult<(Vec<T>, Option<String>)> {
        let mut rows = load(conn, self.after.as_deref(), self.limit + 1)?;
        let next = self.next_cursor(&mut rows, key);
        Ok((rows, next))
    }

    /// Given `limit + 1` rows, trims the extra one and returns the cursor for the next page.
    pub fn next_cursor<T>(&self, rows: &mut Vec<T>, key: impl Fn(&T) -> String) -> Option<String> {
        let limit = usize::try_from(self.limit).unwrap_or(usize::MAX);
        if rows.len() > limit {
            rows.truncate(limit);
            rows.last().map(|row| encode_cursor(&key(row)))
        } else {
            None
        }
    }
}

/// The longest cursor accepted (ids are 36 characters).
pub const CURSOR_MAX_CHARS: usize = 100;
/// The schema's pattern for a cursor: exactly what [`PageQuery::validate`] accepts.
pub const CURSOR_PATTERN: &str = "^[0-9A-Za-z_-]{0,100}$";

pub fn encode_cursor(key: &str) -> String {
    key.to_owned()
}

fn decode_cursor(raw: &str) -> Option<String> {
    // Ids are UUIDs: anything else (NUL, which PostgreSQL text cannot hold,
    // quotes, spaces) is not a cursor.
    (raw.len() <= CURSOR_MAX_CHARS
        && raw
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'))
    .then(|| raw.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_with_nul_is_rejected_on_cursor() {
        for key in ["\0", "0190-\0-abc", "a b", &"a".repeat(101)] {
            let q = PageQuery {
                limit: None,
                cursor: Some(encode_cursor(key)),
            };
            let Err(ServiceError::Invalid(errors)) = q.validate() else {
                panic!("{key:?} accepted");
            };
            assert!(errors.into_map().contains_key("cursor"));
        }
        let q = PageQuery {
            limit: None,
            cursor: Some(encode_cursor("0190abc")),
        };
        assert_eq!(
            q.validate().ok().and_then(|p| p.after).as_deref(),
            Some("0190abc")
        );
    }
}
