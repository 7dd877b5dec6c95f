//! What each viewer sees of a circle. Coordinators: everything, the whole
//! explanation included. Its facilitator and members: the circle, the
//! public part of the explanation, each current member's display name and
//! pronouns (never an email address, a private tag or another profile
//! field), and the meeting details once it is active.

use chrono::{DateTime, Utc};
use kindred_core::CircleState;
use kindred_db::circles::{Circle, CircleMember};
use kindred_db::DbConnection;
use kindred_matching::Explanation;
use serde::Serialize;

use super::Loaded;
use crate::caller::Caller;
use crate::error::ServiceResult;
use crate::pagination::{Page, PageQuery};

/// A weekly slot in UTC: `start` and `end` are `HH:MM`; an `end` earlier
/// than `start` is on the next day.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SlotView {
    #[cfg_attr(feature = "openapi", schema(example = "mon"))]
    pub day: String,
    #[cfg_attr(feature = "openapi", schema(example = "18:00"))]
    pub start: String,
    #[cfg_attr(feature = "openapi", schema(example = "19:30"))]
    pub end: String,
}

impl SlotView {
    pub fn of(c: &Circle) -> SlotView {
        let minutes =
            |m: i32| kindred_core::format_hhmm(u16::try_from(m.rem_euclid(1440)).unwrap_or(0));
        SlotView {
            day: c.slot_day.clone(),
            start: minutes(c.slot_start),
            end: minutes(c.slot_end),
        }
    }
}

/// A member as others in the circle see them.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MemberView {
    pub user_id: String,
    pub display_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pronouns: Option<String>,
    /// `proposed`, `invited`, `joined` (coordinators also see `left`,
    /// `declined`, `expired` and `removed`).
    #[cfg_attr(feature = "openapi", schema(example = "joined"))]
    pub state: String,
    /// Coordinators only: the circle request that placed them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CircleView {
    pub id: String,
    #[cfg_attr(feature = "openapi", schema(example = "approved"))]
    pub state: String,
    pub facilitator_id: String,
    pub facilitator_name: String,
    /// Current members: proposed, invited or joined.
    pub member_ids: Vec<String>,
    pub members: Vec<MemberView>,
    #[cfg_attr(feature = "openapi", schema(example = "en"))]
    pub language: String,
    #[cfg_attr(feature = "openapi", schema(example = "online"))]
    pub meeting_mode: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    pub slot: SlotView,
    /// Tags at least two people of the circle show publicly.
    pub topics: Vec<String>,
    /// Coordinators: the engine's score. Others: the total of the public
    /// explanation.
    pub score: i64,
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub explanation: Explanation,
    /// Once active: the facilitator's meeting details (members and facilitator).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub meeting_details: Option<String>,
    /// The caller's own member state, when they are (or were) a member.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub my_state: Option<String>,
    /// Coordinators: the run that formed it (absent for manual circles).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub run_id: Option<String>,
    /// Coordinators: the rejection or end reason.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Coordinators: when the circle was flagged (its facilitator's role was revoked).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub flagged_at: Option<DateTime<Utc>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub started_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Renders one circle for `caller`, who may see it ([`super::visible`]).
