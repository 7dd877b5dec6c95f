//! Match transitions with their rules and side effects, in one place:
//! the state table (kindred-core), capacity, the audit log, the request's
//! state and the emails each change causes — all in the caller's transaction.

use kindred_config::Settings;
use kindred_core::RequestState;
use kindred_core::{MatchAction, MatchState};
use kindred_db::matches::{self as q, TransitionFields};
use kindred_db::models::Match;
use kindred_db::requests;
use kindred_db::DbConnection;

use crate::error::{ServiceError, ServiceResult};

/// Who is acting: recorded in the audit log.
#[derive(Debug, Clone)]
pub struct Actor<'a> {
    pub user_id: Option<&'a str>,
    pub role: &'a str,
}

impl Actor<'_> {
    pub const SYSTEM: Actor<'static> = Actor {
        user_id: None,
        role: "system",
    };
}

fn conflict(m: &Match, detail: impl Into<String>) -> ServiceError {
    ServiceError::Conflict {
        detail: detail.into(),
        current_state: Some(m.state.to_string()),
    }
}

/// Fails with 409 unless the mentor can take one more match. Holds the
/// mentor lock for the rest of the transaction so racing approvals and
/// acceptances are decided one at a time.
pub fn ensure_capacity(
    conn: &mut DbConnection,
    mentor_id: &str,
    already_counted: bool,
) -> ServiceResult<()> {
    q::lock_mentor(conn, mentor_id)?;
    let profile = kindred_db::profiles::get(conn, mentor_id, "mentor")?
        .ok_or_else(|| ServiceError::conflict("the mentor has no mentor profile"))?;
    let capacity = i64::from(profile.profile.capacity.unwrap_or(0));
    let load = q::mentor_load(conn, mentor_id, &q::capacity_states())?;
    let needed = if already_counted { load } else { load + 1 };
    if needed > capacity {
        return Err(ServiceError::Conflict {
            detail: format!("the mentor is at capacity ({load} of {capacity})"),
            current_state: None,
        });
    }
    Ok(())
}

/// Applies `action` to the match, enforcing the state table and the rules,
/// writing the audit event and the emails it causes. Returns the updated match.
pub fn apply(
    conn: &mut DbConnection,
    settings: &Settings,
    match_id: &str,
    action: MatchAction,
    actor: &Actor<'_>,
    reason: Option<&str>,
) -> ServiceResult<Match> {
    let m = q::get_match(conn, match_id)?.ok_or(ServiceError::NotFound)?;
    let from = m.state;
    let to = from
        .apply(action)
        .map_err(|e| conflict(&m, e.to_string()))?;
    let now = kindred_db::now();
    let mut fields = TransitionFields::default();
    if matches!(to, MatchState::AwaitingMentor | MatchState::Active) {
        // The request must still be open (not withdrawn meanwhile).
        requests::lock_request(conn, &m.request_id)?;
        let request = requests::get_request(conn, &m.request_id)?.ok_or(ServiceError::NotFound)?;
        if request.state != RequestState::Open {
            return Err(ServiceError::conflict_in(
                format!("the request is {}", request.state),
                m.state.as_str(),
            ));
        }
    }
    match to {
        MatchState::AwaitingMentor => {
            ensure_capacity(conn, &m.mentor_id, false)?;
            fields.awaiting_since = Some(now);
        }
        MatchState::Active => {
            ensure_capacity(conn, &m.mentor_id, true)?;
            fields.activated_at = Some(now);
        }
        MatchState::Ended | MatchState::Rejected | MatchState::Declined | MatchState::Expired => {
            fields.ended_at = Some(now);
            fields.ended_reason = reason.map(str::to_string);
        }
        MatchState::Proposed => {}
    }
    if !q::transition(conn, &m.id, from, to, &fields)? {
        // Someone else moved it between our read and our write.
        let current = q::get_match(conn, match_id)?.ok_or(ServiceError::NotFound)?;
        return Err(conflict(&current, "the match changed meanwhile; reload it"));
    }
    q::record_event(
        conn,
        &q::NewEvent {
            match_id: &m.id,
            from_state: Some(from),
            to_state: to,
            actor_id: actor.user_id,
            actor_role: actor.role,
            reason,
        },
    )?;
    let updated = q::get_match(conn, match_id)?.ok_or(ServiceError::NotFound)?;
    if let Some(request_state) = RequestState::after_match(to) {
        requests::set_request_state(conn, &m.request_id, request_state)?;
    }
    side_effects(conn, settings, &updated)?;
    Ok(updated)
}

