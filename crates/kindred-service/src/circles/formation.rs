//! Forming circles: the engine's input from a consistent snapshot, circle
//! runs (`POST /circle-runs`) and manual circles (`POST /circles`), both
//! written as `proposed` circles whose requests become `placed`.

use std::collections::HashMap;

use kindred_config::Settings;
use kindred_core::{CircleRequestState, CircleState, MemberState, Role};
use kindred_db::circles::{Circle, CircleMember, CircleRequest};
use kindred_db::DbConnection;
use kindred_matching as km;
use serde::Serialize;

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

pub(crate) fn to_json(v: &impl Serialize) -> ServiceResult<String> {
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
/// open circles than `max_circles` (not counting `except_circle`). Holds
/// the facilitator's lock for the rest of the transaction, so concurrent
/// runs and approvals cannot both take their last place.
pub(crate) fn facilitator_has_room(
    conn: &mut DbConnection,
    facilitator_id: &str,
    except_circle: Option<&str>,
) -> ServiceResult<bool> {
    kindred_db::circles::facilitators::lock(conn, facilitator_id)?;
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

/// A stored circle's weekly UTC slot as the engine's type.
pub(crate) fn stored_slot(c: &Circle) -> km::CircleSlot {
    let day = kindred_core::parse_weekday(&c.slot_day).unwrap_or(chrono::Weekday::Mon);
    km::CircleSlot {
        day: matchmaking::weekday(day),
        start_min: u32::try_from(c.slot_start).unwrap_or(0),
        end_min: u32::try_from(c.slot_end).unwrap_or(0),
    }
}

pub use super::manual::{create_manual, ManualCircleInput, SlotInput};
pub use super::runs::{get_run, latest_runs, run, CircleRunInput, CircleRunView, UnplacedView};
