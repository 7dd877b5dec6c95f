//! Mentee and mentor profiles: the `PUT /me/*-profile` body and its validation.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::str::FromStr;

use chrono::Weekday;
use chrono_tz::Tz;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::accounts::Pronouns;
use crate::errors::FieldErrors;
use crate::language::normalize_language_tag;
use crate::tags::TagInfo;
use crate::text;
use crate::time::{format_hhmm, parse_hhmm, parse_weekday, weekday_str, MINUTES_PER_DAY};

/// Maximum `bio` length in characters.
pub const BIO_MAX_CHARS: usize = 2000;
/// Maximum `goals` length in characters.
pub const GOALS_MAX_CHARS: usize = 2000;
/// Maximum `region` length in characters.
pub const REGION_MAX_CHARS: usize = 100;
/// Maximum number of tags, public and private together.
pub const MAX_TAGS: usize = 30;
/// Maximum number of languages.
pub const MAX_LANGUAGES: usize = 10;
/// Maximum availability windows (four a day).
pub const MAX_AVAILABILITY_WINDOWS: usize = 28;
/// Mentor capacity bounds (contract: 1..=20).
pub const CAPACITY_RANGE: std::ops::RangeInclusive<i64> = 1..=20;
/// Availability granularity in minutes; keeps overlap arithmetic and scheduling simple.
pub const AVAILABILITY_STEP_MIN: u16 = 15;

/// Which profile a body is for; the rules for `goals`, `capacity` and `accepting` differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum ProfileKind {
    /// `PUT /me/mentee-profile`.
    Mentee,
    /// `PUT /me/mentor-profile`.
    Mentor,
}

impl ProfileKind {
    /// The wire / database spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            ProfileKind::Mentee => "mentee",
            ProfileKind::Mentor => "mentor",
        }
    }
}

impl fmt::Display for ProfileKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ProfileKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "mentee" => Ok(ProfileKind::Mentee),
            "mentor" => Ok(ProfileKind::Mentor),
            _ => Err("must be one of: mentee, mentor".to_owned()),
        }
    }
}

/// How a pair can meet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum MeetingMode {
    /// Video or chat.
    Online,
    /// Face to face; needs a `region` so matching can tell who is nearby.
    InPerson,
    /// Phone call.
    Phone,
}

impl MeetingMode {
    /// Every mode, in a stable order.
    pub const ALL: [MeetingMode; 3] = [
        MeetingMode::Online,
        MeetingMode::InPerson,
        MeetingMode::Phone,
    ];

    /// The wire / database spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            MeetingMode::Online => "online",
            MeetingMode::InPerson => "in_person",
            MeetingMode::Phone => "phone",
        }
    }

    /// Parses with a message fit for a 422.
    pub fn parse(raw: &str) -> Result<MeetingMode, String> {
        match raw {
            "online" => Ok(MeetingMode::Online),
            "in_person" => Ok(MeetingMode::InPerson),
            "phone" => Ok(MeetingMode::Phone),
            _ => Err("must be one of: online, in_person, phone".to_owned()),
        }
    }
}

impl fmt::Display for MeetingMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for MeetingMode {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        MeetingMode::parse(s)
    }
}

/// Explicit consents given in the same body as the data they cover.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Consents {
    /// Consent to store special-category (sensitive) tags; required if any is present.
    #[serde(default)]
    pub sensitive_tags: bool,
}

/// One weekly availability window as sent by clients, e.g. `{"day": "mon", "start": "18:00", "end": "20:30"}`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AvailabilityWindowInput {
    /// `mon`..`sun`.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(required = true, example = "mon"))]
    pub day: String,
    /// `HH:MM`, 24-hour, minutes a multiple of 15.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(required = true, example = "18:00"))]
    pub start: String,
    /// `HH:MM`, after `start`; `24:00` allowed.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(required = true, example = "20:30"))]
    pub end: String,
}

