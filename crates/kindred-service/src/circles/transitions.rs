//! The circle life cycle (API.md "Peer-support circles", the state table)
//! with its rules and side effects in one place: approve (members and
//! facilitator invited), reject (requests reopen), join (with the group
//! agreement), leave, start (meeting details, calendar, reminders), end,
//! and the expiry of an unanswered invitation with the place offered to the
//! next compatible open request.

use kindred_config::Settings;
use kindred_core::{CircleAction, CircleRequestState, CircleState, FieldErrors, MemberState};
use kindred_db::circles::{members, requests, rows, CircleMember};
use kindred_db::DbConnection;
use serde::Deserialize;

use super::{conflict, notify, CircleView, Loaded};
use crate::caller::Caller;
use crate::error::{ServiceError, ServiceResult};

/// Longest reason or meeting-details text.
pub const TEXT_MAX_CHARS: usize = 2000;

#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ReasonInput {
    /// 1–2000 characters.
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            max_length = 2000,
            pattern = r"^[^\x00]*[^\s\x00][^\x00]*$"
        )
    )]
    pub reason: String,
}

#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct JoinInput {
    /// Must be `true`: the member accepts the group agreement
    /// (confidentiality, respect for names and pronouns, sharing from one's
    /// own experience, no advice that replaces professionals, raising
    /// concerns with the facilitator or through a report).
    pub agree_to_guidelines: bool,
}

#[derive(Debug, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct StartInput {
    /// Where and how the circle meets (a video link, an address), 1–2000
    /// characters; sent to every member and shown on the circle.
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            max_length = 2000,
            pattern = r"^[^\x00]*[^\s\x00][^\x00]*$"
        )
    )]
    pub meeting_details: String,
}

pub(crate) fn required_text(field: &str, raw: &str) -> ServiceResult<String> {
    let t = raw.trim();
    if t.is_empty() || t.chars().count() > TEXT_MAX_CHARS || t.contains('\0') {
        return Err(ServiceError::field(
            field,
            format!("must be 1 to {TEXT_MAX_CHARS} characters"),
        ));
    }
    Ok(t.to_string())
}

fn move_circle(
    conn: &mut DbConnection,
    loaded: &Loaded,
    action: CircleAction,
    reason: Option<&str>,
) -> ServiceResult<CircleState> {
    let from = loaded.circle.state;
    let to = from
        .apply(action)
        .map_err(|e| conflict(&loaded.circle, e.to_string()))?;
    if !rows::transition(conn, &loaded.circle.id, from, to, reason)? {
        return Err(conflict(
            &loaded.circle,
            "the circle changed meanwhile; reload it",
        ));
    }
    Ok(to)
}

fn reload_view(conn: &mut DbConnection, caller: &Caller, id: &str) -> ServiceResult<CircleView> {
    let loaded = Loaded::load(conn, id)?;
    super::views::view(conn, caller, &loaded)
}

/// `POST /circles/{id}/approve` (coordinator): `proposed → approved`; the
/// members are invited and the facilitator told, each by email.
pub fn approve(
    conn: &mut DbConnection,
    settings: &Settings,
    caller: &Caller,
    id: &str,
) -> ServiceResult<CircleView> {
    caller.require_coordinator()?;
    kindred_db::write_tx(conn, |conn| {
        rows::lock(conn, id)?;
        let loaded = Loaded::load(conn, id)?;
        if loaded.circle.state != CircleState::Proposed {
            return Err(conflict(
                &loaded.circle,
                format!("cannot approve a circle that is {}", loaded.circle.state),
            ));
        }
        let proposed: Vec<CircleMember> = loaded
            .in_states(&[MemberState::Proposed])
            .cloned()
            .collect();
        if proposed.len() < usize::try_from(settings.circles.min_size).unwrap_or(usize::MAX) {
            return Err(conflict(
                &loaded.circle,
                format!(
                    "the circle has {} members, fewer than circles.min_size ({})",
                    proposed.len(),
                    settings.circles.min_size
                ),
            ));
        }
        if !super::formation::facilitator_has_room(conn, &loaded.circle.facilitator_id, Some(id))? {
            return Err(conflict(
                &loaded.circle,
                "the facilitator has no room for another circle",
            ));
        }
        let people: Vec<&str> = proposed
            .iter()
            .map(|m| m.user_id.as_str())
            .chain([loaded.circle.facilitator_id.as_str()])
            .collect();
        super::safety::ensure_no_block(conn, &loaded, &people)?;
        move_circle(conn, &loaded, CircleAction::Approve, None)?;
        for m in &proposed {
            members::set_state(
                conn,
                id,
                &m.request_id,
                &[MemberState::Proposed],
                MemberState::Invited,
            )?;
            crate::jobs::schedule_invitation_expiry(conn, settings, id, &m.request_id)?;
        }
        let circle = rows::get(conn, id)?.ok_or(ServiceError::NotFound)?;
        for m in &proposed {
            notify::invitation(conn, settings, &circle, &m.user_id)?;
        }
        notify::facilitator_invitation(conn, settings, &circle, proposed.len())?;
        reload_view(conn, caller, id)
    })
}

