//! Matches, their transitions and audit trail, and the pairs never proposed again.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use kindred_core::MatchState;

use crate::models::{Match, MatchEvent};
use crate::schema::{match_events, matches};
use crate::{now, DbConnection, DbResult};

/// Match states that hold a request (at most one per request): [`MatchState::is_open`].
pub fn open_states() -> Vec<MatchState> {
    MatchState::all_where(MatchState::is_open)
}

/// Match states that use a mentor's capacity: [`MatchState::occupies_capacity`].
pub fn capacity_states() -> Vec<MatchState> {
    MatchState::all_where(MatchState::occupies_capacity)
}

/// Pairs with a match in these states are never proposed again: [`MatchState::excludes_pair`].
pub fn excluded_pair_states() -> Vec<MatchState> {
    MatchState::all_where(MatchState::excludes_pair)
}

/// Match states participants do not see: [`MatchState::is_coordinator_only`].
pub fn coordinator_only_states() -> Vec<MatchState> {
    MatchState::all_where(MatchState::is_coordinator_only)
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

/// The matches of `ids` that exist (any order).
pub fn find_many(conn: &mut DbConnection, ids: &[&str]) -> DbResult<Vec<Match>> {
    Ok(matches::table
        .filter(matches::id.eq_any(ids))
        .select(Match::as_select())
        .load(conn)?)
}

/// Serialises capacity decisions for one mentor until the transaction ends.
/// PostgreSQL: a transaction-scoped advisory lock on the mentor id. SQLite:
/// write transactions already run one at a time ([`crate::write_tx`]).
pub fn lock_mentor(conn: &mut DbConnection, mentor_id: &str) -> DbResult<()> {
    crate::advisory_lock(conn, mentor_id)
}

/// How many of the mentor's matches are in `states`.
pub fn mentor_load(
    conn: &mut DbConnection,
    mentor_id: &str,
    states: &[MatchState],
) -> DbResult<i64> {
    Ok(matches::table
        .filter(matches::mentor_id.eq(mentor_id))
        .filter(matches::state.eq_any(states))
        .count()
        .get_result(conn)?)
}

/// Load per mentor over `states`, for every mentor that has any.
pub fn loads(conn: &mut DbConnection, states: &[MatchState]) -> DbResult<Vec<(String, i64)>> {
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
    from: MatchState,
    to: MatchState,
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
    pub from_state: Option<MatchState>,
    pub to_state: MatchState,
    pub actor_id: Option<&'a str>,
    pub actor_role: &'a str,
    pub reason: Option<&'a str>,
}

pub fn record_event(conn: &mut DbConnection, e: &NewEvent<'_>) -> DbResult<()> {
    diesel::insert_into(match_events::table)
        .values(MatchEvent {
            id: crate::new_id(),
            match_id: e.match_id.to_string(),
            from_state: e.from_state,
            to_state: e.to_state,
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
    pub state: Option<MatchState>,
    pub after: Option<&'a str>,
    pub limit: i64,
}

/// The ids of run `run_id`'s matches still in `state`, oldest first.
pub fn ids_of_run(
    conn: &mut DbConnection,
    run_id: &str,
    state: MatchState,
) -> DbResult<Vec<String>> {
    Ok(matches::table
        .filter(matches::run_id.eq(run_id))
        .filter(matches::state.eq(state))
        .order(matches::id.asc())
        .select(matches::id)
        .load(conn)?)
}

pub fn list_matches(conn: &mut DbConnection, f: &MatchFilter<'_>) -> DbResult<Vec<Match>> {
    let mut query = matches::table.select(Match::as_select()).into_boxed();
    if let Some(user) = f.participant {
        query = query
            .filter(matches::mentor_id.eq(user).or(matches::mentee_id.eq(user)))
            .filter(matches::state.ne_all(coordinator_only_states()));
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
    states: &[MatchState],
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
        .filter(matches::state.eq_any(open_states()))
        .select(Match::as_select())
        .load(conn)?)
}

pub fn open_match_for_request(
    conn: &mut DbConnection,
    request_id: &str,
) -> DbResult<Option<Match>> {
    Ok(matches::table
        .filter(matches::request_id.eq(request_id))
        .filter(matches::state.eq_any(open_states()))
        .select(Match::as_select())
        .first(conn)
        .optional()?)
}

/// (mentee, mentor) pairs that must never be proposed: earlier failed
/// matches, and blocks in either direction.
pub fn excluded_pairs(conn: &mut DbConnection) -> DbResult<Vec<(String, String)>> {
    let mut pairs: Vec<(String, String)> = matches::table
        .filter(matches::state.eq_any(excluded_pair_states()))
        .select((matches::mentee_id, matches::mentor_id))
        .load(conn)?;
    // Blocks follow a person across erasure and re-registration.
    for (a, b) in crate::safety::blocks_by_identity(conn)? {
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
        .filter(matches::state.eq_any(excluded_pair_states()))
        .count()
        .get_result(conn)?;
    Ok(failed > 0 || crate::safety::blocked_either_way(conn, mentee_id, mentor_id)?)
}

pub fn all_matches(conn: &mut DbConnection) -> DbResult<Vec<Match>> {
    Ok(matches::table.select(Match::as_select()).load(conn)?)
}

/// Whether `mentee_id` has (or had) a match with `mentor_id` that reached the
/// mentor (not a mere proposal): what lets them see the mentor's public card.
pub fn mentee_has_reviewed_match_with(
    conn: &mut DbConnection,
    mentee_id: &str,
    mentor_id: &str,
) -> DbResult<bool> {
    let n: i64 = matches::table
        .filter(matches::mentee_id.eq(mentee_id))
        .filter(matches::mentor_id.eq(mentor_id))
        .filter(matches::state.ne_all(coordinator_only_states()))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}
