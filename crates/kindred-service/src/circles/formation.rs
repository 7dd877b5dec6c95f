//! Forming circles: the engine's input from a consistent snapshot, circle
//! runs (`POST /circle-runs`) and manual circles (`POST /circles`), both
//! written as `proposed` circles whose requests become `placed`.

use std::collections::{HashMap, HashSet};
use std::time::Instant;

use chrono::{DateTime, Utc};
use kindred_config::Settings;
use kindred_core::{CircleRequestState, CircleState, FieldErrors, MemberState, Role};
use kindred_db::circles::{Circle, CircleMember, CircleRequest, CircleRun};
use kindred_db::DbConnection;
use kindred_matching as km;
use serde::{Deserialize, Serialize};

use crate::caller::Caller;
use crate::error::{ServiceError, ServiceResult};
use crate::matchmaking;

/// Which requests and facilitators a snapshot holds.
pub(crate) enum Scope<'a> {
    /// Every open request and every facilitator with room (a run).
    Open,
    /// These requests (any state) and this facilitator (a manual circle or
    /// a place offered after an invitation lapsed).
    Only {
        request_ids: &'a [String],
        facilitator_id: &'a str,
        /// A circle whose own load is not counted against the facilitator.
        except_circle: Option<&'a str>,
    },
}

/// The formation problem from the database, plus each request's author.
pub(crate) struct Snapshot {
    pub problem: km::CircleProblem,
    pub person_of: HashMap<String, String>,
}

fn topics(r: &CircleRequest) -> Vec<String> {
    serde_json::from_str(&r.topics).unwrap_or_default()
}

/// Builds the engine's input. Requests without a mentee profile and
/// facilitators without a facilitator profile (or without the role) are
/// left out.
pub(crate) fn snapshot(
    conn: &mut DbConnection,
    settings: &Settings,
    config: km::CircleConfig,
    scope: &Scope<'_>,
) -> ServiceResult<Snapshot> {
    let requests: Vec<CircleRequest> = match scope {
        Scope::Open => kindred_db::circles::requests::all_open(conn)?,
        Scope::Only { request_ids, .. } => {
            let ids: Vec<&str> = request_ids.iter().map(String::as_str).collect();
            kindred_db::circles::requests::find_many(conn, &ids)?
        }
    };
    let now = kindred_db::now();
    let mut person_of = HashMap::new();
    let mut out_requests = Vec::with_capacity(requests.len());
    for r in &requests {
        let Some(profile) = kindred_db::profiles::get(conn, &r.user_id, "mentee")? else {
            continue;
        };
        let p = matchmaking::parse(&profile)?;
        person_of.insert(r.id.clone(), r.user_id.clone());
        out_requests.push(km::CircleRequest {
            id: r.id.clone(),
            person_id: r.user_id.clone(),
            languages: p.languages,
            timezone: p.timezone,
            availability: p.availability,
            meeting_modes: p.meeting_modes,
            region: p.region,
            public_tags: p.public_tags,
            private_tags: p.private_tags,
            topics: topics(r),
            waited_days: u32::try_from((now - r.created_at).num_days().max(0)).unwrap_or(u32::MAX),
        });
    }
    let load: HashMap<String, i64> =
        kindred_db::circles::facilitators::loads(conn, &CircleState::OPEN)?
            .into_iter()
            .collect();
    let candidates: Vec<String> = match scope {
        Scope::Open => kindred_db::users::with_role(conn, Role::Facilitator)?
            .into_iter()
            .map(|u| u.id)
            .collect(),
        Scope::Only { facilitator_id, .. } => vec![facilitator_id.to_string()],
    };
    let except_circle = match scope {
        Scope::Only { except_circle, .. } => *except_circle,
        Scope::Open => None,
    };
    let mut facilitators = Vec::new();
    for id in candidates {
        if !kindred_db::users::has_role(conn, &id, Role::Facilitator)? {
            continue;
        }
        let Some(profile) = kindred_db::profiles::get(conn, &id, "facilitator")? else {
            continue;
        };
        let p = matchmaking::parse(&profile)?;
        let mut used = load.get(&id).copied().unwrap_or(0);
        if let Some(c) = except_circle {
            if kindred_db::circles::rows::get(conn, c)?
                .is_some_and(|c| c.facilitator_id == id && c.state.is_open())
            {
                used -= 1;
            }
        }
        let max = i64::from(profile.profile.max_circles.unwrap_or(0));
        let room = u32::try_from((max - used).max(0)).unwrap_or(0);
        if room == 0 && matches!(scope, Scope::Open) {
            continue;
        }
        facilitators.push(km::Facilitator {
            id,
            languages: p.languages,
            timezone: p.timezone,
            availability: p.availability,
            meeting_modes: p.meeting_modes,
            region: p.region,
            public_tags: p.public_tags,
            private_tags: p.private_tags,
            max_circles: room,
        });
    }
    let blocked_pairs = kindred_db::safety::blocks_by_identity(conn)?
        .into_iter()
        .map(|(a, b)| km::BlockedPair { a, b })
        .collect();
    Ok(Snapshot {
        problem: km::CircleProblem {
            taxonomy: matchmaking::taxonomy(conn)?,
            requests: out_requests,
            facilitators,
            blocked_pairs,
            weights: matchmaking::weights(settings)?,
            circle_weights: km::CircleWeights::default(),
            config,
            reference_monday: None,
        },
        person_of,
    })
}