/// `POST /circles/{id}/reject` (coordinator): `proposed → rejected`; its
/// requests reopen.
pub fn reject(
    conn: &mut DbConnection,
    caller: &Caller,
    id: &str,
    input: &ReasonInput,
) -> ServiceResult<CircleView> {
    caller.require_coordinator()?;
    let reason = required_text("reason", &input.reason)?;
    kindred_db::write_tx(conn, |conn| {
        reject_in_tx(conn, id, &reason)?;
        reload_view(conn, caller, id)
    })
}

/// Rejects a proposed circle in the caller's transaction.
pub(crate) fn reject_in_tx(conn: &mut DbConnection, id: &str, reason: &str) -> ServiceResult<()> {
    rows::lock(conn, id)?;
    let loaded = Loaded::load(conn, id)?;
    move_circle(conn, &loaded, CircleAction::Reject, Some(reason))?;
    for m in loaded.in_states(&[MemberState::Proposed]) {
        members::set_state(
            conn,
            id,
            &m.request_id,
            &[MemberState::Proposed],
            MemberState::Declined,
        )?;
        reopen_request(conn, &m.request_id)?;
    }
    Ok(())
}

fn reopen_request(conn: &mut DbConnection, request_id: &str) -> ServiceResult<()> {
    let r = requests::get(conn, request_id)?;
    if r.is_some_and(|r| r.state == CircleRequestState::Placed) {
        requests::set_state(conn, request_id, CircleRequestState::Open)?;
    }
    Ok(())
}

/// `POST /circles/{id}/join` (an invited member), with the group agreement.
pub fn join(
    conn: &mut DbConnection,
    settings: &Settings,
    caller: &Caller,
    id: &str,
    input: &JoinInput,
) -> ServiceResult<CircleView> {
    kindred_db::write_tx(conn, |conn| {
        rows::lock(conn, id)?;
        let loaded = super::visible(conn, caller, id)?;
        if !input.agree_to_guidelines {
            let mut e = FieldErrors::new();
            e.add("agree_to_guidelines", "accept the group agreement to join");
            return Err(e.into());
        }
        let Some(me) = loaded.member(caller.id()).cloned() else {
            return Err(ServiceError::Forbidden(
                "only invited members can join".into(),
            ));
        };
        if !super::is_running(loaded.circle.state) {
            return Err(conflict(
                &loaded.circle,
                format!("the circle is {}", loaded.circle.state),
            ));
        }
        if me.state != MemberState::Invited {
            return Err(ServiceError::conflict_in("you already joined", me.state));
        }
        members::set_state(
            conn,
            id,
            &me.request_id,
            &[MemberState::Invited],
            MemberState::Joined,
        )?;
        if loaded.circle.state == CircleState::Active {
            // Joined after the start: the meeting details and calendar now.
            notify::started_to(conn, settings, &loaded.circle, &me.user_id)?;
            crate::jobs::remind_new_member(conn, settings, &loaded.circle, &me.user_id)?;
        }
        reload_view(conn, caller, id)
    })
}

/// `POST /circles/{id}/leave` (a member; no reason needed). Their request
/// closes. When the circle drops below `min_size`, the facilitator and the
/// coordinators are told.
pub fn leave(
    conn: &mut DbConnection,
    settings: &Settings,
    caller: &Caller,
    id: &str,
) -> ServiceResult<CircleView> {
    kindred_db::write_tx(conn, |conn| {
        rows::lock(conn, id)?;
        let loaded = super::visible(conn, caller, id)?;
        let Some(me) = loaded.member(caller.id()).cloned() else {
            return Err(ServiceError::Forbidden(
                "only members can leave a circle".into(),
            ));
        };
        if !super::is_running(loaded.circle.state) {
            return Err(conflict(
                &loaded.circle,
                format!("the circle is {}", loaded.circle.state),
            ));
        }
        remove_member(conn, settings, &loaded, &me, MemberState::Left)?;
        reload_view(conn, caller, id)
    })
}

