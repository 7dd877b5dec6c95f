//! Mentorship requests.

use diesel::prelude::*;
use kindred_core::RequestState;

use crate::models::Request;
use crate::schema::{matches, requests};
use crate::{now, DbConnection, DbResult};

pub fn insert_request(conn: &mut DbConnection, request: &Request) -> DbResult<()> {
    diesel::insert_into(requests::table)
        .values(request)
        .execute(conn)?;
    Ok(())
}

pub fn get_request(conn: &mut DbConnection, id: &str) -> DbResult<Option<Request>> {
    Ok(requests::table
        .find(id)
        .select(Request::as_select())
        .first(conn)
        .optional()?)
}

/// The mentee's request that is open or matched, if any.
pub fn live_request_for(conn: &mut DbConnection, mentee_id: &str) -> DbResult<Option<Request>> {
    Ok(requests::table
        .filter(requests::mentee_id.eq(mentee_id))
        .filter(requests::state.eq_any(RequestState::LIVE))
        .select(Request::as_select())
        .first(conn)
        .optional()?)
}

pub fn requests_for_mentee(conn: &mut DbConnection, mentee_id: &str) -> DbResult<Vec<Request>> {
    Ok(requests::table
        .filter(requests::mentee_id.eq(mentee_id))
        .order(requests::created_at.asc())
        .select(Request::as_select())
        .load(conn)?)
}

/// A page of requests in `state`, oldest first (ids are time-ordered UUIDv7).
pub fn list_requests(
    conn: &mut DbConnection,
    state: RequestState,
    after: Option<&str>,
    limit: i64,
) -> DbResult<Vec<Request>> {
    let mut query = requests::table
        .filter(requests::state.eq(state))
        .select(Request::as_select())
        .into_boxed();
    if let Some(after) = after {
        query = query.filter(requests::id.gt(after.to_string()));
    }
    Ok(query.order(requests::id.asc()).limit(limit).load(conn)?)
}

/// Every open request without an open match: what a matching run considers.
pub fn unmatched_open_requests(conn: &mut DbConnection) -> DbResult<Vec<Request>> {
    let busy = matches::table
        .filter(matches::state.eq_any(crate::matches::open_states()))
        .select(matches::request_id);
    Ok(requests::table
        .filter(requests::state.eq(RequestState::Open))
        .filter(requests::id.ne_all(busy))
        .order(requests::id.asc())
        .select(Request::as_select())
        .load(conn)?)
}

pub fn set_request_state(conn: &mut DbConnection, id: &str, state: RequestState) -> DbResult<()> {
    let at = now();
    diesel::update(requests::table.find(id))
        .set((requests::state.eq(state), requests::updated_at.eq(at)))
        .execute(conn)?;
    if state == RequestState::Matched {
        diesel::update(requests::table.find(id))
            .set(requests::matched_at.eq(at))
            .execute(conn)?;
    }
    Ok(())
}

/// Locks a request row until the transaction ends (PostgreSQL), so a
/// withdrawal and a new proposal for it cannot interleave. SQLite write
/// transactions are serial already.
pub fn lock_request(conn: &mut DbConnection, request_id: &str) -> DbResult<()> {
    crate::lock_row(conn, "requests", request_id)
}

pub fn all_requests(conn: &mut DbConnection) -> DbResult<Vec<Request>> {
    Ok(requests::table.select(Request::as_select()).load(conn)?)
}
