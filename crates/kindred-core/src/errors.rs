//! Per-field validation errors, the payload of a `422` problem+json `errors` member.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};
use validator::{ValidationError, ValidationErrors, ValidationErrorsKind};

/// Validation failures keyed by field path (`capacity`, `tags[1]`, `availability[2].start`).
///
/// Kept as a sorted map so the same invalid body always yields byte-identical JSON, and
/// every violation in a body is collected before answering instead of stopping at the first.
/// Serializes as a plain `{"path": ["message", ...]}` object.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct FieldErrors(BTreeMap<String, Vec<String>>);

impl FieldErrors {
    /// Path used for errors that concern the body as a whole (e.g. an empty `PATCH`).
    pub const BODY: &'static str = "body";

    /// An empty collection; fill it with [`FieldErrors::add`].
    pub fn new() -> Self {
        Self::default()
    }

    /// Records `msg` for `path`; repeated identical messages are kept once.
    pub fn add(&mut self, path: impl Into<String>, msg: impl Into<String>) {
        let list = self.0.entry(path.into()).or_default();
        let msg = msg.into();
        if !list.contains(&msg) {
            list.push(msg);
        }
    }

    /// True when nothing was recorded, i.e. the input is valid.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Number of distinct field paths with errors.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Moves all of `other`'s errors into `self`.
    pub fn merge(&mut self, other: FieldErrors) {
        for (path, msgs) in other.0 {
            for msg in msgs {
                self.add(path.clone(), msg);
            }
        }
    }

    /// Messages recorded for `path`, if any.
    pub fn get(&self, path: &str) -> Option<&[String]> {
        self.0.get(path).map(Vec::as_slice)
    }

    /// Whether `path` has at least one error.
    pub fn contains(&self, path: &str) -> bool {
        self.0.contains_key(path)
    }

    /// Iterates `(path, messages)` in path order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &[String])> {
        self.0.iter().map(|(k, v)| (k.as_str(), v.as_slice()))
    }

    /// The recorded field paths, in order.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.0.keys().map(String::as_str)
    }

    /// Borrows the underlying map (e.g. to embed it in a problem document).
    pub fn as_map(&self) -> &BTreeMap<String, Vec<String>> {
        &self.0
    }

    /// Unwraps the underlying map.
    pub fn into_map(self) -> BTreeMap<String, Vec<String>> {
        self.0
    }

    /// `Ok(value)` when empty, `Err(self)` otherwise: closes a "collect everything" validation.
    pub fn into_result<T>(self, value: T) -> Result<T, FieldErrors> {
        if self.is_empty() {
            Ok(value)
        } else {
            Err(self)
        }
    }

    /// Convenience: a collection holding a single error.
    pub fn single(path: impl Into<String>, msg: impl Into<String>) -> Self {
        let mut e = Self::new();
        e.add(path, msg);
        e
    }
}

impl fmt::Display for FieldErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("validation failed")?;
        let mut sep = ": ";
        for (path, msgs) in &self.0 {
            for msg in msgs {
                write!(f, "{sep}{path}: {msg}")?;
                sep = "; ";
            }
        }
        Ok(())
    }
}

impl std::error::Error for FieldErrors {}

impl From<BTreeMap<String, Vec<String>>> for FieldErrors {
    fn from(map: BTreeMap<String, Vec<String>>) -> Self {
        Self(map)
    }
}

impl From<ValidationErrors> for FieldErrors {
    fn from(errors: ValidationErrors) -> Self {
        let mut out = FieldErrors::new();
        flatten(&errors, "", &mut out);
        out
    }
}

impl From<&ValidationErrors> for FieldErrors {
    fn from(errors: &ValidationErrors) -> Self {
        let mut out = FieldErrors::new();
        flatten(errors, "", &mut out);
        out
    }
}

fn join(prefix: &str, field: &str) -> String {
    if prefix.is_empty() {
        field.to_owned()
    } else {
        format!("{prefix}.{field}")
    }
}

