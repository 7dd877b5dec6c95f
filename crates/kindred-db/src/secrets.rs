//! Secrets the server generates for itself on first start.

use diesel::prelude::*;

use crate::schema::app_secrets;
use crate::{now, DbConnection, DbResult};

/// The secret called `name`, created from `generate` if it does not exist.
/// Racing first starts settle on whichever insert won.
pub fn get_or_create(
    conn: &mut DbConnection,
    name: &str,
    generate: impl FnOnce() -> String,
) -> DbResult<String> {
    let existing: Option<String> = app_secrets::table
        .find(name)
        .select(app_secrets::value)
        .first(conn)
        .optional()?;
    if let Some(value) = existing {
        return Ok(value);
    }
    let inserted = diesel::insert_into(app_secrets::table)
        .values((
            app_secrets::name.eq(name),
            app_secrets::value.eq(generate()),
            app_secrets::created_at.eq(now()),
        ))
        .execute(conn);
    match inserted {
        Ok(_) => {}
        Err(diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            _,
        )) => {}
        Err(e) => return Err(e.into()),
    }
    Ok(app_secrets::table
        .find(name)
        .select(app_secrets::value)
        .first(conn)?)
}
