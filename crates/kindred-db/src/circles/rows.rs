//! Circle rows: insert, read, list, transitions.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use kindred_core::{CircleState, MemberState};

use super::{Circle, CircleMember};
use crate::schema::{circle_members, circles};
use crate::{now, DbConnection, DbResult};

/// Inserts a circle with its members.
pub fn insert(conn: &mut DbConnection, circle: &Circle, members: &[CircleMember]) -> DbResult<()> {
    diesel::insert_into(circles::table)
        .values(circle)
        .execute(conn)?;
    for m in members {
        diesel::insert_into(circle_members::table)
            .values(m)
            .execute(conn)?;
    }
    Ok(())
}

pub fn get(conn: &mut DbConnection, id: &str) -> DbResult<Option<Circle>> {
    Ok(circles::table
        .find(id)
        .select(Circle::as_select())
        .first(conn)
        .optional()?)
}

/// Locks a circle row until the transaction ends (PostgreSQL), so joins,
/// leaves and transitions of one circle are serial. SQLite write
/// transactions are serial already.
pub fn lock(conn: &mut DbConnection, id: &str) -> DbResult<()> {
    crate::lock_row(conn, "circles", id)
}

/// Which circles a listing may show.
#[derive(Debug, Clone, Copy)]
pub enum Visible<'a> {
    /// Coordinators: every circle.
    All,
    /// A facilitator or member: circles they lead or are a current member
    /// of, past `proposed`/`rejected`.
    To(&'a str),
}

/// A page of circles, oldest first, optionally in one state.
pub fn list(
    conn: &mut DbConnection,
    visible: Visible<'_>,
    state: Option<CircleState>,
    after: Option<&str>,
    limit: i64,
) -> DbResult<Vec<Circle>> {
    let mut q = circles::table.select(Circle::as_select()).into_boxed();
    if let Visible::To(user) = visible {
        let mine = circle_members::table
            .filter(circle_members::user_id.eq(user.to_string()))
            .filter(circle_members::state.eq_any([
                MemberState::Invited,
                MemberState::Joined,
                MemberState::Left,
                MemberState::Expired,
                MemberState::Removed,
            ]))
            .select(circle_members::circle_id);
        q = q
            .filter(
                circles::facilitator_id
                    .eq(user.to_string())
                    .or(circles::id.eq_any(mine)),
            )
            .filter(circles::state.ne_all([CircleState::Proposed, CircleState::Rejected]));
    }
    if let Some(state) = state {
        q = q.filter(circles::state.eq(state));
    }
    if let Some(after) = after {
        q = q.filter(circles::id.gt(after.to_string()));
    }
    Ok(q.order(circles::id.asc()).limit(limit).load(conn)?)
}

/// Circles of a run, in creation order.
pub fn of_run(conn: &mut DbConnection, run_id: &str) -> DbResult<Vec<Circle>> {
    Ok(circles::table
        .filter(circles::run_id.eq(run_id))
        .order(circles::id.asc())
        .select(Circle::as_select())
        .load(conn)?)
}

/// Circles a facilitator leads in `states`.
pub fn led_by(
    conn: &mut DbConnection,
    facilitator_id: &str,
    states: &[CircleState],
) -> DbResult<Vec<Circle>> {
    Ok(circles::table
        .filter(circles::facilitator_id.eq(facilitator_id))
        .filter(circles::state.eq_any(states))
        .order(circles::id.asc())
        .select(Circle::as_select())
        .load(conn)?)
}

/// Every circle in `states`.
pub fn in_states(conn: &mut DbConnection, states: &[CircleState]) -> DbResult<Vec<Circle>> {
    Ok(circles::table
        .filter(circles::state.eq_any(states))
        .order(circles::id.asc())
        .select(Circle::as_select())
        .load(conn)?)
}

/// Moves a circle to `to` if it is still in `from` (false when a concurrent
/// call moved it first). Stamps the matching time column.
pub fn transition(
    conn: &mut DbConnection,
    id: &str,
    from: CircleState,
    to: CircleState,
    reason: Option<&str>,
) -> DbResult<bool> {
    let at = now();
    let n = diesel::update(
        circles::table
            .filter(circles::id.eq(id))
            .filter(circles::state.eq(from)),
    )
    .set((circles::state.eq(to), circles::updated_at.eq(at)))
    .execute(conn)?;
    if n == 0 {
        return Ok(false);
    }
    let target = circles::table.find(id);
    match to {
        CircleState::Approved => {
            diesel::update(target)
                .set(circles::approved_at.eq(Some(at)))
                .execute(conn)?;
        }
        CircleState::Active => {
            diesel::update(target)
                .set(circles::started_at.eq(Some(at)))
                .execute(conn)?;
        }
        CircleState::Ended => {
            diesel::update(target)
                .set(circles::ended_at.eq(Some(at)))
                .execute(conn)?;
        }
        CircleState::Proposed | CircleState::Rejected => {}
    }
    if let Some(reason) = reason {
        diesel::update(target)
            .set(circles::reason.eq(Some(reason)))
            .execute(conn)?;
    }
    Ok(true)
}

pub fn set_meeting_details(conn: &mut DbConnection, id: &str, details: &str) -> DbResult<()> {
    diesel::update(circles::table.find(id))
        .set(circles::meeting_details.eq(Some(details)))
        .execute(conn)?;
    Ok(())
}

/// Flags a circle for coordinators (its facilitator's role was revoked).
pub fn flag(conn: &mut DbConnection, id: &str, at: Option<NaiveDateTime>) -> DbResult<()> {
    diesel::update(circles::table.find(id))
        .set(circles::flagged_at.eq(at))
        .execute(conn)?;
    Ok(())
}

/// Count of circles per state.
pub fn counts(conn: &mut DbConnection) -> DbResult<Vec<(CircleState, i64)>> {
    Ok(circles::table
        .group_by(circles::state)
        .select((circles::state, diesel::dsl::count_star()))
        .load(conn)?)
}

/// Circle members with the given member states, per circle (for listings).
pub fn members_of_many(
    conn: &mut DbConnection,
    circle_ids: &[&str],
) -> DbResult<Vec<CircleMember>> {
    Ok(circle_members::table
        .filter(circle_members::circle_id.eq_any(circle_ids))
        .order((
            circle_members::circle_id.asc(),
            circle_members::created_at.asc(),
        ))
        .select(CircleMember::as_select())
        .load(conn)?)
}
