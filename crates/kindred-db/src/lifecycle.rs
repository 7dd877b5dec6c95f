//! Requests, matching runs, matches and their audit trail.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::Text;

use crate::models::{Match, MatchEvent, MatchingRun, Request};
use crate::schema::{blocks, match_events, matches, matching_runs, requests};
use crate::{now, DbConnection, DbResult};

/// Match states that hold a request (at most one per request).
pub const OPEN_MATCH_STATES: [&str; 3] = ["proposed", "awaiting_mentor", "active"];
/// Match states that use a mentor's capacity.
pub const CAPACITY_STATES: [&str; 2] = ["awaiting_mentor", "active"];
/// Pairs in these states are never proposed again.
pub const FAILED_PAIR_STATES: [&str; 4] = ["rejected", "declined", "expired", "ended"];

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
        .filter(requests::state.eq_any(["open", "matched"]))
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
    state: &str,
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
        .filter(matches::state.eq_any(OPEN_MATCH_STATES))
        .select(matches::request_id);
    Ok(requests::table
        .filter(requests::state.eq("open"))
        .filter(requests::id.ne_all(busy))
        .order(requests::id.asc())
        .select(Request::as_select())
        .load(conn)?)
}

pub fn set_request_state(conn: &mut DbConnection, id: &str, state: &str) -> DbResult<()> {
    let at = now();
    diesel::update(requests::table.find(id))
        .set((requests::state.eq(state), requests::updated_at.eq(at)))
        .execute(conn)?;
    if state == "matched" {
        diesel::update(requests::table.find(id))
            .set(requests::matched_at.eq(at))
            .execute(conn)?;
    }
    Ok(())
}

pub fn insert_match(conn: &mut DbConnection, m: &Match) -> DbResult<()> {
    diesel::insert_into(matches::table)
        .values(m)
        .execute(conn)?;
    Ok(())
}

pub fn get_match(conn: &mut DbConnection, id: &str) -> DbResult<Option<Match>> {
    Ok(matches::table
        .find(id)
        .select(Match::as_select())
        .first(conn)
        .optional()?)
}

/// Serialises capacity decisions for one mentor until the transaction ends.
/// PostgreSQL: a transaction-scoped advisory lock on the mentor id. SQLite:
/// write transactions already run one at a time ([`crate::write_tx`]).
pub fn lock_mentor(conn: &mut DbConnection, mentor_id: &str) -> DbResult<()> {
    if let DbConnection::Postgresql(pg) = conn {
        diesel::sql_query("SELECT pg_advisory_xact_lock(hashtext($1)::bigint)")
            .bind::<Text, _>(mentor_id)
            .execute(pg)?;
    }
    Ok(())
}

/// Locks a request row until the transaction ends (PostgreSQL), so a
/// withdrawal and a new proposal for it cannot interleave. SQLite write
/// transactions are serial already.
pub fn lock_request(conn: &mut DbConnection, request_id: &str) -> DbResult<()> {
    if let DbConnection::Postgresql(pg) = conn {
        diesel::sql_query("SELECT id FROM requests WHERE id = $1 FOR UPDATE")
            .bind::<Text, _>(request_id)
            .execute(pg)?;
    }
    Ok(())
}

/// Match states participants do not see: a proposal is the coordinators'
/// working material until it is approved (or rejected).
pub const COORDINATOR_ONLY_STATES: [&str; 2] = ["proposed", "rejected"];

/// Serialises matching runs: the second waits for the first to commit, then
/// sees its proposals. PostgreSQL only; SQLite write transactions are serial.
pub fn lock_matching_runs(conn: &mut DbConnection) -> DbResult<()> {
    if let DbConnection::Postgresql(pg) = conn {
        diesel::sql_query("SELECT pg_advisory_xact_lock(4242001)").execute(pg)?;
    }
    Ok(())
}

