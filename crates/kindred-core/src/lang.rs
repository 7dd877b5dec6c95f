//! The languages Kindred's pages and emails are written in, and a person's
//! choice among them (`users.preferred_language`).
//!
//! [`Lang::parse`] is lenient (any BCP 47 tag whose primary subtag is ours:
//! `es-MX` is Spanish), for headers, cookies and stored values;
//! [`Lang::parse_input`] is strict (`en` or `es`), for request bodies.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::errors::FieldErrors;

/// A language Kindred is written in. English is the default.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// English.
    #[default]
    En,
    /// Spanish.
    Es,
}

impl Lang {
    /// Every language, English first.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Es];

    /// The BCP 47 tag, which is also the wire and database spelling.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Es => "es",
        }
    }

    /// The language of a tag's primary subtag (`es-MX`, `ES`, `es_ES` are
    /// Spanish); `None` for a language Kindred is not written in.
    pub fn parse(tag: &str) -> Option<Lang> {
        let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        Lang::ALL.into_iter().find(|l| l.tag() == primary)
    }

    /// A stored value: its language, or English for anything unknown (an
    /// email is never held back by a bad value).
    pub fn from_stored(tag: &str) -> Lang {
        Lang::parse(tag).unwrap_or_default()
    }

    /// Exactly one of the tags, with a message fit for a 422.
    pub fn parse_input(raw: &str) -> Result<Lang, String> {
        match Lang::ALL.into_iter().find(|l| l.tag() == raw) {
            Some(lang) => Ok(lang),
            None if raw.is_empty() => Err("is required".to_owned()),
            None => Err(format!("must be one of: {}", tags_list())),
        }
    }
}

fn tags_list() -> String {
    Lang::ALL.map(Lang::tag).join(", ")
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.tag())
    }
}

pub(crate) fn v_language(v: &str) -> Result<(), validator::ValidationError> {
    Lang::parse_input(v)
        .map(drop)
        .map_err(crate::errors::custom_error)
}

/// Body of `PUT /me/language`: the language of the caller's emails (and of
/// the web app once they sign in).
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct LanguageInput {
    /// `en` or `es`.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(required = true, value_type = Lang))]
    pub language: String,
}

impl LanguageInput {
    /// Checks the language.
    pub fn validate_all(&self) -> Result<Lang, FieldErrors> {
        Lang::parse_input(&self.language).map_err(|m| FieldErrors::single("language", m))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lenient_and_strict_parsing() {
        assert_eq!(Lang::parse("es-MX"), Some(Lang::Es));
        assert_eq!(Lang::parse(" EN_gb"), Some(Lang::En));
        assert_eq!(Lang::parse("fr"), None);
        assert_eq!(Lang::from_stored("xx"), Lang::En);
        assert_eq!(Lang::parse_input("es"), Ok(Lang::Es));
        assert_eq!(
            Lang::parse_input("es-MX").unwrap_err(),
            "must be one of: en, es"
        );
        assert_eq!(Lang::parse_input("").unwrap_err(), "is required");
        for lang in Lang::ALL {
            assert_eq!(Lang::parse(lang.tag()), Some(lang));
            assert_eq!(
                serde_json::to_value(lang).unwrap(),
                serde_json::json!(lang.tag())
            );
        }
    }

    #[test]
    fn language_input() {
        let ok: LanguageInput =
            serde_json::from_value(serde_json::json!({"language": "es"})).expect("parses");
        assert_eq!(ok.validate_all(), Ok(Lang::Es));
        let bad: LanguageInput =
            serde_json::from_value(serde_json::json!({"language": "de"})).expect("parses");
        assert!(bad.validate_all().unwrap_err().contains("language"));
        let missing: LanguageInput = serde_json::from_value(serde_json::json!({})).expect("parses");
        assert!(missing.validate_all().unwrap_err().contains("language"));
    }
}
