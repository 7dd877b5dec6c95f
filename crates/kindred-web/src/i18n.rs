//! Translations (Fluent) and the choice of language.
//!
//! The engine core is shared with the emails (`kindred_mail::text`: the
//! languages, Fluent catalogs, the `t(…)` template function); this module
//! keeps what is the web app's own: its messages (`locales/{en,es}/*.ftl`,
//! embedded at compile time and parsed once) and a request's language: the
//! `lang` cookie set by the language switcher, else the best supported entry
//! of `Accept-Language`, else English.

use std::sync::OnceLock;

use actix_web::HttpRequest;
use fluent_bundle::FluentValue;
use kindred_mail::text::{self, Catalog};

/// The cookie the language switcher sets.
pub const LANG_COOKIE: &str = "lang";

/// A language the web app is written in: one of the shared
/// [`kindred_mail::text::Lang`]s (a person's preferred language), with the
/// web app's own messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    En,
    Es,
}

impl From<Lang> for text::Lang {
    fn from(lang: Lang) -> text::Lang {
        match lang {
            Lang::En => text::Lang::En,
            Lang::Es => text::Lang::Es,
        }
    }
}

impl From<text::Lang> for Lang {
    fn from(lang: text::Lang) -> Lang {
        match lang {
            text::Lang::En => Lang::En,
            text::Lang::Es => Lang::Es,
        }
    }
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Es];

    /// The shared language (what is stored as a person's preference).
    pub fn core(self) -> text::Lang {
        self.into()
    }

    /// The BCP 47 tag (`<html lang>`, the cookie value).
    pub fn tag(self) -> &'static str {
        self.core().tag()
    }

    pub fn parse(tag: &str) -> Option<Lang> {
        text::Lang::parse(tag).map(Lang::from)
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

    /// The message `id` with `args`. A missing id is an error (the
    /// templates' render test catches it), never a silently blank text.
    pub fn text(self, id: &str, args: &[(&str, FluentValue<'_>)]) -> Result<String, String> {
        catalog().text(self.core(), id, args)
    }

    /// Like [`Lang::text`] for code paths that must produce something: a
    /// missing message (a bug the tests catch) shows its id.
    pub fn t(self, id: &str) -> String {
        catalog().t(self.core(), id)
    }

    /// Every message id of this language.
    pub fn message_ids(self) -> Vec<String> {
        catalog().message_ids(self.core())
    }
}

/// This language's message files: `main.ftl` (layout, accounts, errors) and
/// one per area of pages.
fn sources(lang: text::Lang) -> Vec<&'static str> {
    match lang {
        text::Lang::En => vec![
            include_str!("../locales/en/main.ftl"),
            include_str!("../locales/en/profile.ftl"),
            include_str!("../locales/en/matches.ftl"),
            include_str!("../locales/en/settings.ftl"),
            include_str!("../locales/en/console.ftl"),
            include_str!("../locales/en/invitation.ftl"),
            include_str!("../locales/en/circles.ftl"),
        ],
        text::Lang::Es => vec![
            include_str!("../locales/es/main.ftl"),
            include_str!("../locales/es/profile.ftl"),
            include_str!("../locales/es/matches.ftl"),
            include_str!("../locales/es/settings.ftl"),
            include_str!("../locales/es/console.ftl"),
            include_str!("../locales/es/invitation.ftl"),
            include_str!("../locales/es/circles.ftl"),
        ],
    }
}

/// The web app's messages, built once.
pub fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| Catalog::new(sources))
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
    fn the_web_app_is_written_in_every_shared_language() {
        let core: Vec<text::Lang> = Lang::ALL.iter().map(|l| l.core()).collect();
        assert_eq!(core, text::Lang::ALL);
        for lang in Lang::ALL {
            assert_eq!(Lang::from(lang.core()), lang);
            assert_eq!(Lang::parse(lang.tag()), Some(lang));
        }
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
                    ("total", FluentValue::from(52)),
                    ("score", FluentValue::from(52)),
                    ("tags", FluentValue::from("Trans, Migrant")),
                    ("mentor", FluentValue::from("Bea")),
                    ("mentee", FluentValue::from("Ana")),
                    ("mode", FluentValue::from("optimal")),
                    ("ms", FluentValue::from(12)),
                    ("idle", FluentValue::from(1)),
                    ("full", FluentValue::from(2)),
                    ("from", FluentValue::from("2026-11-30")),
                    ("to", FluentValue::from("2026-12-13")),
                    ("reporter", FluentValue::from("Ana")),
                    ("about", FluentValue::from("Bea")),
                    ("rating", FluentValue::from(2)),
                    ("words", FluentValue::from("Bea and Ana")),
                    ("label", FluentValue::from("Trans")),
                    ("slug", FluentValue::from("trans")),
                    ("error", FluentValue::from("550 no such user")),
                    ("kind", FluentValue::from("introduction")),
                    ("mib", FluentValue::from(5)),
                    ("processed", FluentValue::from(200)),
                    ("rows", FluentValue::from(1000)),
                    ("day", FluentValue::from("Monday")),
                    ("start", FluentValue::from("18:00")),
                    ("end", FluentValue::from("19:30")),
                    ("zone", FluentValue::from("Europe/Madrid")),
                    ("gap", FluentValue::from("9.1")),
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