/// Body of `PUT /me/mentee-profile` and `PUT /me/mentor-profile`, exactly the contract's
/// JSON. Unknown fields are rejected (a misspelt `privte_tags` must not silently publish
/// a tag); absent fields default so that what's missing is reported as a 422 with the rest.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ProfileInput {
    /// Free text, ≤ 2000 characters.
    #[serde(default)]
    pub bio: String,
    /// Tag slugs shown to a matched partner.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Tag slugs used for matching only, never shown except to coordinators.
    #[serde(default)]
    pub private_tags: Vec<String>,
    /// BCP 47 tags, 1..=10.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub languages: Vec<String>,
    /// IANA time zone name, e.g. `Europe/Madrid`.
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(required = true, example = "Europe/Madrid")
    )]
    pub timezone: String,
    /// Weekly windows in the profile's time zone, ≤ 28.
    #[serde(default)]
    pub availability: Vec<AvailabilityWindowInput>,
    /// Non-empty subset of `online`, `in_person`, `phone`.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(required = true, value_type = Vec<MeetingMode>))]
    pub meeting_modes: Vec<String>,
    /// Where in-person meetings could happen; required with `in_person`.
    #[serde(default)]
    pub region: Option<String>,
    /// What the mentee hopes to get out of mentoring (mentee profiles only).
    #[serde(default)]
    pub goals: Option<String>,
    /// How many mentees at once, 1..=20 (mentor profiles only, required there).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<u8>, minimum = 1, maximum = 20))]
    pub capacity: Option<i64>,
    /// Whether new matches may be proposed (mentor profiles only, default `true`).
    #[serde(default)]
    pub accepting: Option<bool>,
    /// Consents covering data in this body.
    #[serde(default)]
    pub consents: Option<Consents>,
    /// Optional pronouns, ≤ 40 characters.
    #[serde(default)]
    pub pronouns: Option<String>,
}

/// A validated weekly window: minutes after local midnight in the profile's time zone.
/// Serializes back to the contract's `{"day", "start", "end"}` form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct AvailabilityWindow {
    /// Day of the week.
    pub day: Weekday,
    /// Start, minutes after midnight (`0..1440`).
    pub start_min: u16,
    /// End, minutes after midnight (`start_min < end_min <= 1440`).
    pub end_min: u16,
}

impl AvailabilityWindow {
    /// Validates a client window, reporting each bad part under `{path}.day|start|end`.
    pub fn parse(
        input: &AvailabilityWindowInput,
        path: &str,
        errors: &mut FieldErrors,
    ) -> Option<Self> {
        let day = parse_weekday(&input.day).map_err(|m| errors.add(format!("{path}.day"), m));
        let time = |raw: &str, field: &str, errors: &mut FieldErrors| {
            let r = parse_hhmm(raw).and_then(|m| {
                if m % AVAILABILITY_STEP_MIN == 0 {
                    Ok(m)
                } else {
                    Err(format!(
                        "minutes must be a multiple of {AVAILABILITY_STEP_MIN}"
                    ))
                }
            });
            r.map_err(|m| errors.add(format!("{path}.{field}"), m)).ok()
        };
        let start = time(&input.start, "start", errors);
        let end = time(&input.end, "end", errors);
        let start = match start {
            Some(MINUTES_PER_DAY) => {
                errors.add(format!("{path}.start"), "must be before 24:00");
                None
            }
            s => s,
        };
        let (start_min, end_min) = (start?, end?);
        if start_min >= end_min {
            errors.add(format!("{path}.end"), "must be after start");
            return None;
        }
        Some(AvailabilityWindow {
            day: day.ok()?,
            start_min,
            end_min,
        })
    }

    /// Whether two windows share any time (touching ends do not count).
    pub fn overlaps(&self, other: &AvailabilityWindow) -> bool {
        self.day == other.day && self.start_min < other.end_min && other.start_min < self.end_min
    }

    fn to_input(self) -> AvailabilityWindowInput {
        AvailabilityWindowInput {
            day: weekday_str(self.day).to_owned(),
            start: format_hhmm(self.start_min),
            end: format_hhmm(self.end_min),
        }
    }
}

impl Serialize for AvailabilityWindow {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.to_input().serialize(s)
    }
}

impl<'de> Deserialize<'de> for AvailabilityWindow {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let input = AvailabilityWindowInput::deserialize(d)?;
        let mut errors = FieldErrors::new();
        AvailabilityWindow::parse(&input, "availability", &mut errors)
            .ok_or_else(|| serde::de::Error::custom(errors))
    }
}

