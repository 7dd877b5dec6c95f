//! Facilitators' training records. The role itself is a `user_roles` row.

use diesel::prelude::*;
use kindred_core::{CircleState, Role};

use super::FacilitatorRecord;
use crate::schema::{circles, facilitators, user_roles};
use crate::{now, DbConnection, DbResult};

/// Grants the role and records (or replaces) the training.
pub fn grant(conn: &mut DbConnection, record: &FacilitatorRecord) -> DbResult<()> {
    crate::users::add_role(conn, &record.user_id, Role::Facilitator)?;
    let existing = get(conn, &record.user_id)?;
    if existing.is_some() {
        diesel::update(facilitators::table.find(&record.user_id))
            .set((
                facilitators::trained_on.eq(&record.trained_on),
                facilitators::training.eq(&record.training),
                facilitators::granted_by.eq(&record.granted_by),
                facilitators::updated_at.eq(record.updated_at),
                facilitators::revoked_at.eq(None::<chrono::NaiveDateTime>),
            ))
            .execute(conn)?;
    } else {
        diesel::insert_into(facilitators::table)
            .values(record)
            .execute(conn)?;
    }
    Ok(())
}

/// Revokes the role and stamps the record. Returns whether they held it.
pub fn revoke(conn: &mut DbConnection, user_id: &str) -> DbResult<bool> {
    let n = diesel::delete(
        user_roles::table
            .filter(user_roles::user_id.eq(user_id))
            .filter(user_roles::role.eq(Role::Facilitator)),
    )
    .execute(conn)?;
    let at = now();
    diesel::update(facilitators::table.find(user_id))
        .set((
            facilitators::revoked_at.eq(Some(at)),
            facilitators::updated_at.eq(at),
        ))
        .execute(conn)?;
    Ok(n > 0)
}

pub fn get(conn: &mut DbConnection, user_id: &str) -> DbResult<Option<FacilitatorRecord>> {
    Ok(facilitators::table
        .find(user_id)
        .select(FacilitatorRecord::as_select())
        .first(conn)
        .optional()?)
}

/// Current facilitators (role held), oldest grant first, after `after`.
pub fn list(
    conn: &mut DbConnection,
    after: Option<&str>,
    limit: i64,
) -> DbResult<Vec<FacilitatorRecord>> {
    let holders = user_roles::table
        .filter(user_roles::role.eq(Role::Facilitator))
        .select(user_roles::user_id);
    let mut q = facilitators::table
        .filter(facilitators::user_id.eq_any(holders))
        .filter(facilitators::revoked_at.is_null())
        .select(FacilitatorRecord::as_select())
        .into_boxed();
    if let Some(after) = after {
        q = q.filter(facilitators::user_id.gt(after.to_string()));
    }
    Ok(q.order(facilitators::user_id.asc())
        .limit(limit)
        .load(conn)?)
}

/// Circles per facilitator over `states`.
pub fn loads(conn: &mut DbConnection, states: &[CircleState]) -> DbResult<Vec<(String, i64)>> {
    Ok(circles::table
        .filter(circles::state.eq_any(states))
        .group_by(circles::facilitator_id)
        .select((circles::facilitator_id, diesel::dsl::count_star()))
        .load(conn)?)
}

/// Serialises decisions about one facilitator's circle load until the
/// transaction ends. PostgreSQL: a transaction-scoped advisory lock on the
/// id (its own key space: `circles:` prefix). SQLite write transactions
/// are serial already.
pub fn lock(conn: &mut DbConnection, facilitator_id: &str) -> DbResult<()> {
    crate::advisory_lock(conn, &format!("circles:{facilitator_id}"))
}