fn to_json(v: &impl Serialize) -> ServiceResult<String> {
    serde_json::to_string(v).map_err(ServiceError::internal)
}

/// Writes one engine circle as `proposed` and places its requests, if every
/// request is still open and the facilitator still has room. Returns the
/// new circle's id, or `None` when something changed since the snapshot.
pub(crate) fn insert_proposed(
    conn: &mut DbConnection,
    run_id: Option<&str>,
    pc: &km::ProposedCircle,
    person_of: &HashMap<String, String>,
    note: Option<&str>,
) -> ServiceResult<Option<String>> {
    for rid in &pc.request_ids {
        kindred_db::circles::requests::lock(conn, rid)?;
        let open = kindred_db::circles::requests::get(conn, rid)?
            .is_some_and(|r| r.state == CircleRequestState::Open);
        if !open {
            return Ok(None);
        }
    }
    if !facilitator_has_room(conn, &pc.facilitator_id, None)? {
        return Ok(None);
    }
    let now = kindred_db::now();
    let id = kindred_db::new_id();
    let day = serde_json::to_value(pc.slot.day)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_else(|| "mon".into());
    let circle = Circle {
        id: id.clone(),
        run_id: run_id.map(str::to_string),
        state: CircleState::Proposed,
        facilitator_id: pc.facilitator_id.clone(),
        language: pc.language.clone(),
        meeting_mode: match pc.meeting_mode {
            km::MeetingMode::Online => "online".into(),
            km::MeetingMode::InPerson => "in_person".into(),
        },
        region: pc.region.clone(),
        slot_day: day,
        slot_start: i32::try_from(pc.slot.start_min).unwrap_or(0),
        slot_end: i32::try_from(pc.slot.end_min).unwrap_or(0),
        topics: to_json(&pc.topics)?,
        score: pc.score,
        explanation: to_json(&pc.explanation)?,
        note: note.map(str::to_string),
        meeting_details: None,
        reason: None,
        flagged_at: None,
        approved_at: None,
        started_at: None,
        ended_at: None,
        created_at: now,
        updated_at: now,
    };
    let mut members = Vec::with_capacity(pc.request_ids.len());
    for rid in &pc.request_ids {
        let explanation = pc
            .members
            .iter()
            .find(|m| &m.request_id == rid)
            .map(|m| to_json(&m.explanation))
            .transpose()?
            .unwrap_or_else(|| "{}".into());
        members.push(CircleMember {
            circle_id: id.clone(),
            request_id: rid.clone(),
            user_id: person_of.get(rid).cloned().unwrap_or_default(),
            state: MemberState::Proposed,
            explanation,
            invited_at: None,
            joined_at: None,
            left_at: None,
            missed_in_row: 0,
            created_at: now,
            updated_at: now,
        });
        kindred_db::circles::requests::set_state(conn, rid, CircleRequestState::Placed)?;
    }
    kindred_db::circles::rows::insert(conn, &circle, &members)?;
    Ok(Some(id))
}