mod tz_serde {
    use super::*;

    pub fn serialize<S: Serializer>(tz: &Tz, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(tz.name())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Tz, D::Error> {
        let name = String::deserialize(d)?;
        Tz::from_str(&name).map_err(|_| serde::de::Error::custom("unknown IANA time zone"))
    }
}

/// A profile that satisfied every rule, with normalised values. Serializes to the
/// contract's JSON (the API adds `updated_at`); mentor-only fields are omitted for mentees
/// and vice versa. Also deserializable, so it can be stored as JSON and read back.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ValidProfile {
    /// Trimmed bio (may be empty).
    pub bio: String,
    /// Public tag slugs, in the order given.
    pub tags: Vec<String>,
    /// Private tag slugs, in the order given.
    pub private_tags: Vec<String>,
    /// Case-normalised BCP 47 tags.
    pub languages: Vec<String>,
    /// IANA time zone (its canonical spelling when serialized).
    #[serde(with = "tz_serde")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "Europe/Madrid"))]
    pub timezone: Tz,
    /// Weekly windows, in the order given.
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<AvailabilityWindowInput>))]
    pub availability: Vec<AvailabilityWindow>,
    /// Meeting modes, in the order given.
    pub meeting_modes: Vec<MeetingMode>,
    /// Trimmed region, `None` when absent or blank.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// Mentee goals, `None` when absent or blank (always `None` for mentors).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub goals: Option<String>,
    /// Mentor capacity (always `Some` for mentors, `None` for mentees).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capacity: Option<u8>,
    /// Mentor accepting flag (always `Some` for mentors, `None` for mentees).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accepting: Option<bool>,
    /// Consents as given (defaults to none granted).
    #[serde(default)]
    pub consents: Consents,
    /// Pronouns, `None` when absent or blank.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub pronouns: Option<Pronouns>,
}

impl ValidProfile {
    /// Mentor profiles always carry a capacity, mentee profiles never do.
    pub fn kind(&self) -> ProfileKind {
        if self.capacity.is_some() {
            ProfileKind::Mentor
        } else {
            ProfileKind::Mentee
        }
    }

