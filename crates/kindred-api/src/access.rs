//! Object-level access rules shared by several routes.

use kindred_db::DbConnection;

use crate::error::ApiResult;

/// Whether `mentee_id` has (or had) a match involving `mentor_id`, which lets
/// them see the mentor's public card. Matches arrive with the lifecycle
/// work; until then no mentee has one.
pub fn mentee_has_match_with(
    _conn: &mut DbConnection,
    _mentee_id: &str,
    _mentor_id: &str,
) -> ApiResult<bool> {
    Ok(false)
}