/// Takes a member out of a running circle (they left, or erased their
/// account), closes their request and tells the facilitator and the
/// coordinators when the circle falls below `min_size`.
pub(crate) fn remove_member(
    conn: &mut DbConnection,
    settings: &Settings,
    loaded: &Loaded,
    member: &CircleMember,
    to: MemberState,
) -> ServiceResult<()> {
    let id = &loaded.circle.id;
    members::set_state(conn, id, &member.request_id, &MemberState::CURRENT, to)?;
    requests::set_state(conn, &member.request_id, CircleRequestState::Closed)?;
    if !super::is_running(loaded.circle.state) {
        return Ok(());
    }
    let before = loaded.current().len();
    let after = before.saturating_sub(1);
    let min = usize::try_from(settings.circles.min_size).unwrap_or(usize::MAX);
    if after < min && before >= min {
        notify::below_minimum(conn, settings, &loaded.circle, after)?;
    }
    Ok(())
}

/// `POST /circles/{id}/start` (its facilitator): `approved → active` once at
/// least `min_size` members joined; everyone gets the meeting details with
/// a recurring calendar event, and the session reminders are scheduled.
pub fn start(
    conn: &mut DbConnection,
    settings: &Settings,
    caller: &Caller,
    id: &str,
    input: &StartInput,
) -> ServiceResult<CircleView> {
    let details = required_text("meeting_details", &input.meeting_details)?;
    kindred_db::write_tx(conn, |conn| {
        rows::lock(conn, id)?;
        let loaded = super::visible(conn, caller, id)?;
        if !loaded.is_facilitator(caller.id()) {
            return Err(ServiceError::Forbidden(
                "only the circle's facilitator can start it".into(),
            ));
        }
        if loaded.circle.state != CircleState::Approved {
            return Err(conflict(
                &loaded.circle,
                format!("cannot start a circle that is {}", loaded.circle.state),
            ));
        }
        let joined = loaded.joined().len();
        if joined < usize::try_from(settings.circles.min_size).unwrap_or(usize::MAX) {
            return Err(conflict(
                &loaded.circle,
                format!(
                    "{joined} members joined; at least {} are needed to start",
                    settings.circles.min_size
                ),
            ));
        }
        rows::set_meeting_details(conn, id, &details)?;
        move_circle(conn, &loaded, CircleAction::Start, None)?;
        let circle = rows::get(conn, id)?.ok_or(ServiceError::NotFound)?;
        for m in loaded.joined() {
            notify::started_to(conn, settings, &circle, &m.user_id)?;
        }
        notify::started_to(conn, settings, &circle, &circle.facilitator_id)?;
        crate::jobs::schedule_session_reminder(conn, settings, &circle, 1)?;
        reload_view(conn, caller, id)
    })
}

/// `POST /circles/{id}/end` (its facilitator or a coordinator):
/// `active → ended` (an approved circle that never started may end too).
pub fn end(
    conn: &mut DbConnection,
    settings: &Settings,
    caller: &Caller,
    id: &str,
    input: &ReasonInput,
) -> ServiceResult<CircleView> {
    let reason = required_text("reason", &input.reason)?;
    kindred_db::write_tx(conn, |conn| {
        rows::lock(conn, id)?;
        let loaded = super::visible(conn, caller, id)?;
        if !loaded.is_facilitator(caller.id()) && !caller.is_coordinator() {
            return Err(ServiceError::Forbidden(
                "only the facilitator or a coordinator can end a circle".into(),
            ));
        }
        end_in_tx(conn, settings, &loaded, &reason)?;
        reload_view(conn, caller, id)
    })
}

