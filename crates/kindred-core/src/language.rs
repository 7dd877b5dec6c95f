//! Syntactic validation and case normalisation of BCP 47 (RFC 5646) language tags.
//!
//! Only syntax is checked (no IANA registry lookup, which would need I/O or a large
//! table); normalising case makes `en-gb` and `en-GB` the same language for matching.

/// Upper bound on a tag's length; real-world tags are far shorter.
pub const LANGUAGE_TAG_MAX_LEN: usize = 64;

fn is_alpha(s: &str) -> bool {
    s.bytes().all(|b| b.is_ascii_alphabetic())
}
fn is_digit(s: &str) -> bool {
    s.bytes().all(|b| b.is_ascii_digit())
}
fn is_alnum(s: &str) -> bool {
    s.bytes().all(|b| b.is_ascii_alphanumeric())
}

fn title(s: &str) -> String {
    let lower = s.to_ascii_lowercase();
    let mut c = lower.chars();
    match c.next() {
        Some(f) => f.to_ascii_uppercase().to_string() + c.as_str(),
        None => String::new(),
    }
}

/// Validates a BCP 47 language tag and returns it in canonical case
/// (`zh-hant-tw` → `zh-Hant-TW`, `EN-gb` → `en-GB`, `sl-ROZAJ` → `sl-rozaj`).
///
/// Grammar: language (2–3 letters plus up to three 3-letter extlangs, or 5–8 letters),
/// optional script (4 letters), optional region (2 letters or 3 digits), variants
/// (5–8 alphanumerics, or a digit plus 3 alphanumerics, no repeats), extensions
/// (singleton plus 2–8 alphanumerics, no repeated singleton) and a private-use `x-…` tail.
/// Private-use-only and grandfathered irregular tags are not accepted.
pub fn normalize_language_tag(raw: &str) -> Result<String, String> {
    const INVALID: &str = "must be a valid BCP 47 language tag, e.g. en, es-MX, zh-Hant";
    if raw.is_empty() {
        return Err("must not be empty".to_owned());
    }
    if raw.len() > LANGUAGE_TAG_MAX_LEN {
        return Err(format!(
            "must be at most {LANGUAGE_TAG_MAX_LEN} characters long"
        ));
    }
    let parts: Vec<&str> = raw.split('-').collect();
    if parts
        .iter()
        .any(|p| p.is_empty() || p.len() > 8 || !is_alnum(p))
    {
        return Err(INVALID.to_owned());
    }
    let mut out: Vec<String> = Vec::with_capacity(parts.len());
    let mut i = 0;
    let len = |i: usize| parts.get(i).map_or(0, |p| p.len());

    // language
    let lang = parts[0];
    if !is_alpha(lang) || !(matches!(lang.len(), 2 | 3) || (5..=8).contains(&lang.len())) {
        return Err(INVALID.to_owned());
    }
    out.push(lang.to_ascii_lowercase());
    i += 1;
    if lang.len() <= 3 {
        let mut ext = 0;
        while ext < 3 && len(i) == 3 && is_alpha(parts[i]) {
            out.push(parts[i].to_ascii_lowercase());
            i += 1;
            ext += 1;
        }
    }
    // script
    if len(i) == 4 && is_alpha(parts[i]) {
        out.push(title(parts[i]));
        i += 1;
    }
    // region
    if (len(i) == 2 && is_alpha(parts[i])) || (len(i) == 3 && is_digit(parts[i])) {
        out.push(parts[i].to_ascii_uppercase());
        i += 1;
    }
    // variants
    let mut variants: Vec<String> = Vec::new();
    while let Some(p) = parts.get(i) {
        let is_variant =
            (5..=8).contains(&p.len()) || (p.len() == 4 && p.as_bytes()[0].is_ascii_digit());
        if !is_variant {
            break;
        }
        let v = p.to_ascii_lowercase();
        if variants.contains(&v) {
            return Err(format!("repeats the variant `{v}`"));
        }
        variants.push(v.clone());
        out.push(v);
        i += 1;
    }
    // extensions
    let mut singletons: Vec<String> = Vec::new();
    while let Some(p) = parts.get(i) {
        if p.len() != 1 || p.eq_ignore_ascii_case("x") {
            break;
        }
        let s = p.to_ascii_lowercase();
        if singletons.contains(&s) {
            return Err(format!("repeats the extension `{s}`"));
        }
        singletons.push(s.clone());
        out.push(s);
        i += 1;
        let start = i;
        while len(i) >= 2 {
            out.push(parts[i].to_ascii_lowercase());
            i += 1;
        }
        if i == start {
            return Err(INVALID.to_owned());
        }
    }
    // private use
    if parts.get(i).is_some_and(|p| p.eq_ignore_ascii_case("x")) {
        out.push("x".to_owned());
        i += 1;
        if i == parts.len() {
            return Err(INVALID.to_owned());
        }
        for p in &parts[i..] {
            out.push(p.to_ascii_lowercase());
        }
        i = parts.len();
    }
    if i != parts.len() {
        return Err(INVALID.to_owned());
    }
    Ok(out.join("-"))
}

#[cfg(test)]
mod tests {
    use super::normalize_language_tag as n;

    #[test]
    fn valid_tags_are_case_normalised() {
        for (input, want) in [
            ("en", "en"),
            ("EN", "en"),
            ("en-gb", "en-GB"),
            ("zh-hant", "zh-Hant"),
            ("ZH-HANT-tw", "zh-Hant-TW"),
            ("es-419", "es-419"),
            ("sgn-ase", "sgn-ase"),
            ("zh-yue-HK", "zh-yue-HK"),
            ("sl-ROZAJ-biske", "sl-rozaj-biske"),
            ("de-CH-1901", "de-CH-1901"),
            ("en-US-u-ca-gregory", "en-US-u-ca-gregory"),
            ("en-x-Private", "en-x-private"),
            ("haw", "haw"),
            ("tlhingan", "tlhingan"),
        ] {
            assert_eq!(n(input).as_deref(), Ok(want), "{input}");
        }
    }

    #[test]
    fn invalid_tags_are_rejected() {
        for bad in [
            "",
            "e",
            "engl",
            "en-",
            "-en",
            "en--gb",
            "en_GB",
            "123",
            "en-gb-gb",
            "x-private",
            "i-klingon",
            "en-u",
            "en-x",
            "de-1901-1901",
            "en-a-bb-a-cc",
            "en-US-toolongvariant",
            "ñ",
        ] {
            assert!(n(bad).is_err(), "{bad} accepted as {:?}", n(bad));
        }
        assert!(n(&format!("en-{}", ["abcde"; 20].join("-"))).is_err());
    }
}
