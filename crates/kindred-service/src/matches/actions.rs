//! What people do to matches: coordinators pair by hand, approve and
//! reject; mentors accept and decline; either participant or a coordinator
//! ends. Who may do what is decided here; the state rules and side effects
//! are in `transitions`.

use kindred_config::Settings;
use kindred_core::MatchAction;
use kindred_db::models::Match;
use kindred_db::DbConnection;
use serde::Deserialize;

use crate::caller::Caller;
use crate::error::{ServiceError, ServiceResult};
use crate::matches::transitions::{self, Actor};
use crate::matches::views::{match_view, visible_match, MatchView};

#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ManualMatchInput {
    /// `404` if there is no mentor profile with this id.
    #[cfg_attr(feature = "openapi", schema(format = "uuid"))]
    pub mentor_id: String,
    /// `404` if there is no such request.
    #[cfg_attr(feature = "openapi", schema(format = "uuid"))]
    pub request_id: String,
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(max_length = 2000, pattern = r"^[^\x00]*$")
    )]
    pub note: Option<String>,
}

/// Body of `POST /matches/{id}/decline`: the reason is optional (and the body too).
#[derive(Debug, Default, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ReasonInput {
    /// Seen by coordinators only; ≤ 2000 characters.
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(max_length = 2000, pattern = r"^[^\x00]*$")
    )]
    pub reason: Option<String>,
}

/// Body of `POST /matches/{id}/reject` and `/end`: a reason is required.
/// A missing one is reported (`422` on `reason`) only after the caller is
/// known to see the match, so strangers still get `404`.
#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RequiredReasonInput {
    /// Why (not blank, ≤ 2000 characters). A rejection's reason is seen by
    /// coordinators only; an end's by coordinators and both participants
    /// (`ended_reason`).
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(
            required = true,
            min_length = 1,
            max_length = 2000,
            pattern = r"^[^\x00]*[^\s\x00][^\x00]*$"
        )
    )]
    pub reason: String,
}

/// A coordinator pairs a request with a mentor by hand (`proposed`, or
/// `awaiting_mentor` with auto-approve). Hard rules still apply: the pair is
/// scored and checked by the same engine a run uses.
pub fn create_manual(
    conn: &mut DbConnection,
    settings: &Settings,
    caller: &Caller,
    input: &ManualMatchInput,
) -> ServiceResult<MatchView> {
    caller.require_coordinator()?;
    if input
        .note
        .as_deref()
        .is_some_and(|n| n.chars().count() > 2000)
    {
        return Err(ServiceError::field("note", "at most 2000 characters"));
    }
    let weights = crate::matchmaking::weights(settings)?;
    kindred_db::write_tx(conn, |conn| -> ServiceResult<_> {
        let request = kindred_db::requests::get_request(conn, &input.request_id)?
            .ok_or(ServiceError::NotFound)?;
        if kindred_db::profiles::get(conn, &input.mentor_id, "mentor")?.is_none() {
            return Err(ServiceError::NotFound);
        }
        let problem = crate::matchmaking::snapshot(conn, weights, Some(&request))?;
        let everyone = problem.mentors.len().max(1);
        let suggestion = kindred_matching::suggest(&problem, &request.id, everyone)
            .map_err(|e| ServiceError::Internal(format!("matching: {e}")))?
            .into_iter()
            .find(|s| s.mentor_id == input.mentor_id);
        let Some(s) = suggestion else {
            return Err(ServiceError::conflict(
                "this pair breaks a hard rule (language, meeting mode, required tags, region, block, earlier outcome or capacity)",
            ));
        };
        let actor = Actor {
            user_id: Some(caller.id()),
            role: "coordinator",
        };
        let m = transitions::create(
            conn,
            settings,
            &request,
            &input.mentor_id,
            s.score,
            &s.explanation,
            None,
            input.note.as_deref(),
            &actor,
        )?;
        match_view(conn, settings, &m, caller.id(), true)
    })
}

/// The role in which the caller may apply `action` to a match they can see.
fn authorise(caller: &Caller, m: &Match, action: MatchAction) -> ServiceResult<&'static str> {
    let is_mentor = m.mentor_id == caller.id();
    let is_mentee = m.mentee_id == caller.id();
    match action {
        MatchAction::Approve | MatchAction::Reject if caller.is_coordinator() => Ok("coordinator"),
        MatchAction::Accept | MatchAction::Decline if is_mentor => Ok("mentor"),
        MatchAction::End if is_mentor => Ok("mentor"),
        MatchAction::End if is_mentee => Ok("mentee"),
        MatchAction::End if caller.is_coordinator() => Ok("coordinator"),
        _ => Err(ServiceError::Forbidden(format!(
            "you may not {} this match",
            action.as_str()
        ))),
    }
}

/// Rejecting and ending need a reason; declining may give one.
fn reason_required(action: MatchAction) -> bool {
    matches!(action, MatchAction::Reject | MatchAction::End)
}

fn check_reason(action: MatchAction, reason: Option<&str>) -> ServiceResult<()> {
    if reason_required(action) && reason.is_none() {
        return Err(ServiceError::field("reason", "a reason is required"));
    }
    if reason.is_some_and(|r| r.chars().count() > 2000) {
        return Err(ServiceError::field("reason", "at most 2000 characters"));
    }
    Ok(())
}

/// Applies a person's `action` to a match. The reason is checked after
/// visibility and role, so strangers learn nothing but `NotFound`.
pub fn act(
    conn: &mut DbConnection,
    settings: &Settings,
    caller: &Caller,
    id: &str,
    action: MatchAction,
    reason: Option<&str>,
) -> ServiceResult<MatchView> {
    let reason = reason.map(str::trim).filter(|r| !r.is_empty());
    kindred_db::write_tx(conn, |conn| -> ServiceResult<_> {
        let m = visible_match(conn, caller, id)?;
        let role = authorise(caller, &m, action)?;
        check_reason(action, reason)?;
        let actor = Actor {
            user_id: Some(caller.id()),
            role,
        };
        let updated = transitions::apply(conn, settings, &m.id, action, &actor, reason)?;
        match_view(
            conn,
            settings,
            &updated,
            caller.id(),
            caller.is_coordinator(),
        )
    })
}
