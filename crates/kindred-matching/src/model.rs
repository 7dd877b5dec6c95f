//! Input types: plain owned data that the API layer builds from database rows.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// One tag of the taxonomy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tag {
    /// Stable identifier, e.g. `"grief"`.
    pub slug: String,
    /// Category name, e.g. `"health"`; weights are configured per category.
    pub category: String,
    /// Sensitive tags are scored like any other tag but are never named in an
    /// explanation unless both people list the tag publicly (the same rule as
    /// for every tag; the flag is carried for the API's own display rules).
    #[serde(default)]
    pub sensitive: bool,
}

/// The tag taxonomy (tag → category, sensitive).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Taxonomy {
    pub tags: Vec<Tag>,
}

/// Day of the week of an availability window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Weekday {
    Mon,
    Tue,
    Wed,
    Thu,
    Fri,
    Sat,
    Sun,
}

impl Weekday {
    /// Days since Monday (Mon = 0 … Sun = 6).
    pub fn index(self) -> u32 {
        self as u32
    }

    pub const ALL: [Weekday; 7] = [
        Weekday::Mon,
        Weekday::Tue,
        Weekday::Wed,
        Weekday::Thu,
        Weekday::Fri,
        Weekday::Sat,
        Weekday::Sun,
    ];
}

/// A weekly availability window in the person's own local time.
/// `start_min`/`end_min` are minutes after local midnight, `0 ≤ start < end ≤ 1440`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Window {
    pub day: Weekday,
    pub start_min: u16,
    pub end_min: u16,
}

/// How two people can meet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MeetingMode {
    Online,
    /// In person: both people must also be in the same region.
    InPerson,
}

/// A mentee's open request, with the mentee's profile.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MenteeRequest {
    /// Request id (unique among requests).
    pub id: String,
    /// The mentee's person id; excluded pairs may name either this or `id`.
    /// A request is never matched with a mentor whose `id` equals it.
    #[serde(default)]
    pub mentee_id: String,
    pub languages: Vec<String>,
    /// IANA time zone, e.g. `"Europe/Berlin"`.
    pub timezone: String,
    pub availability: Vec<Window>,
    pub meeting_modes: Vec<MeetingMode>,
    #[serde(default)]
    pub region: Option<String>,
    /// Tags the mentee shows publicly.
    #[serde(default)]
    pub public_tags: Vec<String>,
    /// Tags the mentee keeps private: used for scoring but never named in an
    /// explanation.
    #[serde(default)]
    pub private_tags: Vec<String>,
    /// The mentor must show every one of these tags publicly: a mentor's
    /// private tags add to the score but never meet a required tag.
    #[serde(default)]
    pub required_tags: Vec<String>,
    /// The mentor's region must not be one of these.
    #[serde(default)]
    pub excluded_regions: Vec<String>,
    /// Whole days the request has been waiting (computed by the caller from
    /// `waiting_since`, so the library stays clock-free and deterministic).
    #[serde(default)]
    pub waited_days: u32,
}

/// A mentor's profile and capacity.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mentor {
    pub id: String,
    pub languages: Vec<String>,
    pub timezone: String,
    pub availability: Vec<Window>,
    pub meeting_modes: Vec<MeetingMode>,
    #[serde(default)]
    pub region: Option<String>,
    #[serde(default)]
    pub public_tags: Vec<String>,
    #[serde(default)]
    pub private_tags: Vec<String>,
    /// How many more mentees this mentor can take now.
    pub capacity_remaining: u32,
    /// Mentees the mentor already has (drives the convex load term).
    #[serde(default)]
    pub current_load: u32,
    pub accepting: bool,
}

/// A pair that must never be proposed: blocked, or previously
/// rejected / declined / expired / ended. `mentee` may be a request id or a
/// mentee id.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct ExcludedPair {
    pub mentee: String,
    pub mentor: String,
}

/// Scoring weights and caps: the `[matching.weights]` config table.
///
/// All points are integers so sums are exact. See `docs/matching.md` for the
/// reasoning behind each default.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Weights {
    /// Points every feasible pair gets, so that matching someone beats leaving
    /// them unmatched.
    pub base: u32,
    /// Category weight used for categories not listed in `category_weights`.
    pub default_category_weight: u32,
    /// Per-category weight (category name → weight).
    pub category_weights: BTreeMap<String, u32>,
    /// A shared tag is worth `category_weight × idf_scale × ln(1 + M/df) / 10`
    /// points, rounded, where `df` is the number of mentors with the tag.
    pub idf_scale: u32,
    /// Cap on the shared-experience component.
    pub shared_experience_cap: u32,
    /// Points per hour of weekly availability overlap (pro rata per minute).
    pub overlap_points_per_hour: u32,
    /// Overlap beyond this many minutes per week earns no more points.
    pub overlap_cap_minutes: u32,
    /// Hard rule: pairs with less weekly overlap than this are infeasible (0 = off).
    pub min_overlap_minutes: u32,
    /// Points for the same UTC offset, falling linearly to 0 at 12 hours apart.
    pub timezone_points: u32,
    /// Points per day waited.
    pub waiting_points_per_day: u32,
    /// Days waited beyond this earn no more points.
    pub waiting_cap_days: u32,
    /// Linear part of the load term: the mentor's j-th mentee overall
    /// (counting `current_load`) costs `load_linear·(j−1) + load_quadratic·(j−1)²`.
    pub load_linear: u32,
    /// Quadratic (convex) part of the load term.
    pub load_quadratic: u32,
}

impl Default for Weights {
    fn default() -> Self {
        Weights {
            base: 100,
            default_category_weight: 10,
            category_weights: BTreeMap::new(),
            idf_scale: 10,
            shared_experience_cap: 1000,
            overlap_points_per_hour: 10,
            overlap_cap_minutes: 360,
            min_overlap_minutes: 0,
            timezone_points: 30,
            waiting_points_per_day: 1,
            waiting_cap_days: 90,
            load_linear: 8,
            load_quadratic: 2,
        }
    }
}

impl Weights {
    /// Marginal cost of the mentor's `j`-th mentee overall (1-based).
    pub fn load_penalty(&self, j: u32) -> i64 {
        let x = i64::from(j.saturating_sub(1));
        i64::from(self.load_linear) * x + i64::from(self.load_quadratic) * x * x
    }

    pub(crate) fn category_weight(&self, category: &str) -> u32 {
        self.category_weights
            .get(category)
            .copied()
            .unwrap_or(self.default_category_weight)
    }
}

/// The whole matching problem.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    pub taxonomy: Taxonomy,
    pub requests: Vec<MenteeRequest>,
    pub mentors: Vec<Mentor>,
    #[serde(default)]
    pub excluded_pairs: Vec<ExcludedPair>,
    /// The same exclusions by position, for callers that already hold dense
    /// indices: `[request index, mentor index]` into `requests` / `mentors`.
    /// 8 bytes per pair instead of two owned ids (a large population has
    /// millions of excluded pairs). Both lists apply.
    #[serde(default)]
    pub excluded_positions: Vec<[u32; 2]>,
    #[serde(default)]
    pub weights: Weights,
    /// Monday of the reference week used to convert local windows to UTC
    /// (DST-correct for that week). `None` = 2025-01-06.
    #[serde(default)]
    pub reference_monday: Option<chrono::NaiveDate>,
}

/// Which assignment `run` returns (both are always computed for the report).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// Maximum total score subject to capacities, certified over all pairs.
    #[default]
    Optimal,
    /// Mentee-proposing deferred acceptance over the same scores.
    Stable,
}
