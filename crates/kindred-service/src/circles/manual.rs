//! A coordinator's own circle (`POST /circles`), checked by the engine
//! against the same hard rules as a run's; every rule it breaks comes back
//! as a field error.

use std::collections::HashSet;

use kindred_config::Settings;
use kindred_core::{CircleRequestState, FieldErrors};
use kindred_db::DbConnection;
use kindred_matching as km;
use serde::Deserialize;

use super::formation::{facilitator_has_room, insert_proposed, snapshot, Scope};
use crate::caller::Caller;
use crate::error::{ServiceError, ServiceResult};
use crate::matchmaking;

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
