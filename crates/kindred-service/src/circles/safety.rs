//! Circles and the safety rules: erasure takes a person out of their
//! circles (and out of facilitating); a block between two people of one
//! circle alerts its facilitator and the coordinators; approving a circle
//! re-checks that nobody in it blocked another.

use std::collections::HashSet;

use kindred_config::Settings;
use kindred_core::{CircleRequestState, CircleState, MemberState, Role};
use kindred_db::circles::{members, requests};
use kindred_db::DbConnection;

use super::{notify, Loaded};
use crate::error::{ServiceError, ServiceResult};

/// On erasure (in the caller's transaction): open circle requests are
/// withdrawn and emptied; the person leaves every circle they are in (a
/// running circle that drops below `min_size` is reported); their
/// check-in notes go; as a facilitator their role goes and their circles
/// are flagged to coordinators.
pub(crate) fn on_erasure(
    conn: &mut DbConnection,
    settings: &Settings,
    user_id: &str,
) -> ServiceResult<()> {
    for m in members::of_user(conn, user_id)?
        .into_iter()
        .filter(|m| m.state.is_current())
    {
        let loaded = Loaded::load(conn, &m.circle_id)?;
        super::transitions::remove_member(conn, settings, &loaded, &m, MemberState::Removed)?;
    }
    for r in requests::for_user(conn, user_id)? {
        if r.state == CircleRequestState::Open {
            requests::set_state(conn, &r.id, CircleRequestState::Withdrawn)?;
        }
    }
    kindred_db::circles::check_ins::scrub_author(conn, user_id)?;
    kindred_db::circles::requests::scrub_user(conn, user_id)?;
    if kindred_db::users::has_role(conn, user_id, Role::Facilitator)? {
        kindred_db::circles::facilitators::revoke(conn, user_id)?;
        super::facilitators::flag_circles_of(conn, settings, user_id)?;
    }
    Ok(())
}

/// After `blocker` blocked `blocked`: every approved or active circle with
/// both of them (as members or facilitator) is reported to its facilitator
/// and the coordinators.
pub(crate) fn on_block(
    conn: &mut DbConnection,
    settings: &Settings,
    blocker: &str,
    blocked: &str,
) -> ServiceResult<()> {
    let mut circle_ids: HashSet<String> = HashSet::new();
    for user in [blocker, blocked] {
        for m in members::of_user(conn, user)?
            .into_iter()
            .filter(|m| m.state.is_current())
        {
            circle_ids.insert(m.circle_id);
        }
        for c in kindred_db::circles::rows::led_by(
            conn,
            user,
            &[CircleState::Approved, CircleState::Active],
        )? {
            circle_ids.insert(c.id);
        }
    }
    let mut ids: Vec<String> = circle_ids.into_iter().collect();
    ids.sort();
    for id in ids {
        let loaded = Loaded::load(conn, &id)?;
        if !super::is_running(loaded.circle.state) {
            continue;
        }
        let in_circle = |u: &str| loaded.is_facilitator(u) || loaded.member(u).is_some();
        if in_circle(blocker) && in_circle(blocked) {
            notify::block_alert(conn, settings, &loaded.circle, blocker, blocked)?;
        }
    }
    Ok(())
}

/// `409` when two people of the circle (members or facilitator) are kept
/// apart by a block (also one made on an earlier, erased account).
pub(crate) fn ensure_no_block(
    conn: &mut DbConnection,
    loaded: &Loaded,
    people: &[&str],
) -> ServiceResult<()> {
    let blocks: HashSet<(String, String)> = kindred_db::safety::blocks_by_identity(conn)?
        .into_iter()
        .collect();
    for (i, a) in people.iter().enumerate() {
        for b in &people[i + 1..] {
            if blocks.contains(&(a.to_string(), b.to_string()))
                || blocks.contains(&(b.to_string(), a.to_string()))
            {
                return Err(ServiceError::conflict_in(
                    "two people in this circle are kept apart by a block; reject it or form another",
                    loaded.circle.state,
                ));
            }
        }
    }
    Ok(())
}
