//! Peer-support circle formation: partition open circle requests into
//! circles of `min_size..=max_size` members, each led by one facilitator,
//! maximising Σ over circles (pairwise shared-experience scores + each
//! member's fit with the facilitator) under the contract's hard rules.
//!
//! Pure like the rest of the crate: input structs in, circles with
//! explanations, an upper bound and a fairness report out.
//!
//! Pipeline ([`form_circles`]):
//! 1. [`problem`]: validate through the matching [`crate::index::Index`]
//!    (tags, languages, time zones, UTC slots) and compile *keys*: one key
//!    per (language, meeting mode + region, weekly start slot). A circle is
//!    feasible iff its facilitator and every member hold a common key, no
//!    blocked pair is in it and its size is within bounds. [`pairs`] scores
//!    pairs from tag bitsets; [`reach`] scans each participant's key pools
//!    once for the best fit and pair-score sums it can reach.
//! 2. [`construct`]: greedy formation, scarcest participants first.
//! 3. [`search`]: deterministic local search (insert, move, swap, replace,
//!    facilitator change, merge, new circles) and a seeded iterated local
//!    search with an iteration budget (optional time cap). Each circle keeps
//!    its members' contributions and tag counts ([`state`]), so a move's
//!    loss is a look-up and most options are pruned by exact bounds (from
//!    [`reach`] and the tag counts) before any pair score is computed.
//! 4. [`bound`]: a proven upper bound on the optimum (the report's gap).
//! 5. [`explain`]: privacy-safe explanations, unplaced reasons, fairness.
//!
//! [`oracle`] is the exhaustive reference used by the tests.
//!
//! [`check_circle`] checks a coordinator's manual circle against the same
//! hard rules and scores it with the same code ([`check`]).

#[cfg(feature = "bench")]
pub mod bench;
mod bound;
mod check;
mod construct;
mod explain;
#[cfg(feature = "bench")]
mod export;
mod form;
mod input;
pub(crate) mod oracle;
mod pairs;
pub(crate) mod problem;
mod reach;
mod search;
mod state;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::model::{MeetingMode, Taxonomy, Weekday, Weights, Window};
use crate::score::Explanation;
use crate::MatchError;

pub use check::{check_circle, CircleViolation};

/// An open circle request with its author's (mentee) profile.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CircleRequest {
    /// Circle request id (unique among requests).
    pub id: String,
    /// The author's user id (blocked pairs name people, not requests).
    pub person_id: String,
    pub languages: Vec<String>,
    /// IANA time zone.
    pub timezone: String,
    /// Weekly availability in the person's own local time.
    pub availability: Vec<Window>,
    pub meeting_modes: Vec<MeetingMode>,
    #[serde(default)]
    pub region: Option<String>,
    #[serde(default)]
    pub public_tags: Vec<String>,
    #[serde(default)]
    pub private_tags: Vec<String>,
    /// Tags (public or private) the person hopes to share; a shared tag that
    /// is a topic of either person scores `topic_bonus_percent` more. A topic
    /// the person does not list publicly is treated as private.
    #[serde(default)]
    pub topics: Vec<String>,
    #[serde(default)]
    pub waited_days: u32,
}

/// A facilitator with room for more circles.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Facilitator {
    /// The facilitator's user id.
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
    /// How many more circles this facilitator may lead in this run
    /// (`max_circles` minus the circles they already lead).
    pub max_circles: u32,
}

/// Two people who must never share a circle (either blocked the other).
/// Both are user ids: a request's `person_id` or a facilitator's `id`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct BlockedPair {
    pub a: String,
    pub b: String,
}

/// The `[circles]` configuration the engine needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CircleConfig {
    /// Fewest members (the facilitator not counted).
    pub min_size: u32,
    /// Most members.
    pub max_size: u32,
    /// Length of the weekly session in minutes (`circles.session_length`).
    pub session_length_min: u32,
}

impl Default for CircleConfig {
    fn default() -> Self {
        CircleConfig {
            min_size: 4,
            max_size: 8,
            session_length_min: 90,
        }
    }
}

/// Circle-specific weights (the pair score itself uses the matching
/// [`Weights`]: category weights, IDF scale, shared-experience cap, waiting).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CircleWeights {
    /// Points per placed member (in the member–facilitator fit), so that
    /// placing someone beats leaving them out.
    pub member_base: u32,
    /// Extra percent for a shared tag that is a topic of either person.
    pub topic_bonus_percent: u32,
}

impl Default for CircleWeights {
    fn default() -> Self {
        CircleWeights {
            member_base: 100,
            topic_bonus_percent: 50,
        }
    }
}

/// The whole formation problem, as the service reads it from the database.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CircleProblem {
    pub taxonomy: Taxonomy,
    pub requests: Vec<CircleRequest>,
    pub facilitators: Vec<Facilitator>,
    #[serde(default)]
    pub blocked_pairs: Vec<BlockedPair>,
    #[serde(default)]
    pub weights: Weights,
    #[serde(default)]
    pub circle_weights: CircleWeights,
    #[serde(default)]
    pub config: CircleConfig,
    /// Week used for the DST-correct conversion to UTC (`None` = 2025-01-06).
    #[serde(default)]
    pub reference_monday: Option<chrono::NaiveDate>,
}

