//! Erasure: what is scrubbed from other people's history when a person
//! deletes their account (the account row itself is in `users::erase`).

use diesel::prelude::*;
use kindred_core::{MatchState, RequestState};

use crate::schema::{match_events, matches, requests};
use crate::{now, DbConnection, DbResult};

/// Removes a person's own words and sensitive traces from lifecycle records
/// (erasure): their requests are withdrawn and emptied, explanations of
/// their matches (which name shared experiences) are dropped, their check-in
/// notes, their reasons in the audit log and the text of reports they filed
/// are cleared, and their preferences deleted. Their blocks (either way)
/// stay: see `safety::keep_identity_only_if_needed`. Rows that other
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
            .filter(requests::state.eq_any(RequestState::LIVE)),
    )
    .set(requests::state.eq(RequestState::Withdrawn))
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
        .filter(match_events::to_state.eq_any([
            MatchState::Ended,
            MatchState::Declined,
            MatchState::Rejected,
        ]))
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
    // Blocks stay, both ways: they outlive erasure (docs/privacy.md), so a
    // new account with the same email is still kept apart from the blocker.
    diesel::delete(notification_prefs::table.filter(notification_prefs::user_id.eq(user_id)))
        .execute(conn)?;
    Ok(())
}
