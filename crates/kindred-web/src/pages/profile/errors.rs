//! Field errors of the profile and request forms, whose inputs are made
//! from data (a checkbox per tag, a row per time window): each error path
//! of the service (`tags[2]`, `availability[0].start`) is located at an
//! input id with a label, the messages are translated, and the result is
//! the summary at the top (`FormState::summary`) plus the message beside
//! each input (by input id).

use std::collections::BTreeMap;

use fluent_bundle::FluentValue;

use crate::forms::{FormState, SummaryItem};
use crate::i18n::{field_message, Lang};

/// Where an error path is shown: the input's id, the label that starts its
/// summary line, and its place in the form (the summary follows the form).
pub struct Located {
    pub input: String,
    pub label: String,
    pub order: usize,
}

/// The summary and the messages beside the inputs.
#[derive(Default)]
pub struct Shown {
    pub form: FormState,
    pub beside: BTreeMap<String, String>,
}

impl Shown {
    /// The service's field errors, each located by `locate`.
    pub fn from_errors(
        lang: Lang,
        errors: &BTreeMap<String, Vec<String>>,
        locate: impl Fn(&str) -> Located,
    ) -> Shown {
        let mut items: Vec<(Located, String)> = errors
            .iter()
            .map(|(path, messages)| {
                let text = messages
                    .iter()
                    .map(|m| translate(lang, m))
                    .collect::<Vec<_>>()
                    .join(" ");
                (locate(path), text)
            })
            .collect();
        items.sort_by_key(|(at, _)| at.order);
        let mut shown = Shown::default();
        for (at, text) in items {
            shown.add(at, &text);
        }
        shown
    }

    /// Adds one (translated) message.
    pub fn add(&mut self, at: Located, text: &str) {
        self.form.summary.push(SummaryItem {
            href: format!("#{}", at.input),
            text: format!("{}: {text}", at.label),
        });
        self.beside
            .entry(at.input)
            .and_modify(|e| {
                e.push(' ');
                e.push_str(text);
            })
            .or_insert_with(|| text.to_string());
    }

    pub fn has(&self, input: &str) -> bool {
        self.beside.contains_key(input)
    }
}

/// `name[i]` → `i` and what follows (`.start`), for `name`.
pub fn indexed<'a>(path: &'a str, name: &str) -> Option<(usize, &'a str)> {
    let rest = path.strip_prefix(name)?.strip_prefix('[')?;
    let close = rest.find(']')?;
    let index = rest[..close].parse().ok()?;
    Some((index, &rest[close + 1..]))
}

