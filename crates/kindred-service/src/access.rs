//! Object-level access rules shared by several routes.

use diesel::prelude::*;
use kindred_db::schema::matches;
use kindred_db::DbConnection;

use crate::error::ServiceResult;

/// Whether `mentee_id` has (or had) a match with `mentor_id` that reached the
/// mentor (not a mere proposal), which lets them see the mentor's public card.
pub fn mentee_has_match_with(
    conn: &mut DbConnection,
    mentee_id: &str,
    mentor_id: &str,
) -> ServiceResult<bool> {
    let n: i64 = matches::table
        .filter(matches::mentee_id.eq(mentee_id))
        .filter(matches::mentor_id.eq(mentor_id))
        .filter(matches::state.ne_all(kindred_db::matches::coordinator_only_states()))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}
