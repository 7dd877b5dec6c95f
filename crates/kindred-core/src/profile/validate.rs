//! [`validate_profile`] and its steps, one per field or group of fields. Each step
//! reports its violations into the shared [`FieldErrors`] and returns what it could
//! normalise, so that every violation is reported at once.

use std::collections::{HashMap, HashSet};
use std::str::FromStr;

use chrono_tz::Tz;

use super::{
    AvailabilityWindow, Consents, MeetingMode, ProfileInput, ProfileKind, ValidProfile,
    BIO_MAX_CHARS, CAPACITY_RANGE, GOALS_MAX_CHARS, MAX_AVAILABILITY_WINDOWS, MAX_CIRCLES_RANGE,
    MAX_LANGUAGES, MAX_TAGS, REGION_MAX_CHARS,
};
use crate::accounts::Pronouns;
use crate::errors::FieldErrors;
use crate::language::normalize_language_tag;
use crate::tags::TagInfo;
use crate::text;

/// Validates a profile body for `kind`, reporting EVERY violation at once by field path.
///
/// `taxonomy` looks a slug up in the current taxonomy (`None` = unknown tag);
/// `existing_tags` are the tags (public and private) on the profile being replaced, so a
/// since-retired tag may stay but can't be newly added. Pass `&[]` on creation.
pub fn validate_profile(
    input: &ProfileInput,
    kind: ProfileKind,
    taxonomy: &dyn Fn(&str) -> Option<TagInfo>,
    existing_tags: &[String],
) -> Result<ValidProfile, FieldErrors> {
    let mut e = FieldErrors::new();

    let bio = text::multi_line(&input.bio, BIO_MAX_CHARS)
        .map_err(|m| e.add("bio", m))
        .ok();
    let KindFields {
        goals,
        capacity,
        accepting,
        max_circles,
    } = kind_fields(input, kind, &mut e);
    let consents = input.consents.unwrap_or_default();
    check_tags(input, taxonomy, existing_tags, consents, &mut e);
    let languages = languages(&input.languages, &mut e);
    let timezone = timezone(&input.timezone, &mut e);
    let availability = availability(&input.availability, &mut e);
    let meeting_modes = meeting_modes(&input.meeting_modes, &mut e);
    let region = region(input.region.as_deref(), &meeting_modes, &mut e);
    let pronouns = pronouns(input.pronouns.as_deref(), &mut e);

    match (bio, timezone) {
        (Some(bio), Some(timezone)) if e.is_empty() => Ok(ValidProfile {
            bio,
            tags: input.tags.clone(),
            private_tags: input.private_tags.clone(),
            languages,
            timezone,
            availability,
            meeting_modes,
            region,
            goals,
            capacity,
            accepting,
            max_circles,
            consents,
            pronouns,
        }),
        _ => Err(e),
    }
}

/// The fields whose rules depend on the profile kind.
struct KindFields {
    goals: Option<String>,
    capacity: Option<u8>,
    accepting: Option<bool>,
    max_circles: Option<u8>,
}

/// `goals` is for mentees only; `capacity` (required) and `accepting` (default `true`)
/// for mentors only; `max_circles` (required) for facilitators only.
fn kind_fields(input: &ProfileInput, kind: ProfileKind, e: &mut FieldErrors) -> KindFields {
    let mut out = KindFields {
        goals: None,
        capacity: None,
        accepting: None,
        max_circles: None,
    };
    if kind != ProfileKind::Facilitator && input.max_circles.is_some() {
        e.add("max_circles", "only for facilitator profiles");
    }
    match kind {
        ProfileKind::Mentee => {
            if let Some(g) = &input.goals {
                match text::multi_line(g, GOALS_MAX_CHARS) {
                    Ok(g) if !g.is_empty() => out.goals = Some(g),
                    Ok(_) => {}
                    Err(m) => e.add("goals", m),
                }
            }
            if input.capacity.is_some() {
                e.add("capacity", "only for mentor profiles");
            }
            if input.accepting.is_some() {
                e.add("accepting", "only for mentor profiles");
            }
        }
        ProfileKind::Mentor => {
            if input.goals.is_some() {
                e.add("goals", "only for mentee profiles");
            }
            match input.capacity {
                None => e.add("capacity", "is required for mentor profiles"),
                Some(c) if !CAPACITY_RANGE.contains(&c) => e.add(
                    "capacity",
                    format!(
                        "must be between {} and {}",
                        CAPACITY_RANGE.start(),
                        CAPACITY_RANGE.end()
                    ),
                ),
                Some(c) => out.capacity = u8::try_from(c).ok(),
            }
            out.accepting = Some(input.accepting.unwrap_or(true));
        }
        ProfileKind::Facilitator => {
            if input.goals.is_some() {
                e.add("goals", "only for mentee profiles");
            }
            if input.capacity.is_some() {
                e.add("capacity", "only for mentor profiles");
            }
            if input.accepting.is_some() {
                e.add("accepting", "only for mentor profiles");
            }
            match input.max_circles {
                None => e.add("max_circles", "is required for facilitator profiles"),
                Some(c) if !MAX_CIRCLES_RANGE.contains(&c) => e.add(
                    "max_circles",
                    format!(
                        "must be between {} and {}",
                        MAX_CIRCLES_RANGE.start(),
                        MAX_CIRCLES_RANGE.end()
                    ),
                ),
                Some(c) => out.max_circles = u8::try_from(c).ok(),
            }
        }
    }
    out
}

