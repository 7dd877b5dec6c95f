//! Matching runs.

use diesel::prelude::*;

use crate::models::MatchingRun;
use crate::schema::matching_runs;
use crate::{DbConnection, DbResult};

/// Serialises matching runs: the second waits for the first to commit, then
/// sees its proposals. PostgreSQL only; SQLite write transactions are serial.
pub fn lock_matching_runs(conn: &mut DbConnection) -> DbResult<()> {
    if let DbConnection::Postgresql(pg) = conn {
        diesel::sql_query("SELECT pg_advisory_xact_lock(4242001)").execute(pg)?;
    }
    Ok(())
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
