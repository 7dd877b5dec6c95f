//! The shared-experience tag taxonomy: slugs, categories, and coordinator edits.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::errors::FieldErrors;
use crate::text;

/// Maximum tag label length in characters.
pub const TAG_LABEL_MAX_CHARS: usize = 80;

/// What a tag describes; lets clients group tags and lets matching weigh them differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum TagCategory {
    /// Who someone is (orientation, gender identity, ethnicity, disability, faith, ...).
    Identity,
    /// Something someone lived through (coming out, discrimination, ...).
    Experience,
    /// Something someone wants help with or can help with (job search, housing, ...).
    Support,
}

impl TagCategory {
    /// Every category, in a stable order.
    pub const ALL: [TagCategory; 3] = [
        TagCategory::Identity,
        TagCategory::Experience,
        TagCategory::Support,
    ];

    /// The wire / database spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            TagCategory::Identity => "identity",
            TagCategory::Experience => "experience",
            TagCategory::Support => "support",
        }
    }

    /// Parses with a message fit for a 422.
    pub fn parse(raw: &str) -> Result<TagCategory, String> {
        match raw {
            "identity" => Ok(TagCategory::Identity),
            "experience" => Ok(TagCategory::Experience),
            "support" => Ok(TagCategory::Support),
            "" => Err("is required".to_owned()),
            _ => Err("must be one of: identity, experience, support".to_owned()),
        }
    }
}

impl fmt::Display for TagCategory {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for TagCategory {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        TagCategory::parse(s)
    }
}

/// A tag's identifier: 2..=64 of `a-z`, `0-9` and single inner hyphens (`coming-out-at-work`).
///
/// Slugs are stable identifiers stored on profiles and URLs (`PATCH /tags/{slug}`), so
/// they are validated exactly as given, never silently re-cased.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct TagSlug(String);

#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for TagSlug {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .min_length(Some(TagSlug::MIN_LEN))
            .max_length(Some(TagSlug::MAX_LEN))
            .pattern(Some("^[a-z0-9]+(-[a-z0-9]+)*$"))
            .into()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for TagSlug {}

impl TagSlug {
    /// Minimum length in characters.
    pub const MIN_LEN: usize = 2;
    /// Maximum length in characters.
    pub const MAX_LEN: usize = 64;

    /// Validates a slug.
    pub fn parse(raw: &str) -> Result<TagSlug, String> {
        if raw.is_empty() {
            return Err("is required".to_owned());
        }
        if raw.len() < Self::MIN_LEN || raw.len() > Self::MAX_LEN {
            return Err(format!(
                "must be {} to {} characters long",
                Self::MIN_LEN,
                Self::MAX_LEN
            ));
        }
        let ok_chars = raw
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !ok_chars || raw.starts_with('-') || raw.ends_with('-') || raw.contains("--") {
            return Err(
                "must use lowercase letters, digits and single hyphens, not starting or ending with a hyphen"
                    .to_owned(),
            );
        }
        Ok(TagSlug(raw.to_owned()))
    }

    /// The slug.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for TagSlug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for TagSlug {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        TagSlug::parse(s)
    }
}

impl TryFrom<String> for TagSlug {
    type Error = String;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        TagSlug::parse(&s)
    }
}

impl From<TagSlug> for String {
    fn from(s: TagSlug) -> String {
        s.0
    }
}

impl AsRef<str> for TagSlug {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

/// What profile validation needs to know about a tag from the taxonomy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TagInfo {
    /// Special-category data (GDPR art. 9): storing it needs explicit consent.
    pub sensitive: bool,
    /// No longer offered: may stay on profiles that have it, can't be newly added.
    pub retired: bool,
}

/// Body of `POST /tags`. Fields default to empty so a missing one is a 422, not a 400.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewTagInput {
    /// New slug; `409` if taken.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(required = true, value_type = TagSlug))]
    pub slug: String,
    /// Human label, 1..=80 characters.
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(
            required = true,
            min_length = 1,
            max_length = 80,
            pattern = r"^\s*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x1f\x7f-\x9f]*$"
        )
    )]
    pub label: String,
    /// `identity`, `experience` or `support`.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(required = true, value_type = TagCategory))]
    pub category: String,
    /// Whether the tag is special-category data needing consent; defaults to `false`.
    #[serde(default)]
    pub sensitive: bool,
}

/// A tag ready to insert.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ValidNewTag {
    /// The slug.
    pub slug: TagSlug,
    /// Trimmed label.
    pub label: String,
    /// The category.
    pub category: TagCategory,
    /// Special-category flag.
    pub sensitive: bool,
}

fn label(raw: &str) -> Result<String, String> {
    text::single_line(raw, 1, TAG_LABEL_MAX_CHARS)
}

impl NewTagInput {
    /// Checks every field and reports all violations at once.
    pub fn validate_all(&self) -> Result<ValidNewTag, FieldErrors> {
        let mut e = FieldErrors::new();
        let slug = TagSlug::parse(&self.slug).map_err(|m| e.add("slug", m));
        let label = label(&self.label).map_err(|m| e.add("label", m));
        let category = TagCategory::parse(&self.category).map_err(|m| e.add("category", m));
        match (slug, label, category) {
            (Ok(slug), Ok(label), Ok(category)) => Ok(ValidNewTag {
                slug,
                label,
                category,
                sensitive: self.sensitive,
            }),
            _ => Err(e),
        }
    }
}