pub fn view(
    conn: &mut DbConnection,
    caller: &Caller,
    loaded: &Loaded,
) -> ServiceResult<CircleView> {
    let c = &loaded.circle;
    let coordinator_view = caller.is_coordinator()
        && !loaded.is_facilitator(caller.id())
        && loaded.member(caller.id()).is_none();
    let shown: Vec<&CircleMember> = loaded
        .members
        .iter()
        .filter(|m| coordinator_view || m.state.is_current())
        .collect();
    let ids: Vec<&str> = shown
        .iter()
        .map(|m| m.user_id.as_str())
        .chain([c.facilitator_id.as_str()])
        .collect();
    let users = kindred_db::users::find_many(conn, &ids)?;
    let name_of = |id: &str| {
        users
            .iter()
            .find(|u| u.id == id)
            .map(|u| (u.display_name.clone(), u.pronouns.clone()))
            .unwrap_or_else(|| ("Deleted user".into(), None))
    };
    let members = shown
        .iter()
        .map(|m| {
            let (display_name, pronouns) = name_of(&m.user_id);
            MemberView {
                user_id: m.user_id.clone(),
                display_name,
                pronouns,
                state: m.state.to_string(),
                request_id: coordinator_view.then(|| m.request_id.clone()),
            }
        })
        .collect();
    let explanation = crate::matches::views::explanation_from_json(&c.explanation, c.score);
    let explanation = if coordinator_view {
        explanation
    } else {
        explanation.without_private_overlap()
    };
    let sees_details = coordinator_view
        || loaded.is_facilitator(caller.id())
        || loaded
            .member(caller.id())
            .is_some_and(|m| m.state == kindred_core::MemberState::Joined);
    let my_state = loaded
        .members
        .iter()
        .rev()
        .find(|m| m.user_id == caller.id())
        .map(|m| m.state.to_string());
    Ok(CircleView {
        id: c.id.clone(),
        state: c.state.to_string(),
        facilitator_id: c.facilitator_id.clone(),
        facilitator_name: name_of(&c.facilitator_id).0,
        member_ids: loaded.current().iter().map(|m| m.user_id.clone()).collect(),
        members,
        language: c.language.clone(),
        meeting_mode: c.meeting_mode.clone(),
        region: c.region.clone(),
        slot: SlotView::of(c),
        topics: serde_json::from_str(&c.topics).unwrap_or_default(),
        score: if coordinator_view {
            c.score
        } else {
            explanation.total
        },
        explanation,
        // Where the circle meets: for the people in it (once joined) and
        // coordinators, never for someone invited who has not accepted the
        // agreement yet, nor for someone who left.
        meeting_details: (c.state == CircleState::Active && sees_details)
            .then(|| c.meeting_details.clone())
            .flatten(),
        my_state,
        run_id: c.run_id.clone().filter(|_| coordinator_view),
        reason: c.reason.clone().filter(|_| coordinator_view),
        flagged_at: c
            .flagged_at
            .filter(|_| coordinator_view)
            .map(|t| t.and_utc()),
        started_at: c.started_at.map(|t| t.and_utc()),
        created_at: c.created_at.and_utc(),
        updated_at: c.updated_at.and_utc(),
    })
}

/// `GET /circles/{id}`.
pub fn get(conn: &mut DbConnection, caller: &Caller, id: &str) -> ServiceResult<CircleView> {
    let loaded = super::visible(conn, caller, id)?;
    view(conn, caller, &loaded)
}

/// `GET /circles?state=`: coordinators see all; others the circles they
/// lead or were invited to, past review.
pub fn list(
    conn: &mut DbConnection,
    caller: &Caller,
    state: Option<&str>,
    page: PageQuery,
) -> ServiceResult<Page<CircleView>> {
    let state = match state {
        None => None,
        Some(s) => Some(
            s.parse::<CircleState>()
                .map_err(|_| crate::error::ServiceError::field("state", "unknown circle state"))?,
        ),
    };
    let page = page.validate()?;
    let visible = if caller.is_coordinator() {
        kindred_db::circles::rows::Visible::All
    } else {
        kindred_db::circles::rows::Visible::To(caller.id())
    };
    let (rows, next_cursor) = page.load(
        conn,
        |conn, after, limit| kindred_db::circles::rows::list(conn, visible, state, after, limit),
        |c| c.id.clone(),
    )?;
    let mut items = Vec::with_capacity(rows.len());
    for circle in rows {
        let members = kindred_db::circles::members::of_circle(conn, &circle.id)?;
        items.push(view(conn, caller, &Loaded { circle, members })?);
    }
    Ok(Page { items, next_cursor })
}

/// An array of `min..=max` distinct id strings (for request bodies).
#[cfg(feature = "openapi")]
pub(crate) fn distinct_ids_schema(min: usize, max: usize) -> utoipa::openapi::Array {
    let id = utoipa::openapi::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::Type::String)
        .min_length(Some(1))
        .max_length(Some(100))
        .pattern(Some(r"^[^\x00]+$"));
    utoipa::openapi::ArrayBuilder::new()
        .items(id)
        .min_items(Some(min))
        .max_items(Some(max))
        .unique_items(true)
        .build()
}