/// The number right after `prefix` in `message`.
fn number_after(message: &str, prefix: &str) -> Option<i64> {
    message
        .strip_prefix(prefix)?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

/// One of the service's English messages about a profile or request field,
/// in `lang`: the profile's own shapes first, then the shared ones
/// (`i18n::field_message`), else "Check this value."
pub fn translate(lang: Lang, message: &str) -> String {
    let (id, args): (&str, Vec<(&str, i64)>) = profile_message(message).unwrap_or_else(|| {
        let (id, arg) = field_message(message);
        (id, arg.into_iter().collect())
    });
    let args: Vec<(&str, FluentValue<'_>)> = args
        .into_iter()
        .map(|(name, n)| (name, FluentValue::from(n)))
        .collect();
    lang.text(id, &args)
        .unwrap_or_else(|_| lang.t("err-invalid"))
}

/// The message id (and numbers) of a profile or request message.
fn profile_message(m: &str) -> Option<(&'static str, Vec<(&'static str, i64)>)> {
    let plain = |id: &'static str| Some((id, Vec::new()));
    let max = |id: &'static str, n: Option<i64>| n.map(|n| (id, vec![("max", n)]));
    if m.starts_with("at most ") {
        let n = number_after(m, "at most ");
        if m.contains(" tags") {
            return max("profile-err-too-many-tags", n);
        }
        if m.ends_with(" languages") {
            return max("profile-err-too-many-languages", n);
        }
        if m.ends_with(" windows") {
            return max("profile-err-too-many-windows", n);
        }
        if m.ends_with(" regions") {
            return max("request-err-too-many-regions", n);
        }
        if m.ends_with(" characters") {
            return max("err-too-long", n);
        }
    }
    match m {
        "unknown tag" => plain("profile-err-unknown-tag"),
        "duplicate tag" | "duplicate language" | "duplicate meeting mode" => {
            plain("profile-err-duplicate")
        }
        "a tag can't be both public and private" => plain("profile-err-both-visibilities"),
        "tag is retired and can no longer be added" | "this tag is retired" => {
            plain("profile-err-retired")
        }
        "at least one language is required" => plain("profile-err-language-required"),
        "must not be empty" => plain("err-required"),
        "must be a 24-hour time written HH:MM" => plain("profile-err-time"),
        "must be before 24:00" => plain("profile-err-time-start-midnight"),
        "must be after start" => plain("profile-err-time-order"),
        "at least one meeting mode is required" => plain("profile-err-mode-required"),
        "is required when meeting_modes includes in_person" => {
            plain("profile-err-region-in-person")
        }
        "is required for mentor profiles" => plain("profile-err-capacity"),
        "is required for facilitator profiles" | "must be between 1 and 5" => {
            plain("profile-err-max-circles")
        }
        "must be 1 to 100 characters" => plain("request-err-region-length"),
        _ if m.starts_with("must be true to store sensitive tags") => plain("profile-err-consent"),
        _ if m.starts_with("must be a valid BCP 47") => plain("profile-err-language-code"),
        _ if m.starts_with("must be an IANA time zone") => plain("profile-err-timezone"),
        _ if m.starts_with("minutes must be a multiple of") => {
            number_after(m, "minutes must be a multiple of ")
                .map(|n| ("profile-err-time-step", vec![("number", n)]))
        }
        _ if m.starts_with("overlaps availability[") => plain("profile-err-time-overlap"),
        _ if m.starts_with("must be between ") => plain("profile-err-capacity"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kindred_core::{validate_profile, AvailabilityWindowInput, ProfileInput, ProfileKind};

    fn window(day: &str, start: &str, end: &str) -> AvailabilityWindowInput {
        AvailabilityWindowInput {
            day: day.into(),
            start: start.into(),
            end: end.into(),
        }
    }

    /// Every message the core gives for the inputs this form sends has its
    /// own words (none falls back to "Check this value.").
    #[test]
    fn the_cores_profile_messages_have_their_own_words() {
        let sensitive = kindred_core::TagInfo {
            sensitive: true,
            retired: false,
        };
        let retired = kindred_core::TagInfo {
            sensitive: false,
            retired: true,
        };
        let taxonomy = move |slug: &str| match slug {
            "bisexual" => Some(sensitive),
            "old" => Some(retired),
            _ => None,
        };
        let mut inputs = vec![ProfileInput {
            bio: "x".repeat(2001),
            tags: vec![
                "bisexual".into(),
                "bisexual".into(),
                "nope".into(),
                "old".into(),
            ],
            private_tags: vec!["bisexual".into()],
            languages: vec!["en".into(), "en".into(), "english!".into()],
            timezone: "Mars/Base".into(),
            availability: vec![
                window("mon", "18:00", "20:00"),
                window("mon", "19:00", "21:00"),
                window("tue", "18:10", "19:00"),
                window("tue", "", "19:00"),
                window("wed", "20:00", "19:00"),
                window("thu", "24:00", "24:00"),
            ],
            meeting_modes: vec!["in_person".into(), "in_person".into()],
            region: None,
            ..ProfileInput::default()
        }];
        inputs.push(ProfileInput {
            languages: (0..11).map(|i| format!("x{i:02}")).collect(),
            tags: (0..31).map(|i| format!("t{i}")).collect(),
            availability: (0..29).map(|_| window("mon", "18:00", "19:00")).collect(),
            ..ProfileInput::default()
        });
        let mentor = ProfileInput {
            capacity: Some(40),
            ..ProfileInput::default()
        };
        let mut checked = 0;
        let no_capacity = ProfileInput::default();
        for (input, kind) in inputs.iter().map(|i| (i, ProfileKind::Mentee)).chain([
            (&mentor, ProfileKind::Mentor),
            (&no_capacity, ProfileKind::Mentor),
        ]) {
            let errors = validate_profile(input, kind, &taxonomy, &[]).unwrap_err();
            for (path, messages) in errors.iter() {
                for m in messages {
                    if path == "bio" {
                        continue; // the shared "at most N characters long"
                    }
                    let text = translate(Lang::Es, m);
                    assert_ne!(text, Lang::Es.t("err-invalid"), "{path}: {m}");
                    checked += 1;
                }
            }
        }
        assert!(checked > 20, "{checked}");
    }

    #[test]
    fn paths_with_an_index() {
        assert_eq!(indexed("tags[2]", "tags"), Some((2, "")));
        assert_eq!(
            indexed("availability[10].start", "availability"),
            Some((10, ".start"))
        );
        assert_eq!(indexed("private_tags[0]", "tags"), None);
        assert_eq!(indexed("tags", "tags"), None);
    }
}