/// Body of `PATCH /tags/{slug}`: every field optional, at least one required.
/// Unknown fields are rejected so a typo (`"retire": true`) can't silently do nothing.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TagPatchInput {
    /// New label, 1..=80 characters.
    #[serde(default, deserialize_with = "crate::serde_util::present")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, min_length = 1, max_length = 80, pattern = r"^\s*[^\s\x00-\x1f\x7f-\x9f][^\x00-\x1f\x7f-\x9f]*$"))]
    pub label: Option<String>,
    /// New category.
    #[serde(default, deserialize_with = "crate::serde_util::present")]
    #[cfg_attr(feature = "openapi", schema(value_type = TagCategory))]
    pub category: Option<String>,
    /// New special-category flag.
    #[serde(default, deserialize_with = "crate::serde_util::present")]
    #[cfg_attr(feature = "openapi", schema(value_type = bool))]
    pub sensitive: Option<bool>,
    /// `true` to stop offering the tag (it stays on profiles); `false` to offer it again.
    #[serde(default, deserialize_with = "crate::serde_util::present")]
    #[cfg_attr(feature = "openapi", schema(value_type = bool))]
    pub retired: Option<bool>,
}

/// A validated tag change; `None` means "leave as is".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ValidTagPatch {
    /// New trimmed label.
    pub label: Option<String>,
    /// New category.
    pub category: Option<TagCategory>,
    /// New special-category flag.
    pub sensitive: Option<bool>,
    /// New retired flag.
    pub retired: Option<bool>,
}

impl TagPatchInput {
    /// Checks every field and that at least one is present (error at [`FieldErrors::BODY`]).
    pub fn validate_all(&self) -> Result<ValidTagPatch, FieldErrors> {
        let mut e = FieldErrors::new();
        if self.label.is_none()
            && self.category.is_none()
            && self.sensitive.is_none()
            && self.retired.is_none()
        {
            e.add(
                FieldErrors::BODY,
                "at least one of label, category, sensitive, retired is required",
            );
        }
        let label = match &self.label {
            Some(l) => label(l).map(Some).map_err(|m| e.add("label", m)),
            None => Ok(None),
        };
        let category = match &self.category {
            Some(c) => TagCategory::parse(c)
                .map(Some)
                .map_err(|m| e.add("category", m)),
            None => Ok(None),
        };
        match (label, category) {
            (Ok(label), Ok(category)) if e.is_empty() => Ok(ValidTagPatch {
                label,
                category,
                sensitive: self.sensitive,
                retired: self.retired,
            }),
            _ => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn slug_rules() {
        for ok in ["ab", "coming-out-at-work", "lgbtq2", "a1", &"a".repeat(64)] {
            assert!(TagSlug::parse(ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "a",
            "-ab",
            "ab-",
            "a--b",
            "Ab",
            "a_b",
            "a b",
            "ñu",
            &"a".repeat(65),
        ] {
            assert!(TagSlug::parse(bad).is_err(), "{bad}");
        }
        assert!(serde_json::from_value::<TagSlug>(json!("Bad")).is_err());
    }

    #[test]
    fn category_serde() {
        for c in TagCategory::ALL {
            assert_eq!(serde_json::to_value(c).unwrap(), json!(c.as_str()));
            assert_eq!(c.as_str().parse::<TagCategory>().unwrap(), c);
        }
        assert!("other".parse::<TagCategory>().is_err());
    }

    #[test]
    fn new_tag() {
        let t: NewTagInput = serde_json::from_value(
            json!({"slug": "trans-joy", "label": " Trans joy ", "category": "experience", "sensitive": true}),
        )
        .unwrap();
        let v = t.validate_all().unwrap();
        assert_eq!(v.label, "Trans joy");
        assert!(v.sensitive);
        let t: NewTagInput =
            serde_json::from_value(json!({"slug": "X", "label": "", "category": "nope"})).unwrap();
        let e = t.validate_all().unwrap_err();
        assert_eq!(e.paths().collect::<Vec<_>>(), ["category", "label", "slug"]);
        let e = NewTagInput {
            slug: String::new(),
            label: "x".repeat(81),
            category: "support".into(),
            sensitive: false,
        }
        .validate_all()
        .unwrap_err();
        assert_eq!(e.len(), 2);
    }

    #[test]
    fn tag_patch() {
        let e = TagPatchInput::default().validate_all().unwrap_err();
        assert!(e.contains(FieldErrors::BODY));
        let p: TagPatchInput = serde_json::from_value(json!({"retired": true})).unwrap();
        assert_eq!(p.validate_all().unwrap().retired, Some(true));
        let p: TagPatchInput =
            serde_json::from_value(json!({"label": "", "category": "x"})).unwrap();
        assert_eq!(p.validate_all().unwrap_err().len(), 2);
        assert!(serde_json::from_value::<TagPatchInput>(json!({"retire": true})).is_err());
    }
}