/// The emails and jobs a match entering its current state causes.
fn side_effects(conn: &mut DbConnection, settings: &Settings, m: &Match) -> ServiceResult<()> {
    match m.state {
        MatchState::AwaitingMentor => {
            crate::emails::mentor_notice(conn, settings, m)?;
            crate::jobs::on_awaiting_mentor(conn, settings, m)
        }
        MatchState::Active => {
            crate::emails::introductions(conn, settings, m)?;
            crate::jobs::on_active(conn, settings, m)
        }
        MatchState::Expired => crate::emails::match_expired(conn, settings, m),
        _ => Ok(()),
    }
}

/// Creates a match for a request (a run's proposal or a coordinator's manual
/// pairing), starting in `proposed`, or `awaiting_mentor` with auto-approve.
#[allow(clippy::too_many_arguments)]
pub fn create(
    conn: &mut DbConnection,
    settings: &Settings,
    request: &kindred_db::models::Request,
    mentor_id: &str,
    score: i64,
    explanation: &kindred_matching::Explanation,
    run_id: Option<&str>,
    note: Option<&str>,
    actor: &Actor<'_>,
) -> ServiceResult<Match> {
    // Re-read under the row lock: a withdrawal may have just committed.
    requests::lock_request(conn, &request.id)?;
    let request = &requests::get_request(conn, &request.id)?.ok_or(ServiceError::NotFound)?;
    if request.state != RequestState::Open {
        return Err(ServiceError::conflict_in(
            format!("the request is {}", request.state),
            request.state.as_str(),
        ));
    }
    if let Some(open) = q::open_match_for_request(conn, &request.id)? {
        return Err(ServiceError::Conflict {
            detail: format!(
                "the request already has a match ({}) in state {}",
                open.id, open.state
            ),
            current_state: Some(open.state.to_string()),
        });
    }
    if request.mentee_id == mentor_id {
        return Err(ServiceError::conflict("a person cannot mentor themself"));
    }
    if q::pair_excluded(conn, &request.mentee_id, mentor_id)? {
        return Err(ServiceError::conflict(
            "this pair was blocked or did not work out before and is never proposed again",
        ));
    }
    let now = kindred_db::now();
    let m = Match {
        id: kindred_db::new_id(),
        request_id: request.id.clone(),
        mentor_id: mentor_id.to_string(),
        mentee_id: request.mentee_id.clone(),
        run_id: run_id.map(str::to_string),
        state: MatchState::Proposed,
        score,
        explanation: serde_json::to_string(explanation)
            .map_err(|e| ServiceError::Internal(format!("explanation: {e}")))?,
        note: note.map(str::to_string),
        ended_reason: None,
        awaiting_since: None,
        activated_at: None,
        ended_at: None,
        created_at: now,
        updated_at: now,
    };
    q::insert_match(conn, &m).map_err(|e| {
        if e.is_unique_violation() {
            ServiceError::conflict("the request already has an open match")
        } else {
            e.into()
        }
    })?;
    q::record_event(
        conn,
        &q::NewEvent {
            match_id: &m.id,
            from_state: None,
            to_state: MatchState::Proposed,
            actor_id: actor.user_id,
            actor_role: actor.role,
            reason: note,
        },
    )?;
    if settings.matching.auto_approve {
        return apply(
            conn,
            settings,
            &m.id,
            MatchAction::Approve,
            &Actor::SYSTEM,
            Some("auto-approved"),
        );
    }
    Ok(m)
}

/// Ends or withdraws every open match between two people (after a block or
/// an erasure), each by the transition its state allows.
pub fn close_open_matches(
    conn: &mut DbConnection,
    settings: &Settings,
    matches: Vec<Match>,
    actor: &Actor<'_>,
    reason: &str,
) -> ServiceResult<()> {
    for m in matches {
        let action = match m.state {
            MatchState::Proposed => MatchAction::Reject,
            MatchState::AwaitingMentor => MatchAction::Decline,
            MatchState::Active => MatchAction::End,
            _ => continue,
        };
        apply(conn, settings, &m.id, action, actor, Some(reason))?;
    }
    Ok(())
}
