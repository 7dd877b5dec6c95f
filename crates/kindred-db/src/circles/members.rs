//! A circle's members.

use diesel::prelude::*;
use kindred_core::MemberState;

use super::CircleMember;
use crate::schema::{circle_members, circles};
use crate::{now, DbConnection, DbResult};

/// Every member row of a circle (any state), in placement order.
pub fn of_circle(conn: &mut DbConnection, circle_id: &str) -> DbResult<Vec<CircleMember>> {
    Ok(circle_members::table
        .filter(circle_members::circle_id.eq(circle_id))
        .order((
            circle_members::created_at.asc(),
            circle_members::request_id.asc(),
        ))
        .select(CircleMember::as_select())
        .load(conn)?)
}

/// The person's member rows (any circle, any state).
pub fn of_user(conn: &mut DbConnection, user_id: &str) -> DbResult<Vec<CircleMember>> {
    Ok(circle_members::table
        .filter(circle_members::user_id.eq(user_id))
        .order(circle_members::created_at.asc())
        .select(CircleMember::as_select())
        .load(conn)?)
}

pub fn insert(conn: &mut DbConnection, m: &CircleMember) -> DbResult<()> {
    diesel::insert_into(circle_members::table)
        .values(m)
        .execute(conn)?;
    Ok(())
}

/// Moves a member row from one of `from` to `to` (false when it was not in
/// one of them). Stamps invited/joined/left times.
pub fn set_state(
    conn: &mut DbConnection,
    circle_id: &str,
    request_id: &str,
    from: &[MemberState],
    to: MemberState,
) -> DbResult<bool> {
    let at = now();
    let row = circle_members::table
        .filter(circle_members::circle_id.eq(circle_id))
        .filter(circle_members::request_id.eq(request_id))
        .filter(circle_members::state.eq_any(from));
    let n = diesel::update(row)
        .set((
            circle_members::state.eq(to),
            circle_members::updated_at.eq(at),
        ))
        .execute(conn)?;
    if n == 0 {
        return Ok(false);
    }
    let target = circle_members::table.find((circle_id, request_id));
    match to {
        MemberState::Invited => {
            diesel::update(target)
                .set(circle_members::invited_at.eq(Some(at)))
                .execute(conn)?;
        }
        MemberState::Joined => {
            diesel::update(target)
                .set(circle_members::joined_at.eq(Some(at)))
                .execute(conn)?;
        }
        MemberState::Left | MemberState::Removed | MemberState::Expired => {
            diesel::update(target)
                .set(circle_members::left_at.eq(Some(at)))
                .execute(conn)?;
        }
        MemberState::Proposed | MemberState::Declined => {}
    }
    Ok(true)
}

/// Every member row in `from` of a circle moves to `to`.
pub fn set_all(
    conn: &mut DbConnection,
    circle_id: &str,
    from: &[MemberState],
    to: MemberState,
) -> DbResult<Vec<CircleMember>> {
    let rows: Vec<CircleMember> = of_circle(conn, circle_id)?
        .into_iter()
        .filter(|m| from.contains(&m.state))
        .collect();
    for m in &rows {
        set_state(conn, circle_id, &m.request_id, from, to)?;
    }
    Ok(rows)
}

pub fn set_missed(
    conn: &mut DbConnection,
    circle_id: &str,
    user_id: &str,
    missed: i32,
) -> DbResult<()> {
    diesel::update(
        circle_members::table
            .filter(circle_members::circle_id.eq(circle_id))
            .filter(circle_members::user_id.eq(user_id)),
    )
    .set(circle_members::missed_in_row.eq(missed))
    .execute(conn)?;
    Ok(())
}

/// Invitations sent before `before` that are still unanswered, in circles
/// that are still approved or active.
pub fn overdue_invitations(
    conn: &mut DbConnection,
    before: chrono::NaiveDateTime,
) -> DbResult<Vec<CircleMember>> {
    let live = circles::table
        .filter(circles::state.eq_any([
            kindred_core::CircleState::Approved,
            kindred_core::CircleState::Active,
        ]))
        .select(circles::id);
    Ok(circle_members::table
        .filter(circle_members::state.eq(MemberState::Invited))
        .filter(circle_members::invited_at.lt(before))
        .filter(circle_members::circle_id.eq_any(live))
        .order(circle_members::invited_at.asc())
        .select(CircleMember::as_select())
        .load(conn)?)
}