/// Whether the facilitator holds the role, has a profile, and leads fewer
/// open circles than `max_circles` (not counting `except_circle`).
pub(crate) fn facilitator_has_room(
    conn: &mut DbConnection,
    facilitator_id: &str,
    except_circle: Option<&str>,
) -> ServiceResult<bool> {
    if !kindred_db::users::has_role(conn, facilitator_id, Role::Facilitator)? {
        return Ok(false);
    }
    let Some(profile) = kindred_db::profiles::get(conn, facilitator_id, "facilitator")? else {
        return Ok(false);
    };
    let open = kindred_db::circles::rows::led_by(conn, facilitator_id, &CircleState::OPEN)?
        .iter()
        .filter(|c| Some(c.id.as_str()) != except_circle)
        .count();
    Ok(i64::try_from(open).unwrap_or(i64::MAX)
        < i64::from(profile.profile.max_circles.unwrap_or(0)))
}

#[derive(Debug, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CircleRunInput {
    /// Report only; no circle is created.
    #[serde(default)]
    pub dry_run: bool,
    /// Overrides `circles.min_size` for this run (2..=20).
    #[serde(
        default,
        deserialize_with = "kindred_core::serde_util::optional_integer"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<u32>, minimum = 2, maximum = 20))]
    pub min_size: Option<i64>,
    /// Overrides `circles.max_size` for this run (2..=20, ≥ min_size).
    #[serde(
        default,
        deserialize_with = "kindred_core::serde_util::optional_integer"
    )]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<u32>, minimum = 2, maximum = 20))]
    pub max_size: Option<i64>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UnplacedView {
    pub request_id: String,
    /// `no_compatible_facilitator`, `no_common_slot`,
    /// `too_few_compatible_people` or `lost_to_higher_scoring_circles`.
    pub reason: String,
}

#[derive(Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CircleRunView {
    pub id: String,
    pub dry_run: bool,
    pub min_size: i32,
    pub max_size: i32,
    /// Circles formed (created unless `dry_run`).
    pub circles: i32,
    pub placed: i32,
    pub unplaced: i32,
    pub total_score: i64,
    /// A proven upper bound on the best possible total.
    pub upper_bound: i64,
    pub duration_ms: i64,
    /// The engine's report: sizes, per-category placement, unplaced by
    /// reason, the bound and its gap.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub report: serde_json::Value,
    /// Each unplaced request with its reason.
    pub unplaced_requests: Vec<UnplacedView>,
    /// The proposed circles this run created (empty for a dry run).
    pub circle_ids: Vec<String>,
    pub created_at: DateTime<Utc>,
}

#[derive(Serialize, Deserialize)]
struct StoredReport {
    report: serde_json::Value,
    unplaced: Vec<UnplacedView>,
    circle_ids: Vec<String>,
}

fn run_view(run: &CircleRun) -> ServiceResult<CircleRunView> {
    let stored: StoredReport = serde_json::from_str(&run.report).map_err(ServiceError::internal)?;
    Ok(CircleRunView {
        id: run.id.clone(),
        dry_run: run.dry_run,
        min_size: run.min_size,
        max_size: run.max_size,
        circles: run.circles,
        placed: run.placed,
        unplaced: run.unplaced,
        total_score: run.total_score,
        upper_bound: run.upper_bound,
        duration_ms: run.duration_ms,
        report: stored.report,
        unplaced_requests: stored.unplaced,
        circle_ids: stored.circle_ids,
        created_at: run.created_at.and_utc(),
    })
}