/// How many of the mentor's matches are in `states`.
pub fn mentor_load(conn: &mut DbConnection, mentor_id: &str, states: &[&str]) -> DbResult<i64> {
    Ok(matches::table
        .filter(matches::mentor_id.eq(mentor_id))
        .filter(matches::state.eq_any(states))
        .count()
        .get_result(conn)?)
}

/// Load per mentor over `states`, for every mentor that has any.
pub fn loads(conn: &mut DbConnection, states: &[&str]) -> DbResult<Vec<(String, i64)>> {
    Ok(matches::table
        .filter(matches::state.eq_any(states))
        .group_by(matches::mentor_id)
        .select((matches::mentor_id, diesel::dsl::count_star()))
        .load(conn)?)
}

/// Fields that change with a transition.
#[derive(Default)]
pub struct TransitionFields {
    pub ended_reason: Option<String>,
    pub awaiting_since: Option<NaiveDateTime>,
    pub activated_at: Option<NaiveDateTime>,
    pub ended_at: Option<NaiveDateTime>,
}

/// Moves a match `from → to` only if it is still in `from` (so two racing
/// transitions cannot both win). Returns whether it moved.
pub fn transition(
    conn: &mut DbConnection,
    id: &str,
    from: &str,
    to: &str,
    fields: &TransitionFields,
) -> DbResult<bool> {
    let at = now();
    let target = matches::table.find(id).filter(matches::state.eq(from));
    let n = diesel::update(target)
        .set((matches::state.eq(to), matches::updated_at.eq(at)))
        .execute(conn)?;
    if n == 0 {
        return Ok(false);
    }
    if let Some(reason) = &fields.ended_reason {
        diesel::update(matches::table.find(id))
            .set(matches::ended_reason.eq(reason))
            .execute(conn)?;
    }
    if let Some(t) = fields.awaiting_since {
        diesel::update(matches::table.find(id))
            .set(matches::awaiting_since.eq(t))
            .execute(conn)?;
    }
    if let Some(t) = fields.activated_at {
        diesel::update(matches::table.find(id))
            .set(matches::activated_at.eq(t))
            .execute(conn)?;
    }
    if let Some(t) = fields.ended_at {
        diesel::update(matches::table.find(id))
            .set(matches::ended_at.eq(t))
            .execute(conn)?;
    }
    Ok(true)
}

pub struct NewEvent<'a> {
    pub match_id: &'a str,
    pub from_state: Option<&'a str>,
    pub to_state: &'a str,
    pub actor_id: Option<&'a str>,
    pub actor_role: &'a str,
    pub reason: Option<&'a str>,
}

pub fn record_event(conn: &mut DbConnection, e: &NewEvent<'_>) -> DbResult<()> {
    diesel::insert_into(match_events::table)
        .values(MatchEvent {
            id: crate::new_id(),
            match_id: e.match_id.to_string(),
            from_state: e.from_state.map(str::to_string),
            to_state: e.to_state.to_string(),
            actor_id: e.actor_id.map(str::to_string),
            actor_role: e.actor_role.to_string(),
            reason: e.reason.map(str::to_string),
            created_at: now(),
        })
        .execute(conn)?;
    Ok(())
}

pub fn events(conn: &mut DbConnection, match_id: &str) -> DbResult<Vec<MatchEvent>> {
    Ok(match_events::table
        .filter(match_events::match_id.eq(match_id))
        .order((match_events::created_at.asc(), match_events::id.asc()))
        .select(MatchEvent::as_select())
        .load(conn)?)
}

/// Filters for listing matches.
pub struct MatchFilter<'a> {
    /// Only matches this user takes part in (mentor or mentee), without the
    /// coordinator-only states; `None` = all.
    pub participant: Option<&'a str>,
    pub state: Option<&'a str>,
    pub after: Option<&'a str>,
    pub limit: i64,
}