fn flatten(errors: &ValidationErrors, prefix: &str, out: &mut FieldErrors) {
    for (field, kind) in errors.errors() {
        // `__all__` is validator's name for struct-level (schema) errors.
        let path = if field == "__all__" {
            if prefix.is_empty() {
                FieldErrors::BODY.to_owned()
            } else {
                prefix.to_owned()
            }
        } else {
            join(prefix, field)
        };
        match kind {
            ValidationErrorsKind::Field(list) => {
                for e in list {
                    out.add(path.clone(), message_for(e));
                }
            }
            ValidationErrorsKind::Struct(nested) => flatten(nested, &path, out),
            ValidationErrorsKind::List(items) => {
                for (idx, nested) in items {
                    flatten(nested, &format!("{path}[{idx}]"), out);
                }
            }
        }
    }
}

/// A human-readable message for a validator error: its own message, else one built from
/// the well-known codes, else the bare code.
fn message_for(e: &ValidationError) -> String {
    if let Some(m) = &e.message {
        return m.to_string();
    }
    let param = |name: &str| e.params.get(name).map(|v| v.to_string());
    match e.code.as_ref() {
        "length" => match (param("min"), param("max"), param("equal")) {
            (_, _, Some(eq)) => format!("must be exactly {eq} characters long"),
            (Some(min), Some(max), _) => format!("must be {min} to {max} characters long"),
            (Some(min), None, _) => format!("must be at least {min} characters long"),
            (None, Some(max), _) => format!("must be at most {max} characters long"),
            _ => "has an invalid length".to_owned(),
        },
        "range" => match (param("min"), param("max")) {
            (Some(min), Some(max)) => format!("must be between {min} and {max}"),
            (Some(min), None) => format!("must be at least {min}"),
            (None, Some(max)) => format!("must be at most {max}"),
            _ => "is out of range".to_owned(),
        },
        "email" => "must be a valid email address".to_owned(),
        "url" => "must be a valid URL".to_owned(),
        "required" => "is required".to_owned(),
        "non_control_character" => "must not contain control characters".to_owned(),
        other => Cow::Borrowed(other).into_owned().replace('_', " "),
    }
}

/// Builds a validator error carrying `msg`, for `#[validate(custom(...))]` functions that
/// delegate to this crate's newtype parsers (so each rule lives in exactly one place).
pub(crate) fn custom_error(msg: String) -> ValidationError {
    ValidationError::new("invalid").with_message(Cow::Owned(msg))
}

#[cfg(test)]
mod tests {
    use super::*;
    use validator::Validate;

    #[derive(Validate)]
    struct Inner {
        #[validate(length(min = 2, max = 5))]
        c: String,
    }

    #[derive(Validate)]
    struct Mid {
        #[validate(nested)]
        b: Vec<Inner>,
    }

    #[derive(Validate)]
    struct Outer {
        #[validate(nested)]
        a: Mid,
        #[validate(range(min = 1, max = 20))]
        capacity: i64,
        #[validate(email)]
        email: String,
    }

    #[test]
    fn flattens_nested_and_list_paths() {
        let v = Outer {
            a: Mid {
                b: vec![
                    Inner { c: "ok".into() },
                    Inner {
                        c: "toolong".into(),
                    },
                ],
            },
            capacity: 0,
            email: "nope".into(),
        };
        let errs: FieldErrors = v.validate().unwrap_err().into();
        assert_eq!(
            errs.get("a.b[1].c").unwrap(),
            ["must be 2 to 5 characters long"]
        );
        assert_eq!(errs.get("capacity").unwrap(), ["must be between 1 and 20"]);
        assert_eq!(
            errs.get("email").unwrap(),
            ["must be a valid email address"]
        );
        assert_eq!(errs.len(), 3);
    }

    #[test]
    fn serializes_as_plain_map_and_merges() {
        let mut a = FieldErrors::single("tags[1]", "unknown tag");
        a.add("tags[1]", "unknown tag");
        let mut b = FieldErrors::new();
        b.add("capacity", "required");
        b.add("tags[1]", "duplicate tag");
        a.merge(b);
        assert!(!a.is_empty());
        let json = serde_json::to_value(&a).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"capacity": ["required"], "tags[1]": ["unknown tag", "duplicate tag"]})
        );
        assert_eq!(FieldErrors::new().into_result(5), Ok(5));
        assert!(a.to_string().contains("capacity: required"));
    }
}
