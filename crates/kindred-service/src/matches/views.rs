//! What each viewer may see of a match: coordinators everything; the two
//! participants once it left coordinator review, with contact details only
//! while it is active, an explanation without its private overlap, no
//! decline reason, and a neutral reason for a match a block closed.

use chrono::{DateTime, Utc};
use kindred_config::Settings;
use kindred_db::models::Match;
use kindred_db::DbConnection;
use serde::Serialize;

use crate::caller::Caller;
use crate::error::{ServiceError, ServiceResult};
use crate::pagination::{Page, PageQuery};

/// One side of a match as the viewer may see it.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PartyView {
    pub user_id: String,
    pub display_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pronouns: Option<String>,
    /// Only while the match is active, and never one's own.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}

#[derive(Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MatchView {
    pub id: String,
    pub mentor_id: String,
    pub mentee_id: String,
    pub request_id: String,
    #[cfg_attr(feature = "openapi", schema(example = "awaiting_mentor"))]
    pub state: String,
    pub score: i64,
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub explanation: serde_json::Value,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ended_reason: Option<String>,
    pub mentor: PartyView,
    pub mentee: PartyView,
    /// The match's own note (coordinators only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// When the mentor must answer by (awaiting_mentor only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub respond_by: Option<DateTime<Utc>>,
}

#[derive(Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EventView {
    pub from_state: Option<String>,
    pub to_state: String,
    pub actor_id: Option<String>,
    pub actor_role: String,
    pub reason: Option<String>,
    pub at: DateTime<Utc>,
}

fn party(
    conn: &mut DbConnection,
    user_id: &str,
    viewer_id: &str,
    reveal_contact: bool,
) -> ServiceResult<PartyView> {
    Ok(match kindred_db::users::find(conn, user_id)? {
        Some(u) => PartyView {
            email: if reveal_contact && u.id != viewer_id {
                u.email
            } else {
                None
            },
            user_id: u.id,
            display_name: u.display_name,
            pronouns: u.pronouns,
        },
        None => PartyView {
            user_id: user_id.to_string(),
            display_name: "Deleted user".into(),
            pronouns: None,
            email: None,
        },
    })
}

/// The explanation component that stands for shared private experience.
pub const PRIVATE_OVERLAP: &str = "private_overlap";

/// The reason recorded when a block closes a match (coordinators see it).
pub const BLOCK_REASON: &str = "ended for safety reasons";

/// What a participant sees instead of [`BLOCK_REASON`] unless they are the
/// one who blocked: it does not tell them they were blocked.
pub const CLOSED_REASON: &str = "the match was closed";

/// A stored explanation (or an empty one with the match's score if it is
/// unreadable).
pub fn stored_explanation(m: &Match) -> kindred_matching::Explanation {
    explanation_from_json(&m.explanation, m.score)
}

/// An explanation stored as JSON (a match's, a circle's), or an empty one
/// with the stored score if it is unreadable.
pub fn explanation_from_json(raw: &str, score: i64) -> kindred_matching::Explanation {
    serde_json::from_str(raw).unwrap_or(kindred_matching::Explanation {
        total: score,
        components: Vec::new(),
        shared_tags: Vec::new(),
    })
}

/// An explanation as a participant may see it: only public components
/// (no `private_overlap`), and a `total` that is the sum of those shown.
pub fn public_explanation(mut e: kindred_matching::Explanation) -> kindred_matching::Explanation {
    e.components.retain(|c| c.name != PRIVATE_OVERLAP);
    e.total = e.components.iter().map(|c| c.points).sum();
    e
}

/// Whether this viewer sees the match as a participant (its mentor or
/// mentee, even one who is also a coordinator) rather than as a coordinator.
fn sees_as_participant(m: &Match, viewer_id: &str, coordinator: bool) -> bool {
    !coordinator || m.mentor_id == viewer_id || m.mentee_id == viewer_id
}

/// The `ended_reason` a participant sees: never a decline reason (the state
/// says the mentor could not take it), and for a match a block closed the
/// real reason only for the person who blocked.
fn participant_reason(
    conn: &mut DbConnection,
    m: &Match,
    viewer_id: &str,
) -> ServiceResult<Option<String>> {
    if m.state == kindred_core::MatchState::Declined {
        return Ok(None);
    }
    match m.ended_reason.as_deref() {
        Some(BLOCK_REASON) => {
            let other = if m.mentor_id == viewer_id {
                &m.mentee_id
            } else {
                &m.mentor_id
            };
            let blocker = kindred_db::safety::has_blocked(conn, viewer_id, other)?;
            Ok(Some(
                if blocker { BLOCK_REASON } else { CLOSED_REASON }.to_string(),
            ))
        }
        other => Ok(other.map(str::to_string)),
    }
}

