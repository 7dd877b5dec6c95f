//! The spoken and signed languages Kindred offers by name (the profile
//! editor's checkboxes, the language of a circle in emails); any other
//! BCP 47 tag is shown as its code.

/// A language offered by name.
pub struct Language {
    /// The BCP 47 tag the API stores.
    pub code: &'static str,
    /// The language's own name (shown with `lang`), or `None` for the
    /// sign languages, whose names are translated (`profile-lang-<code>`).
    pub autonym: Option<&'static str>,
    /// Written right to left.
    pub rtl: bool,
}

const fn spoken(code: &'static str, autonym: &'static str, rtl: bool) -> Language {
    Language {
        code,
        autonym: Some(autonym),
        rtl,
    }
}

const fn signed(code: &'static str) -> Language {
    Language {
        code,
        autonym: None,
        rtl: false,
    }
}

/// Languages common among the people Kindred serves; any other BCP 47 tag
/// goes in the "other languages" field.
pub const LANGUAGES: &[Language] = &[
    spoken("en", "English", false),
    spoken("es", "Español", false),
    spoken("ca", "Català", false),
    spoken("eu", "Euskara", false),
    spoken("gl", "Galego", false),
    spoken("fr", "Français", false),
    spoken("de", "Deutsch", false),
    spoken("it", "Italiano", false),
    spoken("pt", "Português", false),
    spoken("nl", "Nederlands", false),
    spoken("pl", "Polski", false),
    spoken("ro", "Română", false),
    spoken("uk", "Українська", false),
    spoken("ru", "Русский", false),
    spoken("tr", "Türkçe", false),
    spoken("ar", "العربية", true),
    spoken("fa", "فارسی", true),
    spoken("ur", "اردو", true),
    spoken("hi", "हिन्दी", false),
    spoken("bn", "বাংলা", false),
    spoken("zh", "中文", false),
    spoken("tl", "Tagalog", false),
    spoken("sw", "Kiswahili", false),
    signed("ssp"),
    signed("bfi"),
    signed("ase"),
];

/// The listed language with this BCP 47 code.
pub fn language(code: &str) -> Option<&'static Language> {
    LANGUAGES.iter().find(|l| l.code == code)
}

/// A language's own name ("Español"); the code itself for a language with
/// no autonym here (the sign languages' names are translated by the web app).
pub fn autonym(code: &str) -> String {
    language(code)
        .and_then(|l| l.autonym)
        .map_or_else(|| code.to_string(), str::to_string)
}
