//! Translations (Fluent) and the choice of language.
//!
//! The messages live in `locales/{en,es}/main.ftl`, embedded at compile
//! time and parsed once. A request's language is the `lang` cookie set by
//! the language switcher, else the best supported entry of
//! `Accept-Language`, else English.

use std::collections::HashMap;
use std::sync::OnceLock;

use actix_web::HttpRequest;
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use unic_langid::LanguageIdentifier;

/// The cookie the language switcher sets.
pub const LANG_COOKIE: &str = "lang";

/// A language the web app is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    En,
    Es,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Es];

    /// The BCP 47 tag (`<html lang>`, the cookie value).
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Es => "es",
        }
    }

    pub fn parse(tag: &str) -> Option<Lang> {
        let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "en" => Some(Lang::En),
            "es" => Some(Lang::Es),
            _ => None,
        }
    }

    /// The language of a request: the switcher's cookie, else
    /// `Accept-Language`, else English.
    pub fn of(req: &HttpRequest) -> Lang {
        if let Some(lang) = req.cookie(LANG_COOKIE).and_then(|c| Lang::parse(c.value())) {
            return lang;
        }
        req.headers()
            .get(actix_web::http::header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .and_then(from_accept_language)
            .unwrap_or(Lang::En)
    }

    /// This language's message files: `main.ftl` (layout, accounts,
    /// errors) and one per area of pages.
    fn sources(self) -> [&'static str; 4] {
        match self {
            Lang::En => [
                include_str!("../locales/en/main.ftl"),
                include_str!("../locales/en/profile.ftl"),
                include_str!("../locales/en/matches.ftl"),
                include_str!("../locales/en/settings.ftl"),
            ],
            Lang::Es => [
                include_str!("../locales/es/main.ftl"),
                include_str!("../locales/es/profile.ftl"),
                include_str!("../locales/es/matches.ftl"),
                include_str!("../locales/es/settings.ftl"),
            ],
        }
    }

    /// The message `id` with `args`. A missing id is an error (the
    /// templates' render test catches it), never a silently blank text.
    pub fn text(self, id: &str, args: &[(&str, FluentValue<'_>)]) -> Result<String, String> {
        let bundle = bundles()
            .get(&self)
            .ok_or_else(|| format!("no bundle for {}", self.tag()))?;
        let message = bundle
            .get_message(id)
            .ok_or_else(|| format!("no message {id:?} in {}", self.tag()))?;
        let pattern = message
            .value()
            .ok_or_else(|| format!("message {id:?} has no value in {}", self.tag()))?;
        let mut fluent_args = FluentArgs::new();
        for (name, value) in args {
            fluent_args.set(*name, value.clone());
        }
        let mut errors = Vec::new();
        let text = bundle.format_pattern(pattern, Some(&fluent_args), &mut errors);
        if let Some(err) = errors.first() {
            return Err(format!("message {id:?} in {}: {err}", self.tag()));
        }
        Ok(text.into_owned())
    }

    /// Like [`Lang::text`] for code paths that must produce something: a
    /// missing message (a bug the tests catch) shows its id.
    pub fn t(self, id: &str) -> String {
        self.text(id, &[]).unwrap_or_else(|err| {
            tracing::error!(error = %err, "missing translation");
            id.to_string()
        })
    }

    /// Every message id of this language.
    pub fn message_ids(self) -> Vec<String> {
        let mut ids = Vec::new();
        for source in self.sources() {
            let Ok(resource) = FluentResource::try_new(source.to_string()) else {
                continue;
            };
            ids.extend(resource.entries().filter_map(|e| match e {
                fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_string()),
                _ => None,
            }));
        }
        ids
    }
}

fn bundles() -> &'static HashMap<Lang, FluentBundle<FluentResource>> {
    static BUNDLES: OnceLock<HashMap<Lang, FluentBundle<FluentResource>>> = OnceLock::new();
    BUNDLES.get_or_init(|| {
        Lang::ALL
            .iter()
            .map(|&lang| {
                let id: LanguageIdentifier = lang.tag().parse().unwrap_or_default();
                let mut bundle = FluentBundle::new_concurrent(vec![id]);
                // No Unicode isolation marks around arguments: the text goes
                // into HTML, where `dir` handles direction.
                bundle.set_use_isolating(false);
                for source in lang.sources() {
                    match FluentResource::try_new(source.to_string()) {
                        Ok(resource) => {
                            if let Err(errs) = bundle.add_resource(resource) {
                                tracing::error!(
                                    lang = lang.tag(),
                                    count = errs.len(),
                                    "duplicate messages"
                                );
                            }
                        }
                        Err((_, errs)) => {
                            tracing::error!(
                                lang = lang.tag(),
                                count = errs.len(),
                                "unparsable messages"
                            );
                        }
                    }
                }
                (lang, bundle)
            })
            .collect()
    })
}