fn check_sizes(settings: &Settings, input: &CircleRunInput) -> ServiceResult<km::CircleConfig> {
    let mut e = FieldErrors::new();
    for (name, v) in [("min_size", input.min_size), ("max_size", input.max_size)] {
        if v.is_some_and(|v| !(2..=20).contains(&v)) {
            e.add(name, "must be between 2 and 20");
        }
    }
    let size = |v: Option<i64>| v.and_then(|v| u32::try_from(v).ok());
    let config = super::engine_config(settings, size(input.min_size), size(input.max_size));
    if e.is_empty() && config.max_size < config.min_size {
        e.add("max_size", "must be at least min_size");
    }
    if e.is_empty() {
        Ok(config)
    } else {
        Err(e.into())
    }
}

fn reason_str(r: km::UnplacedReason) -> String {
    serde_json::to_value(r)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// `POST /circle-runs`: forms circles from every open request and every
/// facilitator with room; creates them as `proposed` unless `dry_run`.
pub fn run(
    conn: &mut DbConnection,
    settings: &Settings,
    caller: &Caller,
    input: &CircleRunInput,
) -> ServiceResult<CircleRunView> {
    caller.require_coordinator()?;
    let config = check_sizes(settings, input)?;
    let started = Instant::now();
    let snap = kindred_db::read_tx(conn, |conn| snapshot(conn, settings, config, &Scope::Open))?;
    let result = km::form_circles(&snap.problem, &km::CircleOptions::default())
        .map_err(|e| ServiceError::internal(format!("circle engine: {e}")))?;
    kindred_db::write_tx(conn, |conn| {
        let run_id = kindred_db::new_id();
        // The run row first: the circles reference it.
        let mut row = CircleRun {
            id: run_id.clone(),
            dry_run: input.dry_run,
            started_by: Some(caller.id().to_string()),
            min_size: i32::try_from(config.min_size).unwrap_or(0),
            max_size: i32::try_from(config.max_size).unwrap_or(0),
            circles: i32::try_from(result.circles.len()).unwrap_or(i32::MAX),
            placed: i32::try_from(result.report.placed).unwrap_or(i32::MAX),
            unplaced: i32::try_from(result.report.unplaced).unwrap_or(i32::MAX),
            total_score: result.objective,
            upper_bound: result.upper_bound,
            duration_ms: 0,
            report: "{}".into(),
            created_at: kindred_db::now(),
        };
        kindred_db::circles::runs::insert(conn, &row)?;
        let mut circle_ids = Vec::new();
        if !input.dry_run {
            for pc in &result.circles {
                if let Some(id) = insert_proposed(conn, Some(&run_id), pc, &snap.person_of, None)? {
                    circle_ids.push(id);
                }
            }
            row.circles = i32::try_from(circle_ids.len()).unwrap_or(i32::MAX);
        }
        let stored = StoredReport {
            report: serde_json::to_value(&result.report).map_err(ServiceError::internal)?,
            unplaced: result
                .unplaced
                .iter()
                .map(|u| UnplacedView {
                    request_id: u.request_id.clone(),
                    reason: reason_str(u.reason),
                })
                .collect(),
            circle_ids,
        };
        row.report = to_json(&stored)?;
        row.duration_ms = i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX);
        kindred_db::circles::runs::finish(conn, &row)?;
        run_view(&row)
    })
}

/// `GET /circle-runs/{id}` (coordinators).
pub fn get_run(conn: &mut DbConnection, caller: &Caller, id: &str) -> ServiceResult<CircleRunView> {
    caller.require_coordinator()?;
    let run = kindred_db::circles::runs::get(conn, id)?.ok_or(ServiceError::NotFound)?;
    run_view(&run)
}

/// The latest runs, newest first (coordinators' console).
pub fn latest_runs(
    conn: &mut DbConnection,
    caller: &Caller,
    limit: i64,
) -> ServiceResult<Vec<CircleRunView>> {
    caller.require_coordinator()?;
    kindred_db::circles::runs::latest(conn, limit)?
        .iter()
        .map(run_view)
        .collect()
}