/// `tags` and `private_tags`: known, not retired unless already on the profile, no
/// duplicates within or across the lists, at most [`MAX_TAGS`] together, and sensitive
/// ones only with `consents.sensitive_tags`.
fn check_tags(
    input: &ProfileInput,
    taxonomy: &dyn Fn(&str) -> Option<TagInfo>,
    existing_tags: &[String],
    consents: Consents,
    e: &mut FieldErrors,
) {
    let total = input.tags.len() + input.private_tags.len();
    if total > MAX_TAGS {
        e.add(
            "tags",
            format!("at most {MAX_TAGS} tags in total (tags and private_tags together)"),
        );
    }
    // slug -> which list it was first seen in
    let mut seen: HashMap<&str, &str> = HashMap::new();
    let mut sensitive: Vec<&str> = Vec::new();
    let existing: HashSet<&str> = existing_tags.iter().map(String::as_str).collect();
    for (list, items) in [("tags", &input.tags), ("private_tags", &input.private_tags)] {
        for (i, slug) in items.iter().enumerate() {
            let path = format!("{list}[{i}]");
            if let Some(first) = seen.get(slug.as_str()) {
                if *first == list {
                    e.add(path, "duplicate tag");
                } else {
                    e.add(path, "a tag can't be both public and private");
                }
                continue;
            }
            seen.insert(slug, list);
            match taxonomy(slug) {
                None => e.add(path, "unknown tag"),
                Some(info) => {
                    if info.retired && !existing.contains(slug.as_str()) {
                        e.add(path, "tag is retired and can no longer be added");
                    }
                    if info.sensitive {
                        sensitive.push(slug);
                    }
                }
            }
        }
    }
    if !sensitive.is_empty() && !consents.sensitive_tags {
        e.add(
            "consents.sensitive_tags",
            format!(
                "must be true to store sensitive tags: {}",
                sensitive.join(", ")
            ),
        );
    }
}

/// `languages`: 1..=[`MAX_LANGUAGES`] valid BCP 47 tags, normalised, no duplicates.
fn languages(raw: &[String], e: &mut FieldErrors) -> Vec<String> {
    let mut languages = Vec::with_capacity(raw.len());
    if raw.is_empty() {
        e.add("languages", "at least one language is required");
    } else if raw.len() > MAX_LANGUAGES {
        e.add("languages", format!("at most {MAX_LANGUAGES} languages"));
    }
    for (i, raw) in raw.iter().enumerate() {
        match normalize_language_tag(raw) {
            Ok(tag) if languages.contains(&tag) => {
                e.add(format!("languages[{i}]"), "duplicate language")
            }
            Ok(tag) => languages.push(tag),
            Err(m) => e.add(format!("languages[{i}]"), m),
        }
    }
    languages
}

/// `timezone`: a required IANA time zone name.
fn timezone(raw: &str, e: &mut FieldErrors) -> Option<Tz> {
    if raw.is_empty() {
        e.add("timezone", "is required");
        return None;
    }
    Tz::from_str(raw)
        .map_err(|_| {
            e.add(
                "timezone",
                "must be an IANA time zone name, e.g. Europe/Madrid",
            )
        })
        .ok()
}

/// `availability`: at most [`MAX_AVAILABILITY_WINDOWS`] valid windows that do not
/// overlap one another.
fn availability(
    raw: &[super::AvailabilityWindowInput],
    e: &mut FieldErrors,
) -> Vec<AvailabilityWindow> {
    if raw.len() > MAX_AVAILABILITY_WINDOWS {
        e.add(
            "availability",
            format!("at most {MAX_AVAILABILITY_WINDOWS} windows"),
        );
    }
    let mut availability: Vec<AvailabilityWindow> = Vec::with_capacity(raw.len());
    let mut parsed: Vec<(usize, AvailabilityWindow)> = Vec::new();
    for (i, w) in raw.iter().enumerate() {
        let path = format!("availability[{i}]");
        if let Some(win) = AvailabilityWindow::parse(w, &path, e) {
            if let Some((j, _)) = parsed.iter().find(|(_, prev)| prev.overlaps(&win)) {
                e.add(path, format!("overlaps availability[{j}]"));
            }
            parsed.push((i, win));
            availability.push(win);
        }
    }
    availability
}

/// `meeting_modes`: at least one known mode, no duplicates.
fn meeting_modes(raw: &[String], e: &mut FieldErrors) -> Vec<MeetingMode> {
    let mut meeting_modes = Vec::with_capacity(raw.len());
    if raw.is_empty() {
        e.add("meeting_modes", "at least one meeting mode is required");
    }
    for (i, raw) in raw.iter().enumerate() {
        match MeetingMode::parse(raw) {
            Ok(m) if meeting_modes.contains(&m) => {
                e.add(format!("meeting_modes[{i}]"), "duplicate meeting mode")
            }
            Ok(m) => meeting_modes.push(m),
            Err(msg) => e.add(format!("meeting_modes[{i}]"), msg),
        }
    }
    meeting_modes
}

/// `region`: optional single line (blank = absent), required with `in_person`.
fn region(raw: Option<&str>, meeting_modes: &[MeetingMode], e: &mut FieldErrors) -> Option<String> {
    let region = match raw {
        Some(r) if !r.trim().is_empty() => text::single_line(r, 1, REGION_MAX_CHARS)
            .map(Some)
            .map_err(|m| e.add("region", m))
            .unwrap_or(None),
        _ => None,
    };
    if region.is_none() && meeting_modes.contains(&MeetingMode::InPerson) && !e.contains("region") {
        e.add(
            "region",
            "is required when meeting_modes includes in_person",
        );
    }
    region
}

/// `pronouns`: optional (blank = absent).
fn pronouns(raw: Option<&str>, e: &mut FieldErrors) -> Option<Pronouns> {
    match raw {
        Some(p) => Pronouns::parse_optional(p)
            .map_err(|m| e.add("pronouns", m))
            .unwrap_or(None),
        None => None,
    }
}