/// Ends a running circle in the caller's transaction: members not joined
/// are removed, every current member's request closes, everyone is told.
pub(crate) fn end_in_tx(
    conn: &mut DbConnection,
    settings: &Settings,
    loaded: &Loaded,
    reason: &str,
) -> ServiceResult<()> {
    let id = &loaded.circle.id;
    move_circle(conn, loaded, CircleAction::End, Some(reason))?;
    let mut told = Vec::new();
    for m in loaded.current() {
        if m.state != MemberState::Joined {
            members::set_state(
                conn,
                id,
                &m.request_id,
                &MemberState::CURRENT,
                MemberState::Removed,
            )?;
        }
        requests::set_state(conn, &m.request_id, CircleRequestState::Closed)?;
        if matches!(m.state, MemberState::Joined | MemberState::Invited) {
            told.push(m.user_id.clone());
        }
    }
    told.push(loaded.circle.facilitator_id.clone());
    let circle = rows::get(conn, id)?.ok_or(ServiceError::NotFound)?;
    for user_id in &told {
        notify::ended(conn, settings, &circle, user_id)?;
    }
    Ok(())
}

/// The invitation-expiry job: an invitation still unanswered after
/// `circles.invite_timeout` expires, the person's request closes, and the
/// place is offered to the oldest open request that fits the circle under
/// every hard rule. Returns whether it expired.
pub fn expire_invitation(
    conn: &mut DbConnection,
    settings: &Settings,
    circle_id: &str,
    request_id: &str,
) -> ServiceResult<bool> {
    rows::lock(conn, circle_id)?;
    let loaded = Loaded::load(conn, circle_id)?;
    let Some(member) = loaded
        .members
        .iter()
        .find(|m| m.request_id == request_id && m.state == MemberState::Invited)
        .cloned()
    else {
        return Ok(false);
    };
    if !super::is_running(loaded.circle.state) {
        return Ok(false);
    }
    members::set_state(
        conn,
        circle_id,
        request_id,
        &[MemberState::Invited],
        MemberState::Expired,
    )?;
    requests::set_state(conn, request_id, CircleRequestState::Closed)?;
    notify::invitation_expired(conn, settings, &loaded.circle, &member.user_id)?;
    offer_place(conn, settings, &loaded, &member)?;
    Ok(true)
}

/// Offers a freed place to the oldest open request that the circle (its
/// facilitator, slot, language and mode, and its other current members)
/// accepts under the engine's hard rules.
fn offer_place(
    conn: &mut DbConnection,
    settings: &Settings,
    loaded: &Loaded,
    freed: &CircleMember,
) -> ServiceResult<()> {
    let stay: Vec<String> = loaded
        .current()
        .iter()
        .filter(|m| m.request_id != freed.request_id)
        .map(|m| m.request_id.clone())
        .collect();
    let slot = super::formation::stored_slot(&loaded.circle);
    let config = super::engine_config(settings, None, None);
    // Oldest first; a bounded number of candidates per freed place.
    let candidates: Vec<_> = requests::all_open(conn)?
        .into_iter()
        .filter(|r| r.user_id != loaded.circle.facilitator_id)
        .take(200)
        .collect();
    if candidates.is_empty() {
        return Ok(());
    }
    let mut population = stay.clone();
    population.extend(candidates.iter().map(|r| r.id.clone()));
    let snap = super::formation::snapshot(
        conn,
        settings,
        config,
        &super::formation::Scope::Only {
            request_ids: &population,
            facilitator_id: &loaded.circle.facilitator_id,
            except_circle: Some(&loaded.circle.id),
        },
    )?;
    for candidate in candidates {
        let mut ids = stay.clone();
        ids.push(candidate.id.clone());
        let Ok(pc) = kindred_matching::check_circle(
            &snap.problem,
            &loaded.circle.facilitator_id,
            &ids,
            Some(slot),
        ) else {
            continue;
        };
        let now = kindred_db::now();
        let explanation = pc
            .members
            .iter()
            .find(|m| m.request_id == candidate.id)
            .and_then(|m| serde_json::to_string(&m.explanation).ok())
            .unwrap_or_else(|| "{}".into());
        members::insert(
            conn,
            &CircleMember {
                circle_id: loaded.circle.id.clone(),
                request_id: candidate.id.clone(),
                user_id: candidate.user_id.clone(),
                state: MemberState::Invited,
                explanation,
                invited_at: Some(now),
                joined_at: None,
                left_at: None,
                missed_in_row: 0,
                created_at: now,
                updated_at: now,
            },
        )?;
        requests::set_state(conn, &candidate.id, CircleRequestState::Placed)?;
        crate::jobs::schedule_invitation_expiry(conn, settings, &loaded.circle.id, &candidate.id)?;
        notify::invitation(conn, settings, &loaded.circle, &candidate.user_id)?;
        return Ok(());
    }
    Ok(())
}