#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SlotInput {
    /// `mon` … `sun` (UTC).
    #[cfg_attr(
        feature = "openapi",
        schema(example = "mon", pattern = "^(mon|tue|wed|thu|fri|sat|sun)$")
    )]
    pub day: String,
    /// `HH:MM` UTC.
    #[cfg_attr(
        feature = "openapi",
        schema(example = "18:00", pattern = r"^([01][0-9]|2[0-3]):[0-5][0-9]$")
    )]
    pub start: String,
    /// `HH:MM` UTC; earlier than `start` means the next day.
    #[cfg_attr(
        feature = "openapi",
        schema(example = "19:30", pattern = r"^([01][0-9]|2[0-3]):[0-5][0-9]$")
    )]
    pub end: String,
}

#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ManualCircleInput {
    pub facilitator_id: String,
    /// Open circle requests, 1..=20 distinct ids.
    #[cfg_attr(feature = "openapi", schema(schema_with = request_ids_schema))]
    pub request_ids: Vec<String>,
    pub slot: SlotInput,
    /// A note for the coordinators (≤ 2000 characters).
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(max_length = 2000, pattern = r"^[^\x00]*$")
    )]
    pub note: Option<String>,
}

/// `request_ids`: 1..=20 distinct ids.
#[cfg(feature = "openapi")]
fn request_ids_schema() -> utoipa::openapi::Array {
    super::views::distinct_ids_schema(1, 20)
}

fn parse_slot(slot: &SlotInput, e: &mut FieldErrors) -> Option<km::CircleSlot> {
    let day = kindred_core::parse_weekday(&slot.day)
        .map_err(|m| e.add("slot.day", m))
        .ok();
    let start = kindred_core::parse_hhmm(&slot.start)
        .map_err(|m| e.add("slot.start", m))
        .ok();
    let end = kindred_core::parse_hhmm(&slot.end)
        .map_err(|m| e.add("slot.end", m))
        .ok();
    let (day, start, end) = (day?, start?, end?);
    let (start, mut end) = (u32::from(start), u32::from(end));
    if end <= start {
        end += 1440;
    }
    Some(km::CircleSlot {
        day: matchmaking::weekday(day),
        start_min: start,
        end_min: end,
    })
}

/// `POST /circles`: a coordinator's own `proposed` circle, checked against
/// the same hard rules as a run's.
pub fn create_manual(
    conn: &mut DbConnection,
    settings: &Settings,
    caller: &Caller,
    input: &ManualCircleInput,
) -> ServiceResult<super::CircleView> {
    caller.require_coordinator()?;
    let mut e = FieldErrors::new();
    let slot = parse_slot(&input.slot, &mut e);
    let unique: HashSet<&String> = input.request_ids.iter().collect();
    if input.request_ids.is_empty() || input.request_ids.len() > 20 {
        e.add("request_ids", "between 1 and 20 requests");
    } else if unique.len() != input.request_ids.len() {
        e.add("request_ids", "a request is listed twice");
    }
    if input
        .note
        .as_deref()
        .is_some_and(|n| n.chars().count() > 2000)
    {
        e.add("note", "at most 2000 characters");
    }
    let Some(slot) = slot.filter(|_| e.is_empty()) else {
        return Err(e.into());
    };
    let id = kindred_db::write_tx(conn, |conn| {
        for (i, rid) in input.request_ids.iter().enumerate() {
            let r = kindred_db::circles::requests::get(conn, rid)?;
            match r {
                None => e.add(format!("request_ids[{i}]"), "no such circle request"),
                Some(r) if r.state != CircleRequestState::Open => e.add(
                    format!("request_ids[{i}]"),
                    format!("the request is {}", r.state),
                ),
                Some(_) => {}
            }
        }
        if !facilitator_has_room(conn, &input.facilitator_id, None)? {
            e.add(
                "facilitator_id",
                "not a facilitator with a profile and room for another circle",
            );
        }
        if !e.is_empty() {
            return Err(ServiceError::Invalid(std::mem::take(&mut e)));
        }
        let config = super::engine_config(settings, None, None);
        // The whole open population, as a run sees it (tag weights depend on it).
        let snap = snapshot(conn, settings, config, &Scope::Open)?;
        let pc = km::check_circle(
            &snap.problem,
            &input.facilitator_id,
            &input.request_ids,
            Some(slot),
        )
        .map_err(|violations| violations_to_errors(&violations, &input.request_ids))?;
        insert_proposed(conn, None, &pc, &snap.person_of, input.note.as_deref())?
            .ok_or_else(|| ServiceError::conflict("a request or the facilitator changed meanwhile"))
    })?;
    super::views::get(conn, caller, &id)
}