/// Renders a match for `viewer`, hiding contact details unless active. A
/// participant sees the explanation without its private overlap (and the
/// score as its total), no decline reason, and no sign of a block on them.
pub fn match_view(
    conn: &mut DbConnection,
    settings: &Settings,
    m: &Match,
    viewer_id: &str,
    coordinator: bool,
) -> ServiceResult<MatchView> {
    let active = m.state == kindred_core::MatchState::Active;
    let (score, explanation, ended_reason) = if sees_as_participant(m, viewer_id, coordinator) {
        let e = public_explanation(stored_explanation(m));
        let json = serde_json::to_value(&e)
            .map_err(|e| ServiceError::Internal(format!("explanation: {e}")))?;
        (e.total, json, participant_reason(conn, m, viewer_id)?)
    } else {
        (
            m.score,
            serde_json::from_str(&m.explanation).unwrap_or(serde_json::Value::Null),
            m.ended_reason.clone(),
        )
    };
    Ok(MatchView {
        id: m.id.clone(),
        mentor_id: m.mentor_id.clone(),
        mentee_id: m.mentee_id.clone(),
        request_id: m.request_id.clone(),
        state: m.state.to_string(),
        score,
        explanation,
        created_at: m.created_at.and_utc(),
        updated_at: m.updated_at.and_utc(),
        ended_reason,
        mentor: party(conn, &m.mentor_id, viewer_id, active)?,
        mentee: party(conn, &m.mentee_id, viewer_id, active)?,
        note: if coordinator { m.note.clone() } else { None },
        respond_by: (m.state == kindred_core::MatchState::AwaitingMentor)
            .then(|| {
                m.awaiting_since
                    .map(|t| (t + settings.matching.response_timeout.as_chrono()).and_utc())
            })
            .flatten(),
    })
}

/// A match the caller may see: coordinators always; participants once it
/// has left coordinator review (not `proposed` or `rejected`); else `NotFound`.
pub fn visible_match(conn: &mut DbConnection, caller: &Caller, id: &str) -> ServiceResult<Match> {
    let m = kindred_db::matches::get_match(conn, id)?.ok_or(ServiceError::NotFound)?;
    let participant = m.mentor_id == caller.id() || m.mentee_id == caller.id();
    let reviewed = !m.state.is_coordinator_only();
    if caller.is_coordinator() || (participant && reviewed) {
        Ok(m)
    } else {
        Err(ServiceError::NotFound)
    }
}

/// Coordinators see every match; mentors and mentees their own.
pub fn list(
    conn: &mut DbConnection,
    settings: &Settings,
    caller: &Caller,
    state: Option<&str>,
    page: PageQuery,
) -> ServiceResult<Page<MatchView>> {
    let state = match state {
        None => None,
        Some(s) => Some(
            s.parse::<kindred_core::MatchState>()
                .map_err(|_| ServiceError::field("state", "unknown match state"))?,
        ),
    };
    let page = page.validate()?;
    let viewer = caller.id();
    let coordinator = caller.is_coordinator();
    let mut rows = kindred_db::matches::list_matches(
        conn,
        &kindred_db::matches::MatchFilter {
            participant: if coordinator { None } else { Some(viewer) },
            state,
            after: page.after.as_deref(),
            limit: page.limit + 1,
        },
    )?;
    let next = page.next_cursor(&mut rows, |m| m.id.clone());
    let items = rows
        .iter()
        .map(|m| match_view(conn, settings, m, viewer, coordinator))
        .collect::<ServiceResult<Vec<_>>>()?;
    Ok(Page {
        items,
        next_cursor: next,
    })
}

/// One match: participants and coordinators; anyone else `NotFound`.
pub fn get(
    conn: &mut DbConnection,
    settings: &Settings,
    caller: &Caller,
    id: &str,
) -> ServiceResult<MatchView> {
    let m = visible_match(conn, caller, id)?;
    match_view(conn, settings, &m, caller.id(), caller.is_coordinator())
}

/// The audit log of one match: who moved it, when and why (coordinators).
pub fn events(conn: &mut DbConnection, caller: &Caller, id: &str) -> ServiceResult<Vec<EventView>> {
    let m = visible_match(conn, caller, id)?;
    caller.require_coordinator()?;
    Ok(kindred_db::matches::events(conn, &m.id)?
        .into_iter()
        .map(|e| EventView {
            from_state: e.from_state.map(|s| s.to_string()),
            to_state: e.to_state.to_string(),
            actor_id: e.actor_id,
            actor_role: e.actor_role,
            reason: e.reason,
            at: e.created_at.and_utc(),
        })
        .collect())
}
