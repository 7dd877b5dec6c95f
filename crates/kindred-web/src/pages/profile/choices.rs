//! The fixed choices of the profile editor: the languages offered as
//! checkboxes, the time zones of the searchable list, the meeting modes and
//! weekdays, and the words for the default taxonomy's tags.

use std::sync::OnceLock;

use crate::i18n::Lang;

/// The weekdays as the API spells them, Monday first.
pub const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// At most this many time rows a day (the core allows 28 windows a week).
pub const ROWS_PER_DAY: usize = 4;

/// The meeting modes as the API spells them.
pub const MODES: [&str; 3] = ["online", "in_person", "phone"];

pub use kindred_core::languages::{language, Language, LANGUAGES};

/// The message ids of the sign languages' names.
pub const SIGN_LANGUAGE_IDS: &[&str] =
    &["profile-lang-ssp", "profile-lang-bfi", "profile-lang-ase"];

/// The shown name of a listed language.
pub fn language_name(lang: Lang, l: &Language) -> String {
    match l.autonym {
        Some(name) => name.to_string(),
        None => lang.t(&format!("profile-lang-{}", l.code)),
    }
}

/// The IANA time zones of the searchable list: every canonical
/// `Area/Location` name and UTC, without the legacy aliases (`US/…`,
/// `Etc/…`, single words). The server accepts any name chrono-tz knows.
pub fn zones() -> &'static [&'static str] {
    static ZONES: OnceLock<Vec<&'static str>> = OnceLock::new();
    ZONES.get_or_init(|| {
        const LEGACY: &[&str] = &[
            "Etc/", "US/", "Canada/", "Brazil/", "Chile/", "Mexico/", "SystemV/",
        ];
        let mut zones: Vec<&'static str> = chrono_tz::TZ_VARIANTS
            .iter()
            .map(|tz| tz.name())
            .filter(|name| name.contains('/') && !LEGACY.iter().any(|p| name.starts_with(p)))
            .collect();
        zones.push("UTC");
        zones.sort_unstable();
        zones
    })
}

/// The `<option>` elements of the time-zone `<datalist>`, built once. Zone
/// names are ASCII letters, digits and `/_+-`, which need no escaping in
/// an attribute; anything else is escaped.
pub fn zone_options_html() -> &'static str {
    static HTML: OnceLock<String> = OnceLock::new();
    HTML.get_or_init(|| {
        let mut html = String::with_capacity(zones().len() * 40);
        for zone in zones() {
            html.push_str("<option value=\"");
            for c in zone.chars() {
                match c {
                    'A'..='Z' | 'a'..='z' | '0'..='9' | '/' | '_' | '+' | '-' => html.push(c),
                    other => html.push_str(&format!("&#x{:x};", u32::from(other))),
                }
            }
            html.push_str("\">");
        }
        html
    })
}

/// [`zone_options_html`] as a template value, shared (not copied) by every
/// render.
pub fn zone_options() -> minijinja::Value {
    static VALUE: OnceLock<minijinja::Value> = OnceLock::new();
    VALUE
        .get_or_init(|| minijinja::Value::from_safe_string(zone_options_html().to_string()))
        .clone()
}

/// The label in `lang` of tag `slug` as `taxonomy` has it (translated for
/// a default tag); the slug itself for a tag the taxonomy no longer offers.
pub fn taxonomy_label(
    lang: Lang,
    taxonomy: &[kindred_service::tags::TagView],
    slug: &str,
) -> String {
    let stored = taxonomy
        .iter()
        .find(|t| t.slug == slug)
        .map_or(slug, |t| t.label.as_str());
    tag_label(lang, slug, stored)
}

/// A tag's label in `lang`: the translation of a default tag whose label
/// the coordinators kept (`profile-tag-<slug>`), else the stored label.
pub fn tag_label(lang: Lang, slug: &str, stored: &str) -> String {
    let kept_default = default_label(slug).is_some_and(|label| label == stored);
    if kept_default {
        if let Ok(text) = lang.text(&format!("profile-tag-{slug}"), &[]) {
            return text;
        }
    }
    stored.to_string()
}

/// The default taxonomy's label of `slug`, if it is a default tag.
pub fn default_label(slug: &str) -> Option<&'static str> {
    static DEFAULTS: OnceLock<Vec<kindred_core::TagSeed>> = OnceLock::new();
    DEFAULTS
        .get_or_init(kindred_core::default_taxonomy)
        .iter()
        .find(|t| t.slug == slug)
        .map(|t| t.label)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_default_tag_has_words_in_both_languages() {
        for tag in kindred_core::default_taxonomy() {
            for lang in Lang::ALL {
                let id = format!("profile-tag-{}", tag.slug);
                assert!(
                    lang.text(&id, &[]).is_ok(),
                    "{id} missing in {}",
                    lang.tag()
                );
            }
            assert_eq!(tag_label(Lang::En, tag.slug, tag.label), tag.label);
        }
        // A relabelled default tag shows the coordinators' label.
        assert_eq!(tag_label(Lang::Es, "bisexual", "Bi"), "Bi");
        assert_eq!(tag_label(Lang::Es, "new-tag", "New tag"), "New tag");
    }

    #[test]
    fn listed_languages_are_valid_tags_and_named() {
        for l in LANGUAGES {
            assert_eq!(
                kindred_core::normalize_language_tag(l.code).as_deref(),
                Ok(l.code)
            );
            for lang in Lang::ALL {
                assert!(!language_name(lang, l).starts_with("profile-"));
            }
        }
    }

    #[test]
    fn the_zone_list_is_canonical_and_valid() {
        let zones = zones();
        assert!(zones.len() > 300, "{}", zones.len());
        assert!(zones.contains(&"Europe/Madrid"));
        assert!(zones.contains(&"America/Argentina/Buenos_Aires"));
        assert!(zones.contains(&"UTC"));
        assert!(!zones.contains(&"US/Eastern"));
        for z in zones {
            assert!(z.parse::<chrono_tz::Tz>().is_ok(), "{z}");
        }
    }
}
