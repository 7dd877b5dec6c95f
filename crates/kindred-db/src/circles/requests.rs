//! Circle requests.

use diesel::prelude::*;
use kindred_core::CircleRequestState;

use super::CircleRequest;
use crate::schema::circle_requests;
use crate::{now, DbConnection, DbResult};

pub fn insert(conn: &mut DbConnection, r: &CircleRequest) -> DbResult<()> {
    diesel::insert_into(circle_requests::table)
        .values(r)
        .execute(conn)?;
    Ok(())
}

pub fn get(conn: &mut DbConnection, id: &str) -> DbResult<Option<CircleRequest>> {
    Ok(circle_requests::table
        .find(id)
        .select(CircleRequest::as_select())
        .first(conn)
        .optional()?)
}

pub fn find_many(conn: &mut DbConnection, ids: &[&str]) -> DbResult<Vec<CircleRequest>> {
    Ok(circle_requests::table
        .filter(circle_requests::id.eq_any(ids))
        .select(CircleRequest::as_select())
        .load(conn)?)
}

/// The person's open or placed request, if any.
pub fn live_for(conn: &mut DbConnection, user_id: &str) -> DbResult<Option<CircleRequest>> {
    Ok(circle_requests::table
        .filter(circle_requests::user_id.eq(user_id))
        .filter(
            circle_requests::state.eq_any([CircleRequestState::Open, CircleRequestState::Placed]),
        )
        .select(CircleRequest::as_select())
        .first(conn)
        .optional()?)
}

pub fn for_user(conn: &mut DbConnection, user_id: &str) -> DbResult<Vec<CircleRequest>> {
    Ok(circle_requests::table
        .filter(circle_requests::user_id.eq(user_id))
        .order(circle_requests::id.asc())
        .select(CircleRequest::as_select())
        .load(conn)?)
}

/// A page of requests in `state`, oldest first (ids are UUIDv7).
pub fn list(
    conn: &mut DbConnection,
    state: CircleRequestState,
    after: Option<&str>,
    limit: i64,
) -> DbResult<Vec<CircleRequest>> {
    let mut q = circle_requests::table
        .filter(circle_requests::state.eq(state))
        .select(CircleRequest::as_select())
        .into_boxed();
    if let Some(after) = after {
        q = q.filter(circle_requests::id.gt(after.to_string()));
    }
    Ok(q.order(circle_requests::id.asc()).limit(limit).load(conn)?)
}

/// Every open request, oldest first: what a circle run considers.
pub fn all_open(conn: &mut DbConnection) -> DbResult<Vec<CircleRequest>> {
    Ok(circle_requests::table
        .filter(circle_requests::state.eq(CircleRequestState::Open))
        .order(circle_requests::id.asc())
        .select(CircleRequest::as_select())
        .load(conn)?)
}

pub fn set_state(conn: &mut DbConnection, id: &str, state: CircleRequestState) -> DbResult<()> {
    diesel::update(circle_requests::table.find(id))
        .set((
            circle_requests::state.eq(state),
            circle_requests::updated_at.eq(now()),
        ))
        .execute(conn)?;
    Ok(())
}

/// Locks a request row until the transaction ends (PostgreSQL; SQLite
/// write transactions are serial already).
pub fn lock(conn: &mut DbConnection, id: &str) -> DbResult<()> {
    crate::lock_row(conn, "circle_requests", id)
}

/// Erasure: the person's circle requests keep their state only; topics
/// (which name experiences) and notes go, and so do their member
/// explanations.
pub fn scrub_user(conn: &mut DbConnection, user_id: &str) -> DbResult<()> {
    use crate::schema::circle_members;
    diesel::update(circle_requests::table.filter(circle_requests::user_id.eq(user_id)))
        .set((
            circle_requests::topics.eq("[]"),
            circle_requests::note.eq(None::<String>),
            circle_requests::updated_at.eq(now()),
        ))
        .execute(conn)?;
    diesel::update(circle_members::table.filter(circle_members::user_id.eq(user_id)))
        .set(circle_members::explanation.eq("{}"))
        .execute(conn)?;
    Ok(())
}