    /// Public then private tags.
    pub fn all_tags(&self) -> impl Iterator<Item = &str> {
        self.tags
            .iter()
            .chain(&self.private_tags)
            .map(String::as_str)
    }
}

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

    // goals / capacity / accepting depend on the kind.
    let mut goals = None;
    let mut capacity = None;
    let mut accepting = None;
    match kind {
        ProfileKind::Mentee => {
            if let Some(g) = &input.goals {
                match text::multi_line(g, GOALS_MAX_CHARS) {
                    Ok(g) if !g.is_empty() => goals = Some(g),
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
                Some(c) => capacity = u8::try_from(c).ok(),
            }
            accepting = Some(input.accepting.unwrap_or(true));
        }
    }

    let consents = input.consents.unwrap_or_default();
    check_tags(input, taxonomy, existing_tags, consents, &mut e);

    // languages
    let mut languages = Vec::with_capacity(input.languages.len());
    if input.languages.is_empty() {
        e.add("languages", "at least one language is required");
    } else if input.languages.len() > MAX_LANGUAGES {
        e.add("languages", format!("at most {MAX_LANGUAGES} languages"));
    }
    for (i, raw) in input.languages.iter().enumerate() {
        match normalize_language_tag(raw) {
            Ok(tag) if languages.contains(&tag) => {
                e.add(format!("languages[{i}]"), "duplicate language")
            }
            Ok(tag) => languages.push(tag),
            Err(m) => e.add(format!("languages[{i}]"), m),
        }
    }

    // timezone
    let timezone = if input.timezone.is_empty() {
        e.add("timezone", "is required");
        None
    } else {
        Tz::from_str(&input.timezone)
            .map_err(|_| {
                e.add(
                    "timezone",
                    "must be an IANA time zone name, e.g. Europe/Madrid",
                )
            })
            .ok()
    };

    // availability
    if input.availability.len() > MAX_AVAILABILITY_WINDOWS {
        e.add(
            "availability",
            format!("at most {MAX_AVAILABILITY_WINDOWS} windows"),
        );
    }
    let mut availability: Vec<AvailabilityWindow> = Vec::with_capacity(input.availability.len());
    let mut parsed: Vec<(usize, AvailabilityWindow)> = Vec::new();
    for (i, w) in input.availability.iter().enumerate() {
        let path = format!("availability[{i}]");
        if let Some(win) = AvailabilityWindow::parse(w, &path, &mut e) {
            if let Some((j, _)) = parsed.iter().find(|(_, prev)| prev.overlaps(&win)) {
                e.add(path, format!("overlaps availability[{j}]"));
            }
            parsed.push((i, win));
            availability.push(win);
        }
    }

    // meeting modes
    let mut meeting_modes = Vec::with_capacity(input.meeting_modes.len());
    if input.meeting_modes.is_empty() {
        e.add("meeting_modes", "at least one meeting mode is required");
    }
    for (i, raw) in input.meeting_modes.iter().enumerate() {
        match MeetingMode::parse(raw) {
            Ok(m) if meeting_modes.contains(&m) => {
                e.add(format!("meeting_modes[{i}]"), "duplicate meeting mode")
            }
            Ok(m) => meeting_modes.push(m),
            Err(msg) => e.add(format!("meeting_modes[{i}]"), msg),
        }
    }

    // region
    let region = match &input.region {
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

    let pronouns = match &input.pronouns {
        Some(p) => Pronouns::parse_optional(p)
            .map_err(|m| e.add("pronouns", m))
            .unwrap_or(None),
        None => None,
    };

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
            consents,
            pronouns,
        }),
        _ => Err(e),
    }
}

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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    fn taxonomy(slug: &str) -> Option<TagInfo> {
        match slug {
            "bisexual" | "domestic-abuse-survivor" => Some(TagInfo {
                sensitive: true,
                retired: false,
            }),
            "coming-out-at-work" | "job-search" | "housing" => Some(TagInfo::default()),
            "old-tag" => Some(TagInfo {
                sensitive: false,
                retired: true,
            }),
            _ => None,
        }
    }

    fn mentee_body() -> Value {
        json!({
            "bio": "  Hi there  ",
            "tags": ["bisexual", "coming-out-at-work"],
            "private_tags": ["domestic-abuse-survivor"],
            "languages": ["en", "es"],
            "timezone": "Europe/Madrid",
            "availability": [{"day": "mon", "start": "18:00", "end": "20:30"}],
            "meeting_modes": ["online", "in_person"],
            "region": "Madrid",
            "goals": "Find my feet at work",
            "consents": {"sensitive_tags": true}
        })
    }

    fn mentor_body() -> Value {
        let mut b = mentee_body();
        let o = b.as_object_mut().unwrap();
        o.remove("goals");
        o.insert("capacity".into(), json!(3));
        b
    }

    fn run(kind: ProfileKind, body: Value) -> Result<ValidProfile, FieldErrors> {
        run_with(kind, body, &[])
    }

    fn run_with(
        kind: ProfileKind,
        body: Value,
        existing: &[String],
    ) -> Result<ValidProfile, FieldErrors> {
        let input: ProfileInput = serde_json::from_value(body).unwrap();
        validate_profile(&input, kind, &taxonomy, existing)
    }

    /// Applies `patch` to the mentee body and returns the errors, asserting it failed.
    fn errs(kind: ProfileKind, patch: Value) -> FieldErrors {
        let mut body = match kind {
            ProfileKind::Mentee => mentee_body(),
            ProfileKind::Mentor => mentor_body(),
        };
        for (k, v) in patch.as_object().unwrap() {
            if v.is_null() {
                body.as_object_mut().unwrap().remove(k);
            } else {
                body[k] = v.clone();
            }
        }
        run(kind, body).unwrap_err()
    }

    fn assert_only(e: &FieldErrors, path: &str) {
        assert_eq!(e.paths().collect::<Vec<_>>(), [path], "{e}");
    }

    #[test]
    fn valid_mentee_round_trips_exactly() {
        let p = run(ProfileKind::Mentee, mentee_body()).unwrap();
        assert_eq!(p.kind(), ProfileKind::Mentee);
        assert_eq!(p.timezone, chrono_tz::Europe::Madrid);
        let out = serde_json::to_value(&p).unwrap();
        let mut want = mentee_body();
        want["bio"] = json!("Hi there");
        assert_eq!(out, want);
        let back: ValidProfile = serde_json::from_value(out).unwrap();
        assert_eq!(back, p);
    }

    #[test]
    fn valid_mentor_defaults_accepting() {
        let p = run(ProfileKind::Mentor, mentor_body()).unwrap();
        assert_eq!((p.capacity, p.accepting), (Some(3), Some(true)));
        assert_eq!(p.kind(), ProfileKind::Mentor);
        let out = serde_json::to_value(&p).unwrap();
        assert_eq!(out["accepting"], json!(true));
        assert!(out.get("goals").is_none());
        let mut b = mentor_body();
        b["accepting"] = json!(false);
        assert_eq!(run(ProfileKind::Mentor, b).unwrap().accepting, Some(false));
    }

    #[test]
    fn unknown_fields_are_rejected() {
        let mut b = mentee_body();
        b["privte_tags"] = json!([]);
        assert!(serde_json::from_value::<ProfileInput>(b).is_err());
        let mut b = mentee_body();
        b["availability"][0]["note"] = json!("x");
        assert!(serde_json::from_value::<ProfileInput>(b).is_err());
    }

    #[test]
    fn bio_too_long() {
        let e = errs(ProfileKind::Mentee, json!({"bio": "x".repeat(2001)}));
        assert_only(&e, "bio");
        assert!(run(ProfileKind::Mentee, {
            let mut b = mentee_body();
            b["bio"] = json!("é".repeat(2000));
            b
        })
        .is_ok());
    }

    #[test]
    fn goals_too_long_and_mentor_goals_rejected() {
        assert_only(
            &errs(ProfileKind::Mentee, json!({"goals": "x".repeat(2001)})),
            "goals",
        );
        let e = errs(ProfileKind::Mentor, json!({"goals": "x"}));
        assert_only(&e, "goals");
        assert_eq!(e.get("goals").unwrap(), ["only for mentee profiles"]);
    }

    #[test]
    fn capacity_rules() {
        assert_only(
            &errs(ProfileKind::Mentor, json!({"capacity": null})),
            "capacity",
        );
        assert_only(
            &errs(ProfileKind::Mentor, json!({"capacity": 0})),
            "capacity",
        );
        assert_only(
            &errs(ProfileKind::Mentor, json!({"capacity": 21})),
            "capacity",
        );
        assert_only(
            &errs(ProfileKind::Mentor, json!({"capacity": -3})),
            "capacity",
        );
        assert_only(
            &errs(ProfileKind::Mentee, json!({"capacity": 2})),
            "capacity",
        );
    }

    #[test]
    fn accepting_rejected_for_mentee() {
        assert_only(
            &errs(ProfileKind::Mentee, json!({"accepting": true})),
            "accepting",
        );
    }

    #[test]
    fn unknown_tag() {
        let e = errs(ProfileKind::Mentee, json!({"tags": ["bisexual", "nope"]}));
        assert_only(&e, "tags[1]");
        assert_eq!(e.get("tags[1]").unwrap(), ["unknown tag"]);
    }

    #[test]
    fn retired_tag_only_if_existing() {
        let e = errs(ProfileKind::Mentee, json!({"tags": ["old-tag"]}));
        assert_only(&e, "tags[0]");
        let mut b = mentee_body();
        b["tags"] = json!(["old-tag"]);
        assert!(run_with(ProfileKind::Mentee, b, &["old-tag".to_owned()]).is_ok());
    }

    #[test]
    fn duplicate_tag() {
        let e = errs(
            ProfileKind::Mentee,
            json!({"tags": ["job-search", "job-search"]}),
        );
        assert_only(&e, "tags[1]");
        assert_eq!(e.get("tags[1]").unwrap(), ["duplicate tag"]);
    }

    #[test]
    fn tag_both_public_and_private() {
        let e = errs(
            ProfileKind::Mentee,
            json!({"private_tags": ["domestic-abuse-survivor", "job-search"], "tags": ["job-search"]}),
        );
        assert_only(&e, "private_tags[1]");
    }

    #[test]
    fn too_many_tags() {
        let many: Vec<String> = (0..31).map(|i| format!("t{i}")).collect();
        let input = ProfileInput {
            tags: many,
            languages: vec!["en".into()],
            timezone: "UTC".into(),
            meeting_modes: vec!["online".into()],
            ..Default::default()
        };
        let e = validate_profile(
            &input,
            ProfileKind::Mentee,
            &|_| Some(TagInfo::default()),
            &[],
        )
        .unwrap_err();
        assert_only(&e, "tags");
    }

    #[test]
    fn sensitive_tags_need_consent() {
        let e = errs(ProfileKind::Mentee, json!({"consents": null}));
        assert_only(&e, "consents.sensitive_tags");
        let msg = &e.get("consents.sensitive_tags").unwrap()[0];
        assert!(
            msg.contains("bisexual") && msg.contains("domestic-abuse-survivor"),
            "{msg}"
        );
        let e = errs(
            ProfileKind::Mentee,
            json!({"consents": {"sensitive_tags": false}}),
        );
        assert_only(&e, "consents.sensitive_tags");
        // Non-sensitive tags need no consent.
        let mut b = mentee_body();
        b["tags"] = json!(["job-search"]);
        b["private_tags"] = json!([]);
        b.as_object_mut().unwrap().remove("consents");
        assert!(run(ProfileKind::Mentee, b).is_ok());
    }

    #[test]
    fn languages_rules() {
        assert_only(
            &errs(ProfileKind::Mentee, json!({"languages": []})),
            "languages",
        );
        assert_only(
            &errs(ProfileKind::Mentee, json!({"languages": null})),
            "languages",
        );
        let eleven: Vec<String> = (0..11).map(|i| format!("en-{:03}", i)).collect();
        assert_only(
            &errs(ProfileKind::Mentee, json!({"languages": eleven})),
            "languages",
        );
        assert_only(
            &errs(
                ProfileKind::Mentee,
                json!({"languages": ["en", "english!"]}),
            ),
            "languages[1]",
        );
        let e = errs(
            ProfileKind::Mentee,
            json!({"languages": ["en-gb", "EN-GB"]}),
        );
        assert_only(&e, "languages[1]");
        assert_eq!(e.get("languages[1]").unwrap(), ["duplicate language"]);
        let mut b = mentee_body();
        b["languages"] = json!(["en-gb", "zh-hant"]);
        assert_eq!(
            run(ProfileKind::Mentee, b).unwrap().languages,
            ["en-GB", "zh-Hant"]
        );
    }

    #[test]
    fn timezone_rules() {
        assert_only(
            &errs(ProfileKind::Mentee, json!({"timezone": "Mars/Olympus"})),
            "timezone",
        );
        assert_only(
            &errs(ProfileKind::Mentee, json!({"timezone": null})),
            "timezone",
        );
        let mut b = mentee_body();
        b["timezone"] = json!("America/Argentina/Buenos_Aires");
        let p = run(ProfileKind::Mentee, b).unwrap();
        assert_eq!(
            serde_json::to_value(&p).unwrap()["timezone"],
            "America/Argentina/Buenos_Aires"
        );
    }

    #[test]
    fn availability_rules() {
        let w = |d: &str, s: &str, e: &str| json!({"day": d, "start": s, "end": e});
        let too_many: Vec<Value> = (0..29)
            .map(|i| {
                let day = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"][i % 7];
                let h = i / 7;
                w(day, &format!("{:02}:00", h), &format!("{:02}:30", h))
            })
            .collect();
        assert_only(
            &errs(ProfileKind::Mentee, json!({"availability": too_many})),
            "availability",
        );
        assert_only(
            &errs(
                ProfileKind::Mentee,
                json!({"availability": [w("monday", "09:00", "10:00")]}),
            ),
            "availability[0].day",
        );
        assert_only(
            &errs(
                ProfileKind::Mentee,
                json!({"availability": [w("mon", "9:00", "10:00")]}),
            ),
            "availability[0].start",
        );
        assert_only(
            &errs(
                ProfileKind::Mentee,
                json!({"availability": [w("mon", "09:00", "10:10")]}),
            ),
            "availability[0].end",
        );
        assert_only(
            &errs(
                ProfileKind::Mentee,
                json!({"availability": [w("mon", "24:00", "24:00")]}),
            ),
            "availability[0].start",
        );
        let e = errs(
            ProfileKind::Mentee,
            json!({"availability": [w("mon", "10:00", "09:00")]}),
        );
        assert_only(&e, "availability[0].end");
        assert_eq!(
            e.get("availability[0].end").unwrap(),
            ["must be after start"]
        );
        let e = errs(
            ProfileKind::Mentee,
            json!({"availability": [
                w("mon", "09:00", "11:00"), w("tue", "09:30", "10:00"),
                w("mon", "12:00", "13:00"), w("mon", "10:45", "12:00")
            ]}),
        );
        assert_only(&e, "availability[3]");
        assert_eq!(
            e.get("availability[3]").unwrap(),
            ["overlaps availability[0]"]
        );
        // Touching windows and 24:00 ends are fine; output keeps the HH:MM form.
        let mut b = mentee_body();
        b["availability"] = json!([w("sun", "22:00", "24:00"), w("sun", "20:00", "22:00")]);
        let p = run(ProfileKind::Mentee, b.clone()).unwrap();
        assert_eq!(
            p.availability[0],
            AvailabilityWindow {
                day: Weekday::Sun,
                start_min: 1320,
                end_min: 1440
            }
        );
        assert_eq!(
            serde_json::to_value(&p).unwrap()["availability"],
            b["availability"]
        );
    }

    #[test]
    fn meeting_mode_rules() {
        assert_only(
            &errs(ProfileKind::Mentee, json!({"meeting_modes": []})),
            "meeting_modes",
        );
        assert_only(
            &errs(
                ProfileKind::Mentee,
                json!({"meeting_modes": ["online", "carrier_pigeon"]}),
            ),
            "meeting_modes[1]",
        );
        assert_only(
            &errs(
                ProfileKind::Mentee,
                json!({"meeting_modes": ["phone", "phone"]}),
            ),
            "meeting_modes[1]",
        );
        let e = errs(ProfileKind::Mentee, json!({"region": null}));
        assert_only(&e, "region");
        assert_eq!(
            e.get("region").unwrap(),
            ["is required when meeting_modes includes in_person"]
        );
        assert_only(
            &errs(ProfileKind::Mentee, json!({"region": "   "})),
            "region",
        );
        let mut b = mentee_body();
        b["meeting_modes"] = json!(["phone"]);
        b.as_object_mut().unwrap().remove("region");
        assert!(run(ProfileKind::Mentee, b).is_ok());
    }

    #[test]
    fn region_rules() {
        assert_only(
            &errs(ProfileKind::Mentee, json!({"region": "x".repeat(101)})),
            "region",
        );
        assert_only(
            &errs(ProfileKind::Mentee, json!({"region": "a\u{0}b"})),
            "region",
        );
        let mut b = mentee_body();
        b["region"] = json!("  Madrid  ");
        assert_eq!(
            run(ProfileKind::Mentee, b).unwrap().region.as_deref(),
            Some("Madrid")
        );
    }

    #[test]
    fn pronouns_rule() {
        assert_only(
            &errs(ProfileKind::Mentee, json!({"pronouns": "x".repeat(41)})),
            "pronouns",
        );
    }

    #[test]
    fn five_violations_reported_together() {
        let e = errs(
            ProfileKind::Mentor,
            json!({
                "bio": "x".repeat(2001),
                "capacity": 99,
                "tags": ["nope"],
                "languages": [],
                "timezone": "Nowhere/Special",
            }),
        );
        assert_eq!(
            e.paths().collect::<Vec<_>>(),
            ["bio", "capacity", "languages", "tags[0]", "timezone"],
            "{e}"
        );
        assert_eq!(
            serde_json::to_value(&e).unwrap().as_object().unwrap().len(),
            5
        );
    }
}