/// A stored circle's weekly UTC slot as the engine's type.
pub(crate) fn stored_slot(c: &Circle) -> km::CircleSlot {
    let day = kindred_core::parse_weekday(&c.slot_day).unwrap_or(chrono::Weekday::Mon);
    km::CircleSlot {
        day: matchmaking::weekday(day),
        start_min: u32::try_from(c.slot_start).unwrap_or(0),
        end_min: u32::try_from(c.slot_end).unwrap_or(0),
    }
}

/// The engine's reasons a manual circle breaks the hard rules, as field
/// errors a coordinator can act on (people named by request id, or as the
/// facilitator; never a tag).
fn violations_to_errors(
    violations: &[km::CircleViolation],
    request_ids: &[String],
) -> ServiceError {
    use km::CircleViolation as V;
    let mut e = FieldErrors::new();
    let at = |rid: &str| {
        request_ids.iter().position(|r| r == rid).map_or_else(
            || "request_ids".to_string(),
            |i| format!("request_ids[{i}]"),
        )
    };
    for v in violations {
        match v {
            V::InvalidProblem { message } => {
                e.add("request_ids", format!("cannot be checked: {message}"))
            }
            V::UnknownFacilitator { .. } | V::FacilitatorFull { .. } => e.add(
                "facilitator_id",
                "not a facilitator with room for another circle",
            ),
            V::UnknownRequest { request_id } => e.add(at(request_id), "not an open circle request"),
            V::DuplicateRequest { request_id } => e.add(at(request_id), "listed twice"),
            V::SizeOutOfBounds { size, min, max } => e.add(
                "request_ids",
                format!("{size} members; a circle has between {min} and {max}"),
            ),
            V::SamePerson { a, b } => e.add(
                "request_ids",
                format!(
                    "{} and {} are the same person (or the facilitator)",
                    who(a, request_ids),
                    who(b, request_ids)
                ),
            ),
            V::BlockedPair { a, b } => e.add(
                "request_ids",
                format!(
                    "{} and {} are kept apart by a block",
                    who(a, request_ids),
                    who(b, request_ids)
                ),
            ),
            V::NoCommonLanguage { lacking, .. } => e.add(
                "request_ids",
                format!(
                    "no common language; not shared by {}",
                    names(lacking, request_ids)
                ),
            ),
            V::NoCommonMeetingMode { lacking, .. } => e.add(
                "request_ids",
                format!(
                    "no common meeting mode (in person: region); not shared by {}",
                    names(lacking, request_ids)
                ),
            ),
            V::InvalidSlot => e.add("slot.start", "must be a time of day"),
            V::SlotTooShort {
                session_length_min, ..
            } => e.add(
                "slot.end",
                format!("the slot must last at least {session_length_min} minutes"),
            ),
            V::SlotNotAvailable { unavailable } => e.add(
                "slot",
                format!(
                    "outside the availability of {}",
                    names(unavailable, request_ids)
                ),
            ),
            V::NoCommonSlot => e.add("slot", "the circle has no common weekly slot"),
        }
    }
    ServiceError::Invalid(e)
}

/// A person named in a violation: `request_ids[i]` or "the facilitator".
fn who(id: &str, request_ids: &[String]) -> String {
    request_ids.iter().position(|r| r == id).map_or_else(
        || "the facilitator".to_string(),
        |i| format!("request_ids[{i}]"),
    )
}

fn names(ids: &[String], request_ids: &[String]) -> String {
    ids.iter()
        .map(|id| who(id, request_ids))
        .collect::<Vec<_>>()
        .join(", ")
}