/// The supported language with the highest `q` in an `Accept-Language`
/// header (`es-ES,es;q=0.9,en;q=0.8`); ties go to the earlier entry.
pub fn from_accept_language(header: &str) -> Option<Lang> {
    let mut best: Option<(Lang, f32)> = None;
    for entry in header.split(',') {
        let mut parts = entry.split(';');
        let Some(lang) = parts.next().and_then(Lang::parse) else {
            continue;
        };
        let q = parts
            .find_map(|p| p.trim().strip_prefix("q="))
            .and_then(|q| q.trim().parse::<f32>().ok())
            .unwrap_or(1.0);
        if q > 0.0 && best.is_none_or(|(_, b)| q > b) {
            best = Some((lang, q));
        }
    }
    best.map(|(lang, _)| lang)
}

/// The message id and arguments for one of the service's field messages
/// (`FieldErrors` hold English text from `kindred-core`): the known shapes
/// are translated, anything else gets a generic "check this field".
pub fn field_message(message: &str) -> (&'static str, Option<(&'static str, i64)>) {
    let number = |prefix: &str| {
        message
            .strip_prefix(prefix)
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|n| n.parse::<i64>().ok())
    };
    if message == "is required" {
        ("err-required", None)
    } else if let Some(n) = number("must be at most ") {
        ("err-too-long", Some(("max", n)))
    } else if let Some(n) = number("must be at least ") {
        ("err-too-short", Some(("min", n)))
    } else if message == "must be a valid email address" {
        ("err-email", None)
    } else if message == "must not consist only of whitespace" {
        ("err-whitespace", None)
    } else if message.starts_with("must not contain invisible") {
        ("err-invisible", None)
    } else if message.starts_with("must not contain control") {
        ("err-control", None)
    } else if message.starts_with("must be one of") {
        ("err-choice", None)
    } else if message == "is not the current password" {
        ("err-current-password", None)
    } else {
        ("err-invalid", None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_picks_the_best_supported_entry() {
        assert_eq!(
            from_accept_language("es-ES,es;q=0.9,en;q=0.8"),
            Some(Lang::Es)
        );
        assert_eq!(
            from_accept_language("fr-FR, en;q=0.5, es;q=0.4"),
            Some(Lang::En)
        );
        assert_eq!(
            from_accept_language("en;q=0.2, es-MX;q=0.7"),
            Some(Lang::Es)
        );
        assert_eq!(from_accept_language("es;q=0, en"), Some(Lang::En));
        assert_eq!(from_accept_language("de, fr"), None);
        assert_eq!(from_accept_language(""), None);
    }

    #[test]
    fn both_languages_have_the_same_messages() {
        let mut en = Lang::En.message_ids();
        let mut es = Lang::Es.message_ids();
        assert!(en.len() > 50, "the English file parses");
        en.sort();
        es.sort();
        let mut unique = en.clone();
        unique.dedup();
        assert_eq!(unique, en, "no id is defined twice (in two files)");
        assert_eq!(en, es, "en and es define the same message ids");
        // And every message formats without errors in both.
        for lang in Lang::ALL {
            for id in &en {
                let args = [
                    ("name", FluentValue::from("Ana")),
                    ("seconds", FluentValue::from(30)),
                    ("max", FluentValue::from(80)),
                    ("min", FluentValue::from(12)),
                    ("pronouns", FluentValue::from("they/them")),
                    ("count", FluentValue::from(3)),
                    ("days", FluentValue::from(7)),
                    ("hours", FluentValue::from(48)),
                    ("number", FluentValue::from(2)),
                    ("partner", FluentValue::from("Bea")),
                    ("date", FluentValue::from("2026-12-01")),
                    ("when", FluentValue::from("2026-12-01 10:00")),
                    ("state", FluentValue::from("active")),
                    ("tag", FluentValue::from("Trans")),
                    ("category", FluentValue::from("Identity")),
                ];
                lang.text(id, &args).unwrap();
            }
        }
    }

    #[test]
    fn field_messages_of_the_core_are_translated() {
        assert_eq!(field_message("is required").0, "err-required");
        assert_eq!(
            field_message("must be at least 12 characters long"),
            ("err-too-short", Some(("min", 12)))
        );
        assert_eq!(
            field_message("must be at most 80 characters long"),
            ("err-too-long", Some(("max", 80)))
        );
        assert_eq!(
            field_message("must be a valid email address").0,
            "err-email"
        );
        assert_eq!(
            field_message("must be one of: mentee, mentor").0,
            "err-choice"
        );
        assert_eq!(field_message("something new").0, "err-invalid");
        // The core's own messages for these fields still read as expected.
        let short = kindred_core::validate_password("short").unwrap_err();
        assert_eq!(field_message(&short).0, "err-too-short");
        let email = kindred_core::Email::parse("not-an-address").unwrap_err();
        assert_eq!(field_message(&email).0, "err-email");
    }
}