pub fn list_matches(conn: &mut DbConnection, f: &MatchFilter<'_>) -> DbResult<Vec<Match>> {
    let mut query = matches::table.select(Match::as_select()).into_boxed();
    if let Some(user) = f.participant {
        query = query
            .filter(matches::mentor_id.eq(user).or(matches::mentee_id.eq(user)))
            .filter(matches::state.ne_all(COORDINATOR_ONLY_STATES));
    }
    if let Some(state) = f.state {
        query = query.filter(matches::state.eq(state));
    }
    if let Some(after) = f.after {
        query = query.filter(matches::id.gt(after.to_string()));
    }
    Ok(query.order(matches::id.asc()).limit(f.limit).load(conn)?)
}

/// Every match a user takes part in, in `states` (or all when empty).
pub fn matches_of_user(
    conn: &mut DbConnection,
    user_id: &str,
    states: &[&str],
) -> DbResult<Vec<Match>> {
    let mut query = matches::table
        .filter(
            matches::mentor_id
                .eq(user_id)
                .or(matches::mentee_id.eq(user_id)),
        )
        .select(Match::as_select())
        .into_boxed();
    if !states.is_empty() {
        query = query.filter(matches::state.eq_any(states.to_vec()));
    }
    Ok(query.order(matches::id.asc()).load(conn)?)
}

/// Open matches between two people, in either role.
pub fn open_matches_between(conn: &mut DbConnection, a: &str, b: &str) -> DbResult<Vec<Match>> {
    Ok(matches::table
        .filter(
            (matches::mentor_id.eq(a).and(matches::mentee_id.eq(b)))
                .or(matches::mentor_id.eq(b).and(matches::mentee_id.eq(a))),
        )
        .filter(matches::state.eq_any(OPEN_MATCH_STATES))
        .select(Match::as_select())
        .load(conn)?)
}

pub fn open_match_for_request(
    conn: &mut DbConnection,
    request_id: &str,
) -> DbResult<Option<Match>> {
    Ok(matches::table
        .filter(matches::request_id.eq(request_id))
        .filter(matches::state.eq_any(OPEN_MATCH_STATES))
        .select(Match::as_select())
        .first(conn)
        .optional()?)
}

/// (mentee, mentor) pairs that must never be proposed: earlier failed
/// matches, and blocks in either direction.
pub fn excluded_pairs(conn: &mut DbConnection) -> DbResult<Vec<(String, String)>> {
    let mut pairs: Vec<(String, String)> = matches::table
        .filter(matches::state.eq_any(FAILED_PAIR_STATES))
        .select((matches::mentee_id, matches::mentor_id))
        .load(conn)?;
    let blocked: Vec<(String, String)> = blocks::table
        .select((blocks::blocker_id, blocks::blocked_id))
        .load(conn)?;
    for (a, b) in blocked {
        pairs.push((a.clone(), b.clone()));
        pairs.push((b, a));
    }
    Ok(pairs)
}

/// Whether this pair failed before or is blocked.
pub fn pair_excluded(conn: &mut DbConnection, mentee_id: &str, mentor_id: &str) -> DbResult<bool> {
    let failed: i64 = matches::table
        .filter(matches::mentee_id.eq(mentee_id))
        .filter(matches::mentor_id.eq(mentor_id))
        .filter(matches::state.eq_any(FAILED_PAIR_STATES))
        .count()
        .get_result(conn)?;
    Ok(failed > 0 || crate::safety::blocked_either_way(conn, mentee_id, mentor_id)?)
}

/// Matches in `state` whose last change is older than `before` (scheduler scans).
pub fn matches_in_state_since(
    conn: &mut DbConnection,
    state: &str,
    before: NaiveDateTime,
) -> DbResult<Vec<Match>> {
    Ok(matches::table
        .filter(matches::state.eq(state))
        .filter(matches::updated_at.le(before))
        .select(Match::as_select())
        .load(conn)?)
}

pub fn all_matches(conn: &mut DbConnection) -> DbResult<Vec<Match>> {
    Ok(matches::table.select(Match::as_select()).load(conn)?)
}

pub fn all_requests(conn: &mut DbConnection) -> DbResult<Vec<Request>> {
    Ok(requests::table.select(Request::as_select()).load(conn)?)
}