/// Search budget. The result depends only on the input and these options
/// unless `time_cap_ms` stops the search early (reported in the stats).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CircleOptions {
    pub seed: u64,
    /// Iterated-local-search rounds (perturb + repair); `None` = automatic
    /// (`clamp(40·requests, 400, 60 000)` up to 2 000 requests, then
    /// `60 000·√(2 000 / requests)`, stopping earlier after
    /// `min(max(100, 5·r), max(2·r, r²/8))` rounds in a row (`r` requests)
    /// without a gain or at a work
    /// budget of `560 000·√requests` pair scores).
    pub rounds: Option<u64>,
    /// Optional wall-time cap on the search (non-deterministic when hit).
    pub time_cap_ms: Option<u64>,
}

impl Default for CircleOptions {
    fn default() -> Self {
        CircleOptions {
            seed: 0x6b69_6e64,
            rounds: None,
            time_cap_ms: None,
        }
    }
}

/// Invalid circle input.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CircleError {
    #[error(transparent)]
    Input(#[from] MatchError),
    #[error("invalid circle configuration: {0}")]
    Config(&'static str),
}

/// A weekly slot in UTC. `end_min` may exceed 1440 (the session runs past
/// midnight UTC into the next day).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CircleSlot {
    pub day: Weekday,
    pub start_min: u32,
    pub end_min: u32,
}

/// One member's view of why they are in the circle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberExplanation {
    pub request_id: String,
    /// This member's contribution: fit with the facilitator plus the full
    /// pair score with each other member.
    pub explanation: Explanation,
}

/// A proposed circle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProposedCircle {
    pub facilitator_id: String,
    pub request_ids: Vec<String>,
    pub language: String,
    pub meeting_mode: MeetingMode,
    pub region: Option<String>,
    pub slot: CircleSlot,
    /// Tags at least two people of the circle show publicly.
    pub topics: Vec<String>,
    /// Σ member pairs + Σ member–facilitator fit (= `explanation.total`).
    pub score: i64,
    pub explanation: Explanation,
    pub members: Vec<MemberExplanation>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnplacedReason {
    /// No facilitator with room shares a language and a meeting mode
    /// (in person: a region) with the request and is not blocked.
    NoCompatibleFacilitator,
    /// Such facilitators exist, but none has a common weekly slot of
    /// `session_length` with the request.
    NoCommonSlot,
    /// For every (facilitator, key) the request could form a circle under,
    /// fewer than `min_size` requests (it included) hold that key without a
    /// block against it or the facilitator.
    TooFewCompatiblePeople,
    /// Compatible circles exist, but the facilitators' capacity and the
    /// circle sizes were used for higher-scoring circles.
    LostToHigherScoringCircles,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unplaced {
    pub request_id: String,
    pub reason: UnplacedReason,
}

/// Per tag category: requests with at least one tag (public, private or
/// topic) in it, placed and not. Counts only.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CircleCategoryCounts {
    pub requests: usize,
    pub placed: usize,
    pub unplaced: usize,
}

/// What the search did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchStats {
    pub keys: usize,
    pub construct_objective: i64,
    pub local_search_objective: i64,
    pub rounds: u64,
    pub improving_rounds: u64,
    pub moves: u64,
    /// Pair scores and fits the search computed (its deterministic work
    /// measure; the automatic budget stops the rounds past a limit).
    pub work: u64,
    /// True when `time_cap_ms` stopped the search before its budget.
    pub stopped_by_time_cap: bool,
}

/// The run report: placement, reasons, fairness and the bound.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CircleReport {
    pub requests: usize,
    pub placed: usize,
    pub unplaced: usize,
    pub unplaced_by_reason: BTreeMap<UnplacedReason, usize>,
    pub circles: usize,
    pub facilitators: usize,
    pub facilitators_used: usize,
    /// `size_histogram[s]` = circles with `s` members.
    pub size_histogram: Vec<usize>,
    pub per_category: BTreeMap<String, CircleCategoryCounts>,
    /// Lowest member contribution (fit + pair scores) among placed members.
    pub min_member_score: Option<i64>,
    pub objective: i64,
    /// A proven upper bound on the optimum (see `bound.rs`).
    pub upper_bound: i64,
    /// `100 · (upper_bound − objective) / upper_bound` (0 when the bound is 0).
    pub gap_percent: f64,
    pub search: SearchStats,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CircleResult {
    pub circles: Vec<ProposedCircle>,
    pub unplaced: Vec<Unplaced>,
    pub objective: i64,
    pub upper_bound: i64,
    pub report: CircleReport,
}

/// Forms circles. Deterministic for a given problem and options (unless a
/// time cap is hit).
pub fn form_circles(p: &CircleProblem, opts: &CircleOptions) -> Result<CircleResult, CircleError> {
    let inst = problem::Inst::new(p)?;
    let mut st = search::State::new(&inst);
    construct::construct(&mut st);
    let construct_objective = st.obj;
    let mut stats = search::search(&mut st, opts);
    stats.construct_objective = construct_objective;
    stats.keys = inst.n_keys();
    let upper_bound = bound::upper_bound(&inst, st.obj);
    Ok(explain::result(p, &inst, &st, upper_bound, stats))
}
