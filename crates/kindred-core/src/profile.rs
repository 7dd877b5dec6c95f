//! Mentee and mentor profiles: the `PUT /me/*-profile` body and its validation.

use std::fmt;
use std::str::FromStr;

use chrono_tz::Tz;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::accounts::Pronouns;

mod availability;
mod validate;

pub use availability::{AvailabilityWindow, AvailabilityWindowInput};
pub use validate::validate_profile;

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
/// Facilitator `max_circles` bounds (contract: 1..=5).
pub const MAX_CIRCLES_RANGE: std::ops::RangeInclusive<i64> = 1..=5;
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
    /// `PUT /me/facilitator-profile`.
    Facilitator,
}

impl ProfileKind {
    /// The wire / database spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            ProfileKind::Mentee => "mentee",
            ProfileKind::Mentor => "mentor",
            ProfileKind::Facilitator => "facilitator",
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
            "facilitator" => Ok(ProfileKind::Facilitator),
            _ => Err("must be one of: mentee, mentor, facilitator".to_owned()),
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

/// Body of `POST /me/consents`: the person's answer about the tags a
/// coordinator's import put on their profile that wait for consent (private
/// tags and sensitive ones). `true` makes them count for matching, `false`
/// removes them.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ConsentInput {
    /// `true`: use the waiting tags for matching; `false`: remove them.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = bool, required = true))]
    pub sensitive_tags: Option<bool>,
}

impl ConsentInput {
    /// The answer, or a `422` naming `sensitive_tags`.
    pub fn validate_all(&self) -> Result<bool, crate::errors::FieldErrors> {
        self.sensitive_tags.ok_or_else(|| {
            crate::errors::FieldErrors::single("sensitive_tags", "is required (true or false)")
        })
    }
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
    /// How many circles at once, 1..=5 (facilitator profiles only, required there).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<u8>, minimum = 1, maximum = 5))]
    pub max_circles: Option<i64>,
    /// Consents covering data in this body.
    #[serde(default)]
    pub consents: Option<Consents>,
    /// Optional pronouns, ≤ 40 characters.
    #[serde(default)]
    pub pronouns: Option<String>,
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
    /// Facilitator circle limit (always `Some` for facilitators, else `None`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_circles: Option<u8>,
    /// Consents as given (defaults to none granted).
    #[serde(default)]
    pub consents: Consents,
    /// Pronouns, `None` when absent or blank.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub pronouns: Option<Pronouns>,
}

impl ProfileInput {
    /// The body that would store `valid` again (consents included), e.g.
    /// as the starting point of an import row that changes some fields.
    pub fn from_valid(valid: &ValidProfile) -> ProfileInput {
        ProfileInput {
            bio: valid.bio.clone(),
            tags: valid.tags.clone(),
            private_tags: valid.private_tags.clone(),
            languages: valid.languages.clone(),
            timezone: valid.timezone.name().to_string(),
            availability: valid
                .availability
                .iter()
                .map(|w| AvailabilityWindowInput {
                    day: crate::time::weekday_str(w.day).to_string(),
                    start: crate::time::format_hhmm(w.start_min),
                    end: crate::time::format_hhmm(w.end_min),
                })
                .collect(),
            meeting_modes: valid
                .meeting_modes
                .iter()
                .map(|m| m.as_str().to_string())
                .collect(),
            region: valid.region.clone(),
            goals: valid.goals.clone(),
            capacity: valid.capacity.map(i64::from),
            accepting: valid.accepting,
            max_circles: valid.max_circles.map(i64::from),
            consents: Some(valid.consents),
            pronouns: valid.pronouns.as_ref().map(|p| p.as_str().to_string()),
        }
    }
}

impl ValidProfile {
    /// Mentor profiles always carry a capacity, facilitator profiles a
    /// circle limit, mentee profiles neither.
    pub fn kind(&self) -> ProfileKind {
        if self.capacity.is_some() {
            ProfileKind::Mentor
        } else if self.max_circles.is_some() {
            ProfileKind::Facilitator
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

#[cfg(test)]
mod tests;