pub fn insert_run(conn: &mut DbConnection, run: &MatchingRun) -> DbResult<()> {
    diesel::insert_into(matching_runs::table)
        .values(run)
        .execute(conn)?;
    Ok(())
}

pub fn get_run(conn: &mut DbConnection, id: &str) -> DbResult<Option<MatchingRun>> {
    Ok(matching_runs::table
        .find(id)
        .select(MatchingRun::as_select())
        .first(conn)
        .optional()?)
}

pub fn set_run_duration(conn: &mut DbConnection, id: &str, duration_ms: i64) -> DbResult<()> {
    diesel::update(matching_runs::table.find(id))
        .set(matching_runs::duration_ms.eq(duration_ms))
        .execute(conn)?;
    Ok(())
}

/// Removes a person's own words and sensitive traces from lifecycle records
/// (erasure): their requests are withdrawn and emptied, explanations of
/// their matches (which name shared experiences) are dropped, their check-in
/// notes, their reasons in the audit log and the text of reports they filed
/// are cleared, and their blocks and preferences deleted. Rows that other
/// people's history depends on stay, pointing at the anonymous tombstone.
pub fn scrub_user(conn: &mut DbConnection, user_id: &str) -> DbResult<()> {
    use crate::schema::{check_ins, notification_prefs, reports};
    let at = now();
    diesel::update(requests::table.filter(requests::mentee_id.eq(user_id)))
        .set((
            requests::required_tags.eq("[]"),
            requests::excluded_regions.eq("[]"),
            requests::note.eq(None::<String>),
            requests::updated_at.eq(at),
        ))
        .execute(conn)?;
    diesel::update(
        requests::table
            .filter(requests::mentee_id.eq(user_id))
            .filter(requests::state.eq_any(["open", "matched"])),
    )
    .set(requests::state.eq("withdrawn"))
    .execute(conn)?;
    diesel::update(
        matches::table.filter(
            matches::mentor_id
                .eq(user_id)
                .or(matches::mentee_id.eq(user_id)),
        ),
    )
    .set((
        matches::explanation.eq(r#"{"total":0,"components":[],"shared_tags":[]}"#),
        matches::updated_at.eq(at),
    ))
    .execute(conn)?;
    diesel::update(check_ins::table.filter(check_ins::author_id.eq(user_id)))
        .set(check_ins::note.eq(None::<String>))
        .execute(conn)?;
    // Reasons they gave for ending, declining or rejecting a match.
    let their_decisions = match_events::table
        .filter(match_events::actor_id.eq(user_id))
        .filter(match_events::to_state.eq_any(["ended", "declined", "rejected"]))
        .select(match_events::match_id);
    diesel::update(matches::table.filter(matches::id.eq_any(their_decisions)))
        .set(matches::ended_reason.eq(None::<String>))
        .execute(conn)?;
    // Unsent email about their matches to the other person (an introduction
    // still retrying carries their name and address): never sent now.
    let theirs: Vec<String> = matches::table
        .filter(
            matches::mentor_id
                .eq(user_id)
                .or(matches::mentee_id.eq(user_id)),
        )
        .select(matches::id)
        .load(conn)?;
    for match_id in theirs {
        crate::outbox::delete_unsent_about(conn, &match_id)?;
    }
    diesel::update(match_events::table.filter(match_events::actor_id.eq(user_id)))
        .set(match_events::reason.eq(None::<String>))
        .execute(conn)?;
    diesel::update(reports::table.filter(reports::reporter_id.eq(user_id)))
        .set((
            reports::reporter_id.eq(None::<String>),
            reports::reason.eq("[erased at the reporter's request]"),
        ))
        .execute(conn)?;
    diesel::delete(
        blocks::table.filter(
            blocks::blocker_id
                .eq(user_id)
                .or(blocks::blocked_id.eq(user_id)),
        ),
    )
    .execute(conn)?;
    diesel::delete(notification_prefs::table.filter(notification_prefs::user_id.eq(user_id)))
        .execute(conn)?;
    Ok(())
}
