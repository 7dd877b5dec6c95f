//! Peer-support circles (API.md "Peer-support circles"): facilitators,
//! circle requests, circle runs and manual circles, the circle life cycle,
//! sessions, attendance and check-ins. One file per area:
//!
//! | file | use cases |
//! |---|---|
//! | `facilitators.rs` | grant (with training), revoke, list with load |
//! | `requests.rs` | ask to join a circle, withdraw, the coordinators' list |
//! | `formation.rs` | the engine's input from the database; writing proposed circles |
//! | `runs.rs`, `manual.rs` | circle runs; coordinators' manual circles (re-exported by `formation`) |
//! | `transitions.rs` | approve, reject, join, leave, start, end, invitation expiry |
//! | `sessions.rs` | the session calendar, attendance, missed sessions, check-ins |
//! | `views.rs` | what each viewer sees of a circle |
//! | `safety.rs` | erasure, blocks between people of one circle |
//!
//! The emails each change causes are in `crate::emails::circles` (`notify`).

pub mod facilitators;
pub mod formation;
mod manual;
pub mod requests;
mod runs;
pub(crate) mod safety;
pub mod sessions;
pub mod transitions;
pub mod views;

use kindred_config::Settings;
use kindred_core::{CircleState, MemberState};
use kindred_db::circles::{Circle, CircleMember};
use kindred_db::DbConnection;

use crate::caller::Caller;
use crate::error::{ServiceError, ServiceResult};

pub(crate) use crate::emails::circles as notify;
pub use views::{CircleView, MemberView, SlotView};

/// A circle with its member rows.
pub struct Loaded {
    pub circle: Circle,
    pub members: Vec<CircleMember>,
}

impl Loaded {
    pub fn load(conn: &mut DbConnection, id: &str) -> ServiceResult<Loaded> {
        let circle = kindred_db::circles::rows::get(conn, id)?.ok_or(ServiceError::NotFound)?;
        let members = kindred_db::circles::members::of_circle(conn, id)?;
        Ok(Loaded { circle, members })
    }

    /// Member rows in one of `states`.
    pub fn in_states<'a>(
        &'a self,
        states: &'a [MemberState],
    ) -> impl Iterator<Item = &'a CircleMember> + 'a {
        self.members
            .iter()
            .filter(move |m| states.contains(&m.state))
    }

    pub fn joined(&self) -> Vec<&CircleMember> {
        self.in_states(&[MemberState::Joined]).collect()
    }

    /// Proposed, invited or joined.
    pub fn current(&self) -> Vec<&CircleMember> {
        self.in_states(&MemberState::CURRENT).collect()
    }

    /// The caller's current member row, if any.
    pub fn member(&self, user_id: &str) -> Option<&CircleMember> {
        self.members
            .iter()
            .find(|m| m.user_id == user_id && m.state.is_current())
    }

    pub fn is_facilitator(&self, user_id: &str) -> bool {
        self.circle.facilitator_id == user_id
    }
}

/// Coordinators see every circle; its facilitator and its members (also
/// former ones) once it left review; anyone else `NotFound`.
pub fn visible(conn: &mut DbConnection, caller: &Caller, id: &str) -> ServiceResult<Loaded> {
    let loaded = Loaded::load(conn, id)?;
    if caller.is_coordinator() {
        return Ok(loaded);
    }
    let involved = loaded.is_facilitator(caller.id())
        || loaded.members.iter().any(|m| {
            m.user_id == caller.id()
                && !matches!(m.state, MemberState::Proposed | MemberState::Declined)
        });
    if involved && !loaded.circle.state.is_coordinator_only() {
        Ok(loaded)
    } else {
        Err(ServiceError::NotFound)
    }
}

/// `409` naming the circle's state.
pub(crate) fn conflict(circle: &Circle, detail: impl Into<String>) -> ServiceError {
    ServiceError::conflict_in(detail, circle.state)
}

/// The circle settings with a run's overrides.
pub(crate) fn engine_config(
    settings: &Settings,
    min_size: Option<u32>,
    max_size: Option<u32>,
) -> kindred_matching::CircleConfig {
    kindred_matching::CircleConfig {
        min_size: min_size.unwrap_or(settings.circles.min_size),
        max_size: max_size.unwrap_or(settings.circles.max_size),
        session_length_min: u32::try_from(settings.circles.session_length.as_secs() / 60)
            .unwrap_or(90),
    }
}

/// A person's time zone in a circle: the facilitator's from their
/// facilitator profile, a member's from their mentee profile (UTC without one).
pub(crate) fn person_zone(
    conn: &mut DbConnection,
    c: &Circle,
    user_id: &str,
) -> ServiceResult<chrono_tz::Tz> {
    let kind = if user_id == c.facilitator_id {
        "facilitator"
    } else {
        "mentee"
    };
    Ok(kindred_db::profiles::get(conn, user_id, kind)?
        .and_then(|p| p.profile.timezone.parse().ok())
        .unwrap_or(chrono_tz::Tz::UTC))
}

/// Whether the circle is one that still runs (approved or active).
pub(crate) fn is_running(state: CircleState) -> bool {
    matches!(state, CircleState::Approved | CircleState::Active)
}

/// The caller's circle data for `GET /me/export`.
#[derive(Debug, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CirclesExport {
    /// Their circle requests.
    pub requests: Vec<requests::CircleRequestView>,
    /// The circles they were invited to or led, as they see them.
    pub circles: Vec<CircleView>,
    /// Their circle check-ins.
    pub check_ins: Vec<sessions::CircleCheckInView>,
}

/// What `GET /me/export` holds about the caller's circles.
pub fn export(conn: &mut DbConnection, caller: &Caller) -> ServiceResult<CirclesExport> {
    let requests = requests::mine(conn, caller)?;
    let mut ids: Vec<String> = kindred_db::circles::members::of_user(conn, caller.id())?
        .into_iter()
        .filter(|m| !matches!(m.state, MemberState::Proposed | MemberState::Declined))
        .map(|m| m.circle_id)
        .collect();
    ids.extend(
        kindred_db::circles::rows::led_by(conn, caller.id(), CircleState::ALL)?
            .into_iter()
            .filter(|c| !c.state.is_coordinator_only())
            .map(|c| c.id),
    );
    ids.sort();
    ids.dedup();
    let mut circles = Vec::with_capacity(ids.len());
    for id in &ids {
        let loaded = Loaded::load(conn, id)?;
        circles.push(views::view(conn, caller, &loaded)?);
    }
    let check_ins = sessions::own_check_ins(conn, caller)?;
    Ok(CirclesExport {
        requests,
        circles,
        check_ins,
    })
}
